"""Acceptance test on the published Hämeenlinna figures (seed 002)."""

from pathlib import Path

import pytest
import yaml

from interculture.engine.loader import answer_values, load_answers_file, load_questionnaire
from interculture.engine.scoring import aggregate, score

CITIES = Path(__file__).parents[2] / "src" / "interculture" / "data" / "cities"
ICC = load_questionnaire("icc-2019")
PUBLISHED = yaml.safe_load((CITIES / "hameenlinna.yaml").read_text())["rounds"][0]["published_report"]
RATES = {k: v["city"] for k, v in PUBLISHED["rates"].items()}
ANSWERS = load_answers_file(CITIES / "hameenlinna-answers-2023.yaml")


def test_questionnaire_shape_is_that_of_002() -> None:
    assert len(ICC.questions) == 86
    assert sum(q.mandatory for q in ICC.questions) == 73
    assert len(ICC.indicators) == 17
    assert [i.id for i in ICC.lens] == [
        "education", "neighbourhoods", "public_services", "business", "cultural_life", "public_space",
    ]  # fmt: skip
    assert [i.id for i in ICC.indicators if not i.core] == [
        "anti_discrimination",
        "participation",
        "interaction",
    ]
    assert set(RATES) == {i.id for i in ICC.indicators}


def test_published_rates_aggregate_to_the_published_lens_and_index() -> None:
    agg = aggregate(ICC, RATES)
    assert round(agg["lens"]) == PUBLISHED["aggregates"]["lens"]["city"] == 58
    assert round(agg["core_index"]) == PUBLISHED["aggregates"]["core_index"]["city"] == 51


def test_reconstructed_answers_reproduce_every_published_rate() -> None:
    s = score(ICC, answer_values(ANSWERS["answers"]))
    assert s.complete, s.missing
    off = {k: (round(s.rate(k) or 0, 1), v) for k, v in RATES.items() if abs((s.rate(k) or 0) - v) > 2}
    assert not off, f"computed vs published: {off}"
    assert s.lens == pytest.approx(58, abs=2)
    assert s.core_index == pytest.approx(51, abs=2)


def test_every_answer_and_question_carries_provenance() -> None:
    for qid, entry in ANSWERS["answers"].items():
        assert entry["source"].startswith("002"), qid
        assert isinstance(entry["inferred"], bool), qid
    for q in ICC.questions:
        assert q.provenance.reconstructed and q.provenance.source.startswith("002"), q.id
    for ind in ICC.indicators:
        assert ind.purpose.fi and ind.purpose.sv, ind.id


def test_calibrated_points_are_declared() -> None:
    notes = " ".join((q.provenance.note or "") for q in ICC.questions) + (ICC.provenance.note or "")
    assert "calibrated" in notes
