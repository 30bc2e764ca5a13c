"""The practice examples of an area: the reference report's first, then the platform's own."""

from __future__ import annotations

from typing import Any

from interculture.countries import country_name
from interculture.engine.schema import Indicator
from interculture.practices.models import Practice
from interculture.practices.selectors import suggest
from interculture.reports.sections.common import (
    Line,
    ReportContext,
    format_line,
    localized_line,
)
from interculture.sources import cite


def _section_of(source: str) -> tuple[str, str]:
    """("002", "COMMITMENT") from a provenance such as "002, COMMITMENT (opening paragraph)"."""
    parts = [p.strip() for p in source.split(",")]
    section = parts[1].split("(")[0].strip() if len(parts) > 1 else ""
    return parts[0], section


def area_practices(ctx: ReportContext, ind: Indicator) -> list[dict[str, Any]]:
    """The reference report's examples for this area first, in its order, then up to two of the
    platform's own suggestions, each labelled; an area the city fully meets gets them too."""
    round_, language, base_url = ctx.round, ctx.language, ctx.base_url
    A = ctx.wording.sections.area
    document, section = _section_of(ind.provenance.source)
    wanted = f"{document}, {section}, Suggestions"
    examples = [
        p
        for p in Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).order_by("pk")
        if (p.data.get("provenance") or {}).get("source") == wanted and p.home_city_id != round_.city_id
    ]

    def entry(p: Practice, label: Line) -> dict[str, Any]:
        return {
            "id": p.slug,
            "title": p.data["title"].get(language) or p.data["title"]["en"],
            "summary": (p.data.get("summary") or {}).get(language)
            or (p.data.get("summary") or {}).get("en", ""),
            "city": p.city or p.region,
            "country": country_name(p.country, language) if p.country else "",
            "url": f"{base_url}/practices/{p.slug}/",
            "label": label,
            "reference": label.question == "reference",
        }

    out = []
    for p in examples:
        label = format_line(A.example_reference, language, source=f"{cite(document)}, {section.capitalize()}")
        label.question = "reference"
        out.append(entry(p, label))
    seen = {p.pk for p in examples}
    extra = 0
    for s in suggest(round_, ind.id, 2 + len(examples)):
        if s.practice.pk in seen or extra >= 2:
            continue
        seen.add(s.practice.pk)
        extra += 1
        out.append(entry(s.practice, localized_line(A.example_platform, language) or Line("")))
    return out
