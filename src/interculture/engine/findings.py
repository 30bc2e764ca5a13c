"""What a city's answers say, question by question: met or not, and what would help most.

Pure Python, used by the Index Report (conclusions, recommendations, improvement path) and by
anything else that needs the same reading of the answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from interculture.engine.schema import Question, Questionnaire
from interculture.engine.scoring import AnswerValue, best_answers, is_blank, question_points, score


@dataclass(frozen=True)
class Finding:
    question: Question
    value: AnswerValue
    points: float  # earned (0 when unanswered)
    max_points: float

    @property
    def answered(self) -> bool:
        return not is_blank(self.value)

    @property
    def met(self) -> bool:
        """Full points: the city does what the question asks."""
        return self.answered and self.points >= self.max_points

    @property
    def partly(self) -> bool:
        return self.answered and 0 < self.points < self.max_points


def findings(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue], indicator_id: str
) -> list[Finding]:
    """Each scored question of one area with the city's answer and its points."""
    out = []
    for q in questionnaire.questions_of(indicator_id):
        if not q.scored:
            continue
        value = answers.get(q.id)
        points = 0.0 if is_blank(value) else question_points(q, value)
        out.append(Finding(q, value, points, q.max_score))
    return out


@dataclass(frozen=True)
class Step:
    """One unmet question and how many points of the core index fulfilling it would add."""

    question: Question
    gain: float


def improvement_path(
    questionnaire: Questionnaire, answers: Mapping[str, AnswerValue], n: int = 5
) -> list[Step]:
    """The `n` unmet questions whose best answer would raise the core index most.

    Each gain is computed alone (the other answers as they are), by scoring the answers with
    that one question set to its best answer: the same engine, no approximation.
    """
    base = score(questionnaire, answers).core_index
    if base is None:
        return []
    best = best_answers(questionnaire)
    steps = []
    for q in questionnaire.questions:
        if not (q.core and q.scored):
            continue
        value = answers.get(q.id)
        if not is_blank(value) and question_points(q, value) >= q.max_score:
            continue
        improved = score(questionnaire, {**answers, q.id: best[q.id]}).core_index
        if improved is not None and improved > base:
            steps.append(Step(q, improved - base))
    steps.sort(key=lambda s: (-s.gain, s.question.id))
    return steps[:n]
