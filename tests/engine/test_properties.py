"""Property tests on the real questionnaire (icc-2019) and the small test one."""

from collections.abc import Callable

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from interculture.engine.benchmarking import CityResult, benchmark
from interculture.engine.loader import load_questionnaire
from interculture.engine.schema import EXCLUSIVE_OPTION, Question, Questionnaire, QuestionType
from interculture.engine.scoring import AnswerValue, question_points, score

ICC = load_questionnaire("icc-2019")


def answer_strategy(q: Question) -> st.SearchStrategy[AnswerValue]:
    ids = [o.id for o in q.options]
    if q.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        return st.sampled_from(ids)
    if q.type is QuestionType.MULTIPLE_CHOICE:  # "None of these" alone, or any of the others
        others = [i for i in ids if i != EXCLUSIVE_OPTION]
        some = st.lists(st.sampled_from(others), min_size=1, unique=True)
        return st.one_of(st.just([EXCLUSIVE_OPTION]), some) if EXCLUSIVE_OPTION in ids else some
    if q.type is QuestionType.RATING:
        assert q.scale is not None
        return st.dictionaries(st.sampled_from(ids), st.integers(q.scale.min, q.scale.max))
    if q.type is QuestionType.PERCENTAGE:
        return st.floats(min_value=0, max_value=100)
    if q.type is QuestionType.NUMBER:
        return st.floats(min_value=0, max_value=1e6)
    return st.text(min_size=1, max_size=20)


def answers_strategy(
    questionnaire: Questionnaire, blanks: bool = True
) -> st.SearchStrategy[dict[str, AnswerValue]]:
    def one(q: Question) -> st.SearchStrategy[AnswerValue]:
        return st.one_of(st.none(), answer_strategy(q)) if blanks else answer_strategy(q)

    return st.fixed_dictionaries({q.id: one(q) for q in questionnaire.questions})


def all_rates(questionnaire: Questionnaire, answers: dict[str, AnswerValue]) -> list[float]:
    s = score(questionnaire, answers)
    values = [*s.indicators.values(), *s.core_indicators.values(), s.lens, s.core_index, s.extended_index]
    return [v for v in values if v is not None]


@settings(max_examples=200, deadline=None)
@given(answers_strategy(ICC))
def test_every_rate_is_between_0_and_100(answers: dict[str, AnswerValue]) -> None:
    assert all(0 <= r <= 100 + 1e-9 for r in all_rates(ICC, answers))


def upgrades(q: Question, value: AnswerValue) -> list[AnswerValue]:
    """Answers to q that earn at least as many points as `value`."""
    current = question_points(q, value)
    if q.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        return [o.id for o in q.options if o.points >= current]
    if q.type is QuestionType.MULTIPLE_CHOICE:
        assert isinstance(value, list)
        kept = [v for v in value if v != EXCLUSIVE_OPTION]  # ticking another unticks "None of these"
        return [[*kept, o.id] for o in q.options if o.id not in value and o.id != EXCLUSIVE_OPTION]
    if q.type in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        return [b.min for b in q.bands if b.min is not None and b.points >= current]
    return []


@settings(max_examples=150, deadline=None)
@given(answers_strategy(ICC, blanks=False), st.data())
def test_a_higher_scoring_answer_never_lowers_a_rate(
    answers: dict[str, AnswerValue], data: st.DataObject
) -> None:
    q = data.draw(st.sampled_from(ICC.questions))
    better = upgrades(q, answers[q.id])
    assume(better)  # the answer is already the best: no example, rather than a vacuous pass
    new_value = data.draw(st.sampled_from(better))
    before, after = score(ICC, answers), score(ICC, {**answers, q.id: new_value})
    for k, v in before.indicators.items():
        assert after.indicators[k] >= v - 1e-9  # type: ignore[operator]
    for k, v in before.core_indicators.items():
        if v is not None:
            assert after.core_indicators[k] >= v - 1e-9  # type: ignore[operator]
    assert after.core_index >= before.core_index - 1e-9  # type: ignore[operator]
    assert after.extended_index >= before.extended_index - 1e-9  # type: ignore[operator]


@pytest.mark.parametrize("fill", ["best", "worst"])
def test_fill_best_and_worst(fill: str) -> None:
    from interculture.engine.scoring import best_answers, worst_answers

    make: Callable[[Questionnaire], dict[str, AnswerValue]] = (
        best_answers if fill == "best" else worst_answers
    )
    expected = 100 if fill == "best" else 0
    assert set(all_rates(ICC, make(ICC))) == {expected}


cities = st.lists(
    st.tuples(
        st.integers(min_value=1_000, max_value=3_000_000),
        st.floats(min_value=0, max_value=60),
        st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
    ),
    min_size=2,
    max_size=30,
)


@settings(max_examples=100, deadline=None)
@given(cities, st.randoms(use_true_random=False))
def test_order_of_cities_does_not_change_any_statistic(
    rows: list[tuple[int, float, float | None]], rnd
) -> None:  # type: ignore[no-untyped-def]
    sample = [CityResult(f"c{n}", p, s, {"x": r}) for n, (p, s, r) in enumerate(rows)]
    shuffled = list(sample)
    rnd.shuffle(shuffled)
    for city in ("c0", f"c{len(rows) - 1}"):
        assert benchmark(city, sample, ["x"]) == benchmark(city, shuffled, ["x"])
