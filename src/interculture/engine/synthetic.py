"""A seeded generator of synthetic comparison cities, labelled synthetic wherever they appear.

The real ICC sample (130 cities in 002) is not public answer by answer. To benchmark a city
anyway, we generate cities whose answers are drawn so that the sample's mean rate per area
matches the sample means that 002 publishes. Same seed, same cities: results are repeatable.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from interculture.engine.benchmarking import DIVERSITY_BANDS, SIZE_BANDS
from interculture.engine.schema import Question, Questionnaire, QuestionType
from interculture.engine.scoring import AnswerValue, question_points, score

# Countries of ICC member cities, used only to give synthetic cities a plausible spread.
COUNTRIES = ("ES", "IT", "PT", "NO", "SE", "FI", "DE", "FR", "GB", "IE", "PL", "UA", "GR", "CY", "CH", "NL")


@dataclass(frozen=True)
class SyntheticCity:
    slug: str
    name: str
    country: str
    population: int
    foreign_born_share: float
    year: int
    answers: dict[str, AnswerValue]


@dataclass(frozen=True)
class SampleSpec:
    """What the generated sample must look like."""

    size: int  # number of synthetic cities
    targets: Mapping[str, float]  # indicator id -> mean rate the whole sample should have
    per_size_band: Mapping[str, int]  # band name -> synthetic cities in it (sums to size)
    per_diversity_band: Mapping[str, int]
    extended_answered: int  # synthetic cities that answered the areas added in 2019
    seed: int = 2024


def generate(
    questionnaire: Questionnaire,
    spec: SampleSpec,
    fixed: Sequence[Mapping[str, AnswerValue]] = (),
) -> list[SyntheticCity]:
    """Generate `spec.size` cities. `fixed` are real members' answers, counted in the calibrated means."""
    if sum(spec.per_size_band.values()) != spec.size or sum(spec.per_diversity_band.values()) != spec.size:
        raise ValueError("band counts must add up to the sample size")
    rng = random.Random(spec.seed)
    new_areas = {i.id for i in questionnaire.indicators if not i.core}
    sizes = _shuffled([b for b, n in spec.per_size_band.items() for _ in range(n)], rng)
    diversities = _shuffled([b for b, n in spec.per_diversity_band.items() for _ in range(n)], rng)
    extended = set(rng.sample(range(spec.size), spec.extended_answered))
    # Common random numbers: each city draws a level per area and a noise per question once;
    # calibration then only shifts the levels, so the mean rate moves monotonically.
    levels = [{i.id: rng.gauss(0, 0.18) for i in questionnaire.indicators} for _ in range(spec.size)]
    noise = [{q.id: rng.random() for q in questionnaire.questions} for _ in range(spec.size)]
    shift = {i.id: 0.0 for i in questionnaire.indicators}

    def answers_of(c: int, area_shift: Mapping[str, float]) -> dict[str, AnswerValue]:
        out: dict[str, AnswerValue] = {}
        for q in questionnaire.questions:
            if q.indicator in new_areas and c not in extended:
                continue
            out[q.id] = _answer(q, levels[c][q.indicator] + area_shift[q.indicator], noise[c][q.id])
        return out

    fixed_scores = [score(questionnaire, a) for a in fixed]
    for ind in questionnaire.indicators:
        target = spec.targets.get(ind.id)
        if target is None:
            continue
        members = [c for c in range(spec.size) if ind.id not in new_areas or c in extended]
        fixed_rates = [r for r in (s.rate(ind.id) for s in fixed_scores) if r is not None]

        mean_at = functools.partial(_mean_rate, questionnaire, ind.id, members, levels, noise, fixed_rates)
        low, high = -1.5, 1.5
        for _ in range(30):  # bisection: the mean rate rises with the shift
            mid = (low + high) / 2
            if mean_at(mid) < target:
                low = mid
            else:
                high = mid
        # The mean is a step function of the shift: keep the side of the step nearer the target.
        shift[ind.id] = min((low, high), key=lambda d: abs(mean_at(d) - target))

    cities = []
    for c in range(spec.size):
        year = rng.randint(2019, 2023) if c in extended else rng.randint(2011, 2018)
        cities.append(
            SyntheticCity(
                slug=f"synthetic-{spec.seed}-{c + 1:03d}",
                name=f"Synthetic city {c + 1:03d}",
                country=rng.choice(COUNTRIES),
                population=int(_in_band(sizes[c], SIZE_BANDS, rng, 20_000, 2_000_000)),
                foreign_born_share=math.floor(_in_band(diversities[c], DIVERSITY_BANDS, rng, 1, 45) * 10)
                / 10,
                year=year,
                answers=answers_of(c, shift),
            )
        )
    return cities


def _mean_rate(
    questionnaire: Questionnaire,
    indicator_id: str,
    members: list[int],
    levels: list[dict[str, float]],
    noise: list[dict[str, float]],
    fixed_rates: list[float],
    shift: float,
) -> float:
    rates = list(fixed_rates)
    for c in members:
        answers = {
            q.id: _answer(q, levels[c][indicator_id] + shift, noise[c][q.id])
            for q in questionnaire.questions_of(indicator_id)
        }
        rates.append(score_indicator(questionnaire, indicator_id, answers))
    return sum(rates) / len(rates)


def score_indicator(
    questionnaire: Questionnaire, indicator_id: str, answers: Mapping[str, AnswerValue]
) -> float:
    """The rate the report shows for one indicator, from that indicator's answers only."""
    earned = possible = 0.0
    core_only = questionnaire.indicator(indicator_id).core
    for q in questionnaire.questions_of(indicator_id):
        if (core_only and not q.core) or not q.scored or q.id not in answers:
            continue
        earned += question_points(q, answers[q.id])
        possible += q.max_score
    return 100.0 * earned / possible if possible else 0.0


def _answer(q: Question, level: float, u: float) -> AnswerValue:
    """A deterministic answer for a latent level (0 = does nothing, 1 = does everything)."""
    # A city's propensity for this question: its area level plus the question's own noise.
    p = min(1.0, max(0.0, 0.5 + level + (u - 0.5) * 0.9))
    t = q.type
    if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        top = q.max_score or 1.0
        return min(q.options, key=lambda o: (abs(o.points / top - p), o.points)).id
    if t is QuestionType.MULTIPLE_CHOICE:
        positive = sorted((o for o in q.options if o.points > 0), key=lambda o: o.id)
        chosen = [o.id for n, o in enumerate(positive) if (n + 0.5) / len(positive) < p]
        return chosen or [min(q.options, key=lambda o: o.points).id]
    if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        top = q.max_score or 1.0
        band = min(q.bands, key=lambda b: (abs(b.points / top - p), b.points))
        low = band.min if band.min is not None else 0.0
        high = band.max if band.max is not None else low + 50
        return round(low + (high - low) * 0.5, 1)
    if t is QuestionType.RATING:
        assert q.scale is not None
        return {o.id: round(q.scale.min + p * (q.scale.max - q.scale.min)) for o in q.options}
    return "Synthetic answer."


def _shuffled(items: list[str], rng: random.Random) -> list[str]:
    rng.shuffle(items)
    return items


def _in_band(
    band: str,
    bands: Sequence[tuple[str, float, float | None]],
    rng: random.Random,
    floor: float,
    ceiling: float,
) -> float:
    for name, low, high in bands:
        if name == band:
            lo = max(low, floor)
            hi = min(high if high is not None else ceiling, ceiling)
            return rng.uniform(lo, hi - 1e-6)
    raise KeyError(band)


# --- synthetic responses to a survey ---------------------------------------------------------


@dataclass(frozen=True)
class SurveySpec:
    """What the published tables of a survey say: responses and items (fact sheets) per country,
    yes/no counts per question (yes, no, no answer), the higher-priority shares of some options of
    rating questions (per cent of all responses), and findings: a rating question's options in
    the order of their mean ratings, highest first."""

    per_country: Mapping[str, tuple[int, int]]
    yes_no: Mapping[str, tuple[int, int, int]]
    seed: int = 2012
    higher_priority: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    findings: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SyntheticResponse:
    key: str
    name: str
    country: str
    answers: dict[str, AnswerValue]
    items: list[dict[str, AnswerValue]]  # the answers of each item of the repeatable section


def survey_responses(questionnaire: Questionnaire, spec: SurveySpec) -> list[SyntheticResponse]:
    """Responses that reproduce the published counts exactly; every other answer is random."""
    rng = random.Random(spec.seed)
    countries = [c for c, (n, _items) in sorted(spec.per_country.items()) for _ in range(n)]
    total = len(countries)
    for qid, (yes, no, blank) in spec.yes_no.items():
        questionnaire.question(qid)  # an unknown question is an error in the spec
        if yes + no + blank != total:
            raise ValueError(f"{qid}: {yes} + {no} + {blank} is not the {total} responses")
    yes_no = {
        qid: _shuffled(["yes"] * yes + ["no"] * no + [""] * blank, rng)
        for qid, (yes, no, blank) in spec.yes_no.items()
    }
    ratings = {
        q.id: _rating_columns(q, spec, total, rng)
        for q in questionnaire.questions
        if q.type is QuestionType.RATING
    }
    repeatable = [i.id for i in questionnaire.indicators if i.repeatable]
    # An item is named by its section's first free-text question (Part 2: "Name of programme").
    item_name = next(
        (
            q.id
            for q in questionnaire.questions
            if q.indicator in repeatable and q.type is QuestionType.FREE_TEXT
        ),
        None,
    )
    per_response_items = [0] * total
    for country, (_n, n_items) in spec.per_country.items():
        mine = [k for k, c in enumerate(countries) if c == country]
        for _ in range(n_items):
            per_response_items[rng.choice(mine)] += 1
    out = []
    for k, country in enumerate(countries):
        answers: dict[str, AnswerValue] = {
            "header.country": country,
            "header.authority_name": f"Synthetic authority {k + 1:02d}",
        }
        for q in questionnaire.questions:
            if q.indicator in repeatable or q.id in answers:
                continue
            if q.id in yes_no:
                if yes_no[q.id][k]:
                    answers[q.id] = yes_no[q.id][k]
            elif q.id in ratings:
                rated = {o: r for o, column in ratings[q.id].items() if (r := column[k]) is not None}
                if rated:
                    answers[q.id] = rated
            elif q.type is QuestionType.SINGLE_CHOICE and rng.random() < 0.9:
                answers[q.id] = _random_choice(q, rng)
        items = []
        for n in range(per_response_items[k]):
            item: dict[str, AnswerValue] = {}
            for q in questionnaire.questions:
                if q.indicator not in repeatable:
                    continue
                if q.id == item_name:
                    item[q.id] = f"Synthetic project {k + 1:02d}-{n + 1}"
                elif q.type in (
                    QuestionType.YES_NO,
                    QuestionType.SINGLE_CHOICE,
                    QuestionType.MULTIPLE_CHOICE,
                ):
                    item[q.id] = _random_choice(q, rng)
            items.append(item)
        name = f"Synthetic authority {k + 1:02d}"
        out.append(
            SyntheticResponse(f"synthetic-survey-{spec.seed}-{k + 1:02d}", name, country, answers, items)
        )
    return out


def published_count(share: float, total: int) -> int:
    """The number of responses behind a share printed to one decimal (79.2 % of 48 is 38)."""
    count = round(share * total / 100)
    if round(100 * count / total, 1) != share:
        raise ValueError(f"{share} % is not a whole number of {total} responses")
    return count


def _rating_columns(
    q: Question, spec: SurveySpec, total: int, rng: random.Random
) -> dict[str, list[int | None]]:
    """Each option's rating by each of `total` respondents (None: left unrated), drawn so that the
    spec's higher-priority shares come out exactly: the options it gives have exactly that many
    top ratings, the grid's other options fewer than the smallest of them; and so that a
    finding's options come out in its order of mean ratings."""
    assert q.scale is not None
    low, top = q.scale.min, q.scale.max
    ids = [o.id for o in q.options]
    published = {o: published_count(p, total) for o, p in spec.higher_priority.get(q.id, {}).items()}
    order = list(spec.findings.get(q.id, []))
    unknown = (set(published) | set(order)) - set(ids)
    if unknown:
        raise ValueError(f"{q.id}: no option {sorted(unknown)}")
    ceiling = min(published.values(), default=total // 2) - 1  # unpublished options stay below

    def column(tops: int, answering: float) -> list[int | None]:
        rest: list[int | None] = [
            rng.randint(low, top - 1) if rng.random() < answering else None for _ in range(total - tops)
        ]
        cells = [top] * tops + rest
        rng.shuffle(cells)
        return cells

    columns: dict[str, list[int | None]] = {}
    for o in ids:
        if o in published:
            columns[o] = column(published[o], 0.9)
        elif o == "other":  # "Other (please specify)": few respondents name one
            columns[o] = column(min(rng.randint(0, 2), ceiling), 0.05)
        elif o not in order:
            columns[o] = column(rng.randint(ceiling // 3, ceiling), 0.85)
    if order:
        while True:  # draw the columns, then give the highest mean to the finding's first option
            drawn = [[rng.choice([None, *range(low, top + 1)]) for _ in range(total)] for _ in order]
            means = [_mean([v for v in d if v is not None]) for d in drawn]
            if len(set(means)) == len(means):
                break
        ranked = sorted(zip(means, range(len(drawn)), strict=True), reverse=True)
        for o, (_m, n) in zip(order, ranked, strict=True):
            columns[o] = drawn[n]
    return columns


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def _random_choice(q: Question, rng: random.Random) -> AnswerValue:
    ids = [o.id for o in q.options]
    if q.type is QuestionType.MULTIPLE_CHOICE:
        return sorted(rng.sample(ids, rng.randint(1, len(ids))), key=ids.index)
    return rng.choice(ids)


def survey_spec(data: Mapping[str, object]) -> SurveySpec:
    """The spec from a published-figures file (data/coordination/survey-2012-published.yaml)."""
    per_country = data["per_country"]
    yes_no = data["yes_no"]
    synthetic = data["synthetic"]
    higher = data.get("higher_priority") or {}
    findings = data.get("findings") or {}
    assert isinstance(per_country, Mapping) and isinstance(yes_no, Mapping) and isinstance(synthetic, Mapping)
    assert isinstance(higher, Mapping) and isinstance(findings, Mapping)
    return SurveySpec(
        per_country={str(c): (int(v[0]), int(v[1])) for c, v in per_country.items()},
        yes_no={str(q): (int(v[1]), int(v[2]), int(v[3])) for q, v in yes_no.items()},
        seed=int(synthetic["seed"]),
        higher_priority={
            str(q): {str(o): float(p) for o, p in v["shares"].items()} for q, v in higher.items()
        },
        findings={str(q): [str(o) for o in v["order"]] for q, v in findings.items()},
    )
