"""Answers: validate and save them (a whole set, or one edit with its version and evidence)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from interculture import versioning
from interculture.accounts.types import Visitor
from interculture.assessments.models import (
    Answer,
    AssessmentRound,
)
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine.loader import answer_values
from interculture.engine.scoring import AnswerValue, InvalidAnswer, validate_answers
from interculture.errors import Conflict, Invalid


class AnswersRejected(Invalid):
    """Some answers are invalid; nothing was saved. `errors` keeps each answer's reason."""

    def __init__(self, errors: list[InvalidAnswer]) -> None:
        self.errors = errors
        field_errors: dict[str, list[str]] = {}
        for e in errors:
            field_errors.setdefault(e.question_id, []).append(e.message)
        super().__init__("; ".join(str(e) for e in errors), field_errors)


@transaction.atomic
def save_answers(round_: AssessmentRound, answers: Mapping[str, Any]) -> int:
    """Store answers (question id -> value or {value, comment, evidence, source, inferred}).

    Every answer is validated first; if any is invalid, nothing is saved.
    """
    q = engine_questionnaire(round_.questionnaire)
    errors = validate_answers(q, answer_values(dict(answers)))
    if errors:
        raise AnswersRejected(errors)
    for qid, entry in answers.items():
        detail = entry if isinstance(entry, dict) else {"value": entry}
        Answer.objects.update_or_create(
            round=round_,
            question_id=qid,
            defaults={
                "value": _normalise(detail.get("value")),
                "comment": detail.get("comment") or "",
                "evidence": list(detail.get("evidence") or []),
                "source": detail.get("source") or "",
                "inferred": bool(detail.get("inferred", False)),
            },
        )
    return len(answers)


def _normalise(value: AnswerValue | bool) -> AnswerValue:
    """YAML reads yes/no as booleans; the questionnaire's option ids are strings."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class AnswerConflict(Conflict):
    """The answer changed since the version an edit was based on; nothing was overwritten."""

    def __init__(self, answer: Answer, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        super().__init__(
            answer,
            expected_version=expected_version,
            yours=yours,
            message=_("The answer changed since the version your edit is based on; nothing was overwritten."),
        )

    @property
    def current_value(self) -> Any:
        return self.current.get("value")

    @property
    def your_value(self) -> Any:
        return self.yours.get("value")

    @property
    def expected(self) -> int | None:
        return self.expected_version


@transaction.atomic
def record_answer(
    round_: AssessmentRound,
    question_id: str,
    *,
    value: Any,
    user: Visitor = None,
    expected_version: int | None = None,
    comment: str | None = None,
    evidence: list[str] | None = None,
) -> Answer:
    """Set one answer, keeping its history, with optimistic concurrency.

    `expected_version` is the version the editor saw (0 for "no answer yet"). If the stored
    answer has moved on, AnswerConflict carries both sides and nothing is written, so the
    person can choose (see interculture.versioning).
    """
    q = engine_questionnaire(round_.questionnaire)
    value = _normalise(value)
    errors = validate_answers(q, {question_id: value})
    if evidence is not None:
        evidence = clean_evidence(question_id, evidence, errors)
    if comment is not None and len(comment) > MAX_COMMENT_LENGTH:
        errors.append(
            InvalidAnswer(
                question_id, f"the comment is longer than {MAX_COMMENT_LENGTH:,} characters", "comment"
            )
        )
    if errors:
        raise AnswersRejected(errors)
    changes: dict[str, Any] = {"value": value}
    if comment is not None:
        changes["comment"] = comment
    if evidence is not None:
        changes["evidence"] = evidence
    answer = Answer.objects.filter(round=round_, question_id=question_id).first()
    if answer is None and expected_version in (None, 0):
        try:
            with transaction.atomic():  # someone else may create the same answer just now
                return versioning.create_versioned(
                    Answer,
                    {"value": value, "comment": comment or "", "evidence": evidence or []},
                    user=user,
                    context={"round": round_, "question_id": question_id},
                )
        except IntegrityError:
            answer = Answer.objects.get(round=round_, question_id=question_id)
    if answer is None:  # the edit was based on an answer that is gone
        answer = Answer(round=round_, question_id=question_id, value=None, version=0)
        raise AnswerConflict(answer, expected_version=expected_version, yours=changes)
    return versioning.update_versioned(
        answer, expected_version=expected_version, changes=changes, user=user, conflict=AnswerConflict
    )


_url = URLValidator(schemes=["http", "https"])
# Limits of what one answer carries besides its value (the engine limits free-text values).
MAX_COMMENT_LENGTH = 10_000
MAX_EVIDENCE_LINKS = 50
MAX_LINK_LENGTH = 2_000


# Evidence is an address or the name of a document ("Kumppanuustalo Centre", "Council decision
# 12/2023"); something written as an address must be an http(s) one (no javascript: or file:).
_LOOKS_LIKE_ADDRESS = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^www\.")


def clean_evidence(question_id: str, links: list[str], errors: list[InvalidAnswer]) -> list[str]:
    """Evidence (addresses or documents' names), stripped and de-duplicated; an address that is not
    http(s) adds an error."""
    cleaned: list[str] = []
    for link in (str(x).strip() for x in links):
        if not link or link in cleaned:
            continue
        if len(link) > MAX_LINK_LENGTH:
            errors.append(
                InvalidAnswer(
                    question_id, f"an evidence link is longer than {MAX_LINK_LENGTH:,} characters", "evidence"
                )
            )
            continue
        if _LOOKS_LIKE_ADDRESS.match(link) or any(ch in link for ch in "\n\r\t"):
            try:
                _url(link)
            except ValidationError:
                errors.append(
                    InvalidAnswer(question_id, f"evidence {link!r} is not an http(s) link", "evidence")
                )
                continue
        cleaned.append(link)
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        errors.append(
            InvalidAnswer(
                question_id, f"more than {MAX_EVIDENCE_LINKS} evidence links ({len(cleaned)})", "evidence"
            )
        )
    return cleaned
