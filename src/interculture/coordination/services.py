"""Coordination: seeding stakeholders, the competence matrix and where coordination is needed,
decisions followed up, positions co-signed and answered, peer-learning activities."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.assessments.models import AssessmentRound, City
from interculture.coordination.models import Decision, PeerActivity, Position, Signature, Stakeholder

DATA = resources.files("interculture.data")


def _data(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load(DATA.joinpath("coordination", name).read_text(encoding="utf-8")))


def load_stakeholders(filename: str = "stakeholders-fi.yaml") -> int:
    """The seed list of stakeholder types (seed 000's target groups). Idempotent."""
    data = _data(filename)
    for s in data["stakeholders"]:
        Stakeholder.objects.update_or_create(
            slug=s["slug"],
            defaults={
                "name": s["name"],
                "level": s["level"],
                "type": s["type"],
                "themes": s.get("themes", []),
                "country": data.get("country", ""),
                "source": s.get("source", "")[:300],
            },
        )
    return len(data["stakeholders"])


@cache
def competences(country: str) -> dict[str, dict[str, Any]]:
    """Policy field -> {levels: {national, regional, local}, note, source, reconstructed}."""
    try:
        data = _data(f"competences-{country.lower()}.yaml")
    except FileNotFoundError:
        return {}
    return {row["field"]: row for row in data["competences"]}


def coordination_needed(round_: AssessmentRound) -> list[dict[str, Any]]:
    """The city's weak areas (below the sample mean) whose competence another level holds or
    shares: where the city cannot close the gap alone (seed 004)."""
    from interculture.assessments import selectors

    matrix = competences(round_.city.country)
    if not matrix:
        return []
    bench = selectors.benchmark_round(round_)
    q = selectors.engine_questionnaire(round_.questionnaire)
    out = []
    for ind in q.indicators:
        rate, mean = bench.rates.get(ind.id), bench.measures[ind.id]["sample"].stats.mean
        row = matrix.get(ind.id)
        if rate is None or mean is None or rate >= mean or row is None:
            continue
        others = [
            lvl for lvl in ("national", "regional") if row["levels"].get(lvl) in ("shared", "exclusive")
        ]
        if others:
            out.append(
                {"area": ind.id, "name": ind.name, "rate": rate, "mean": mean, "levels": others, "row": row}
            )
    return out


# --- decisions ------------------------------------------------------------------------------


def can_record(user: Any, body: Any) -> bool:
    return permissions.is_secretariat(user) or body.secretaries.filter(pk=getattr(user, "pk", None)).exists()


def update_decision(decision: Decision, user: Any, status: str, follow_up: str = "") -> Decision:
    """Follow a decision up: its status and what was done, like the pathway's actions."""
    if not can_record(user, decision.meeting.body):
        raise PermissionDenied(_("Only the body's secretaries and the secretariat record follow-up."))
    if status not in Decision.Status.values:
        raise ValueError(_("Unknown status %(s)s.") % {"s": status})
    decision.status = status
    if follow_up.strip():
        stamp = timezone.localdate().isoformat()
        decision.follow_up = f"{decision.follow_up}\n{stamp}: {follow_up.strip()}".strip()
    decision.save(update_fields=["status", "follow_up", "updated_at"])
    return decision


def open_commitments(country: str, today: date | None = None) -> dict[str, dict[str, int]]:
    """Open decisions per owner level, and how many of them are overdue."""
    today = today or timezone.localdate()
    rows = (
        Decision.objects.filter(meeting__body__country=country)
        .exclude(status__in=["done", "dropped"])
        .values("owner_level")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    )
    return {r["owner_level"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}


# --- positions ------------------------------------------------------------------------------


def co_sign(position: Position, city: City, user: Any) -> Signature:
    """A city's coordinator signs a shared position on its behalf."""
    if not permissions.can_coordinate(user, city):
        raise PermissionDenied(_("Only the city's coordinator signs on its behalf."))
    if position.answered_on is not None:
        raise ValueError(_("The position has been answered; it can no longer be signed."))
    signature, _created = Signature.objects.get_or_create(
        position=position, city=city, defaults={"signed_by": user}
    )
    return signature


def record_position_answer(position: Position, user: Any, answer: str, answered_on: date) -> Position:
    if not (permissions.is_secretariat(user) or permissions.can_coordinate(user, position.drafted_by)):
        raise PermissionDenied(_("The drafting city's coordinator or the secretariat records the answer."))
    position.answer, position.answered_on = answer.strip(), answered_on
    position.save(update_fields=["answer", "answered_on"])
    return position


def record_peer_activity(
    user: Any, kind: str, host: City, guest: City, area: str, when: date, outcomes: str
) -> PeerActivity:
    if not (
        permissions.can_coordinate(user, host)
        or permissions.can_coordinate(user, guest)
        or permissions.is_secretariat(user)
    ):
        raise PermissionDenied(_("A coordinator of one of the two cities records the activity."))
    return PeerActivity.objects.create(
        kind=kind, host=host, guest=guest, area=area, date=when, outcomes=outcomes
    )
