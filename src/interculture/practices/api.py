"""REST endpoints of the practice base: search with facets, fact sheets, suggestions."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from interculture.accounts.permissions import is_secretariat
from interculture.api_errors import errors
from interculture.assessments.models import AssessmentRound
from interculture.assessments.selectors import get_round
from interculture.practices import search as practice_search
from interculture.practices.selectors import UnknownArea, suggest, visible

router = Router(tags=["practices"])


class SearchParams(Schema):
    q: str = ""
    country: list[str] = []
    level: list[str] = []
    dimension: list[str] = []
    subcategory: list[str] = []
    icc_area: list[str] = []
    target_group: list[str] = []
    funding: list[str] = []
    status: list[str] = []
    evaluated: list[str] = []
    size_band: list[str] = []
    sort: Literal[practice_search.SORTS] = "relevance"  # type: ignore[valid-type]
    page: int = Field(1, ge=1, le=practice_search.MAX_PAGE)
    per_page: int = Field(20, ge=1, le=100)


class Hit(Schema):
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    city: str
    country: str
    start: int | None
    score: float | None


class SearchOut(Schema):
    total: int
    page: int
    per_page: int
    mode: str
    notice: str | None
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]


@router.get("/search", response={200: SearchOut, **errors()})
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    filters = {k: getattr(params, k) for k in practice_search.FACET_KEYS}
    return practice_search.search(
        params.q, filters, sort=params.sort, page=params.page, per_page=params.per_page
    )


@router.get("/{slug}", response={200: dict[str, Any], **errors(404)})
def fact_sheet(request: HttpRequest, slug: str) -> Any:
    practice = get_object_or_404(visible(request.user), slug=slug)
    data = dict(practice.data)
    if not is_secretariat(request.user):
        data.pop("contact", None)  # personal data
    return {"state": practice.state, "version": practice.version, **data}


@router.get("/suggest/{city}/{area}", response={200: list[dict[str, Any]], **errors(404)})
def suggestions(request: HttpRequest, city: str, area: str, n: int = 3) -> Any:
    """Practices for the questions the city has not met in `area`, from its latest round that
    this person may see (for the public: its latest published round). A city without such a
    round, or an area its questionnaire does not have, is a 404."""
    try:
        round_ = get_round(request.user, city)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("No round of this city that you may see") from exc
    try:
        return [s.as_dict() for s in suggest(round_, area, n)]
    except UnknownArea as exc:
        raise Http404(exc.args[0]) from exc
