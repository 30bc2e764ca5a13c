"""Coordination: seeding stakeholders, the competence matrix and where coordination is needed,
decisions followed up, positions co-signed and answered, peer-learning activities, and the
authorities' answers to a survey (with its fact sheets proposed to the practice base)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pydantic import BaseModel

from interculture import versioning
from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments import selectors
from interculture.assessments.forms import explain_refusal
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.coordination.models import (
    Body,
    Decision,
    Level,
    Meeting,
    PeerActivity,
    Position,
    Signature,
    Stakeholder,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from interculture.countries import country_name
from interculture.engine import content
from interculture.engine.schema import Questionnaire, QuestionnaireKind
from interculture.engine.scoring import InvalidAnswer, is_blank, question_points
from interculture.engine.synthetic import survey_responses, survey_spec
from interculture.errors import Conflict
from interculture.practices import services as practices
from interculture.practices.models import Practice
from interculture.practices.schema import SUBCATEGORIES, Dimension

DATA = resources.files("interculture.data")


def _data(name: str, model: type[BaseModel]) -> dict[str, Any]:
    return dict(content.read_content_data(f"coordination/{name}", model))


def load_stakeholders(filename: str = "stakeholders-fi.yaml") -> int:
    """The seed list of stakeholder types (seed 000's target groups). Idempotent."""
    data = _data(filename, content.Stakeholders)
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
    mechanism = data.get("mechanism")
    if mechanism:  # seed 000's coordination mechanism, with every stakeholder of the list as member
        body, _created = Body.objects.update_or_create(
            slug=f"{data['country'].lower()}-coordination-mechanism",
            defaults={"name": mechanism["name"]["en"], "level": Level.NATIONAL, "country": data["country"]},
        )
        body.members.set(Stakeholder.objects.filter(slug__in=[s["slug"] for s in data["stakeholders"]]))
    return len(data["stakeholders"])


@cache
def competences(country: str) -> dict[str, dict[str, Any]]:
    """Policy field -> {levels: {national, regional, local}, note, source, reconstructed}."""
    try:
        data = _data(f"competences-{country.lower()}.yaml", content.Competences)
    except FileNotFoundError:
        return {}
    return {row["field"]: row for row in data["competences"]}


def coordination_needed(round_: AssessmentRound) -> list[dict[str, Any]]:
    """The city's weak areas (below the sample mean) whose competence another level holds or
    shares: where the city cannot close the gap alone (seed 004)."""
    matrix = competences(round_.city.country)
    if not matrix:
        return []
    bench = selectors.benchmark_round(round_)
    q = engine_questionnaire(round_.questionnaire)
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


def can_record(user: Visitor, body: Any) -> bool:
    return permissions.is_secretariat(user) or body.secretaries.filter(pk=getattr(user, "pk", None)).exists()


class DecisionConflict(Conflict):
    def __init__(self, decision: Decision, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        self.decision = decision
        super().__init__(
            decision,
            expected_version=expected_version,
            yours=yours,
            message=_("The decision changed since you opened it (now version %(v)d).") % {"v": decision.version},
        )


@transaction.atomic
def record_meeting(
    body: Body, user: Visitor, when: date, agenda: str, minutes: str, decisions: list[dict[str, Any]]
) -> Meeting:
    """A meeting with its agenda, minutes and decisions (text, owner level, owner, deadline)."""
    if not can_record(user, body):
        raise PermissionDenied(_("Only the body's secretaries and the secretariat record its meetings."))
    errors = []
    for n, d in enumerate(decisions, start=1):
        if not str(d.get("text") or "").strip():
            errors.append(_("decision %(n)d: the text is missing") % {"n": n})
        if d.get("owner_level") not in Level.values:
            errors.append(_("decision %(n)d: the owner's level is missing") % {"n": n})
        if not isinstance(d.get("deadline"), date):
            errors.append(_("decision %(n)d: the deadline is a date (YYYY-MM-DD)") % {"n": n})
    if errors:
        raise ValueError("; ".join(errors))
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
    expected_version: int,
    *,
    status: str,
    progress: int | None = None,
    note: str = "",
) -> Decision:
    """Follow a decision up like a pathway action: status, progress and what was done, every
    change kept, a stale edit refused (optimistic locking)."""
    if not can_record(user, decision.meeting.body):
        raise PermissionDenied(_("Only the body's secretaries and the secretariat record follow-up."))
    if status not in Decision.Status.values:
        raise ValueError(_("Unknown status %(s)s.") % {"s": status})
    current = Decision.objects.get(pk=decision.pk)
    progress = 100 if status == Decision.Status.DONE else current.progress if progress is None else progress
    if not 0 <= progress <= 100:
        raise ValueError(_("progress is a whole number from 0 to 100"))
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


def co_sign(position: Position, city: City, user: User) -> Signature:
    """A city's coordinator signs a shared position on its behalf."""
    if not permissions.can_coordinate(user, city):
        raise PermissionDenied(_("Only the city's coordinator signs on its behalf."))
    if position.answered_on is not None:
        raise ValueError(_("The position has been answered; it can no longer be signed."))
    signature, _created = Signature.objects.get_or_create(
        position=position, city=city, defaults={"signed_by": user}
    )
    return signature


def draft_position(
    city: City, user: User, title: str, text: str, addressee: str, addressee_level: str
) -> Position:
    """A city drafts a shared position; its coordinator signs it first."""
    if not permissions.can_coordinate(user, city):
        raise PermissionDenied(_("Only the city's coordinator drafts a position on its behalf."))
    if not (title.strip() and text.strip() and addressee.strip()) or addressee_level not in Level.values:
        raise ValueError(_("A position needs a title, a text, an addressee and its level."))
    position = Position.objects.create(
        title=title.strip(),
        text=text.strip(),
        addressee=addressee.strip(),
        addressee_level=addressee_level,
        drafted_by=city,
    )
    Signature.objects.create(position=position, city=city, signed_by=user)
    return position


def mark_position_sent(position: Position, user: Visitor, sent_on: date) -> Position:
    if not (permissions.is_secretariat(user) or permissions.can_coordinate(user, position.drafted_by)):
        raise PermissionDenied(_("The drafting city's coordinator or the secretariat sends the position."))
    position.sent_on = sent_on
    position.save(update_fields=["sent_on"])
    return position


def record_position_answer(position: Position, user: Visitor, answer: str, answered_on: date) -> Position:
    if not (permissions.is_secretariat(user) or permissions.can_coordinate(user, position.drafted_by)):
        raise PermissionDenied(_("The drafting city's coordinator or the secretariat records the answer."))
    position.answer, position.answered_on = answer.strip(), answered_on
    position.save(update_fields=["answer", "answered_on"])
    return position


def record_peer_activity(
    user: Visitor, kind: str, host: City, guest: City, area: str, when: date, outcomes: str
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


# --- survey responses -------------------------------------------------------------------------


class SurveyError(ValueError):
    """A step the response's state or content does not allow; the message says why."""


@dataclass
class SavedSection:
    saved: int = 0
    conflicts: dict[str, Any] = field(default_factory=dict)  # field key -> the stored value
    errors: dict[str, str] = field(default_factory=dict)  # field key -> why the value was refused


def survey_questionnaire(version: QuestionnaireVersion) -> Questionnaire:
    q = engine_questionnaire(version)
    if q.kind != QuestionnaireKind.SURVEY:
        raise SurveyError(_("%(v)s is not a survey.") % {"v": version.version})
    return q


def country_code(text: str) -> str:
    """An ISO code from what a respondent typed ("Finland", "FI", "Czech Rep."), or ""."""
    text = text.strip().replace("Rep.", "Republic")
    if not text:
        return ""
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        try:
            return str(pycountry.countries.search_fuzzy(text)[0].alpha_2)
        except LookupError:
            return ""


@transaction.atomic
def start_response(version: QuestionnaireVersion, user: User, city: City | None = None) -> SurveyResponse:
    """Open a response, for one of the person's cities or for their own authority. A city answers
    once per survey: starting again returns its response. Its header is filled from the city."""
    q = survey_questionnaire(version)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to answer the survey."))
    if city is not None:
        if not (permissions.can_answer_for(user, city) or permissions.is_secretariat(user)):
            raise PermissionDenied(_("Only the city's coordinators and contributors answer for it."))
        found = SurveyResponse.objects.filter(questionnaire=version, city=city).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():  # two people starting the city's response at once: one response
            response = SurveyResponse.objects.create(
                questionnaire=version,
                city=city,
                created_by=user,
                authority=city.name if city else "",
                country=city.country if city else "",
            )
    except IntegrityError:
        return SurveyResponse.objects.get(questionnaire=version, city=city)
    if city is not None:
        known = {x.id for x in q.questions}
        header = {
            "header.country": country_name(city.country, "en"),  # read back by country_code()
            "header.authority_name": city.name,
            "header.authority_type": "local",
        }
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, question_id=k, value=v, updated_by=user)
            for k, v in header.items()
            if k in known
        )
    return response


def _check_edit(response: SurveyResponse, user: Visitor) -> None:
    if not permissions.can_read_response(user, response):
        raise PermissionDenied(_("This response belongs to another authority."))
    if not permissions.can_edit_response(user, response):
        raise SurveyError(_("The response is submitted; reopen it to change it."))


@transaction.atomic
def save_section(
    response: SurveyResponse,
    user: User,
    posted: list[tuple[str, SurveyItem | None, Any, int]],
) -> SavedSection:
    """Save the answers of one page: (question id, item, value, the version the person saw).

    Each answer is checked by the engine; a refused value or a stale version leaves that answer
    as it is and is reported (the page shows the person's value again), the others are saved.
    """
    _check_edit(response, user)
    q = survey_questionnaire(response.questionnaire)
    out = SavedSection()
    answers = {(a.item_id, a.question_id): a for a in response.answers.all()}
    for qid, item, value, expected in posted:
        key = field_key(qid, item)
        question = q.question(qid)
        if isinstance(value, str):
            value = value.strip() or None
        if not is_blank(value):
            try:
                question_points(question, value)
            except InvalidAnswer as exc:
                out.errors[key] = explain_refusal(question, exc)
                continue
        stored = answers.get((item.pk if item else None, qid))
        if stored is None:
            if expected != 0:  # it was there when the page was drawn, and has been removed since
                out.conflicts[key] = None
            elif not is_blank(value):
                try:
                    with transaction.atomic():  # someone else may create the same answer just now
                        SurveyAnswer.objects.create(
                            response=response, item=item, question_id=qid, value=value, updated_by=user
                        )
                    out.saved += 1
                except IntegrityError:
                    out.conflicts[key] = SurveyAnswer.objects.get(
                        response=response, item=item, question_id=qid
                    ).value
            continue
        if stored.value == value:
            continue
        try:
            versioning.update_versioned(stored, expected_version=expected, changes={"value": value}, user=user)
        except Conflict as exc:
            out.conflicts[key] = exc.current["value"]
        else:
            out.saved += 1
    _refresh_authority(response)
    return out


def field_key(question_id: str, item: SurveyItem | None) -> str:
    """The name that carries one answer in a page's form: the question id, and the item's number."""
    return question_id if item is None else f"{question_id}@{item.number}"


def _refresh_authority(response: SurveyResponse) -> None:
    """Keep the authority's name and country (Table 3.1) in step with the header's answers."""
    header = dict(
        response.answers.filter(
            item=None, question_id__in=["header.authority_name", "header.country"]
        ).values_list("question_id", "value")
    )
    name = str(header.get("header.authority_name") or (response.city.name if response.city else ""))
    country = country_code(str(header.get("header.country") or "")) or (
        response.city.country if response.city else ""
    )
    if (name, country) != (response.authority, response.country):
        response.authority, response.country = name[:200], country
        response.save(update_fields=["authority", "country"])


@transaction.atomic
def add_item(response: SurveyResponse, user: Visitor, section: str) -> SurveyItem:
    """A new fact sheet (an item of a repeatable section)."""
    _check_edit(response, user)
    q = survey_questionnaire(response.questionnaire)
    if section not in {i.id for i in q.indicators if i.repeatable}:
        raise SurveyError(_("%(s)s is not a section answered once per project.") % {"s": section})
    last = response.items.filter(section=section).order_by("-number").first()
    return SurveyItem.objects.create(
        response=response, section=section, number=(last.number + 1) if last else 1
    )


def remove_item(item: SurveyItem, user: Visitor) -> None:
    _check_edit(item.response, user)
    if item.practice_id is not None:
        raise SurveyError(_("This fact sheet has become a practice; it stays."))
    item.delete()


def submit_response(response: SurveyResponse, user: Visitor) -> SurveyResponse:
    """Count the response in the tables. It needs to say which authority and country it is."""
    _check_edit(response, user)
    _refresh_authority(response)
    missing = []
    if not response.authority:
        missing.append(_("Before submitting, give the name of the authority (contact details)."))
    if not response.country:
        missing.append(
            _("Before submitting, give a country we recognise, e.g. Finland or FI (contact details).")
        )
    if missing:
        raise SurveyError(" ".join(missing))
    response.status, response.submitted_at = SurveyResponse.Status.SUBMITTED, timezone.now()
    response.save(update_fields=["status", "submitted_at"])
    return response


def reopen_response(response: SurveyResponse, user: Visitor) -> SurveyResponse:
    if response.synthetic or not permissions.can_read_response(user, response):
        raise PermissionDenied(_("This response belongs to another authority."))
    response.status, response.submitted_at = SurveyResponse.Status.DRAFT, None
    response.save(update_fields=["status", "submitted_at"])
    return response


def load_synthetic_survey(filename: str = "survey-2012-published.yaml") -> int:
    """Synthetic responses standing in for the raw answers a source does not publish, drawn so
    that its published tables come out as published. Labelled synthetic. Idempotent."""
    text = DATA.joinpath("coordination", filename).read_text(encoding="utf-8")
    data = _data(filename, content.PublishedSurvey)
    version = QuestionnaireVersion.objects.get(version=data["questionnaire"])
    q = survey_questionnaire(version)
    generated = survey_responses(q, survey_spec(data))
    # Drawn again when the published figures or the questionnaire change (e.g. the grids that
    # became ratings): the source names what they were drawn from.
    drawn_from = hashlib.sha256((text + version.source_yaml).encode()).hexdigest()[:12]
    source = f"SYNTHETIC, interculture.engine.synthetic.survey_responses from data/coordination/{filename} ({drawn_from})"
    existing = SurveyResponse.objects.filter(questionnaire=version, synthetic=True)
    if existing.count() == len(generated) and not existing.exclude(source=source).exists():
        return 0
    existing.delete()
    section = next(i.id for i in q.indicators if i.repeatable)
    for g in generated:
        response = SurveyResponse.objects.create(
            questionnaire=version,
            authority=g.name,
            country=g.country,
            status=SurveyResponse.Status.SUBMITTED,
            submitted_at=timezone.now(),
            synthetic=True,
            source=source,
        )
        answers = [SurveyAnswer(response=response, question_id=k, value=v) for k, v in g.answers.items()]
        for n, item_answers in enumerate(g.items, start=1):
            item = SurveyItem.objects.create(response=response, section=section, number=n)
            answers += [
                SurveyAnswer(response=response, item=item, question_id=k, value=v)
                for k, v in item_answers.items()
            ]
        SurveyAnswer.objects.bulk_create(answers)
    return len(generated)


# The free-text fact-sheet fields (seed 001, Appendix A) that Part 2's answers fill, as the
# questionnaire's provenance notes name them; several answers to one field are joined. Title,
# start and finish, funding and budget are set as structured values in fact_sheet_of().
FACT_SHEET_FROM_PART2 = {
    "objectives": ["part2.q2_3a", "part2.q2_4b"],
    "type": ["part2.q2_3b"],
    "policy_challenges": ["part2.q2_4a"],
    "activities": ["part2.q2_5", "part2.q2_8"],
    "budget_text": ["part2.q2_6a", "part2.q2_6b", "part2.q2_6c"],
    "relations": ["part2.q2_7", "part2.q2_7_other", "part2.q2_9", "part2.q2_13"],
    "outcomes": ["part2.q2_10", "part2.q2_12"],
    "evaluation_text": ["part2.q2_11"],
    "replication": ["part2.q2_14", "part2.q2_14a"],
    "introduction": ["part2.q2_15"],
}


def fact_sheet_of(item: SurveyItem) -> dict[str, Any]:
    """A practice fact sheet (practices.schema) drafted from one Part 2 item and the header."""
    response = item.response
    q = survey_questionnaire(response.questionnaire)
    answers = dict(item.answers.values_list("question_id", "value"))
    header = dict(response.answers.filter(item=None).values_list("question_id", "value"))

    def said(qid: str) -> str:
        value: Any = answers.get(qid)
        if is_blank(value):
            return ""
        question = q.question(qid)
        labels = {o.id: o.label.en for o in question.options}
        shown = (
            "; ".join(str(labels.get(v, v)) for v in value)
            if isinstance(value, list)
            else labels.get(value, value)
        )
        return str(shown) if question.type == "free_text" else f"{question.text.en}: {shown}"

    sheet: dict[str, Any] = {
        name: "\n".join(filter(None, (said(x) for x in qids))) for name, qids in FACT_SHEET_FROM_PART2.items()
    }
    title = str(answers.get("part2.q2_1") or "").strip()
    dimension = str(answers.get("part2.q2_3b") or "")
    year, duration = answers.get("part2.q2_2a"), answers.get("part2.q2_2b")
    level = {"regional": "regional", "national": "national"}.get(
        str(header.get("header.authority_type")), "municipal"
    )
    contact = {
        "name": str(header.get("header.contact_person") or ""),
        "organisation": response.authority,
        "email": str(header.get("header.email") or ""),
        "phone": str(header.get("header.telephone") or ""),
    }
    summary = (str(answers.get("part2.q2_3a") or "") or title).strip()
    funding = [f for f in answers.get("part2.q2_6c") or [] if f in {"local", "regional", "national", "eu"}]
    millions = answers.get("part2.q2_6a")
    return {
        **sheet,
        "slug": slugify(f"{response.authority}-{title}")[:70].strip("-")
        or f"survey-{response.pk}-{item.number}",
        "title": {"en": title},
        "summary": {"en": summary[:600]},
        "start": str(year) if isinstance(year, int | float) else "",
        "finish": str(int(year + duration))
        if isinstance(year, int | float) and isinstance(duration, int | float)
        else "",
        "organiser": response.authority,
        "contact": contact if any(contact.values()) else None,
        "place": {
            "city": response.city.name if response.city else response.authority,
            "country": response.country,
        },
        "level": level,
        "dimension": dimension or "socio_economic",
        "subcategory": SUBCATEGORIES[Dimension(dimension or "socio_economic")][0],
        "funding": funding,
        "budget": {"amount_eur": float(millions) * 1_000_000} if isinstance(millions, int | float) else {},
        "provenance": {
            "source": f"Survey response {response.pk} ({response.questionnaire.version}), Part 2 fact sheet {item.number}",
            "reconstructed": False,
            "note": "Drafted from the authority's answers; the sub-category is a default for the moderator to check.",
        },
        "doubts": [] if dimension else ["The fact sheet does not give the main objective's dimension (2.3)."],
    }


@transaction.atomic
def propose_practice(item: SurveyItem, user: Visitor) -> Practice:
    """Send a submitted response's fact sheet to the practice base, in review: the secretariat
    then publishes it or returns it, as any fact sheet (practices.services.transition)."""
    response = item.response
    if not permissions.can_read_response(user, response) or response.synthetic:
        raise PermissionDenied(_("This response belongs to another authority."))
    if response.status != SurveyResponse.Status.SUBMITTED:
        raise SurveyError(_("Submit the response first; then its fact sheets can become practices."))
    if item.practice_id is not None:
        raise SurveyError(_("This fact sheet is already in the practice base."))
    sheet = fact_sheet_of(item)
    if not sheet["title"]["en"]:
        raise SurveyError(_("The fact sheet needs the programme's or project's name (2.1)."))
    base, n = sheet["slug"], 1
    while Practice.objects.filter(slug=sheet["slug"]).exists():
        n += 1
        sheet["slug"] = f"{base[:66]}-{n}"
    practice = practices.save(sheet, user=user, state=Practice.State.IN_REVIEW, comment=_("From the survey"))
    item.practice = practice
    item.save(update_fields=["practice"])
    return practice
