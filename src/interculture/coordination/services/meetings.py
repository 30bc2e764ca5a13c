"""Meetings of a coordination body and their decisions, followed up (every change kept)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interculture import versioning
from interculture.accounts import permissions
from interculture.accounts.types import Visitor
from interculture.coordination.models import (
    Body,
    Decision,
    Level,
    Meeting,
)
from interculture.errors import Conflict, Forbidden, Invalid


def can_record(user: Visitor, body: Any) -> bool:
    return permissions.is_secretariat(user) or body.secretaries.filter(pk=getattr(user, "pk", None)).exists()


class DecisionConflict(Conflict):
    def __init__(self, decision: Decision, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        self.decision = decision
        super().__init__(
            decision,
            expected_version=expected_version,
            yours=yours,
            message=_("The decision changed since you opened it (now version %(v)d).")
            % {"v": decision.version},
        )


@transaction.atomic
def record_meeting(
    body: Body, user: Visitor, *, when: date, agenda: str, minutes: str, decisions: list[dict[str, Any]]
) -> Meeting:
    """A meeting with its agenda, minutes and decisions (text, owner level, owner, deadline)."""
    if not can_record(user, body):
        raise Forbidden(_("Only the body's secretaries and the secretariat record its meetings."))
    errors = []
    for n, d in enumerate(decisions, start=1):
        if not str(d.get("text") or "").strip():
            errors.append(_("decision %(n)d: the text is missing") % {"n": n})
        if d.get("owner_level") not in Level.values:
            errors.append(_("decision %(n)d: the owner's level is missing") % {"n": n})
        if not isinstance(d.get("deadline"), date):
            errors.append(_("decision %(n)d: the deadline is a date (YYYY-MM-DD)") % {"n": n})
    if errors:
        raise Invalid("; ".join(errors))
    meeting = Meeting.objects.create(body=body, date=when, agenda=agenda.strip(), minutes=minutes.strip())
    for d in decisions:
        versioning.create_versioned(
            Decision,
            {"text": d["text"].strip(), "deadline": d["deadline"]},
            user=user,
            context={"meeting": meeting, "owner": d.get("owner"), "owner_level": d["owner_level"]},
        )
    return meeting


@transaction.atomic
def update_decision(
    decision: Decision,
    user: Visitor,
    *,
    expected_version: int,
    status: str,
    progress: int | None = None,
    note: str = "",
) -> Decision:
    """Follow a decision up like a pathway action: status, progress and what was done, every
    change kept, a stale edit refused (optimistic locking)."""
    if not can_record(user, decision.meeting.body):
        raise Forbidden(_("Only the body's secretaries and the secretariat record follow-up."))
    if status not in Decision.Status.values:
        raise Invalid(_("Unknown status %(s)s.") % {"s": status})
    current = Decision.objects.get(pk=decision.pk)
    progress = 100 if status == Decision.Status.DONE else current.progress if progress is None else progress
    if not 0 <= progress <= 100:
        raise Invalid(_("progress is a whole number from 0 to 100"))
    changes: dict[str, Any] = {"status": status, "progress": progress}
    note = note.strip()
    if note:  # the follow-up log grows by the note; the history row keeps the note itself
        stamp = timezone.localdate().isoformat()
        changes["follow_up"] = f"{current.follow_up}\n{stamp}: {note}".strip()
    return versioning.update_versioned(
        current,
        expected_version=expected_version,
        changes=changes,
        user=user,
        note=note,
        conflict=DecisionConflict,
        recorded=("status", "progress"),
    )
