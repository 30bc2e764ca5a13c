"""Inputs that used to give a server error or a traceback, each a regression test.

Database tests (SQLite, and PostgreSQL in the second pass) through Django's test client; the
CLI through its entry point.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory

from interculture.accounts import services as accounts
from interculture.cli import main

pytestmark = pytest.mark.django_db

QUESTION = "commitment.public_statement"  # yes/no, in an area the coordinator edits
ANSWER_URL = f"/api/cities/hameenlinna/rounds/2025/answers/{QUESTION}"


@pytest.fixture
def token(team: dict[str, Any], draft_round: Any) -> str:
    return accounts.create_token(team["coordinator"], "tests")[1]


def _api(
    client: Client,
    method: str,
    url: str,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def _json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


# --- the API ----------------------------------------------------------------------------------


def test_cities_with_an_unknown_share_born_abroad_are_listed(client: Client) -> None:
    response = client.get("/api/cities")
    assert response.status_code == 200
    shares = {c["slug"]: c["foreign_born_share"] for c in response.json()}
    assert shares["hameenlinna"] == 6.0
    assert shares["kuopio"] is None  # unknown, not guessed


@pytest.mark.parametrize(
    "query", ["sort=x", "sort=title%00", "page=0", "page=100000000000000000000", "per_page=1000"]
)
def test_practice_search_refuses_a_bad_parameter(client: Client, query: str) -> None:
    response = client.get(f"/api/practices/search?{query}")
    assert response.status_code == 422
    assert _json(response)["detail"]


def test_a_nul_character_is_never_a_server_error(client: Client, token: str) -> None:
    # PostgreSQL refuses NUL in text: search drops it; elsewhere it is a 400.
    assert client.get("/api/practices/search?q=a%00b&level=%00").status_code == 200
    assert client.get("/api/practices/search?q=%25%24%23").status_code == 200  # no word to search
    assert client.get("/practices/?q=%00").status_code == 200
    response = _api(client, "put", ANSWER_URL, token, {"version": 0, "value": "yes", "comment": "a\x00b"})
    assert response.status_code in (200, 400, 409)  # SQLite stores it; PostgreSQL cannot
    _json(response)
    assert client.get("/api/cities/a%00b/rounds").status_code in (400, 404)


def test_practice_search_page_falls_back_to_the_default_sort(client: Client) -> None:
    for query in ("sort=x", "q=kieli&sort=nonsense", "page=99999999999999999999", "page=abc"):
        response = client.get(f"/practices/?{query}")
        assert response.status_code == 200, query


@pytest.mark.parametrize(
    ("city", "area"),
    [("hameenlinna", "no_such_area"), ("kuopio", "education"), ("atlantis", "education")],
)
def test_suggestions_for_an_unknown_area_or_a_city_without_a_round_are_a_404(
    client: Client, city: str, area: str
) -> None:
    response = client.get(f"/api/practices/suggest/{city}/{area}")
    assert response.status_code == 404
    assert _json(response)["detail"]


def test_a_round_for_an_impossible_year_is_refused(client: Client, token: str) -> None:
    for year in (-15215130, 0, 40000):
        response = _api(
            client,
            "post",
            "/api/cities/hameenlinna/rounds",
            token,
            {"year": year, "questionnaire": "icc-2019"},
        )
        assert response.status_code == 422, year
        assert "year" in json.dumps(_json(response))


def test_deeply_nested_json_is_a_client_error(client: Client, token: str) -> None:
    deep = b'{"version": 0, "value": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    response = _api(client, "put", ANSWER_URL, token, raw=deep)
    assert response.status_code == 400
    assert _json(response)["detail"]
    parseable = {"version": 0, "value": json.loads("[" * 500 + "]" * 500)}
    response = _api(client, "put", ANSWER_URL, token, parseable)
    assert response.status_code == 422
    assert len(response.content) < 2_000  # the value is quoted shortened, not whole


@pytest.mark.parametrize("value", [1e308 * 10, 10**400, "x" * 20])
def test_a_value_a_question_cannot_take_is_a_422(client: Client, token: str, value: Any) -> None:
    raw = json.dumps({"version": 0, "value": value}).encode()  # Infinity for the first: not JSON, but read
    response = _api(
        client, "put", "/api/cities/hameenlinna/rounds/2025/answers/commitment.budget", token, raw=raw
    )
    assert response.status_code in (400, 422)
    _json(response)


def test_api_errors_are_json_without_debugging(client: Client, settings: Any) -> None:
    settings.DEBUG = False
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404 and _json(response)["detail"]
    response = client.delete("/api/cities")
    assert response.status_code == 405 and _json(response)["detail"]
    response = client.get("/api/cities/atlantis/rounds/2023")
    assert response.status_code == 404 and _json(response)["detail"]
    response = client.get("/api/cities/hameenlinna/rounds/2023", headers={"Authorization": "Bearer ic_wrong"})
    assert response.status_code == 401 and _json(response)["detail"]


def test_an_unexpected_error_is_a_json_500_without_a_traceback(settings: Any) -> None:
    from interculture.api import api

    for debug in (False, True):
        settings.DEBUG = debug
        request = RequestFactory().get("/api/cities")
        response = api.on_exception(request, RuntimeError("secret detail of the bug"))
        assert response.status_code == 500
        body = json.loads(response.content)
        assert body["detail"] and "secret" not in response.content.decode()
        assert "Traceback" not in response.content.decode()


def test_every_status_an_operation_returns_is_documented(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            assert {"400", "401", "422"} <= documented, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= documented, (method, path)
            for code in documented - {"200", "201"}:
                content = operation["responses"][code]["content"]["application/json"]["schema"]
                assert content == error, (method, path, code)


def test_a_body_over_the_limit_is_a_413(client: Client, token: str, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = {"version": 0, "value": "yes", "comment": "x" * 20_000}
    response = _api(client, "put", ANSWER_URL, token, big)
    assert response.status_code == 413
    assert "too large" in _json(response)["detail"]
    # A form: the CSRF check would read the body first; the page says what happened.
    response = Client().post("/accounts/login/", {"username": "someone", "password": "x" * 20_000})
    assert response.status_code == 413
    assert "too large" in response.content.decode()


# --- answer limits: the service, so that the API and the pages share them -----------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"evidence": [f"https://example.org/{n}" for n in range(51)]}, "evidence"),
        ({"evidence": ["https://example.org/" + "x" * 2_000]}, "evidence"),
        ({"comment": "x" * 10_001}, "comment"),
    ],
)
def test_answer_limits_in_the_api(client: Client, token: str, body: dict[str, Any], field: str) -> None:
    response = _api(client, "put", ANSWER_URL, token, {"version": 0, "value": "yes", **body})
    assert response.status_code == 422
    errors = _json(response)["errors"]
    assert errors[0]["question_id"] == QUESTION and errors[0]["field"] == field
    # Within the limits, the same answer is taken.
    answers = _api(client, "get", ANSWER_URL.rsplit("/", 1)[0], token).json()
    version = next((a["version"] for a in answers if a["question_id"] == QUESTION), 0)
    within = {
        "version": version,
        "value": "yes",
        "evidence": [f"https://example.org/{n}" for n in range(50)],
        "comment": "x" * 10_000,
    }
    assert _api(client, "put", ANSWER_URL, token, within).status_code == 200


def test_answer_limits_in_the_workspace(client: Client, team: dict[str, Any], draft_round: Any) -> None:
    client.force_login(team["coordinator"])
    links = "\n".join(f"https://example.org/{n}" for n in range(60))
    response = client.post(
        f"/workspace/hameenlinna/2025/answers/{QUESTION}/",
        {f"value-{QUESTION}": "yes", f"version-{QUESTION}": "0", f"evidence-{QUESTION}": links},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "more than 50 evidence links" in response.content.decode()


def test_free_text_answers_have_a_length_limit() -> None:
    from interculture.engine.loader import load_questionnaire
    from interculture.engine.schema import QuestionType
    from interculture.engine.scoring import MAX_TEXT_LENGTH, InvalidAnswer, question_points

    survey = load_questionnaire("cor-authorities-survey-2011")
    text = next(q for q in survey.questions if q.type is QuestionType.FREE_TEXT)
    assert question_points(text, "x" * MAX_TEXT_LENGTH) == 0.0
    with pytest.raises(InvalidAnswer, match="longer than"):
        question_points(text, "x" * (MAX_TEXT_LENGTH + 1))


# --- malformed posts to the pages -----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {f"value-{QUESTION}": "yes", f"version-{QUESTION}": "abc"},
        {f"value-{QUESTION}": "yes", f"version-{QUESTION}": "9" * 40},
        {"choice": "mine", f"their-version-{QUESTION}": "1"},  # no mine- field
        {"choice": "mine", f"mine-{QUESTION}": "{not json", f"their-version-{QUESTION}": "1"},
        {"choice": "mine", f"mine-{QUESTION}": "[" * 5000, f"their-version-{QUESTION}": "1"},
        {"choice": "mine", f"mine-{QUESTION}": '"yes"', f"their-version-{QUESTION}": "x"},
    ],
)
def test_a_malformed_autosave_is_a_400_that_says_why(
    client: Client, team: dict[str, Any], draft_round: Any, fields: dict[str, str]
) -> None:
    client.force_login(team["coordinator"])
    for headers in ({"HX-Request": "true"}, {}):
        response = client.post(f"/workspace/hameenlinna/2025/answers/{QUESTION}/", fields, headers=headers)
        assert response.status_code == 400
        assert "Nothing was saved" in response.content.decode()


def test_unknown_questions_and_areas_of_the_workspace_are_a_404(
    client: Client, team: dict[str, Any], draft_round: Any
) -> None:
    client.force_login(team["coordinator"])
    assert client.post("/workspace/hameenlinna/2025/answers/no.such.question/", {}).status_code == 404
    assert client.get("/workspace/hameenlinna/2025/areas/no_such_area/").status_code == 404
    assert client.get("/workspace/hameenlinna/99999999999999999999/").status_code == 404


def test_a_survey_response_for_a_city_that_is_not_one_is_a_form_error(
    client: Client, team: dict[str, Any]
) -> None:
    client.force_login(team["coordinator"])
    url = "/coordination/surveys/cor-authorities-survey-2011/responses/"
    for city in ("abc", "99999999999999999999999", "-1", "١"):
        response = client.post(url, {"city": city})
        assert response.status_code == 400, city
        assert "Choose one of the cities you answer for" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"update_action": "abc"},
        {"add_milestone": "x", "title": "t", "due": "2026-01-01"},
        {"milestone_done": ""},
    ],
)
def test_malformed_pathway_posts_are_a_400(
    client: Client, team: dict[str, Any], fields: dict[str, str]
) -> None:
    client.force_login(team["coordinator"])
    response = client.post("/pathway/hameenlinna/", fields)
    assert response.status_code == 400, response.content[:300]
    assert "must be a whole number" in response.content.decode() or "is missing" in response.content.decode()


# --- YAML: the admin's questionnaire form and the engine's loader ------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join(["*" + chr(97 + i)] * 9) + "]\n" for i in range(8)
)
DEEP = "x: " + "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(("text", "why"), [(BOMB, "expands to more than"), (DEEP, "nested deeper than")])
def test_hostile_yaml_in_the_admin_is_a_form_error(text: str, why: str) -> None:
    from interculture.assessments.admin import QuestionnaireImportForm

    form = QuestionnaireImportForm(data={"source_yaml": text})
    assert not form.is_valid()
    assert why in str(form.errors)


def test_hostile_yaml_answers_file_is_one_line_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for n, text in enumerate((BOMB, DEEP, "a: [1, 2\n")):
        path = tmp_path / f"answers-{n}.yaml"
        path.write_text(text)
        code = main(["score", str(path)])
        _out, err = capsys.readouterr()
        assert code == 1 and err.startswith("interculture: error: ") and err.count("\n") == 1, err


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["score", "--city", "atlantis"], "atlantis"),
        (["score", "--city", "hameenlinna", "--round", "1999"], "no assessment round for 1999"),
        (["practices", "suggest", "atlantis", "education"], "no city 'atlantis'"),
        (["practices", "suggest", "hameenlinna", "no_such_area"], "unknown ICC area 'no_such_area'"),
        (["practices", "suggest", "kuopio", "education"], "kuopio has no assessment round"),
        (["peers", "hameenlinna", "no_such_area"], "unknown area 'no_such_area'"),
        (["score", "/no/such/answers.yaml"], "No such file or directory"),
        (["questionnaire", "validate", "/"], "Is a directory"),
        (["questionnaire", "show", "no-such-version"], "unknown questionnaire version 'no-such-version'"),
        (["practices", "import", "/no/such/file.csv"], "No such file or directory"),
    ],
)
def test_command_line_errors_are_one_clear_line(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code = main(args)
    _out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith("interculture: error: ") and says in err
    assert err.count("\n") == 1 and "Traceback" not in err
