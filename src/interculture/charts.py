"""Charts rendered to SVG on the server (Vega-Altair + vl-convert): no browser, no tile server.

Every chart is shown with a text alternative and its data as a table by the templates.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from functools import cache as memoise
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert
from django.core.cache import cache
from django.utils.translation import gettext

from interculture.engine import content

# A chart is a pure function of its arguments and of this module's code: both name its SVG in the
# cache, so a change to the code draws every chart anew.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
CHART_CACHE_SECONDS = 30 * 24 * 3600
_drawn_here: dict[str, str] = {}


@memoise
def _countries_topojson() -> dict[str, Any]:
    return dict(content.read_content_data("geo/countries-110m.json", content.Topology))


def kept(draw: Callable[..., str]) -> Callable[..., str]:
    """Keep a chart's SVG in the process and in the shared cache (the database by default), by
    its arguments: pages and reports redraw the same charts, and building and drawing one costs
    ~0.2 s, so even the first report in a new process draws only the charts whose data changed."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        named = json.dumps([draw.__name__, _CODE, args, kwargs], sort_keys=True, default=str)
        key = "chart-svg:" + hashlib.sha256(named.encode()).hexdigest()
        svg = _drawn_here.get(key) or cache.get(key)
        if svg is None:
            svg = draw(*args, **kwargs)
            cache.set(key, svg, timeout=CHART_CACHE_SECONDS)
        if len(_drawn_here) > 2048:
            _drawn_here.clear()
        _drawn_here[key] = svg
        return svg

    return wrapper


def render_svg(chart: alt.TopLevelMixin) -> str:
    # Our own specifications, fixed in code and tested: skip the JSON-schema validation (~10 ms each).
    drawn: str = vl_convert.vegalite_to_svg(chart.to_dict(validate=False))
    # The page gives the chart its accessible name and text alternative; the SVG is decorative.
    return drawn.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


@kept
def points_map(points: list[dict[str, Any]], width: int = 720, height: int = 560) -> str:
    """Places on a bundled Natural Earth basemap, sized by how many practices each holds.

    Points with `in_europe` false are left off the map (the page lists them).
    """
    countries = alt.Data(
        values=_countries_topojson(), format=alt.TopoDataFormat(feature="countries", type="topojson")
    )
    framed = [p for p in points if p.get("in_europe", True)] or points
    lats = [p["latitude"] for p in framed] or [50.0]
    lons = [p["longitude"] for p in framed] or [10.0]
    pad = 3
    corners = [[min(lons) - pad, min(lats) - pad], [max(lons) + pad, max(lats) + pad]]
    extent = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": c}}
            for c in corners
        ],
    }
    base = alt.Chart(countries).mark_geoshape(fill="#e8edf3", stroke="#8a96a8", strokeWidth=0.5, clip=True)
    data = alt.Data(values=[{k: v for k, v in p.items() if k != "practices"} for p in framed])
    most = max([p["count"] for p in framed] or [1])
    dots = (
        alt.Chart(data)
        .mark_circle(color="#0b5394", opacity=0.8, stroke="white", strokeWidth=1)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size(
                "count:Q",
                scale=alt.Scale(domain=[1, most], range=[80, 600]),
                legend=alt.Legend(title="Practices", format="d", values=sorted({1, (most + 1) // 2, most})),
            ),
            tooltip=["place:N", "country:N", "count:Q"],
        )
    )
    chart = alt.layer(base, dots).project(type="mercator", fit=extent).properties(width=width, height=height)
    return render_svg(chart.configure_view(stroke=None))


# Okabe–Ito colours: told apart with the common colour-vision deficiencies.
SERIES_COLOURS = ["#0b5394", "#8a96a8", "#e69f00", "#009e73", "#cc79a7"]


@kept
def rates_chart(
    rows: list[dict[str, Any]],
    series: list[str],
    axis_title: str = "Achievement rate (%)",
    width: int = 640,
) -> str:
    """Per-area achievement rates of several series (the city, the sample, its bands) as bars.

    `rows`: [{"label": area name, "values": {series name: rate or None}}].
    """
    values = [
        {"area": r["label"], "series": name, "rate": round(rate, 1)}
        for r in rows
        for name, rate in r["values"].items()
        if rate is not None
    ]
    order = [r["label"] for r in rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("area:N", sort=order, title=None),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("rate:Q", scale=alt.Scale(domain=[0, 100]), title=axis_title),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(domain=series, range=SERIES_COLOURS[: len(series)]),
                legend=alt.Legend(title=None, orient="top", columns=2),
            ),
        )
        .properties(width=width, height=alt.Step(7 if len(series) > 2 else 9))
    )
    return render_svg(chart)


@kept
def trend_chart(
    points: list[dict[str, Any]], axis_title: str = "Achievement rate (%)", width: int = 480
) -> str:
    """Measures across rounds: [{"year": 2023, "series": "Core index", "rate": 51.1}, ...]."""
    series = list(dict.fromkeys(p["series"] for p in points))
    chart = (
        alt.Chart(
            alt.Data(values=[{**p, "rate": round(p["rate"], 1)} for p in points if p["rate"] is not None])
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None),
            y=alt.Y("rate:Q", scale=alt.Scale(domain=[0, 100]), title=axis_title),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(domain=series, range=SERIES_COLOURS[: len(series)]),
                legend=alt.Legend(title=None, orient="top"),
            ),
        )
        .properties(width=width, height=220)
    )
    return render_svg(chart)


def index_trend_chart(trend: list[dict[str, Any]]) -> str | None:
    """The lens and both indices across rounds (`assessments.selectors.round_trend` rows); None
    below two rounds, where there is no trend to draw."""
    if len(trend) < 2:
        return None
    measures = [
        ("lens", gettext("Intercultural lens")),
        ("core_index", gettext("Core index")),
        ("extended_index", gettext("Extended index")),
    ]
    points = [{"year": t["year"], "series": label, "rate": t[m]} for t in trend for m, label in measures]
    return trend_chart(points, axis_title=gettext("Achievement rate (%)"))


@kept
def band_chart(
    city: str, rate: float | None, bands: tuple[tuple[str, float | None], ...], width: int = 440
) -> str:
    """The city against each band's mean (its size band, its diversity band), one bar each, in
    one panel as wide as the text, so that its labels read at the size of the text.

    Reports draw 17 of these: kept by their figures, so a regenerated report redraws none.
    """
    values = [{"who": city, "kind": "city", "rate": round(rate or 0, 1)}]
    values += [
        {"who": label, "kind": "band", "rate": round(mean, 1)} for label, mean in bands if mean is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("who:N", title=None, sort=[str(v["who"]) for v in values], axis=alt.Axis(labelLimit=260)),
            x=alt.X("rate:Q", scale=alt.Scale(domain=[0, 100]), title="%"),
            color=alt.Color(
                "kind:N",
                legend=None,
                scale=alt.Scale(domain=["city", "band"], range=[SERIES_COLOURS[0], SERIES_COLOURS[2]]),
            ),
        )
        .properties(width=width, height=alt.Step(24))
        .configure_axis(labelFontSize=12, titleFontSize=12)
    )
    # Room on the left: the PDF sets the labels in a wider font than the one they were measured in.
    return render_svg(chart.properties(padding={"left": 24, "top": 5, "right": 10, "bottom": 5}))
