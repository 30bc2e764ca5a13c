"""Reading coordination data: peers of a city for an area, with their practices; networks."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.engine.peers import peers
from interculture.practices.models import Practice


def city_peers(round_: AssessmentRound, area: str, n: int = 5) -> list[dict[str, Any]]:
    """Cities strong in `area` and like the round's city, each with its practices in the base."""
    sample = selectors.sample_results(round_.questionnaire, include=round_)
    me = next(r for r in sample if r.city == round_.city.slug)
    cities = City.objects.in_bulk([r.city for r in sample], field_name="slug")
    countries = {slug: c.country for slug, c in cities.items()}
    out = []
    for p in peers(me, sample, area, countries, n=n):
        city = cities[p.city]
        practices = Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).filter(
            home_city=city
        ) | Practice.objects.filter(
            state=Practice.State.PUBLISHED, synthetic=False, city__iexact=city.name, country=city.country
        )
        out.append(
            {
                "city": city.slug,
                "name": city.name,
                "country": city.country,
                "rate": round(p.rate, 1),
                "gap": round(p.gap, 1),
                "shared": list(p.shared),
                "synthetic": p.synthetic,
                "practices": [
                    {"slug": x.slug, "title": x.data.get("title", {}).get("en", x.slug)}
                    for x in practices.distinct()
                ],
            }
        )
    return out


@cache
def networks() -> list[dict[str, Any]]:
    text = (
        resources.files("interculture.data")
        .joinpath("coordination", "networks.yaml")
        .read_text(encoding="utf-8")
    )
    return list(yaml.safe_load(text)["networks"])
