"""The authorization matrix beyond the workspace: reports, the pathway, coordination, the survey
and the suggestions, every role against its own city (Hämeenlinna, a draft round 2025) and
another city (Otherby, a draft round 2025). Same roles, order and savepoints as
tests/assessments/test_authorization.py, whose request helper this extends.

Reading rules: a draft round and its report exist only for the city's people, its expert and the
secretariat (others get a 404); the pathway is also for the national viewer of the city's
country (Finland: Hämeenlinna, not Otherby in Sweden) and is written by the working group and the
secretariat; reports are edited by the expert and the secretariat and published by the
secretariat alone (and only from a validated round: a draft gives even the secretariat a 403); a
survey response is read by its authority's people and the secretariat.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from interculture.assessments.models import City, QuestionnaireVersion
from interculture.coordination import services as coordination
from tests.assessments.test_authorization import ROLES, _request

pytestmark = pytest.mark.django_db

SURVEY = "cor-authorities-survey-2011"
DRAFT_PAGE = ("404 200 200 200 200 404 404 404", "404 200 404 404 404 404 200 404")
DRAFT_API = DRAFT_PAGE
PATHWAY_READ = ("302 200 200 200 200 200 403 403", "302 200 403 403 403 403 200 403")
PATHWAY_WRITE = ("302 302 403 302 302 403 403 403", "302 302 403 403 403 403 302 403")
MATRIX: dict[str, tuple[str, str]] = {
    # the report of the draft round
    "GET /reports/{city}/2025/": DRAFT_PAGE,
    "GET /reports/{city}/2025/edit/": ("302 200 200 403 403 404 404 404", "302 200 404 404 404 404 403 404"),
    "POST /reports/{city}/2025/edit/ edit": (
        "302 302 302 403 403 404 404 404",
        "302 302 404 404 404 404 403 404",
    ),
    "POST /reports/{city}/2025/publish/ publish": (
        "302 403 403 403 403 404 404 404",
        "302 403 404 404 404 404 403 404",
    ),
    # the pathway
    "GET /pathway/{city}/": PATHWAY_READ,
    "GET /pathway/{city}/actions.csv": PATHWAY_READ,
    "GET /pathway/{city}/strategy/": PATHWAY_READ,
    "POST /pathway/{city}/ add_action": PATHWAY_WRITE,
    # coordination and the survey
    "GET /coordination/": ("302 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200"),
    f"GET /coordination/surveys/{SURVEY}/responses/{{response}}/": (
        "302 200 404 200 200 404 404 404",
        "302 200 404 404 404 404 200 404",
    ),
    f"POST /coordination/surveys/{SURVEY}/responses/{{response}}/ add_fact_sheet": (
        "302 302 404 302 302 404 404 404",
        "302 302 404 404 404 404 302 404",
    ),
    # the REST API
    "API GET /api/cities/{city}/rounds/2025/peers/education": DRAFT_API,
    "API GET /api/practices/suggest/{city}/education": (
        "200 200 200 200 200 200 200 200",
        "404 200 404 404 404 404 200 404",
    ),
    f"API GET /api/surveys/{SURVEY}/tables": (
        "403 200 200 200 200 200 200 200",
        "403 200 200 200 200 200 200 200",
    ),
}
FORMS = {
    "edit": {"section": "area:education", "markdown": "The expert's text.", "lang": "en"},
    "publish": {"lang": "en"},
    "add_action": {
        "add_action": "1",
        "title": "Intercultural training for teachers",
        "owner_department": "Education",
        "deadline": "2027-06-30",
        "status": "planned",
        "progress": "0",
    },
    "add_fact_sheet": {"add_item": "part2"},
}


@pytest.fixture
def responses(team: dict[str, Any]) -> dict[str, int]:
    """A draft response to the authorities' survey for each city, started by its coordinator."""
    version = QuestionnaireVersion.objects.get(version=SURVEY)
    return {
        "hameenlinna": coordination.start_response(
            version, team["coordinator"], city=City.objects.get(slug="hameenlinna")
        ).pk,
        "otherby": coordination.start_response(
            version, team["other_coordinator"], city=City.objects.get(slug="otherby")
        ).pk,
    }


def _call(
    endpoint: str, city: str, who: str, team: dict[str, Any], tokens: dict[str, str], response: int
) -> int:
    endpoint = endpoint.replace("{response}", str(response))
    parts = endpoint.split(" ")
    if parts[0] != "POST" or parts[2] not in FORMS:
        return _request(endpoint, city, who, team, tokens)
    client = Client()
    if who != "anonymous":
        client.force_login(team[who])
    return client.post(parts[1].replace("{city}", city), FORMS[parts[2]]).status_code


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_authorization_matrix(endpoint: str, team, draft_round, tokens, responses) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for city, expected_row in zip(["hameenlinna", "otherby"], MATRIX[endpoint], strict=True):
        for who, expected in zip(ROLES, expected_row.split(), strict=True):
            with transaction.atomic():
                got = _call(endpoint, city, who, team, tokens, responses[city])
                transaction.set_rollback(True)
            if got != int(expected):
                wrong.append(f"{who} on {city}: expected {expected}, got {got}")
    assert not wrong, endpoint + "\n" + "\n".join(wrong)


def test_no_leak_in_the_bodies(team, draft_round, tokens, responses) -> None:  # type: ignore[no-untyped-def]
    """Where an outsider gets a 200 (suggestions, survey tables), nothing of the draft is in it."""
    from interculture.assessments import services

    q = services.engine_questionnaire(draft_round.questionnaire)
    question = q.questions_of("education")[0]
    stored = draft_round.answers.get(question_id=question.id)
    services.record_answer(
        draft_round,
        question.id,
        value=stored.value,
        expected_version=stored.version,
        comment="SECRET-DRAFT-NOTE",
    )
    for who in ["anonymous", "viewer", "outsider", "other_coordinator"]:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"} if who != "anonymous" else {}
        for path in [
            "/api/practices/suggest/hameenlinna/education",
            f"/api/surveys/{SURVEY}/tables",
            "/api/cities/hameenlinna/rounds",
            "/api/cities",
        ]:
            body = Client().get(path, **headers).content.decode()
            assert "SECRET-DRAFT-NOTE" not in body, (who, path)
            if path.endswith("/rounds"):
                assert 2025 not in [r["year"] for r in json.loads(body)], who
