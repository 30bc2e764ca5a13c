"""Recommendations decided and turned into actions (every change kept, stale edits refused), and their milestones."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interculture import versioning
from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.services import engine_questionnaire
from interculture.engine.findings import findings
from interculture.errors import Conflict, Forbidden, Invalid
from interculture.pathway.models import (
    Action,
    Recommendation,
)
from interculture.pathway.selectors import city_questionnaire


def recommendations_from_report(round_: AssessmentRound) -> int:
    """One recommendation per unmet question of the round (the report's own). Idempotent."""
    q = engine_questionnaire(round_.questionnaire)
    answers = selectors.round_answers(round_)
    made = 0
    for ind in q.indicators:
        for f in findings(q, answers, ind.id):  # type: ignore[arg-type]
            if f.met or f.question.recommendation is None:
                continue
            _, created = Recommendation.objects.get_or_create(
                city=round_.city,
                round=round_,
                source=Recommendation.Source.REPORT,
                question_id=f.question.id,
                defaults={"indicator_id": ind.id, "text": f.question.recommendation.en},
            )
            made += created
    return made


def decide_recommendation(
    rec: Recommendation, user: User, *, accept: bool, reason: str = ""
) -> Recommendation:
    """Accept a recommendation (it goes into the strategy) or decline it, with an optional reason."""
    check_write(user, rec.city)
    rec.status = Recommendation.Status.ACCEPTED if accept else Recommendation.Status.DECLINED
    rec.reason = "" if accept else reason.strip()
    rec.decided_by, rec.decided_at = user, timezone.now()
    rec.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return rec


class ActionConflict(Conflict):
    def __init__(self, action: Action, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        self.action = action
        super().__init__(
            action,
            expected_version=expected_version,
            yours=yours,
            message=_("The action changed since you opened it (now version %(v)d).") % {"v": action.version},
        )


EDITABLE = ("title", "owner_department", "deadline", "budget_eur", "status", "progress", "questions")


def check_write(user: Visitor, city: City) -> None:
    if not permissions.can_write_pathway(user, city):
        raise Forbidden(_("Only the city's working group and the secretariat change its pathway."))


def validate_action(fields: dict[str, Any], known_questions: set[str]) -> list[str]:
    errors = []
    if not str(fields.get("title") or "").strip():
        errors.append(_("a title is needed"))
    if not str(fields.get("owner_department") or "").strip():
        errors.append(_("an owner department is needed"))
    if not isinstance(fields.get("deadline"), date):
        errors.append(_("the deadline is a date (YYYY-MM-DD)"))
    if fields.get("status") not in Action.Status.values:
        errors.append(_("the status is one of %(s)s") % {"s": ", ".join(Action.Status.values)})
    progress = fields.get("progress")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.append(_("progress is a whole number from 0 to 100"))
    unknown = [x for x in fields.get("questions") or [] if x not in known_questions]
    if unknown:
        errors.append(_("unknown Index questions: %(q)s") % {"q": ", ".join(unknown)})
    return errors


def known_questions(city: City) -> set[str]:
    q = city_questionnaire(city)
    return {x.id for x in q.questions} if q else set()


@transaction.atomic
def create_action(
    city: City, user: Visitor, *, recommendation: Recommendation | None = None, **fields: Any
) -> Action:
    check_write(user, city)
    fields = {"status": "planned", "progress": 0, "questions": [], **fields}
    if recommendation is not None and not fields["questions"] and recommendation.question_id:
        fields["questions"] = [recommendation.question_id]
    errors = validate_action(fields, known_questions(city))
    if errors:
        raise Invalid("; ".join(errors))
    return versioning.create_versioned(
        Action, fields, user=user, context={"city": city, "recommendation": recommendation}
    )


@transaction.atomic
def update_action(action: Action, user: Visitor, *, expected_version: int, **fields: Any) -> Action:
    """Change an action; every change is kept. A stale edit is refused (optimistic locking)."""
    check_write(user, action.city)
    merged = {k: getattr(action, k) for k in EDITABLE} | fields
    errors = validate_action(merged, known_questions(action.city))
    if errors:
        raise Invalid("; ".join(errors))
    return versioning.update_versioned(
        action, expected_version=expected_version, changes=fields, user=user, conflict=ActionConflict
    )


def add_milestone(action: Action, user: Visitor, *, title: str, due: date) -> Any:
    check_write(user, action.city)
    return action.milestones.create(title=title, due=due)


def set_milestone_done(milestone: Any, user: Visitor, *, done: bool) -> None:
    check_write(user, milestone.action.city)
    type(milestone).objects.filter(pk=milestone.pk).update(done=done)
