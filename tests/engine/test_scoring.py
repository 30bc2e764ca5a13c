import json

import pytest

from interculture.engine.schema import Questionnaire
from interculture.engine.scoring import (
    BatchScorer,
    InvalidAnswer,
    aggregate,
    best_answers,
    question_points,
    score,
    validate_answers,
    worst_answers,
)

FULL = {"alpha.statement": "yes", "alpha.budget": "partial", "beta.groups": ["a"], "gamma.count": 0}


def test_rates_per_indicator(mini: Questionnaire) -> None:
    s = score(mini, FULL)
    assert s.core_indicators["alpha"] == pytest.approx(100 * 3 / 4)
    assert s.indicators["beta"] == pytest.approx(100 * 2 / 3)
    assert s.indicators["gamma"] == 0
    assert s.core_indicators["gamma"] is None  # an area added in 2019 has no core rate
    assert s.rate("gamma") == 0  # ...so the report shows its extended rate
    assert s.complete and s.missing == []


def test_extended_rate_counts_extended_questions(mini: Questionnaire) -> None:
    s = score(mini, {**FULL, "alpha.new": "yes"})
    assert s.core_indicators["alpha"] == pytest.approx(75)
    assert s.indicators["alpha"] == pytest.approx(100 * 7 / 8)


def test_indices_are_weighted_means(mini: Questionnaire) -> None:
    s = score(mini, FULL)
    assert s.lens == pytest.approx(s.core_indicators["beta"])
    assert s.core_index == pytest.approx((75 + 100 * 2 / 3) / 2)
    assert s.extended_index == pytest.approx((75 + 100 * 2 / 3 + 0) / 3)


def test_multiple_choice_is_capped(mini: Questionnaire) -> None:
    assert score(mini, {**FULL, "beta.groups": ["a", "b"]}).indicators["beta"] == 100


def test_percentage_bands(mini: Questionnaire) -> None:
    rates = [score(mini, {**FULL, "beta.share": v}).indicators["beta"] for v in (5, 10, 49.9, 50, 100)]
    assert rates == pytest.approx([40, 60, 60, 80, 80])


def test_optional_unanswered_is_left_out_and_mandatory_unanswered_is_incomplete(mini: Questionnaire) -> None:
    partial = {k: v for k, v in FULL.items() if k != "alpha.budget"}
    s = score(mini, partial)
    assert not s.complete
    assert s.missing == ["alpha.budget"]
    assert s.core_indicators["alpha"] == 50  # the missing mandatory answer scores 0
    assert s.as_dict()["complete"] is False


def test_an_area_with_no_answer_has_no_rate(mini: Questionnaire) -> None:
    s = score(mini, {k: v for k, v in FULL.items() if k != "gamma.count"})
    assert s.indicators["gamma"] is None
    assert s.extended_index == pytest.approx((75 + 100 * 2 / 3) / 2)
    assert s.missing == ["gamma.count"]


@pytest.mark.parametrize(
    ("qid", "value", "message"),
    [
        ("alpha.statement", "maybe", "unknown option 'maybe'"),
        ("alpha.budget", ["full"], "expected one option id"),
        ("beta.groups", ["a", "a"], "chosen twice"),
        ("beta.share", 101, "out of range"),
        ("beta.share", -1, "out of range"),
        ("beta.share", "lots", "expected a number"),
        ("gamma.count", -3, "out of range"),
        ("nope.question", "yes", "no such question"),
    ],
)
def test_invalid_answers_are_clear_errors(mini: Questionnaire, qid: str, value: object, message: str) -> None:
    with pytest.raises(InvalidAnswer) as err:
        score(mini, {**FULL, qid: value})
    assert err.value.question_id == qid
    assert message in str(err.value)


def test_validate_answers_lists_every_error(mini: Questionnaire) -> None:
    errors = validate_answers(mini, {"alpha.statement": "x", "beta.share": 200, "alpha.budget": "full"})
    assert sorted(e.question_id for e in errors) == ["alpha.statement", "beta.share"]


def test_yaml_booleans_count_as_yes_and_no(mini: Questionnaire) -> None:
    assert score(mini, {**FULL, "alpha.statement": True}).core_indicators == score(mini, FULL).core_indicators


def test_best_and_worst(mini: Questionnaire) -> None:
    best, worst = score(mini, best_answers(mini)), score(mini, worst_answers(mini))
    assert all(r == 100 for r in best.indicators.values())
    assert all(r == 0 for r in worst.indicators.values())
    assert best.complete and worst.complete


def test_aggregate_of_published_rates(mini: Questionnaire) -> None:
    agg = aggregate(mini, {"alpha": 50, "beta": 70, "gamma": 30})
    assert agg == pytest.approx({"lens": 70, "core_index": 60, "extended_index": 50})


def test_batch_scorer_matches_score(mini: Questionnaire) -> None:
    rounds = {
        1: FULL,
        2: {**FULL, "alpha.new": "yes", "beta.share": 55},
        3: {k: v for k, v in FULL.items() if k != "gamma.count"},
        4: {"alpha.statement": "no", "alpha.budget": "", "beta.groups": []},
    }
    rows = [(key, qid, json.dumps(v)) for key, answers in rounds.items() for qid, v in answers.items()]
    batch = BatchScorer(mini).score_rows(reversed(rows))
    for key, answers in rounds.items():
        assert batch[key] == score(mini, answers)


def test_batch_scorer_rejects_invalid_values(mini: Questionnaire) -> None:
    with pytest.raises(InvalidAnswer):
        BatchScorer(mini).score_rows([(1, "alpha.statement", '"maybe"')])


def test_none_of_these_is_chosen_alone() -> None:
    """A multiple-choice question's "None of these" excludes its other options."""
    from interculture.engine.loader import load_questionnaire
    from interculture.engine.schema import EXCLUSIVE_OPTION

    icc = load_questionnaire("icc-2019")
    q = next(
        x
        for x in icc.questions
        if x.type == "multiple_choice" and EXCLUSIVE_OPTION in {o.id for o in x.options}
    )
    other = next(o.id for o in q.options if o.id != EXCLUSIVE_OPTION)
    assert question_points(q, [EXCLUSIVE_OPTION]) == 0
    with pytest.raises(InvalidAnswer) as refused:
        question_points(q, [other, EXCLUSIVE_OPTION])
    assert refused.value.code == "none_with_others"


def test_a_year_answer_is_whole_and_not_after_next_year() -> None:
    from datetime import date

    from interculture.engine.loader import load_questionnaire
    from interculture.engine.scoring import latest_year

    survey = load_questionnaire("cor-authorities-survey-2011")
    year = survey.question("part2.q2_2a")
    assert year.calendar_year and latest_year(date(2026, 12, 2)) == 2027
    question_points(year, latest_year())
    for bad in (latest_year() + 1, 2019.5):
        with pytest.raises(InvalidAnswer) as refused:
            question_points(year, bad)
        assert refused.value.code == "year"
