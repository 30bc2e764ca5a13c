"""The workflow of a round: open it, assign areas, edit answers, submit, review and publish."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from interculture import versioning
from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import (
    Answer,
    AreaAssignment,
    AssessmentRound,
    City,
    QuestionnaireVersion,
    ReviewComment,
    RoundEvent,
)
from interculture.assessments.services.answers import AnswersRejected, record_answer
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine.schema import Question
from interculture.engine.scoring import InvalidAnswer, is_blank, latest_year, validate_answers
from interculture.errors import DomainError


class WorkflowError(DomainError):
    """A step that the round's current status does not allow (the API answers 409)."""


class SubmissionRefused(WorkflowError):
    """Mandatory answers are missing; `missing` lists their questions."""

    def __init__(self, missing: list[Question]) -> None:
        self.missing = missing
        super().__init__(
            ngettext(
                "%(n)d mandatory question is unanswered: %(ids)s",
                "%(n)d mandatory questions are unanswered: %(ids)s",
                len(missing),
            )
            % {"n": len(missing), "ids": ", ".join(q.id for q in missing)}
        )


@dataclass(frozen=True)
class OpenedRound:
    round: AssessmentRound
    carried_over: int
    not_carried: list[str]


def _event(round_: AssessmentRound, old: str, user: User, note: str = "", **carried: int) -> None:
    RoundEvent.objects.create(
        round=round_,
        from_status=old,
        to_status=round_.status,
        user=user if getattr(user, "is_authenticated", False) else None,
        note=note,
        **carried,
    )


@transaction.atomic
def open_round(
    city: City, year: int, *, version: QuestionnaireVersion, user: User, carry_over: bool = True
) -> OpenedRound:
    """A coordinator opens a round; it can start from the answers of the city's latest round.

    Carried-over answers keep their comment and evidence; each gets a history entry. Answers
    that the new questionnaire version does not accept are listed, not copied.
    """
    if not permissions.can_coordinate(user, city):
        raise PermissionDenied(_("Only the city's coordinator opens a round."))
    if year > latest_year():
        raise WorkflowError(
            _("A round's year cannot be after next year (%(year)d).") % {"year": latest_year()}
        )
    if AssessmentRound.objects.filter(city=city, year=year).exists():
        raise WorkflowError(
            _("%(city)s already has a round for %(year)d.") % {"city": city.name, "year": year}
        )
    previous = AssessmentRound.objects.filter(city=city, year__lt=year).order_by("-year").first()
    round_ = AssessmentRound.objects.create(
        city=city,
        year=year,
        questionnaire=version,
        status=AssessmentRound.Status.DRAFT,
        # Stored data: in English whatever the language of the person's screen.
        source=f"Answered by {city.name} in the Interculture workspace",
    )
    carried, skipped = 0, []
    if carry_over and previous is not None:
        q = engine_questionnaire(version)
        for old in previous.answers.all():
            if is_blank(old.value):
                continue
            if validate_answers(q, {old.question_id: old.value}):
                skipped.append(old.question_id)
                continue
            versioning.create_versioned(
                Answer,
                {"value": old.value, "comment": old.comment, "evidence": old.evidence},
                user=user,
                context={
                    "round": round_,
                    "question_id": old.question_id,
                    "source": f"Carried over from {previous.year}",
                },
            )
            carried += 1
        _event(round_, "", user, carried_from=previous.year, carried_over=carried)
    else:
        _event(round_, "", user)
    return OpenedRound(round_, carried, skipped)


@transaction.atomic
def assign_areas(round_: AssessmentRound, user: Visitor, *, assignments: Mapping[str, list[Any]]) -> int:
    """Replace who works on which area: indicator id -> contributors (city members)."""
    if not permissions.can_coordinate(user, round_.city):
        raise PermissionDenied(_("Only the city's coordinator assigns areas."))
    known = {i.id for i in engine_questionnaire(round_.questionnaire).indicators}
    members = set(round_.city.memberships.values_list("user_id", flat=True))
    rows = []
    for indicator_id, people in assignments.items():
        if indicator_id not in known:
            raise WorkflowError(_("No area %(id)s in this questionnaire.") % {"id": indicator_id})
        for person in people:
            if person.pk not in members:
                raise WorkflowError(_("%(name)s is not a member of the city.") % {"name": person})
            rows.append(AreaAssignment(round=round_, indicator_id=indicator_id, user=person))
    AreaAssignment.objects.filter(round=round_, indicator_id__in=list(assignments)).delete()
    AreaAssignment.objects.bulk_create(rows)
    return len(rows)


def edit_answer(
    round_: AssessmentRound,
    question_id: str,
    *,
    user: Visitor,
    value: Any,
    expected_version: int | None,
    comment: str | None = None,
    evidence: list[str] | None = None,
) -> Answer:
    """An edit from the workspace or the API: the permission check, then record_answer()."""
    q = engine_questionnaire(round_.questionnaire)
    question = next((x for x in q.questions if x.id == question_id), None)
    if question is None:
        raise AnswersRejected([InvalidAnswer(question_id, "no such question in " + q.version)])
    if not permissions.can_edit_area(user, round_, question.indicator):
        if round_.status not in permissions.EDITABLE_STATUSES:
            raise WorkflowError(
                _("The round is %(status)s; answers can no longer change.")
                % {"status": round_.get_status_display()}
            )
        raise PermissionDenied(_("You cannot edit this area."))
    return record_answer(
        round_,
        question_id,
        value=value,
        user=user,
        expected_version=expected_version,
        comment=comment,
        evidence=evidence,
    )


def missing_mandatory(round_: AssessmentRound) -> list[Question]:
    q = engine_questionnaire(round_.questionnaire)
    answered = {qid for qid, v in round_.answers.values_list("question_id", "value") if not is_blank(v)}
    return [x for x in q.questions if x.mandatory and x.id not in answered]


@dataclass(frozen=True)
class Step:
    """A step of the round's workflow: who may take it, from which statuses, to which status."""

    allowed_from: tuple[str, ...]
    to: str
    may: Callable[[Any, AssessmentRound], bool]
    refusal: Promise  # translated when refused, in the reader's language


_S = AssessmentRound.Status
STEPS: dict[str, Step] = {
    "submit": Step(
        (_S.DRAFT, _S.CHANGES_REQUESTED),
        _S.SUBMITTED,
        lambda user, r: permissions.can_coordinate(user, r.city),
        gettext_lazy("Only the city's coordinator submits the round."),
    ),
    "request_changes": Step(
        (_S.SUBMITTED, _S.VALIDATED),
        _S.CHANGES_REQUESTED,
        lambda user, r: permissions.can_review(user, r.city),
        gettext_lazy("Only the secretariat and the city's expert request changes."),
    ),
    "validate": Step(
        (_S.SUBMITTED,),
        _S.VALIDATED,
        lambda user, r: permissions.can_validate(user),
        gettext_lazy("Only the secretariat validates a round."),
    ),
    "publish": Step(
        (_S.VALIDATED,),
        _S.PUBLISHED,
        lambda user, r: permissions.can_validate(user),
        gettext_lazy("Only the secretariat publishes a round."),
    ),
}


def check_step(round_: AssessmentRound, user: Visitor, *, name: str) -> Step:
    """Whether `user` may take step `name` now: PermissionDenied, WorkflowError or, for a
    submission with mandatory answers missing, SubmissionRefused. The pages ask before they
    show a confirmation; the step itself asks again under a row lock."""
    step = STEPS[name]
    if not step.may(user, round_):
        raise PermissionDenied(str(step.refusal))
    if round_.status not in step.allowed_from:
        raise WorkflowError(
            _("The round is %(status)s; this step is not possible now.")
            % {"status": round_.get_status_display()}
        )
    if name == "submit":
        missing = missing_mandatory(round_)
        if missing:
            raise SubmissionRefused(missing)
    return step


def _move(
    round_: AssessmentRound, allowed_from: tuple[str, ...], to: str, user: User, note: str = ""
) -> None:
    # Lock the row so that two reviewers cannot both move the round from the same status.
    locked = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status not in allowed_from:
        raise WorkflowError(
            _("The round is %(status)s; this step is not possible now.")
            % {"status": locked.get_status_display()}
        )
    old = locked.status
    round_.status = to
    AssessmentRound.objects.filter(pk=round_.pk).update(status=to)
    _event(round_, old, user, note)


def _take(round_: AssessmentRound, user: User, name: str, note: str = "") -> None:
    step = check_step(round_, user, name=name)
    _move(round_, step.allowed_from, step.to, user, note)


@transaction.atomic
def submit_round(round_: AssessmentRound, user: User) -> None:
    _take(round_, user, "submit")


@transaction.atomic
def comment_on_answers(round_: AssessmentRound, user: User, *, comments: Mapping[str, str]) -> int:
    """Review comments per question id ("" for the round as a whole); empty texts are skipped."""
    if not permissions.can_review(user, round_.city):
        raise PermissionDenied(_("Only the secretariat and the city's expert review a round."))
    known = {x.id for x in engine_questionnaire(round_.questionnaire).questions}
    rows = []
    for qid, text in comments.items():
        if not text.strip():
            continue
        if qid and qid not in known:
            raise WorkflowError(_("No question %(id)s in this questionnaire.") % {"id": qid})
        rows.append(ReviewComment(round=round_, question_id=qid, text=text.strip(), author=user))
    ReviewComment.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def request_changes(
    round_: AssessmentRound, user: User, *, comments: Mapping[str, str], note: str = ""
) -> None:
    check_step(round_, user, name="request_changes")
    comment_on_answers(round_, user, comments={**comments, "": note} if note else comments)
    _take(round_, user, "request_changes", note)


@transaction.atomic
def validate_round(round_: AssessmentRound, user: User, *, note: str = "") -> None:
    _take(round_, user, "validate", note)


@transaction.atomic
def publish_round(round_: AssessmentRound, user: User, *, note: str = "") -> None:
    _take(round_, user, "publish", note)
