"""Peer matching: for a city and one of its weak areas, the cities strong in that area that
resemble it (same size band, diversity band or country). Pure Python over engine results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interculture.engine.benchmarking import CityResult


@dataclass(frozen=True)
class Peer:
    city: str
    rate: float
    gap: float  # how far above the city, in rate points
    shared: tuple[str, ...]  # what makes it comparable: "size", "diversity", "country"
    synthetic: bool


def peers(
    me: CityResult,
    sample: Sequence[CityResult],
    area: str,
    countries: dict[str, str],
    n: int = 5,
    min_gap: float = 10.0,
) -> list[Peer]:
    """Cities at least `min_gap` points stronger than `me` in `area` that share its size band,
    diversity band or country; the most alike first (more shared traits), then the strongest."""
    mine = me.rates.get(area)
    if mine is None:
        return []
    found = []
    for other in sample:
        rate = other.rates.get(area)
        if other.city == me.city or rate is None or rate - mine < min_gap:
            continue
        shared = tuple(
            trait
            for trait, alike in (
                ("size", other.size_band == me.size_band),
                ("diversity", other.diversity_band == me.diversity_band and me.diversity_band != "unknown"),
                ("country", countries.get(other.city) == countries.get(me.city)),
            )
            if alike
        )
        if shared:
            found.append(Peer(other.city, rate, rate - mine, shared, other.synthetic))
    found.sort(key=lambda p: (-len(p.shared), -p.rate, p.city))
    return found[:n]
