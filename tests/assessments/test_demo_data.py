"""The demo data in the database: Hämeenlinna (real) and the synthetic sample."""

import os

import pytest
from django.db import connection

from interculture.assessments import selectors
from interculture.assessments.models import Answer, AssessmentRound, City, PublishedRate
from interculture.assessments.services.answers import AnswersRejected, save_answers
from interculture.site.demo import load_demo

pytestmark = pytest.mark.django_db


def test_runs_on_the_configured_database() -> None:
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_hameenlinna_is_loaded_with_provenance() -> None:
    city = City.objects.get(slug="hameenlinna")
    assert (city.country, city.synthetic) == ("FI", False)
    assert city.latitude == pytest.approx(60.996, abs=0.01)
    assert "002" in city.population_source
    round_ = city.rounds.get(year=2023)
    assert round_.answers.count() == 84  # two optional questions 002 gives no answer to
    assert not round_.answers.filter(source="").exists()  # every answer names its source
    assert PublishedRate.objects.filter(round=round_).count() == 19


def test_synthetic_sample_is_labelled() -> None:
    synthetic = City.objects.filter(synthetic=True)
    assert synthetic.count() == 129
    assert all("Synthetic" in c.name and "Synthetic" in c.population_source for c in synthetic)


def test_load_demo_is_idempotent() -> None:
    before = selectors.round_score(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023))
    counts = (City.objects.count(), AssessmentRound.objects.count(), Answer.objects.count())
    load_demo()
    assert (City.objects.count(), AssessmentRound.objects.count(), Answer.objects.count()) == counts
    assert selectors.round_score(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)) == before


def test_hameenlinna_scores_match_the_published_report() -> None:
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    s = selectors.round_score(round_)
    assert s.complete
    for p in round_.published_rates.all():
        computed = {"lens": s.lens, "core_index": s.core_index}.get(p.measure, s.rate(p.measure))
        assert computed == pytest.approx(p.city_rate, abs=2), p.measure


def test_sample_means_are_calibrated_to_the_published_sample_rates() -> None:
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    bench = selectors.benchmark_round(round_)
    assert bench.sample_size == 130 and bench.synthetic_in_sample == 129
    for p in round_.published_rates.exclude(sample_rate=None).exclude(measure="lens"):
        assert bench.measures[p.measure]["sample"].stats.mean == pytest.approx(p.sample_rate, abs=1.5), (
            p.measure
        )


def test_band_samples_have_the_sizes_002_gives() -> None:
    bench = selectors.benchmark_round(selectors.get_round(selectors.OPERATOR, "hameenlinna"))
    assert (bench.size_band, bench.diversity_band) == ("<100k", "<10%")
    commitment = bench.measures["commitment"]
    assert commitment["size:<100k"].stats.n == 32
    assert commitment["diversity:<10%"].stats.n == 40
    assert bench.measures["interaction"]["sample"].stats.n == 46  # only cities that answered 2019 areas
    assert bench.measures["interaction"]["sample"].rank == 1  # 100 %: ties share the first rank


def test_batch_scores_equal_single_scores() -> None:
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    scores = selectors.sample_scores(round_.questionnaire)
    assert len(scores) == 130
    # Every tenth round by id (the same rounds on every run) and the real city's.
    rounds = list(AssessmentRound.objects.filter(pk__in=scores).order_by("pk"))
    checked = {r.pk: r for r in rounds[::10]} | {r.pk: r for r in rounds if not r.city.synthetic}
    assert len(checked) >= 13
    for r in checked.values():
        assert scores[r.pk] == selectors.round_score(r), r


def test_invalid_answers_save_nothing() -> None:
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    before = list(round_.answers.values_list("question_id", "value", "version"))
    first = before[0][0]
    with pytest.raises(AnswersRejected) as exc:
        save_answers(round_, {first: "not-an-option", "commitment.nonexistent": "yes"})
    assert len(exc.value.errors) == 2
    assert list(round_.answers.values_list("question_id", "value", "version")) == before
