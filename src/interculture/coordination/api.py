"""REST endpoints of coordination: peers of a city for an area, and a survey's aggregate tables.

Same rules as the pages: a round a person may not see is a 404; the tables are for signed-in
people, and carry no answer of any single authority.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from interculture.api_errors import errors
from interculture.assessments.api import visible_round
from interculture.assessments.models import QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.coordination import selectors, services

router = Router(tags=["coordination"])


@router.get("/cities/{slug}/rounds/{year}/peers/{area}", response={200: list[dict[str, Any]], **errors(404)})
def peers(request: Any, slug: str, year: int, area: str, n: int = 5) -> Any:
    """Cities strong in `area` that share the city's size band, diversity band or country, with
    their practices in the practice base (synthetic cities say so)."""
    round_ = visible_round(request, slug, year)
    if area not in {i.id for i in engine_questionnaire(round_.questionnaire).indicators}:
        raise Http404("No such area")
    return selectors.city_peers(round_, area, n)


@router.get("/surveys/{version}/tables", response={200: dict[str, Any], **errors(403, 404)})
def survey_tables(request: Any, version: str, synthetic: bool = True) -> Any:
    """The survey's tables from its submitted responses: per question the count and share of each
    option (of all respondents, fact sheets for Part 2), per rated option its ratings and its
    "higher priority" share (the top rating, of all respondents, as 001's figures), and per country
    the responses and fact sheets; `synthetic=false` leaves the generated demo responses out."""
    if not request.user.is_authenticated:
        raise PermissionDenied("Sign in (or send a token) to read the survey's tables.")
    found = get_object_or_404(QuestionnaireVersion, version=version)
    try:
        results = selectors.survey_results(found, include_synthetic=synthetic)
    except services.SurveyError as exc:
        raise Http404(str(exc)) from exc
    return {
        "questionnaire": version,
        "responses": results["n"],
        "fact_sheets": results["items"],
        "synthetic_responses": results["synthetic"],
        "per_country": [
            {"country": c.country, "responses": c.responses, "share": c.share, "fact_sheets": c.items}
            for c in results["countries"]
        ],
        "tables": [
            {
                "question": t.question.id,
                "respondents": t.respondents,
                "answered": t.answered,
                "no_answer": t.no_answer,
                "per_fact_sheet": t.per_item,
                "options": [
                    {"option": o.option, "count": o.count, "share": o.share_of_all} for o in t.options
                ],
                "ratings": [
                    {
                        "option": r.option,
                        "rated": r.rated,
                        "per_rating": list(r.counts),
                        "higher_priority": r.top,
                        "higher_priority_share": r.top_share,
                        "mean_rating": r.mean,
                    }
                    for r in t.ratings
                ],
            }
            for t in results["tables"]
        ],
    }
