"""Aggregate tables of a survey from its raw responses (seed 001, Tables 3.1–3.5, Figures 3.1–3.7).

A survey is a questionnaire whose questions do not score; what it yields are shares: of "yes"
per yes/no question, of each option per choice question, and for rating questions (each option
rated on a scale, ties allowed) the "higher priority" share of each option. Seed 001's figures
are captioned "(higher priority)" and its questionnaire (Appendix E, questions 1.4–1.9) labels
the top of the scale "5 (higher priority)": an option's higher-priority share is the respondents
who gave it the top rating, as a percentage of all respondents, as 001's tables count (§3.1: its
percentages are of the 48 responses, e.g. 79.2 % = 38 of 48). Questions of a repeatable section
(Part 2: one fact sheet per project) are counted over the fact sheets, the others over the
responses. Pure Python, like the rest of the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from interculture.engine.schema import Question, Questionnaire, QuestionType
from interculture.engine.scoring import AnswerValue, is_blank, question_points

Response = Mapping[str, AnswerValue]
TABLE_TYPES = (
    QuestionType.YES_NO,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.RATING,
)


@dataclass(frozen=True)
class OptionShare:
    option: str
    count: int
    share: float  # per cent of the respondents who answered the question
    share_of_all: float  # per cent of all respondents, as 001's tables count ("Don't know/no response")


@dataclass(frozen=True)
class RatingShare:
    option: str
    rated: int  # respondents who rated it
    counts: tuple[int, ...]  # respondents per rating, from the scale's bottom to its top
    top: int  # respondents who gave it the top rating ("higher priority")
    top_share: float  # per cent of all respondents (001's "higher priority" share)
    mean: float | None  # mean rating among the respondents who rated it


@dataclass(frozen=True)
class QuestionTable:
    question: Question
    respondents: int  # the responses, or the fact sheets for a repeatable section's question
    answered: int
    options: list[OptionShare]
    ratings: list[RatingShare]
    per_item: bool = False  # counted over the items of a repeatable section (fact sheets)

    @property
    def no_answer(self) -> int:
        return self.respondents - self.answered

    @property
    def no_answer_share(self) -> float:
        return _share(self.no_answer, self.respondents)


@dataclass(frozen=True)
class CountryRow:
    """Table 3.1: completed questionnaires per country, and the fact sheets they hold."""

    country: str
    responses: int
    share: float
    items: int


def _share(count: int, n: int) -> float:
    return 100.0 * count / n if n else 0.0


def _answers(question: Question, responses: Sequence[Response]) -> list[AnswerValue]:
    """The valid, non-blank answers to one question (each checked by the engine)."""
    out = []
    for r in responses:
        value = r.get(question.id)
        if is_blank(value):
            continue
        question_points(question, value)  # raises InvalidAnswer for a value the question refuses
        out.append(value)
    return out


def question_table(
    question: Question, responses: Sequence[Response], per_item: bool = False
) -> QuestionTable:
    answers = _answers(question, responses)
    n, everyone = len(answers), len(responses)
    options: list[OptionShare] = []
    ratings: list[RatingShare] = []
    t = question.type
    if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        counts: Counter[str] = Counter()
        for a in answers:
            chosen = a if isinstance(a, list) else [a]
            counts.update("yes" if c is True else "no" if c is False else str(c) for c in chosen)
        options = [
            OptionShare(o.id, counts[o.id], _share(counts[o.id], n), _share(counts[o.id], everyone))
            for o in question.options
        ]
    elif t is QuestionType.RATING:
        ratings = [rating_share(question, o.id, answers, everyone) for o in question.options]
    return QuestionTable(question, everyone, n, options, ratings, per_item)


def rating_share(
    question: Question, option: str, answers: Sequence[AnswerValue], everyone: int
) -> RatingShare:
    """How one option of a rating question was rated, and its higher-priority share of `everyone`."""
    scale = question.scale
    assert scale is not None
    given = [a[option] for a in answers if isinstance(a, Mapping) and option in a]
    per_value = Counter(given)
    top = per_value[scale.max]
    return RatingShare(
        option,
        len(given),
        tuple(per_value[v] for v in range(scale.min, scale.max + 1)),
        top,
        _share(top, everyone),
        sum(given) / len(given) if given else None,
    )


def survey_tables(
    questionnaire: Questionnaire,
    responses: Sequence[Response],
    items: Mapping[str, Sequence[Response]] | None = None,
) -> list[QuestionTable]:
    """One table per yes/no, choice and rating question, in the questionnaire's order.

    `items` holds, per repeatable section, the answers of every item of every response (e.g.
    all the fact sheets); those questions are counted over the items.
    """
    repeatable = {i.id for i in questionnaire.indicators if i.repeatable}
    tables = []
    for q in questionnaire.questions:
        if q.type not in TABLE_TYPES:
            continue
        if q.indicator in repeatable:
            tables.append(question_table(q, (items or {}).get(q.indicator, []), per_item=True))
        else:
            tables.append(question_table(q, responses))
    return tables


def responses_per(values: Sequence[str], items: Mapping[str, int] | None = None) -> list[CountryRow]:
    """Responses per country (or any other key), largest first, with their share and the number
    of items (fact sheets) they hold (Table 3.1)."""
    counts = Counter(values)
    total = sum(counts.values())
    return [
        CountryRow(key, n, _share(n, total), (items or {}).get(key, 0))
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


_SURVEY_ID = re.compile(r"^part\d+\.q(\d+)_(\d+)([a-z]*)$")


def appendix_number(question_id: str) -> str | None:
    """The number the appendix prints for a survey question id ("part1.q1_4i" -> "1.4 (i)",
    "part1.q1_2a" -> "1.2 (a)"), as people know it; None for an id of another form."""
    match = _SURVEY_ID.match(question_id)
    if match is None:
        return None
    number = f"{match[1]}.{match[2]}"
    return f"{number} ({match[3]})" if match[3] else number
