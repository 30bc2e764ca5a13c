"""The bundled basemap (data/geo, Natural Earth via world-atlas) as GeoJSON, and where to put a
practice that names only its region or country.

The server-rendered map draws the TopoJSON itself (charts.points_map); the interactive map
(Leaflet) reads the same countries as GeoJSON, so neither needs a tile server.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any, cast

import pycountry

from interculture.engine import content
from interculture.practices.services.places import geonames_city  # the one GeoNames lookup

Ring = list[list[float]]
ANTARCTICA = "010"  # its outline runs along the edge of the projection; no practice is there


@cache
def _topology() -> dict[str, Any]:
    return dict(content.read_content_data("geo/countries-110m.json", content.Topology))


@cache
def _arcs() -> list[Ring]:
    """The topology's arcs in longitude/latitude (they are stored quantised and delta-encoded)."""
    topology = _topology()
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, 4), round(y * sy + ty, 4)])
        decoded.append(points)
    return decoded


def _ring(indexes: list[int]) -> Ring:
    arcs, ring = _arcs(), cast(Ring, [])
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc reversed
        ring.extend(points if not ring else points[1:])
    # A ring that crosses the antimeridian (Russia, Fiji) jumps from 180 to -180: keep it
    # continuous, past 180, or a flat map draws a band across the whole world.
    shift = 0.0
    unwrapped = ring[:1]
    for (x0, _), (x1, y1) in pairwise(ring):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        unwrapped.append([round(x1 + shift, 4), y1])
    return unwrapped


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[_ring(r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[_ring(r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def _alpha_2(numeric: str | None) -> str | None:
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_2 if country else None


@cache
def countries_geojson() -> dict[str, Any]:
    """The bundled country outlines as a GeoJSON FeatureCollection (properties: ISO alpha-2)."""
    features = []
    for geometry in _topology()["objects"]["countries"]["geometries"]:
        polygons = _polygons(geometry)
        if not polygons or geometry.get("id") == ANTARCTICA:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"country": _alpha_2(geometry.get("id")) or ""},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


@cache
def country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> (latitude, longitude) of the centre of the country's largest landmass."""
    centres = {}
    for feature in countries_geojson()["features"]:
        code = feature["properties"]["country"]
        rings = [polygon[0] for polygon in feature["geometry"]["coordinates"]]
        if code and rings:
            _, lon, lat = max((_area_and_centroid(r) for r in rings), key=lambda a: a[0])
            centres[code] = (round(lat, 4), round(lon, 4))
    return centres


# Words of a region's name that are not a place ("Stockholm County" is placed at Stockholm).
_NOT_A_PLACE = re.compile(
    r"\b(county|region|community|metropolitan|area|nationwide|online|organised|from|and|of|the|"
    r"voivodeship|province)\b",
    re.IGNORECASE,
)


def region_place(region: str, country: str) -> tuple[float, float, str] | None:
    """(latitude, longitude, city) of the first GeoNames city of `country` that the region's
    name mentions ("Suceava County" -> Suceava; "Nationwide (Bucharest, …)" -> Bucharest)."""
    for name in re.split(r"[(),;]", _NOT_A_PLACE.sub(" ", region)):
        name = " ".join(name.split())
        if len(name) < 3:
            continue
        city = geonames_city(name, country)
        if city is not None and city["name"].casefold() == name.casefold():
            return float(city["latitude"]), float(city["longitude"]), str(city["name"])
    return None
