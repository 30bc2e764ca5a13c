"""Rules every form applies, said in the person's language: "None of these" is ticked alone, and
a round's year is not after next year (form, service and API)."""

from __future__ import annotations

import pytest
from django.test import Client

from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services import workflow
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine.schema import EXCLUSIVE_OPTION, QuestionType
from interculture.engine.scoring import latest_year

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_none_of_these_with_another_option_is_refused_with_why(draft_round, team) -> None:  # type: ignore[no-untyped-def]
    q = engine_questionnaire(draft_round.questionnaire)
    question = next(
        x
        for x in q.questions
        if x.type is QuestionType.MULTIPLE_CHOICE and EXCLUSIVE_OPTION in {o.id for o in x.options}
    )
    other = next(o.id for o in question.options if o.id != EXCLUSIVE_OPTION)
    answer = draft_round.answers.get(question_id=question.id)
    before = answer.value
    assert before != [other, EXCLUSIVE_OPTION]
    url = f"/workspace/hameenlinna/2025/answers/{question.id}/"
    refused = client_for(team["coordinator"]).post(
        url,
        {f"value-{question.id}": [other, EXCLUSIVE_OPTION], f"version-{question.id}": str(answer.version)},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert "”Inget av dessa” kan inte kryssas i tillsammans med andra alternativ." in refused.content.decode()
    answer.refresh_from_db()
    assert answer.value == before


def test_a_round_is_not_opened_after_next_year(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    icc = QuestionnaireVersion.objects.get(version="icc-2019")
    late = latest_year() + 1
    page = client_for(team["coordinator"]).post(
        "/workspace/hameenlinna/",
        {"open_round": "1", "year": str(late), "questionnaire": str(icc.pk), "carry_over": "on"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Kierroksen vuosi voi olla enintään ensi vuosi ({latest_year()})." in body
    assert f'value="{late}"' in body  # what they typed stays in the form
    with pytest.raises(workflow.WorkflowError):
        workflow.open_round(hml, late, version=icc, user=team["coordinator"])
    assert not AssessmentRound.objects.filter(city=hml, year=late).exists()
    opened = workflow.open_round(hml, latest_year(), version=icc, user=team["coordinator"], carry_over=False)
    assert opened.round.year == latest_year()
