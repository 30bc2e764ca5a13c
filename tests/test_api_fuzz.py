"""Schemathesis over every operation of /api/openapi.json, against a real server process.

Two passes: one with a secretariat's token (who also coordinates Hämeenlinna, so the writes are
reached), whose path parameters are mostly real objects of the demo data and a draft round; and
one without credentials, where every parameter is generated. Every response must be a documented
status with a body that matches the schema, and never a server error. Deterministic (derandomised,
no example database), at most 50 generated examples per operation, no shrinking.

The server has its own throw-away database (SQLite, or PostgreSQL when DATABASE_URL is set), so
the writes the fuzzing makes (rounds opened, answers changed, a round submitted) harm nothing;
the operations run in the order of the description, the workflow moves (submit, publish) last.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import live_server

pytestmark = pytest.mark.live_db

MAX_EXAMPLES = 50
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

SETUP = """
import json
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import City, QuestionnaireVersion
user = User.objects.create_user("fuzz-secretariat", "fuzz@example.org")
accounts.make_secretariat(user)
city = City.objects.get(slug="hameenlinna")
accounts.add_member(user, city, "coordinator")
services.open_round(city, 2025, version=QuestionnaireVersion.objects.get(version="icc-2019"), user=user)
print(json.dumps(accounts.create_token(user, "fuzz")[1]))
"""

# Real objects of the demo data, and a few that do not exist, drawn for most path parameters
# of the authenticated pass so that the generated bodies and queries reach the real code.
DICTIONARIES = {
    "cities": {
        "values": ["hameenlinna", "hameenlinna", "hameenlinna", "kuopio", "synthetic-2024-001", "nowhere"]
    },
    "years": {"values": [2025, 2025, 2025, 2023, 1999]},
    "questions": {
        "values": [
            "commitment.public_statement",  # yes/no
            "commitment.strategy",  # single choice
            "education.intercultural_projects",
            "intelligence.surveys",
            "business.procurement",
            "no.such.question",
        ]
    },
    "areas": {"values": ["education", "business", "commitment", "no_such_area"]},
    "versions": {"values": ["icc-2019", "cor-authorities-survey-2011", "no-such-version"]},
    "practices": {"values": ["tampere-alma", "hamburg-fluchtort", "no-such-practice"]},
}
PARAMETERS = {
    "path.slug": {"dictionary": "cities", "probability": 0.9},
    "path.city": {"dictionary": "cities", "probability": 0.9},
    "path.year": {"dictionary": "years", "probability": 0.9},
    "path.question_id": {"dictionary": "questions", "probability": 0.9},
    "path.area": {"dictionary": "areas", "probability": 0.9},
    "path.version": {"dictionary": "versions", "probability": 0.9},
}

REQUESTS: Counter[str] = Counter()


def _config(*, with_token: bool) -> schemathesis.Config:
    project: dict[str, Any] = {
        "generation": {
            "mode": "all",  # valid and invalid inputs
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,  # a failure is reported as found; shrinking would only cost requests
            "database": "none",
        },
        "phases": {"stateful": {"enabled": False}},
        "request-timeout": 60,
        "suppress-health-check": ["all"],
    }
    if not with_token:
        # As a person who is not signed in: no generated Authorization header (a bad token is a
        # 401 before any view runs; the token pass and a test of their own cover those).
        project["generation"]["with-security-parameters"] = False
    if with_token:
        project["dictionaries"] = DICTIONARIES
        project["parameters"] = PARAMETERS
        project["operations"] = [
            {
                "include-path": "/api/practices/{slug}",
                "parameters": {"path.slug": {"dictionary": "practices", "probability": 0.9}},
            }
        ]
    return schemathesis.Config.from_dict(project)


@pytest.fixture(scope="module")
def fuzz_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[str, str]]:
    data_dir = tmp_path_factory.mktemp("fuzz")
    env = live_server.installation(data_dir, "interculture_fuzz")
    live_server.manage(env, "load_demo")
    token = live_server.shell_json(env, SETUP)
    with live_server.running_server(env, Path(data_dir) / "server.log") as url:
        yield url, token
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        per_pass = ", ".join(f"{k}: {v}" for k, v in sorted(REQUESTS.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nschemathesis: {sum(REQUESTS.values())} requests ({per_pass})")


def _openapi() -> dict[str, Any]:
    """The description the server serves at /api/openapi.json (the same code; the test below checks
    that they are equal). Read at collection time: the operations become the tests' parameters.
    (schemathesis.pytest.from_fixture, which would read it from the server, fails on pytest 9.2:
    it sets the private Node._nodeid.)"""
    from interculture.api import api

    return json.loads(json.dumps(api.get_openapi_schema()))


authenticated = schemathesis.openapi.from_dict(_openapi(), config=_config(with_token=True))
anonymous = schemathesis.openapi.from_dict(_openapi(), config=_config(with_token=False))


def test_the_served_description_is_the_one_fuzzed(fuzz_server: tuple[str, str]) -> None:
    url, _token = fuzz_server
    with urllib.request.urlopen(url + "/api/openapi.json", timeout=30) as response:
        assert json.loads(response.read()) == _openapi()


@authenticated.parametrize()
def test_api_with_a_secretariat_token(case: Any, fuzz_server: tuple[str, str]) -> None:
    url, token = fuzz_server
    REQUESTS["with token"] += 1
    case.call_and_validate(base_url=url, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@anonymous.parametrize()
def test_api_without_credentials(case: Any, fuzz_server: tuple[str, str]) -> None:
    url, _token = fuzz_server
    REQUESTS["anonymous"] += 1
    case.call_and_validate(base_url=url, checks=CHECKS)
