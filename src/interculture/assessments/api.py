"""REST endpoints for cities, rounds, answers (with their version, for concurrency) and results.

The same rules as the web app apply: the services check every write, and a round that a
person may not see is a 404 (its existence is not disclosed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from interculture.api_errors import errors
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services import workflow
from interculture.i18n import current_language

router = Router(tags=["assessments"])


class CityOut(Schema):
    slug: str
    name: str
    country: str
    region: str
    population: int
    foreign_born_share: float | None  # unknown for some cities, never guessed
    latitude: float | None
    longitude: float | None
    synthetic: bool


class RoundOut(Schema):
    year: int
    status: str
    questionnaire: str
    answered: int
    total: int
    mandatory_missing: int


class RoundIn(Schema):
    year: int = Field(ge=2008, le=2100)  # as the workspace's form
    questionnaire: str
    carry_over: bool = True


class AnswerOut(Schema):
    question_id: str
    value: Any = None
    comment: str
    evidence: list[str]
    version: int
    updated_at: datetime


class AnswerIn(Schema):
    value: Any = None
    version: int  # the version the edit is based on; 0 when there was no answer yet
    comment: str | None = None
    evidence: list[str] | None = None


class ChangeOut(Schema):
    version: int
    old_value: Any = None
    new_value: Any = None
    old_comment: str
    new_comment: str
    user: str | None
    at: datetime


class ReviewIn(Schema):
    comments: dict[str, str] = {}
    note: str = ""


class NoteIn(Schema):
    note: str = ""


@router.get("/cities", response={200: list[CityOut], **errors()})
def list_cities(request: Any, synthetic: bool = False) -> Any:
    return City.objects.filter(synthetic=synthetic)


def _city(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


def visible_round(request: Any, slug: str, year: int) -> AssessmentRound:
    """The round, if this person may see it; otherwise a 404 (its existence is not disclosed)."""
    try:
        return selectors.get_round(request.user, slug, year)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("No such round") from exc


def _round_out(request: Any, round_: AssessmentRound) -> dict[str, Any]:
    progress = selectors.round_progress(round_, request.user, current_language())
    return {
        "year": round_.year,
        "status": round_.status,
        "questionnaire": round_.questionnaire.version,
        "answered": progress["answered"],
        "total": progress["total"],
        "mandatory_missing": progress["mandatory_missing"],
    }


@router.get("/cities/{slug}/rounds", response={200: list[RoundOut], **errors(404)})
def list_rounds(request: Any, slug: str) -> Any:
    return [_round_out(request, r) for r in selectors.visible_rounds(request.user, _city(slug))]


@router.post("/cities/{slug}/rounds", response={201: RoundOut, **errors(403, 404, 409, 413)})
def open_round(request: Any, slug: str, body: RoundIn) -> Any:
    version = get_object_or_404(QuestionnaireVersion, version=body.questionnaire)
    opened = workflow.open_round(
        _city(slug), body.year, version=version, user=request.user, carry_over=body.carry_over
    )
    return Status(201, _round_out(request, opened.round))


@router.get("/cities/{slug}/rounds/{year}", response={200: RoundOut, **errors(404)})
def get_round(request: Any, slug: str, year: int) -> Any:
    return _round_out(request, visible_round(request, slug, year))


@router.get("/cities/{slug}/rounds/{year}/answers", response={200: list[AnswerOut], **errors(404)})
def list_answers(request: Any, slug: str, year: int) -> Any:
    return visible_round(request, slug, year).answers.all()


@router.put(
    "/cities/{slug}/rounds/{year}/answers/{question_id}",
    response={200: AnswerOut, **errors(403, 404, 409, 413)},
)
def put_answer(request: Any, slug: str, year: int, question_id: str, body: AnswerIn) -> Any:
    """Set one answer. `version` must be the answer's current version, or the edit is a 409
    whose body carries the stored value and version, so that the client can choose."""
    return workflow.edit_answer(
        visible_round(request, slug, year),
        question_id,
        user=request.user,
        value=body.value,
        expected_version=body.version,
        comment=body.comment,
        evidence=body.evidence,
    )


@router.get(
    "/cities/{slug}/rounds/{year}/answers/{question_id}/history",
    response={200: list[ChangeOut], **errors(404)},
)
def answer_history(request: Any, slug: str, year: int, question_id: str) -> Any:
    return [
        {
            "version": c.version,
            "old_value": c.old_value,
            "new_value": c.new_value,
            "old_comment": c.old_comment,
            "new_comment": c.new_comment,
            "user": c.changed_by.get_username() if c.changed_by else None,
            "at": c.changed_at,
        }
        for c in selectors.answer_history(visible_round(request, slug, year), question_id)
    ]


@router.get("/cities/{slug}/rounds/{year}/results", response={200: dict[str, Any], **errors(404)})
def round_results(request: Any, slug: str, year: int) -> Any:
    """Rates, the lens and both indices, with the comparison sample, its bands and the ranks."""
    round_ = visible_round(request, slug, year)
    return {
        "year": round_.year,
        "status": round_.status,
        "score": selectors.round_score(round_).as_dict(),
        "benchmark": selectors.benchmark_round(round_).as_dict(),
    }


@router.post("/cities/{slug}/rounds/{year}/submit", response={200: RoundOut, **errors(403, 404, 409)})
def submit(request: Any, slug: str, year: int) -> Any:
    round_ = visible_round(request, slug, year)
    workflow.submit_round(round_, request.user)
    return _round_out(request, round_)


@router.post(
    "/cities/{slug}/rounds/{year}/request-changes", response={200: RoundOut, **errors(403, 404, 409, 413)}
)
def request_changes(request: Any, slug: str, year: int, body: ReviewIn) -> Any:
    round_ = visible_round(request, slug, year)
    workflow.request_changes(round_, request.user, comments=body.comments, note=body.note)
    return _round_out(request, round_)


@router.post("/cities/{slug}/rounds/{year}/validate", response={200: RoundOut, **errors(403, 404, 409, 413)})
def validate(request: Any, slug: str, year: int, body: NoteIn) -> Any:
    round_ = visible_round(request, slug, year)
    workflow.validate_round(round_, request.user, note=body.note)
    return _round_out(request, round_)


@router.post("/cities/{slug}/rounds/{year}/publish", response={200: RoundOut, **errors(403, 404, 409, 413)})
def publish(request: Any, slug: str, year: int, body: NoteIn) -> Any:
    round_ = visible_round(request, slug, year)
    workflow.publish_round(round_, request.user, note=body.note)
    return _round_out(request, round_)
