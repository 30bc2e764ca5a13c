"""Possible duplicates of a fact sheet: the same place and a similar title."""

from __future__ import annotations

import difflib
import re

from interculture.practices import schema
from interculture.practices.models import Practice


# --- duplicates --------------------------------------------------------------------------------
def _normal(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def possible_duplicates(p: schema.Practice, threshold: float = 0.6) -> list[Practice]:
    """Practices at the same place with a similar title (ignoring the practice itself)."""
    same_place = Practice.objects.filter(country=p.place.country).exclude(slug=p.slug)
    if p.place.city:
        same_place = same_place.filter(city__iexact=p.place.city)
    elif p.place.region:
        same_place = same_place.filter(region__iexact=p.place.region)
    titles = [_normal(t) for t in (p.title.en, p.original_title or "") if t]
    found = []
    for other in same_place:
        theirs = [_normal(other.data["title"]["en"]), _normal(other.data.get("original_title") or "")]
        best = max(difflib.SequenceMatcher(None, a, b).ratio() for a in titles for b in theirs if a and b)
        if best >= threshold:
            found.append(other)
    return found
