"""Scoring: from a city's answers to per-indicator achievement rates, the lens and the indices.

The method follows seed 002 (Methodology): each indicator is an achievement rate from 0 to 100;
the "intercultural lens" is the mean of its six areas; the core index is the weighted mean of
the original indicators scored with the original (core) questions; the extended index is the
weighted mean of every indicator scored with every question. With equal weights, Hämeenlinna's
published per-area rates give the published lens (58) and aggregate (51), which the tests check.

An unanswered mandatory question scores 0 and marks the result incomplete. An unanswered
optional question is left out of its indicator's rate instead of counting as a failure. An
indicator with no answer at all has no rate (None): cities that used the Index before 2019
never answered the three areas added then, and 002 compares those areas only among the cities
that did.
"""

from __future__ import annotations

import json
import math
import reprlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from interculture.engine.schema import EXCLUSIVE_OPTION, Option, Question, Questionnaire, QuestionType

# A rating question's answer maps each rated option to its rating ({"language": 5, "job": 5}).
AnswerValue = str | float | int | list[str] | dict[str, int] | None


class InvalidAnswer(ValueError):
    """An answer that the question cannot accept (unknown option, number out of range…)."""

    def __init__(self, question_id: str, message: str, field: str = "value", code: str = "invalid") -> None:
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.message = message
        self.field = field  # what was wrong: the value, or (the services' limits) comment, evidence
        # What kind of refusal, for an interface to explain it in the person's language:
        # invalid, out_of_range, year, scale, none_with_others.
        self.code = code


MAX_TEXT_LENGTH = 10_000  # characters of a free-text answer
# An invalid value is quoted in the message, shortened: it may be huge or nested without end.
_shown = reprlib.Repr(maxlevel=2, maxstring=80, maxother=80, maxlist=6).repr


@dataclass(frozen=True)
class Score:
    """The result of scoring one set of answers."""

    indicators: dict[str, float | None]  # extended rate: every question of the indicator
    core_indicators: dict[str, float | None]  # core rate: original questions only (None if new)
    lens: float | None  # mean of the lens areas' core rates
    extended_lens: float | None
    core_index: float | None
    extended_index: float | None
    missing: list[str] = field(default_factory=list)  # unanswered mandatory question ids

    @property
    def complete(self) -> bool:
        return not self.missing

    def rate(self, indicator_id: str) -> float | None:
        """The rate the report shows: core where the indicator has one, else extended."""
        core = self.core_indicators.get(indicator_id)
        return core if core is not None else self.indicators.get(indicator_id)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `interculture score`."""
        return {
            "indicators": {k: _round(self.rate(k)) for k in self.indicators},
            "extended_indicators": {k: _round(v) for k, v in self.indicators.items()},
            "lens": _round(self.lens),
            "core_index": _round(self.core_index),
            "extended_index": _round(self.extended_index),
            "complete": self.complete,
            "missing": list(self.missing),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def is_blank(value: AnswerValue) -> bool:
    return value is None or value == "" or value == [] or value == {}


def latest_year(today: date | None = None) -> int:
    """The latest year a year answer (or a round) may name: next year."""
    return (today or date.today()).year + 1


def question_points(question: Question, value: AnswerValue) -> float:
    """Points earned by one answer. Raises InvalidAnswer if the question cannot accept it."""
    t = question.type
    qid = question.id
    if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        if isinstance(value, bool) and t is QuestionType.YES_NO:  # YAML reads yes/no as booleans
            value = "yes" if value else "no"
        if not isinstance(value, str):
            raise InvalidAnswer(qid, f"expected one option id, got {_shown(value)}")
        return _option(question, value).points
    if t is QuestionType.RATING:
        _check_rating(question, value)
        return 0.0
    if t is QuestionType.MULTIPLE_CHOICE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidAnswer(qid, f"expected a list of option ids, got {_shown(value)}")
        if len(set(value)) != len(value):
            raise InvalidAnswer(qid, "an option is chosen twice")
        options = [_option(question, v) for v in value]
        if EXCLUSIVE_OPTION in value and len(value) > 1:
            raise InvalidAnswer(
                qid, "'none of these' cannot be chosen with other options", code="none_with_others"
            )
        total = sum(o.points for o in options)
        return min(total, question.max_points) if question.max_points is not None else total
    if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidAnswer(qid, f"expected a number, got {_shown(value)}")
        try:
            number = float(value)
        except OverflowError:  # an integer past the range of floats
            number = math.inf
        if not math.isfinite(number):  # JSON has no NaN or infinity
            raise InvalidAnswer(qid, f"expected a finite number, got {_shown(value)}")
        if number < 0 or (t is QuestionType.PERCENTAGE and number > 100):
            limit = "0 to 100" if t is QuestionType.PERCENTAGE else "0 or more"
            raise InvalidAnswer(qid, f"{_shown(value)} is out of range ({limit})", code="out_of_range")
        if question.calendar_year and (number != int(number) or number > latest_year()):
            raise InvalidAnswer(qid, f"{_shown(value)} is not a year up to {latest_year()}", code="year")
        return next((b.points for b in question.bands if b.contains(number)), 0.0)
    if not isinstance(value, str):
        raise InvalidAnswer(qid, f"expected text, got {_shown(value)}")
    if len(value) > MAX_TEXT_LENGTH:
        raise InvalidAnswer(qid, f"longer than {MAX_TEXT_LENGTH:,} characters")
    return 0.0


def _check_rating(question: Question, value: AnswerValue) -> None:
    """A rating answer: option id -> a whole number on the question's scale. Ties are allowed;
    an option left unrated is simply absent."""
    scale = question.scale
    assert scale is not None  # the schema gives every rating question its scale
    if not isinstance(value, dict):
        raise InvalidAnswer(question.id, f"expected ratings by option id, got {_shown(value)}")
    for option_id, rating in value.items():
        _option(question, option_id)
        if isinstance(rating, bool) or not isinstance(rating, int) or not scale.min <= rating <= scale.max:
            raise InvalidAnswer(
                question.id,
                f"the rating of {option_id} must be a whole number from {scale.min} to {scale.max}, "
                f"got {_shown(rating)}",
                code="scale",
            )


def _option(question: Question, option_id: str) -> Option:
    for option in question.options:
        if option.id == option_id:
            return option
    known = ", ".join(o.id for o in question.options)
    raise InvalidAnswer(question.id, f"unknown option {_shown(option_id)} (expected one of: {known})")


def score(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> Score:
    """Score a set of answers (question id -> value). Unknown question ids are an error."""
    unknown = sorted(set(answers) - {q.id for q in questionnaire.questions})
    if unknown:
        raise InvalidAnswer(unknown[0], "no such question in " + questionnaire.version)

    # Per indicator: [earned, possible] for the core and for the extended scoring.
    core: dict[str, list[float]] = {i.id: [0.0, 0.0] for i in questionnaire.indicators}
    extended: dict[str, list[float]] = {i.id: [0.0, 0.0] for i in questionnaire.indicators}
    answered: set[str] = set()
    missing: list[str] = []
    for q in questionnaire.questions:
        value = answers.get(q.id)
        if is_blank(value):
            if q.mandatory:
                missing.append(q.id)
            else:
                continue  # optional and unanswered: not counted either way
            earned = 0.0
        else:
            earned = question_points(q, value)
            answered.add(q.indicator)
        if not q.scored:
            continue
        extended[q.indicator][0] += earned
        extended[q.indicator][1] += q.max_score
        if q.core:
            core[q.indicator][0] += earned
            core[q.indicator][1] += q.max_score
    for indicator_id in set(extended) - answered:
        core[indicator_id] = extended[indicator_id] = [0.0, 0.0]

    ext_rates = {k: _rate(*v) for k, v in extended.items()}
    core_rates = {i.id: (_rate(*core[i.id]) if i.core else None) for i in questionnaire.indicators}
    return _assemble_score(questionnaire, core_rates, ext_rates, missing)


def _assemble_score(
    questionnaire: Questionnaire,
    core_rates: dict[str, float | None],
    ext_rates: dict[str, float | None],
    missing: list[str],
) -> Score:
    weights = {i.id: i.weight for i in questionnaire.indicators}
    lens_ids = [i.id for i in questionnaire.lens]
    core_ids = [i.id for i in questionnaire.indicators if i.core]
    return Score(
        indicators=ext_rates,
        core_indicators=core_rates,
        lens=weighted_mean({k: core_rates[k] for k in lens_ids}, weights),
        extended_lens=weighted_mean({k: ext_rates[k] for k in lens_ids}, weights),
        core_index=weighted_mean({k: core_rates[k] for k in core_ids}, weights),
        extended_index=weighted_mean(ext_rates, weights),
        missing=missing,
    )


def _rate(earned: float, possible: float) -> float | None:
    # Rounded far below any displayed precision, so that sums taken in another order (a
    # database returns rows in its own order) give the very same rate.
    return round(100.0 * earned / possible, 9) if possible > 0 else None


def weighted_mean(rates: Mapping[str, float | None], weights: Mapping[str, float]) -> float | None:
    """Weighted mean of the rates that exist; None when none does."""
    total = weight = 0.0
    # A plain loop, in the indicators' order, as BatchScorer._mean: both give the same float.
    for key, rate in rates.items():
        if rate is not None:
            w = weights.get(key, 1.0)
            total += rate * w
            weight += w
    return total / weight if weight else None


def aggregate(questionnaire: Questionnaire, rates: Mapping[str, float | None]) -> dict[str, float | None]:
    """Lens, core and extended index from per-indicator rates alone (e.g. published ones)."""
    weights = {i.id: i.weight for i in questionnaire.indicators}
    lens_ids = [i.id for i in questionnaire.lens]
    core_ids = [i.id for i in questionnaire.indicators if i.core]
    return {
        "lens": weighted_mean({k: rates.get(k) for k in lens_ids}, weights),
        "core_index": weighted_mean({k: rates.get(k) for k in core_ids}, weights),
        "extended_index": weighted_mean(dict(rates), weights),
    }


def best_answers(questionnaire: Questionnaire) -> dict[str, AnswerValue]:
    """The highest-scoring answer to every question."""
    return {q.id: _extreme(q, best=True) for q in questionnaire.questions}


def worst_answers(questionnaire: Questionnaire) -> dict[str, AnswerValue]:
    """The lowest-scoring answer to every question."""
    return {q.id: _extreme(q, best=False) for q in questionnaire.questions}


def _extreme(q: Question, *, best: bool) -> AnswerValue:
    t = q.type
    if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        pick = max if best else min
        return pick(q.options, key=lambda o: o.points).id
    if t is QuestionType.MULTIPLE_CHOICE:
        if best:
            return [o.id for o in q.options if o.points > 0]
        return [min(q.options, key=lambda o: o.points).id]
    if t is QuestionType.RATING:
        assert q.scale is not None
        return {o.id: q.scale.max if best else q.scale.min for o in q.options}
    if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        band = (max if best else min)(q.bands, key=lambda b: b.points)
        return _value_in(band.min, band.max)
    return "—"


def _value_in(low: float | None, high: float | None) -> float:
    if low is not None:
        return low
    if high is not None:
        return max(0.0, high - 1)
    return 0.0


def validate_answers(questionnaire: Questionnaire, answers: Mapping[str, AnswerValue]) -> list[InvalidAnswer]:
    """Every invalid answer, not just the first (for imports and forms)."""
    errors: list[InvalidAnswer] = []
    known = {q.id: q for q in questionnaire.questions}
    for qid, value in answers.items():
        q = known.get(qid)
        if q is None:
            errors.append(InvalidAnswer(qid, "no such question in " + questionnaire.version))
        elif not is_blank(value):
            try:
                question_points(q, value)
            except InvalidAnswer as exc:
                errors.append(exc)
    return errors


class BatchScorer:
    """Scores many rounds at once from raw answer rows, as read from a database.

    Gives the same Score as `score()` (a test checks this) but does the per-answer work once
    per distinct (question, stored value) pair: a sample has thousands of rounds but each
    question only a handful of distinct answers. Per row, what is left is a table look-up and
    a few additions into a flat per-round tally, so re-benchmarking a whole sample stays fast.
    """

    # A round's tally is one flat list; per indicator i, from i * _W: points earned and optional
    # points possible by the core questions, the same by the extended-only questions, and the
    # number of answers (an indicator with none has no rate).
    _W = 5

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        self._indicators = questionnaire.indicators
        index = {ind.id: n for n, ind in enumerate(self._indicators)}
        self._mandatory = [q.id for q in questionnaire.questions if q.mandatory]
        bit = {qid: 1 << n for n, qid in enumerate(self._mandatory)}
        self._all_mandatory = (1 << len(self._mandatory)) - 1
        # question id -> (tally offset of its pair of sums, offset of its indicator's count, max, bit)
        self._meta = {
            q.id: (
                index[q.indicator] * self._W + (0 if q.core else 2),
                index[q.indicator] * self._W + 4,
                q.max_score,
                bit.get(q.id, 0),
            )
            for q in questionnaire.questions
        }
        # question id -> stored JSON text -> what the answer adds to the tally (None: blank)
        self._table: dict[str, dict[str, tuple[int, int, float, float, int] | None]] = {
            q.id: {} for q in questionnaire.questions
        }
        n = len(self._indicators)
        self._base_core = [0.0] * n  # possible points of mandatory questions: always counted
        self._base_ext = [0.0] * n
        for q in questionnaire.questions:
            if q.mandatory and q.scored:
                self._base_ext[index[q.indicator]] += q.max_score
                if q.core:
                    self._base_core[index[q.indicator]] += q.max_score
        self._weights = [ind.weight for ind in self._indicators]
        self._lens = [n for n, ind in enumerate(self._indicators) if ind.group is not None]
        self._core = [n for n, ind in enumerate(self._indicators) if ind.core]

    def points(self, question_id: str, raw: str | None) -> float | None:
        """Points of one stored answer (JSON text); None when the answer is blank."""
        entry = self._entry(question_id, raw)
        return None if entry is None else entry[2]

    def _entry(self, question_id: str, raw: str | None) -> tuple[int, int, float, float, int] | None:
        table = self._table.get(question_id)
        if table is None:
            raise InvalidAnswer(question_id, "no such question in " + self.questionnaire.version)
        key = raw if raw is not None else "null"
        if key not in table:
            value = json.loads(key)
            if is_blank(value):
                table[key] = None
            else:
                earned = question_points(self.questionnaire.question(question_id), value)
                at, count_at, maximum, bit = self._meta[question_id]
                table[key] = (at, count_at, earned, 0.0 if bit else maximum, bit)
        return table[key]

    def score_rows(self, rows: Iterable[tuple[Hashable, str, str | None]]) -> dict[Hashable, Score]:
        """Score rows of (round key, question id, stored JSON value), in any order."""
        tallies: dict[Hashable, list[float]] = {}
        masks: dict[Hashable, int] = {}  # mandatory questions answered, one bit each
        width = len(self._indicators) * self._W
        table = self._table
        entry_of = self._entry
        last_key: Hashable = object()
        tally: list[float] = []
        mask = 0
        for key, qid, raw in rows:
            try:
                entry = table[qid][raw]  # type: ignore[index]
            except KeyError:
                entry = entry_of(qid, raw)
            if key != last_key:  # rows usually come grouped by round: skip the dict look-ups
                masks[last_key] = mask
                found = tallies.get(key)
                if found is None:
                    found = tallies[key] = [0.0] * width
                    masks[key] = 0
                tally, mask, last_key = found, masks[key], key
            if entry is None:
                continue
            at, count_at, earned, optional_max, bit = entry
            tally[at] += earned
            tally[at + 1] += optional_max
            tally[count_at] += 1
            mask |= bit
        masks[last_key] = mask
        return {key: self._assemble(tally, masks[key]) for key, tally in tallies.items()}

    def _assemble(self, t: list[float], mask: int) -> Score:
        w = self._W
        core_rates: list[float | None] = []
        ext_rates: list[float | None] = []
        for n, ind in enumerate(self._indicators):
            at = n * w
            if not t[at + 4]:  # no answer at all in this indicator
                core_rates.append(None)
                ext_rates.append(None)
                continue
            core_earned, core_possible = t[at], self._base_core[n] + t[at + 1]
            ext_earned, ext_possible = core_earned + t[at + 2], self._base_ext[n] + t[at + 1] + t[at + 3]
            ext_rates.append(_rate(ext_earned, ext_possible))
            core_rates.append(_rate(core_earned, core_possible) if ind.core else None)
        missing = []
        if mask != self._all_mandatory:
            missing = [qid for n, qid in enumerate(self._mandatory) if not mask >> n & 1]
        ids = [ind.id for ind in self._indicators]
        return Score(
            indicators=dict(zip(ids, ext_rates, strict=True)),
            core_indicators=dict(zip(ids, core_rates, strict=True)),
            lens=self._mean(core_rates, self._lens),
            extended_lens=self._mean(ext_rates, self._lens),
            core_index=self._mean(core_rates, self._core),
            extended_index=self._mean(ext_rates, range(len(ids))),
            missing=missing,
        )

    def _mean(self, rates: list[float | None], which: Iterable[int]) -> float | None:
        total = weight = 0.0
        for n in which:
            r = rates[n]
            if r is not None:
                total += r * self._weights[n]
                weight += self._weights[n]
        return total / weight if weight else None
