import pytest

from interculture.engine.benchmarking import diversity_band, size_band
from interculture.engine.schema import Questionnaire
from interculture.engine.scoring import score
from interculture.engine.synthetic import SampleSpec, generate

SPEC = SampleSpec(
    size=40,
    targets={"alpha": 55, "beta": 40, "gamma": 62.5},  # gamma: 0 or 100 per city, so a multiple of 100/16,
    per_size_band={"<100k": 10, "100k-200k": 10, "200k-500k": 10, ">500k": 10},
    per_diversity_band={"<10%": 25, "10-15%": 5, "15-20%": 5, ">20%": 5},
    extended_answered=15,
    seed=7,
)


def test_generated_sample_is_calibrated_and_banded(mini: Questionnaire) -> None:
    real = {"alpha.statement": "no", "alpha.budget": "none", "beta.groups": ["none"], "gamma.count": 5}
    cities = generate(mini, SPEC, fixed=[real])
    assert len(cities) == 40
    assert sum(size_band(c.population) == "<100k" for c in cities) == 10
    assert sum(diversity_band(c.foreign_born_share) == "<10%" for c in cities) == 25
    scores = [score(mini, c.answers) for c in cities] + [score(mini, real)]
    for area, target in SPEC.targets.items():
        rates = [r for r in (s.rate(area) for s in scores) if r is not None]
        assert sum(rates) / len(rates) == pytest.approx(target, abs=1.5), area
    assert sum(s.rate("gamma") is not None for s in scores) == 15 + 1


def test_same_seed_same_cities(mini: Questionnaire) -> None:
    assert generate(mini, SPEC) == generate(mini, SPEC)
    other = generate(mini, SampleSpec(**{**SPEC.__dict__, "seed": 8}))
    assert other != generate(mini, SPEC)


def test_band_counts_must_add_up(mini: Questionnaire) -> None:
    with pytest.raises(ValueError):
        generate(mini, SampleSpec(**{**SPEC.__dict__, "size": 41}))
