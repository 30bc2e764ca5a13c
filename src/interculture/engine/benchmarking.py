"""Benchmarking: a city's results against the whole sample and against its size and diversity bands.

Bands are those of seed 002 (Methodology): population below 100 000, 100–200 000, 200–500 000,
above 500 000; foreign-born share below 10 %, 10–15 %, 15–20 %, above 20 %. The areas added in
2019 are compared only with the cities that answered them (002, Methodology), which here means
the cities whose rate for that area is not None.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SIZE_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("<100k", 0, 100_000),
    ("100k-200k", 100_000, 200_000),
    ("200k-500k", 200_000, 500_000),
    (">500k", 500_000, None),
)
DIVERSITY_BANDS: tuple[tuple[str, float, float | None], ...] = (
    ("<10%", 0, 10),
    ("10-15%", 10, 15),
    ("15-20%", 15, 20),
    (">20%", 20, None),
)
# Aggregates benchmarked beside the indicators.
AGGREGATES = ("lens", "core_index", "extended_index")


def _band(value: float, bands: Sequence[tuple[str, float, float | None]]) -> str:
    if value < 0:
        raise ValueError(f"{value} cannot be negative")
    for name, low, high in bands:
        if value >= low and (high is None or value < high):
            return name
    raise ValueError(f"{value} is in no band")  # unreachable: the last band is open


def size_band(population: float) -> str:
    return _band(population, SIZE_BANDS)


def diversity_band(foreign_born_share: float | None) -> str:
    if foreign_born_share is None:
        return "unknown"  # the share is not known; such a city is compared in no diversity band
    if foreign_born_share > 100:
        raise ValueError(f"a share of {foreign_born_share} % is impossible")
    return _band(foreign_born_share, DIVERSITY_BANDS)


@dataclass(frozen=True)
class CityResult:
    """One city's scored round, with what places it in the bands."""

    city: str
    population: float
    foreign_born_share: float | None
    rates: Mapping[str, float | None]  # indicator id or aggregate name -> rate
    synthetic: bool = False

    @property
    def size_band(self) -> str:
        return size_band(self.population)

    @property
    def diversity_band(self) -> str:
        return diversity_band(self.foreign_born_share)


@dataclass(frozen=True)
class Stats:
    n: int
    mean: float | None
    median: float | None
    q1: float | None
    q3: float | None
    minimum: float | None
    maximum: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def describe(values: Iterable[float]) -> Stats:
    """Mean, median and quartiles (inclusive method, as a spreadsheet's QUARTILE computes)."""
    data = sorted(values)
    if not data:
        return Stats(0, None, None, None, None, None, None)
    if len(data) == 1:
        v = data[0]
        return Stats(1, v, v, v, v, v, v)
    q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Stats(len(data), statistics.fmean(data), median, q1, q3, data[0], data[-1])


def rank(value: float, values: Iterable[float]) -> int:
    """Competition rank, 1 = highest; ties share the better rank."""
    return 1 + sum(1 for v in values if v > value)


@dataclass(frozen=True)
class Comparison:
    """A city's rate for one measure against one group of cities."""

    group: str  # "sample", "size:<100k", "diversity:<10%"
    stats: Stats
    rank: int | None  # None when the city has no rate for this measure

    def as_dict(self) -> dict[str, object]:
        return {"group": self.group, **self.stats.as_dict(), "rank": self.rank}


@dataclass(frozen=True)
class Benchmark:
    city: str
    size_band: str
    diversity_band: str
    sample_size: int
    synthetic_in_sample: int
    measures: dict[str, dict[str, Comparison]] = field(default_factory=dict)  # measure -> group -> cmp
    rates: dict[str, float | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "city": self.city,
            "size_band": self.size_band,
            "diversity_band": self.diversity_band,
            "sample_size": self.sample_size,
            "synthetic_in_sample": self.synthetic_in_sample,
            "measures": {
                m: {
                    "rate": None if self.rates.get(m) is None else round(self.rates[m] or 0, 2),
                    **{g: c.as_dict() for g, c in groups.items()},
                }
                for m, groups in self.measures.items()
            },
        }


def benchmark(city: str, sample: Sequence[CityResult], measures: Sequence[str]) -> Benchmark:
    """Compare `city` (which must be in `sample`) with the sample and with its bands."""
    me = next((r for r in sample if r.city == city), None)
    if me is None:
        raise KeyError(f"{city!r} is not in the sample")
    groups = {
        "sample": list(sample),
        f"size:{me.size_band}": [r for r in sample if r.size_band == me.size_band],
        f"diversity:{me.diversity_band}": [r for r in sample if r.diversity_band == me.diversity_band],
    }
    out: dict[str, dict[str, Comparison]] = {}
    for measure in measures:
        mine = me.rates.get(measure)
        out[measure] = {}
        for name, members in groups.items():
            values = [v for v in (r.rates.get(measure) for r in members) if v is not None]
            place = None if mine is None else rank(mine, values)
            out[measure][name] = Comparison(name, describe(values), place)
    return Benchmark(
        city=city,
        size_band=me.size_band,
        diversity_band=me.diversity_band,
        sample_size=len(sample),
        synthetic_in_sample=sum(1 for r in sample if r.synthetic),
        measures=out,
        rates={m: me.rates.get(m) for m in measures},
    )
