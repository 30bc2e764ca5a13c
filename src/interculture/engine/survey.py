"""Aggregate tables of a survey from its raw responses (seed 001, Tables 3.1–3.5).

A survey is a questionnaire whose questions do not score; what it yields are shares: of "yes"
per yes/no question, of each option per choice question, and for "rank these options" questions
the priority shares (how often each option was ranked first, or within the top k) and its mean
rank. Pure Python, like the rest of the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from interculture.engine.schema import Question, Questionnaire, QuestionType
from interculture.engine.scoring import AnswerValue, is_blank, question_points

Response = Mapping[str, AnswerValue]


@dataclass(frozen=True)
class OptionShare:
    option: str
    count: int
    share: float  # per cent of the respondents who answered the question


@dataclass(frozen=True)
class RankShare:
    option: str
    first: int  # respondents who ranked it first
    first_share: float  # per cent of those who answered
    top: int  # respondents who ranked it within the top k
    top_share: float
    mean_rank: float | None  # among the respondents who ranked it


@dataclass(frozen=True)
class QuestionTable:
    question: Question
    answered: int
    options: list[OptionShare]
    ranks: list[RankShare]


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


def question_table(question: Question, responses: Sequence[Response], top_k: int = 3) -> QuestionTable:
    answers = _answers(question, responses)
    n = len(answers)
    options: list[OptionShare] = []
    ranks: list[RankShare] = []
    t = question.type
    if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        counts: Counter[str] = Counter()
        for a in answers:
            chosen = a if isinstance(a, list) else [a]
            counts.update("yes" if c is True else "no" if c is False else str(c) for c in chosen)
        options = [OptionShare(o.id, counts[o.id], _share(counts[o.id], n)) for o in question.options]
    elif t is QuestionType.RANKING:
        for o in question.options:
            positions = [a.index(o.id) + 1 for a in answers if isinstance(a, list) and o.id in a]
            first = sum(1 for p in positions if p == 1)
            top = sum(1 for p in positions if p <= top_k)
            mean = sum(positions) / len(positions) if positions else None
            ranks.append(RankShare(o.id, first, _share(first, n), top, _share(top, n), mean))
        ranks.sort(key=lambda r: (-r.first, r.mean_rank if r.mean_rank is not None else 1e9, r.option))
    return QuestionTable(question, n, options, ranks)


def survey_tables(
    questionnaire: Questionnaire, responses: Sequence[Response], top_k: int = 3
) -> list[QuestionTable]:
    """One table per yes/no, choice and ranking question, in the questionnaire's order."""
    kinds = (
        QuestionType.YES_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.RANKING,
    )
    return [question_table(q, responses, top_k) for q in questionnaire.questions if q.type in kinds]


def responses_per(values: Sequence[str]) -> list[tuple[str, int, float]]:
    """Responses per country (or any other key), largest first, with their share (Table 3.1)."""
    counts = Counter(values)
    total = sum(counts.values())
    return [(key, n, _share(n, total)) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
