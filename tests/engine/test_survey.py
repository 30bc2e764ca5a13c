"""Survey aggregates: yes/no and option shares, ranking priority shares, responses per country."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interculture.engine.loader import parse_questionnaire
from interculture.engine.scoring import InvalidAnswer
from interculture.engine.survey import question_table, responses_per, survey_tables

SURVEY = """
version: mini-survey
kind: survey
title: {en: A small survey}
published: "2011"
provenance: {source: tests, reconstructed: true}
indicators:
  - {id: part1, name: {en: Part 1}, core: false, purpose: {en: Policies}, provenance: {source: tests, reconstructed: true}}
questions:
  - id: part1.strategy
    indicator: part1
    text: {en: 'Does the authority have an integration strategy?'}
    type: yes_no
    options:
      - {id: 'yes', label: {en: 'Yes'}, points: 0}
      - {id: 'no', label: {en: 'No'}, points: 0}
    mandatory: true
    core: false
    data_kind: input
    evidence_prompt: {en: The strategy}
    provenance: {source: tests, reconstructed: true}
  - id: part1.priorities
    indicator: part1
    text: {en: Rank the priorities}
    type: ranking
    options:
      - {id: language, label: {en: Language}, points: 0}
      - {id: jobs, label: {en: Jobs}, points: 0}
      - {id: housing, label: {en: Housing}, points: 0}
    mandatory: false
    core: false
    data_kind: input
    evidence_prompt: {en: '-'}
    provenance: {source: tests, reconstructed: true}
"""


@pytest.fixture(scope="module")
def survey():  # type: ignore[no-untyped-def]
    return parse_questionnaire(SURVEY, "mini-survey.yaml")


def test_yes_no_shares_count_only_those_who_answered(survey) -> None:  # type: ignore[no-untyped-def]
    responses = [{"part1.strategy": "yes"}, {"part1.strategy": "no"}, {"part1.strategy": True}, {}]
    table = question_table(survey.question("part1.strategy"), responses)
    assert table.answered == 3
    assert [(o.option, o.count, round(o.share, 1), o.share_of_all) for o in table.options] == [
        ("yes", 2, 66.7, 50.0),
        ("no", 1, 33.3, 25.0),
    ]
    assert (table.respondents, table.no_answer, table.no_answer_share) == (4, 1, 25.0)


def test_ranking_priority_shares_and_mean_rank(survey) -> None:  # type: ignore[no-untyped-def]
    responses = [
        {"part1.priorities": ["language", "jobs"]},
        {"part1.priorities": ["jobs", "language", "housing"]},
        {"part1.priorities": ["language"]},
    ]
    ranks = {
        r.option: r for r in question_table(survey.question("part1.priorities"), responses, top_k=1).ranks
    }
    assert (ranks["language"].first, round(ranks["language"].first_share, 1)) == (2, 66.7)
    assert ranks["language"].mean_rank == pytest.approx(4 / 3)
    assert ranks["housing"].first == 0 and ranks["housing"].mean_rank == 3
    assert ranks["jobs"].top == 1


def test_an_invalid_ranking_is_refused(survey) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidAnswer):
        question_table(survey.question("part1.priorities"), [{"part1.priorities": ["jobs", "jobs"]}])
    with pytest.raises(InvalidAnswer):
        question_table(survey.question("part1.priorities"), [{"part1.priorities": ["sports"]}])


@given(st.lists(st.permutations(["language", "jobs", "housing"]), min_size=1, max_size=30))
def test_first_choices_add_up_to_the_respondents(rankings: list[list[str]]) -> None:
    survey = parse_questionnaire(SURVEY, "mini-survey.yaml")
    table = question_table(survey.question("part1.priorities"), [{"part1.priorities": r} for r in rankings])
    assert sum(r.first for r in table.ranks) == len(rankings)
    assert sum(r.first_share for r in table.ranks) == pytest.approx(100)


def test_tables_and_responses_per_country(survey) -> None:  # type: ignore[no-untyped-def]
    assert [t.question.id for t in survey_tables(survey, [])] == ["part1.strategy", "part1.priorities"]
    rows = responses_per(["FI", "SE", "FI"], {"FI": 3})
    assert [(r.country, r.responses, round(r.share, 1), r.items) for r in rows] == [
        ("FI", 2, 66.7, 3),
        ("SE", 1, 33.3, 0),
    ]


def test_synthetic_responses_reproduce_the_published_tables() -> None:
    """001 publishes Tables 3.1–3.5, not the raw answers: the synthetic responses that stand in
    for them give back exactly the published counts when the engine aggregates them."""
    from importlib import resources

    import yaml

    from interculture.engine.loader import load_questionnaire
    from interculture.engine.synthetic import survey_responses, survey_spec

    data = yaml.safe_load(
        resources.files("interculture.data")
        .joinpath("coordination", "survey-2012-published.yaml")
        .read_text()
    )
    survey = load_questionnaire(data["questionnaire"])
    responses = survey_responses(survey, survey_spec(data))
    assert len(responses) == data["responses"] == 48
    assert sum(len(r.items) for r in responses) == data["fact_sheets"] == 46
    rows = responses_per([r.country for r in responses], {c: v[1] for c, v in data["per_country"].items()})
    assert {r.country: [r.responses, r.items] for r in rows} == data["per_country"]
    assert [r.country for r in rows[:2]] == [
        "GR",
        "ES",
    ]  # "the largest number ... Greek (47.9%), Spain (18.8%)"
    assert round(rows[0].share, 1) == 47.9 and round(rows[1].share, 1) == 18.8
    tables = {
        t.question.id: t
        for t in survey_tables(
            survey, [r.answers for r in responses], {"part2": [i for r in responses for i in r.items]}
        )
    }
    for qid, (_table, yes, no, blank) in data["yes_no"].items():
        t = tables[qid]
        assert [o.count for o in t.options] == [yes, no] and t.no_answer == blank
    assert round(tables["part1.q1_1"].options[0].share_of_all, 1) == 68.8  # Table 3.2
    assert tables["part2.q2_3b"].respondents == 46 and tables["part2.q2_3b"].per_item
    assert survey_responses(survey, survey_spec(data)) == responses  # seeded: the same every time
