"""The authorization matrix: every role against every page and API endpoint of the workspace,
on its own city (Hämeenlinna, a draft round 2025) and on another city (Otherby, a draft round 2025).

Each case runs in a savepoint that is rolled back, so a successful write by one role does not
change what the next role finds.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "secretariat",
    "expert",
    "coordinator",
    "contributor",
    "viewer",
    "other_coordinator",
    "outsider",
]
Q = "education.intercultural_projects"

# Expected status per role, in the order of ROLES: first on Hämeenlinna, then on Otherby.
# The expert, coordinator and contributor belong to Hämeenlinna; other_coordinator to Otherby;
# the viewer reads Finland's published results; the outsider is signed in with no role.
MEMBER_PAGE = ("302 200 200 200 200 403 403 403", "302 200 403 403 403 403 200 403")
DRAFT_READ_API = ("404 200 200 200 200 404 404 404", "404 200 404 404 404 404 200 404")
MATRIX: dict[str, tuple[str, str]] = {
    # web pages
    "GET /workspace/": ("302 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200"),
    "GET /workspace/{city}/": MEMBER_PAGE,
    "GET /workspace/{city}/2025/": MEMBER_PAGE,
    "GET /workspace/{city}/2025/areas/education/": MEMBER_PAGE,
    f"GET /workspace/{{city}}/2025/answers/{Q}/history/": MEMBER_PAGE,
    "GET /workspace/{city}/2025/review/": (
        "302 200 200 403 403 403 403 403",
        "302 200 403 403 403 403 403 403",
    ),
    "GET /cities/{city}/2025/": ("404 200 200 200 200 404 404 404", "404 200 404 404 404 404 200 404"),
    # A city whose rounds the person may not see has its profile page, which discloses no draft.
    "GET /cities/{city}/": ("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    f"HX /workspace/{{city}}/2025/answers/{Q}/": (
        "401 403 403 200 200 403 403 403",
        "401 403 403 403 403 403 200 403",
    ),
    "POST /workspace/{city}/ open": ("302 403 403 302 403 403 403 403", "302 403 403 403 403 403 302 403"),
    "POST /workspace/{city}/2025/ submit": (
        "302 403 403 302 403 403 403 403",
        "302 403 403 403 403 403 400 403",
    ),
    "POST /workspace/{city}/2025/review/ validate": (
        "302 409 403 403 403 403 403 403",
        "302 409 403 403 403 403 403 403",
    ),
    # REST API (a bearer token per person; anonymous sends none)
    "API GET /api/cities/{city}/rounds": (
        "200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200",
    ),
    "API POST /api/cities/{city}/rounds": (
        "403 403 403 201 403 403 403 403",
        "403 403 403 403 403 403 201 403",
    ),
    "API GET /api/cities/{city}/rounds/2025": DRAFT_READ_API,
    "API GET /api/cities/{city}/rounds/2025/answers": DRAFT_READ_API,
    f"API GET /api/cities/{{city}}/rounds/2025/answers/{Q}/history": DRAFT_READ_API,
    f"API PUT /api/cities/{{city}}/rounds/2025/answers/{Q}": (
        "404 403 403 200 200 404 404 404",
        "404 403 404 404 404 404 200 404",
    ),
    "API GET /api/cities/{city}/rounds/2025/results": DRAFT_READ_API,
    "API POST /api/cities/{city}/rounds/2025/submit": (
        "404 403 403 200 403 404 404 404",
        "404 403 404 404 404 404 400 404",
    ),
    "API POST /api/cities/{city}/rounds/2025/request-changes": (
        "404 409 409 403 403 404 404 404",
        "404 409 404 404 404 404 403 404",
    ),
    "API POST /api/cities/{city}/rounds/2025/validate": (
        "404 409 403 403 403 404 404 404",
        "404 409 404 404 404 404 403 404",
    ),
    "API POST /api/cities/{city}/rounds/2025/publish": (
        "404 409 403 403 403 404 404 404",
        "404 409 404 404 404 404 403 404",
    ),
}


def _request(endpoint: str, city: str, who: str, team: dict[str, Any], tokens: dict[str, str]) -> int:
    from interculture.assessments.models import QuestionnaireVersion

    parts = endpoint.split(" ")
    client = Client()
    if parts[0] == "API":
        method, path = parts[1], parts[2].replace("{city}", city)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"} if who != "anonymous" else {}
        if method == "GET":
            return client.get(path, **headers).status_code
        body: dict[str, Any] = {}
        if path.endswith("/rounds"):
            body = {"year": 2026, "questionnaire": "icc-2019"}
        elif "/answers/" in path:
            body = {"value": "none", "version": _version(city)}
        call = client.put if method == "PUT" else client.post
        return call(path, json.dumps(body), content_type="application/json", **headers).status_code
    kind, path = parts[0], parts[1].replace("{city}", city)
    if who != "anonymous":
        client.force_login(team[who])
    if kind == "GET":
        return client.get(path).status_code
    if kind == "HX":
        data = {f"value-{Q}": "none", f"version-{Q}": _version(city)}
        return client.post(path, data, HTTP_HX_REQUEST="true").status_code
    version = QuestionnaireVersion.objects.get(version="icc-2019")
    form = {
        "open": {"open_round": "1", "year": "2026", "questionnaire": str(version.pk), "carry_over": "on"},
        "submit": {"submit": "1", "confirmed": "1"},
        "validate": {"action": "validate", "confirmed": "1"},
    }[parts[2]]
    return client.post(path, form).status_code


def _version(city: str) -> int:
    from interculture.assessments.models import Answer

    answer = Answer.objects.filter(round__city__slug=city, round__year=2025, question_id=Q).first()
    return answer.version if answer else 0


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_authorization_matrix(endpoint: str, team, draft_round, tokens) -> None:  # type: ignore[no-untyped-def]
    wrong = []
    for city, expected_row in zip(["hameenlinna", "otherby"], MATRIX[endpoint], strict=True):
        for who, expected in zip(ROLES, expected_row.split(), strict=True):
            with transaction.atomic():
                got = _request(endpoint, city, who, team, tokens)
                transaction.set_rollback(True)
            if got != int(expected):
                wrong.append(f"{who} on {city}: expected {expected}, got {got}")
    assert not wrong, endpoint + "\n" + "\n".join(wrong)


def test_the_profile_of_a_city_with_only_a_draft_does_not_disclose_it(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    html = Client().get("/cities/otherby/").content.decode()
    assert "Otherby" in html and "2025" not in html and "/workspace/" not in html
