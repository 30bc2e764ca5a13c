import pytest

from interculture.engine.benchmarking import (
    CityResult,
    benchmark,
    describe,
    diversity_band,
    rank,
    size_band,
)


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (68_000, "<100k"),
        (99_999, "<100k"),
        (100_000, "100k-200k"),
        (200_000, "200k-500k"),
        (500_000, ">500k"),
    ],
)
def test_size_bands_as_in_002(population: int, band: str) -> None:
    assert size_band(population) == band


@pytest.mark.parametrize(
    ("share", "band"), [(6.0, "<10%"), (10, "10-15%"), (14.9, "10-15%"), (15, "15-20%"), (20, ">20%")]
)
def test_diversity_bands_as_in_002(share: float, band: str) -> None:
    assert diversity_band(share) == band


def test_impossible_shares_are_errors() -> None:
    with pytest.raises(ValueError):
        diversity_band(101)
    with pytest.raises(ValueError):
        size_band(-1)


def test_describe() -> None:
    s = describe([10, 20, 30, 40, 50])
    assert (s.n, s.mean, s.median, s.q1, s.q3, s.minimum, s.maximum) == (5, 30, 30, 20, 40, 10, 50)
    assert describe([]).mean is None
    assert describe([7]).q1 == 7


def test_rank_is_competition_rank() -> None:
    values = [90, 80, 80, 70]
    assert [rank(v, values) for v in values] == [1, 2, 2, 4]


def sample() -> list[CityResult]:
    return [
        CityResult("a", 68_000, 6, {"x": 50, "new": None}),
        CityResult("b", 90_000, 12, {"x": 70, "new": 40}),
        CityResult("c", 300_000, 8, {"x": 30, "new": 60}, synthetic=True),
        CityResult("d", 50_000, 25, {"x": 90, "new": None}, synthetic=True),
    ]


def test_benchmark_against_sample_and_bands() -> None:
    b = benchmark("a", sample(), ["x", "new"])
    assert (b.size_band, b.diversity_band, b.sample_size, b.synthetic_in_sample) == ("<100k", "<10%", 4, 2)
    x = b.measures["x"]
    assert x["sample"].stats.mean == 60 and x["sample"].rank == 3
    assert x["size:<100k"].stats.n == 3 and x["size:<100k"].rank == 3  # a, b, d
    assert x["diversity:<10%"].stats.n == 2 and x["diversity:<10%"].rank == 1  # a, c


def test_new_areas_compare_only_cities_that_answered() -> None:
    new = benchmark("b", sample(), ["new"]).measures["new"]["sample"]
    assert new.stats.n == 2 and new.stats.mean == 50 and new.rank == 2
    assert benchmark("a", sample(), ["new"]).measures["new"]["sample"].rank is None


def test_unknown_city() -> None:
    with pytest.raises(KeyError):
        benchmark("zz", sample(), ["x"])
