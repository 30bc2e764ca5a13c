"""Two web instances and two job workers on one PostgreSQL, as on two machines: nothing a web
process keeps is its own (sessions, CSRF, caches are in the database), and a job is run by
exactly one worker (django-tasks claims a row with SELECT ... FOR UPDATE SKIP LOCKED).

Each part is started as the systemd units start it: `scripts/serve web` and `scripts/serve
worker`, after one `scripts/serve prepare`. Runs in scripts/test's PostgreSQL pass only.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests import live_server
from tests.test_serve import SERVE, get, run_serve, serve_env

pytestmark = pytest.mark.live_db

PASSWORD = "two-instances-password-1"
QUESTION = "education.intercultural_projects"
SETUP = f"""
import json
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import QuestionnaireVersion
coordinator = User.objects.create_user("coordinator-two", password={PASSWORD!r})
city = services.import_city_file("hameenlinna.yaml")
accounts.add_member(coordinator, city, "coordinator")
services.open_round(city, 2025, version=QuestionnaireVersion.objects.get(version="icc-2019"), user=coordinator)
User.objects.create_superuser("secretariat-two", "s@example.org", {PASSWORD!r})
print(json.dumps(True))
"""
RESULTS = """
import json
from django_tasks_db.models import DBTaskResult
from interculture.reports.models import ReportJob
jobs = []
for job in ReportJob.objects.filter(round__year=2023, round__city__slug="hameenlinna"):
    tasks = DBTaskResult.objects.filter(task_path__endswith="publish_report", args_kwargs__args=[str(job.pk)])
    jobs.append({
        "language": job.language, "status": job.status, "attempts": job.attempts,
        "versions": int(hasattr(job, "version")),
        "tasks": [{"status": t.status, "workers": t.worker_ids} for t in tasks],
    })
print(json.dumps(jobs))
"""


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], dict[str, str]]]:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("two instances share one PostgreSQL: set DATABASE_URL (scripts/test's second pass does)")
    data_dir = tmp_path_factory.mktemp("two_instances")
    installation = live_server.installation(
        data_dir, "interculture_two_instances", INTERCULTURE_TASKS="database"
    )
    live_server.manage(installation, "load_demo")
    live_server.shell_json(installation, SETUP)
    env = serve_env(
        DATABASE_URL=installation["DATABASE_URL"],
        INTERCULTURE_DATA_DIR=str(data_dir),
        INTERCULTURE_SECRET_KEY="two-instances-only",  # the same on every instance, as it must be
        INTERCULTURE_WEB_PROCESSES="1",
        INTERCULTURE_WEB_THREADS="2",
        PYTHONUNBUFFERED="1",
    )
    prepared = run_serve(env, "prepare")
    assert prepared.returncode == 0, prepared.stderr
    ports = [live_server._free_port(), live_server._free_port()]
    parts = [("web", {"INTERCULTURE_BIND": f"127.0.0.1:{port}"}) for port in ports]
    parts += [("worker", {"INTERCULTURE_WORKER_ID": f"worker-{n}"}) for n in ("a", "b")]
    procs = []
    for n, (part, extra) in enumerate(parts):
        with (data_dir / f"{part}-{n}.log").open("w") as out:
            procs.append(
                subprocess.Popen(
                    [SERVE, part], env={**env, **extra}, stdout=out, stderr=out, start_new_session=True
                )
            )
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 120
        for url in urls:
            while not _healthy(url):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    logs = "\n".join(p.read_text()[-2000:] for p in data_dir.glob("*.log"))
                    pytest.fail(f"the instances did not become healthy:\n{logs}")
                time.sleep(0.5)
        yield urls, installation
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _healthy(url: str) -> bool:
    try:
        return get(url + "/healthz")[0] == 200
    except OSError:
        return False


def _sign_in(session: requests.Session, url: str, username: str) -> None:
    session.get(url + "/accounts/login/", timeout=30)
    done = session.post(
        url + "/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": url + "/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert done.status_code == 302, done.text[:500]


def _post(session: requests.Session, url: str, path: str, data: dict[str, Any]) -> requests.Response:
    """A form post as the browser sends it: the CSRF token of the cookie, the Referer of the page."""
    data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(
        url + path, data=data, headers={"Referer": url + path}, timeout=60, allow_redirects=False
    )


def test_signed_in_on_one_instance_an_answer_is_saved_on_the_other(instances: Any) -> None:
    (first, second), _ = instances
    browser = requests.Session()  # cookies are per host, not per port: as one browser on one site
    _sign_in(browser, first, "coordinator-two")

    area = "/workspace/hameenlinna/2025/areas/education/"
    page = browser.get(second + area, timeout=30)
    assert page.status_code == 200 and "/accounts/login/" not in page.url  # the session is shared
    version = re.search(rf'name="version-{re.escape(QUESTION)}" value="(\d+)"', page.text)
    assert version, "the area's form carries the answer's version"
    saved = _post(
        browser,
        second,
        f"/workspace/hameenlinna/2025/answers/{QUESTION}/",
        {
            f"value-{QUESTION}": "none",
            f"version-{QUESTION}": version.group(1),
            f"comment-{QUESTION}": "from B",
        },
    )
    assert saved.status_code == 302, saved.text[:500]
    # The first instance reads the saved answer back, through the API with the same session.
    answers = browser.get(first + "/api/cities/hameenlinna/rounds/2025/answers", timeout=30).json()
    (mine,) = [a for a in answers if a["question_id"] == QUESTION]
    assert mine["value"] == "none" and mine["comment"] == "from B"
    assert mine["version"] == int(version.group(1)) + 1


def test_each_publication_is_run_once_by_exactly_one_of_the_two_workers(instances: Any) -> None:
    (first, second), installation = instances
    secretariat = requests.Session()
    _sign_in(secretariat, first, "secretariat-two")
    # Two jobs at once, asked on both instances: both workers are polling for them.
    for url, language in ((first, "en"), (second, "fi")):
        done = _post(secretariat, url, f"/reports/hameenlinna/2023/publish/?lang={language}", {})
        assert done.status_code == 302, done.text[:500]

    deadline = time.monotonic() + 300  # making a tagged PDF takes seconds on a busy machine
    while True:
        jobs = live_server.shell_json(installation, RESULTS)
        if len(jobs) == 2 and all(j["status"] in ("done", "failed") for j in jobs):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(1)
    for job in jobs:
        assert job["status"] == "done" and job["attempts"] == 1 and job["versions"] == 1, job
        (task,) = job["tasks"]  # one queued task per job ...
        assert task["status"] == "SUCCESSFUL"
        assert len(task["workers"]) == 1 and task["workers"][0] in ("worker-a", "worker-b"), (
            task
        )  # ... run once
    print("publications run by", {job["language"]: job["tasks"][0]["workers"][0] for job in jobs})
