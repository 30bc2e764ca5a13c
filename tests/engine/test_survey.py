"""Survey aggregates: yes/no and option shares, ratings and their higher-priority shares, responses per
country; the synthetic responses reproduce what seed 001 publishes."""

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
    text: {en: Rate the priorities from 1 (lower priority) to 5 (higher priority)}
    type: rating
    scale: {min: 1, max: 5}
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


def test_ratings_keep_ties_and_give_the_higher_priority_share_of_all(survey) -> None:  # type: ignore[no-untyped-def]
    responses = [
        {"part1.priorities": {"language": 5, "jobs": 5, "housing": 3}},  # a tie at the top
        {"part1.priorities": {"language": 5, "jobs": 1}},
        {"part1.priorities": {"housing": 1}},
        {},
    ]
    ratings = {r.option: r for r in question_table(survey.question("part1.priorities"), responses).ratings}
    language = ratings["language"]
    assert (language.rated, language.top, language.top_share, language.mean) == (2, 2, 50.0, 5.0)
    assert language.counts == (0, 0, 0, 0, 2)
    assert (ratings["jobs"].top, ratings["jobs"].mean) == (1, 3.0)
    assert (ratings["housing"].top, ratings["housing"].counts) == (0, (1, 0, 1, 0, 0))


@pytest.mark.parametrize(
    "value",
    [
        ["language", "jobs"],  # the old ranking shape
        {"language": 6},
        {"language": 0},
        {"language": 2.5},
        {"language": True},
        {"sports": 3},
    ],
)
def test_an_invalid_rating_is_refused(survey, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidAnswer):
        question_table(survey.question("part1.priorities"), [{"part1.priorities": value}])


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["language", "jobs", "housing"]), st.integers(1, 5)), max_size=30
    )
)
def test_top_ratings_never_exceed_the_respondents(ratings: list[dict[str, int]]) -> None:
    survey = parse_questionnaire(SURVEY, "mini-survey.yaml")
    table = question_table(survey.question("part1.priorities"), [{"part1.priorities": r} for r in ratings])
    for r in table.ratings:
        assert sum(r.counts) == r.rated <= len(ratings)
        assert r.top == r.counts[-1] and 0 <= r.top_share <= 100


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
    # Figures 3.1-3.5: the higher-priority shares 001's text gives, computed back from the answers
    for qid, figure in data["higher_priority"].items():
        ratings = {r.option: r for r in tables[qid].ratings}
        for option, share in figure["shares"].items():
            assert round(ratings[option].top_share, 1) == share, (figure["figure"], option)
        others = [r.top_share for o, r in ratings.items() if o not in figure["shares"]]
        assert max(others) < min(figure["shares"].values())  # as 001 ranks them
    # Figures 3.6 and 3.7: the findings' order of mean ratings
    for qid, finding in data["findings"].items():
        means = {r.option: r.mean for r in tables[qid].ratings}
        ordered = [means[o] for o in finding["order"]]
        assert ordered == sorted(ordered, reverse=True) and len(set(ordered)) == len(ordered)
    assert survey_responses(survey, survey_spec(data)) == responses  # seeded: the same every time


def test_a_published_share_must_be_a_whole_number_of_responses() -> None:
    from interculture.engine.synthetic import published_count

    assert [published_count(p, 48) for p in (79.2, 64.6, 66.7, 60.4, 54.2)] == [38, 31, 32, 29, 26]
    with pytest.raises(ValueError):
        published_count(79.0, 48)


def test_survey_question_ids_read_as_the_appendix_numbers_them() -> None:
    from interculture.engine.survey import appendix_number

    assert appendix_number("part1.q1_4i") == "1.4 (i)"
    assert appendix_number("part1.q1_4ii") == "1.4 (ii)"
    assert appendix_number("part2.q2_2a") == "2.2 (a)"
    assert appendix_number("part1.q1_11") == "1.11"
    assert appendix_number("education.intercultural_projects") is None
