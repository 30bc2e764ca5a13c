"""REST endpoints for cities, rounds, scores and benchmarks (public, published data)."""

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City

router = Router(tags=["assessments"])


class CityOut(Schema):
    slug: str
    name: str
    country: str
    population: int
    foreign_born_share: float
    latitude: float | None
    longitude: float | None
    synthetic: bool


@router.get("/cities", response=list[CityOut])
def list_cities(request: Any, synthetic: bool = False) -> Any:
    return City.objects.filter(synthetic=synthetic)


@router.get("/cities/{slug}/score", response=dict[str, Any])
def city_score(request: Any, slug: str, year: int | None = None) -> Any:
    round_ = _published_round(slug, year)
    return {"year": round_.year, **selectors.round_score(round_).as_dict()}


@router.get("/cities/{slug}/benchmark", response=dict[str, Any])
def city_benchmark(request: Any, slug: str, year: int | None = None) -> Any:
    round_ = _published_round(slug, year)
    return {"year": round_.year, **selectors.benchmark_round(round_).as_dict()}


def _published_round(slug: str, year: int | None) -> AssessmentRound:
    rounds = AssessmentRound.objects.filter(city__slug=slug, status=AssessmentRound.Status.PUBLISHED)
    if year is not None:
        return get_object_or_404(rounds, year=year)
    latest = rounds.order_by("-year").first()
    if latest is None:
        from django.http import Http404

        raise Http404("no published round")
    return latest
