"""The authorities' answers to a survey: a response per authority, saved section by section
(stale fields refused), with repeated items, submitted and reopened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interculture import versioning
from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.forms import explain_refusal
from interculture.assessments.models import City, QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.coordination.models import (
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from interculture.countries import country_name
from interculture.engine.schema import Questionnaire, QuestionnaireKind
from interculture.engine.scoring import InvalidAnswer, is_blank, question_points
from interculture.errors import Conflict, Forbidden, Invalid


class SurveyError(Invalid):
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
def start_response(version: QuestionnaireVersion, user: User, *, city: City | None = None) -> SurveyResponse:
    """Open a response, for one of the person's cities or for their own authority. A city answers
    once per survey: starting again returns its response. Its header is filled from the city."""
    q = survey_questionnaire(version)
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_("Sign in to answer the survey."))
    if city is not None:
        if not (permissions.can_answer_for(user, city) or permissions.is_secretariat(user)):
            raise Forbidden(_("Only the city's coordinators and contributors answer for it."))
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
        raise Forbidden(_("This response belongs to another authority."))
    if not permissions.can_edit_response(user, response):
        raise SurveyError(_("The response is submitted; reopen it to change it."))


@transaction.atomic
def save_section(
    response: SurveyResponse,
    user: User,
    *,
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
            versioning.update_versioned(
                stored, expected_version=expected, changes={"value": value}, user=user
            )
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
def add_item(response: SurveyResponse, user: Visitor, *, section: str) -> SurveyItem:
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
        raise Forbidden(_("This response belongs to another authority."))
    response.status, response.submitted_at = SurveyResponse.Status.DRAFT, None
    response.save(update_fields=["status", "submitted_at"])
    return response
