"""Reading assessments: scores, the comparison sample and benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import yaml
from django.db import connection
from django.utils.translation import gettext

from interculture.assessments.models import Answer, AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.engine.benchmarking import AGGREGATES, Benchmark, CityResult, benchmark
from interculture.engine.scoring import BatchScorer, Score, score

# Rounds that count in the comparison sample.
SAMPLE_STATUSES = (AssessmentRound.Status.VALIDATED, AssessmentRound.Status.PUBLISHED)


def get_round(city_slug: str, year: int | None = None) -> AssessmentRound:
    """A city's round for `year`, or its latest round."""
    rounds = AssessmentRound.objects.select_related("city", "questionnaire").filter(city__slug=city_slug)
    if year is not None:
        return rounds.get(year=year)
    latest = rounds.order_by("-year").first()
    if latest is None:
        raise AssessmentRound.DoesNotExist(f"{city_slug} has no assessment round")
    return latest


def round_answers(round_: AssessmentRound) -> dict[str, object]:
    return dict(round_.answers.values_list("question_id", "value"))


def round_score(round_: AssessmentRound) -> Score:
    return score(engine_questionnaire(round_.questionnaire), round_answers(round_))  # type: ignore[arg-type]


def _raw_answer_rows(version: QuestionnaireVersion) -> Iterator[tuple[int, str, str | None]]:
    """(round id, question id, value as JSON text) of every sample round: one query, no ORM objects.

    The sample can hold thousands of rounds; building model instances for each answer would
    cost more than scoring them.
    """
    answer = Answer._meta.db_table
    round_table = AssessmentRound._meta.db_table
    as_text = "CAST(a.value AS TEXT)"
    placeholders = ", ".join(["%s"] * len(SAMPLE_STATUSES))
    sql = (
        f"SELECT a.round_id, a.question_id, {as_text} FROM {answer} a "
        f"JOIN {round_table} r ON r.id = a.round_id "
        f"WHERE r.questionnaire_id = %s AND r.status IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, *SAMPLE_STATUSES])
        while batch := cursor.fetchmany(10_000):
            yield from batch


def sample_scores(version: QuestionnaireVersion) -> dict[int, Score]:
    """Scores of every validated or published round on this questionnaire, by round id."""
    scorer = BatchScorer(engine_questionnaire(version))
    return scorer.score_rows(_raw_answer_rows(version))  # type: ignore[return-value]


def sample_results(version: QuestionnaireVersion, include: AssessmentRound | None = None) -> list[CityResult]:
    """The comparison sample: each city's latest sample round, as engine CityResults.

    `include` adds a round that is not (yet) validated, so a city can see where its draft stands.
    """
    scores = sample_scores(version)
    if include is not None and include.pk not in scores:
        scores[include.pk] = round_score(include)
    latest: dict[int, tuple[int, int]] = {}  # city id -> (year, round id)
    rounds = AssessmentRound.objects.filter(pk__in=scores.keys()).values_list("pk", "city_id", "year")
    for pk, city_id, year in rounds:
        if city_id not in latest or year > latest[city_id][0]:
            latest[city_id] = (year, pk)
    cities = City.objects.in_bulk(latest.keys())
    return [
        CityResult(
            city=cities[city_id].slug,
            population=cities[city_id].population,
            foreign_born_share=cities[city_id].foreign_born_share,
            rates=_measures(scores[round_id]),
            synthetic=cities[city_id].synthetic,
        )
        for city_id, (_, round_id) in latest.items()
    ]


def _measures(s: Score) -> dict[str, float | None]:
    rates = {k: s.rate(k) for k in s.indicators}
    rates.update({"lens": s.lens, "core_index": s.core_index, "extended_index": s.extended_index})
    return rates


def measures_of(version: QuestionnaireVersion) -> list[str]:
    return [i.id for i in engine_questionnaire(version).indicators] + list(AGGREGATES)


def benchmark_round(round_: AssessmentRound) -> Benchmark:
    sample = sample_results(round_.questionnaire, include=round_)
    return benchmark(round_.city.slug, sample, measures_of(round_.questionnaire))


def results_page(round_: AssessmentRound, language: str) -> dict[str, object]:
    """Everything the results page shows: rates, published figures, sample and band statistics."""
    q = engine_questionnaire(round_.questionnaire)
    s = round_score(round_)
    bench = benchmark_round(round_)
    published = {p.measure: p for p in round_.published_rates.all()}
    size_group = f"size:{bench.size_band}"
    diversity_group = f"diversity:{bench.diversity_band}"

    def row(measure: str, label: str, lens: bool = False, new: bool = False) -> dict[str, object]:
        groups = bench.measures[measure]
        return {
            "measure": measure,
            "label": label,
            "lens": lens,
            "new": new,
            "rate": bench.rates.get(measure),
            "published": published.get(measure),
            "sample": groups["sample"],
            "size": groups[size_group],
            "diversity": groups[diversity_group],
        }

    rows = [row(i.id, i.name.get(language), lens=i.group is not None, new=not i.core) for i in q.indicators]
    aggregates = [
        row("lens", gettext("Intercultural lens")),
        row("core_index", gettext("Core index")),
        row("extended_index", gettext("Extended index")),
    ]
    return {
        "score": s,
        "benchmark": bench,
        "rows": rows,
        "aggregates": aggregates,
        "size_band": bench.size_band,
        "diversity_band": bench.diversity_band,
    }


def city_cards() -> list[dict[str, object]]:
    """Real cities with the headline figures of their latest round, for the home page."""
    cards = []
    for city in City.objects.filter(synthetic=False):
        latest = city.rounds.select_related("questionnaire").order_by("-year").first()
        s = round_score(latest) if latest else None
        cards.append({"city": city, "round": latest, "score": s})
    return cards


def index_facts() -> dict[str, object]:
    """Published facts about the Index (sample growth, versions), with their sources."""
    text = (
        resources.files("interculture.data")
        .joinpath("reference", "icc-index.yaml")
        .read_text(encoding="utf-8")
    )
    return dict(yaml.safe_load(text))
