"""Peer matching: stronger cities that share the size band, diversity band or country."""

from interculture.engine.benchmarking import CityResult
from interculture.engine.peers import peers


def _city(
    slug: str, population: int, share: float | None, rate: float | None, synthetic: bool = False
) -> CityResult:
    return CityResult(slug, population, share, {"media": rate}, synthetic)


def test_peers_are_stronger_and_alike_most_alike_first() -> None:
    me = _city("me", 60_000, 5.0, 20.0)
    sample = [
        me,
        _city("big-same-country", 900_000, 30.0, 90.0),  # alike only by country
        _city("twin", 70_000, 6.0, 60.0),  # same size and diversity band
        _city("close", 65_000, 40.0, 25.0),  # not 10 points stronger
        _city("stranger", 900_000, 40.0, 95.0),  # nothing in common
        _city("no-answer", 50_000, 5.0, None),
    ]
    countries = {
        "me": "FI",
        "big-same-country": "FI",
        "twin": "SE",
        "close": "FI",
        "stranger": "DE",
        "no-answer": "FI",
    }
    found = peers(me, sample, "media", countries)
    assert [p.city for p in found] == ["twin", "big-same-country"]
    assert found[0].shared == ("size", "diversity") and found[0].gap == 40.0
    assert found[1].shared == ("country",)


def test_no_peers_without_a_rate_or_with_an_unknown_share() -> None:
    me = _city("me", 60_000, None, 20.0)
    other = _city("other", 900_000, None, 90.0)
    assert peers(me, [me, other], "media", {"me": "FI", "other": "SE"}) == []  # "unknown" is no band
    assert peers(_city("x", 1, 1.0, None), [other], "media", {}) == []
