"""20 API writers at once on one answer of one round, through a real server process.

Every write is either applied (200) or reported as a conflict (409); nothing else, and no
write is lost: the answer's history holds exactly the applied writes, one version each.
Runs on SQLite in the first pass and on PostgreSQL in the second (see scripts/test).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests import live_server

pytestmark = pytest.mark.live_db

WRITERS = 20
QUESTION = "education.intercultural_projects"
SETUP = f"""
import json
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments.services import workflow
from interculture.assessments.services.cities import import_city_file
from interculture.assessments.services.questionnaires import sync_bundled_questionnaires
from interculture.assessments.models import QuestionnaireVersion
sync_bundled_questionnaires()
city = import_city_file("hameenlinna.yaml")
coordinator = User.objects.create_user("coordinator")
accounts.add_member(coordinator, city, "coordinator")
opened = workflow.open_round(city, 2025, version=QuestionnaireVersion.objects.get(version="icc-2019"), user=coordinator)
writers = [User.objects.create_user(f"writer{{n:02d}}") for n in range({WRITERS})]
for w in writers:
    accounts.add_member(w, city, "contributor", "Education")
workflow.assign_areas(opened.round, coordinator, assignments={{"education": writers}})
print(json.dumps([accounts.create_token(w, "concurrency")[1] for w in writers]))
"""


def _call(url: str, token: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        url,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"null")
        except ValueError:  # an error page, not JSON: keep it for the assertion message
            return error.code, raw[:300]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    data_dir = tmp_path_factory.mktemp("concurrency")
    env = live_server.installation(data_dir, "interculture_concurrency")
    tokens = live_server.shell_json(env, SETUP)
    with live_server.running_server(env, Path(data_dir) / "server.log") as url:
        yield url, tokens


def test_parallel_writers_are_applied_or_told_of_a_conflict(server: Any) -> None:
    url, tokens = server
    answer_url = f"{url}/api/cities/hameenlinna/rounds/2025/answers/{QUESTION}"
    answers_url = f"{url}/api/cities/hameenlinna/rounds/2025/answers"

    def current_version(token: str) -> int:
        status, answers = _call(answers_url, token)
        assert status == 200
        return next(a["version"] for a in answers if a["question_id"] == QUESTION)

    start_version = current_version(tokens[0])
    start = threading.Barrier(WRITERS)
    outcomes: list[tuple[str, int, Any]] = []
    lock = threading.Lock()

    def writer(n: int, token: str) -> None:
        version = current_version(token)
        start.wait()
        for attempt in range(60):  # on a conflict: read again and retry, as a client would
            comment = f"writer {n:02d}, attempt {attempt}"
            status, body = _call(
                answer_url, token, "PUT", {"value": "none", "version": version, "comment": comment}
            )
            with lock:
                outcomes.append((comment, status, body))
            if status == 409:
                version = body["current"]["version"]
                continue
            return

    threads = [threading.Thread(target=writer, args=(n, t)) for n, t in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    statuses = {status for _, status, _ in outcomes}
    assert statuses <= {200, 409}, [o for o in outcomes if o[1] not in (200, 409)][:3]
    applied = [comment for comment, status, _ in outcomes if status == 200]
    conflicts = [body for _, status, body in outcomes if status == 409]
    assert len(applied) == WRITERS  # every writer got through in the end
    assert all(c["current"]["version"] > c["yours"]["based_on_version"] for c in conflicts)
    # The history holds exactly the applied writes, with consecutive versions: none lost.
    status, history = _call(answer_url + "/history", tokens[0])
    assert status == 200
    new = [h for h in history if h["version"] > start_version]
    assert sorted(h["version"] for h in new) == list(range(start_version + 1, start_version + WRITERS + 1))
    assert sorted(h["new_comment"] for h in new) == sorted(applied)
    assert current_version(tokens[0]) == start_version + WRITERS
    print(f"{WRITERS} writers: {len(applied)} applied, {len(conflicts)} conflicts reported and retried")
