"""Findings: met / not met per question, and the improvement path with exact gains."""

from __future__ import annotations

import pytest

from interculture.engine.findings import findings, improvement_path
from interculture.engine.schema import Questionnaire
from interculture.engine.scoring import best_answers, score, worst_answers


def test_findings_mark_met_and_unmet(mini: Questionnaire) -> None:
    best, worst = best_answers(mini), worst_answers(mini)
    assert all(f.met for f in findings(mini, best, "alpha"))
    assert not any(f.met or f.partly for f in findings(mini, worst, "alpha"))
    assert all(f.question.scored for f in findings(mini, best, "beta"))  # free text is left out


def test_improvement_path_gains_are_exact_and_sorted(mini: Questionnaire) -> None:
    answers = worst_answers(mini)
    steps = improvement_path(mini, answers, n=3)
    assert 0 < len(steps) <= 3
    assert [s.gain for s in steps] == sorted((s.gain for s in steps), reverse=True)
    base = score(mini, answers).core_index
    best = best_answers(mini)
    for step in steps:
        assert step.question.core
        improved = score(mini, {**answers, step.question.id: best[step.question.id]}).core_index
        assert improved - base == pytest.approx(step.gain)


def test_nothing_to_improve_at_the_top(mini: Questionnaire) -> None:
    assert improvement_path(mini, best_answers(mini)) == []
