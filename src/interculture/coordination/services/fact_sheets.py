"""A survey item's fact sheet, proposed to the practice base."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.accounts.types import Visitor
from interculture.coordination.models import (
    SurveyItem,
    SurveyResponse,
)
from interculture.coordination.services.survey import SurveyError, survey_questionnaire
from interculture.engine.scoring import is_blank
from interculture.errors import Forbidden
from interculture.practices.models import Practice
from interculture.practices.schema import SUBCATEGORIES, Dimension

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


def _said(q: Any, answers: dict[str, Any], qid: str) -> str:
    """One answer as a fact sheet's text: a free text as written, else "question: choice(s)"."""
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


def _contact(response: Any, header: dict[str, Any]) -> dict[str, str] | None:
    contact = {
        "name": str(header.get("header.contact_person") or ""),
        "organisation": response.authority,
        "email": str(header.get("header.email") or ""),
        "phone": str(header.get("header.telephone") or ""),
    }
    return contact if any(contact.values()) else None


def fact_sheet_of(item: SurveyItem) -> dict[str, Any]:
    """A practice fact sheet (practices.schema) drafted from one Part 2 item and the header."""
    response = item.response
    q = survey_questionnaire(response.questionnaire)
    answers = dict(item.answers.values_list("question_id", "value"))
    header = dict(response.answers.filter(item=None).values_list("question_id", "value"))
    sheet: dict[str, Any] = {
        name: "\n".join(filter(None, (_said(q, answers, x) for x in qids)))
        for name, qids in FACT_SHEET_FROM_PART2.items()
    }
    title = str(answers.get("part2.q2_1") or "").strip()
    dimension = str(answers.get("part2.q2_3b") or "")
    year, duration = answers.get("part2.q2_2a"), answers.get("part2.q2_2b")
    level = {"regional": "regional", "national": "national"}.get(
        str(header.get("header.authority_type")), "municipal"
    )
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
        "contact": _contact(response, header),
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
    from interculture.practices import services as practices

    response = item.response
    if not permissions.can_read_response(user, response) or response.synthetic:
        raise Forbidden(_("This response belongs to another authority."))
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
