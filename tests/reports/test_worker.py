"""A real worker process, killed in the middle of making a report: the job is taken up again
by the next worker and exactly one report is published.

Runs on SQLite in the first pass and on PostgreSQL in the second (see scripts/test).
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import live_server

pytestmark = pytest.mark.live_db

SETUP = """
from django.contrib.auth.models import User
from interculture.assessments import services
from interculture.reports.services import request_publication
services.sync_bundled_questionnaires()
city = services.import_city_file("hameenlinna.yaml")
user = User.objects.create_superuser("secretariat", "s@example.org", "x")
job = request_publication(city.rounds.get(year=2023), "en", user)
print(job.pk)
"""


def _reader(env: dict[str, str]) -> Callable[[str], list[tuple[Any, ...]]]:
    """Run a query on the worker's database, from outside Django."""
    if "DATABASE_URL" in env:
        import psycopg

        def pg(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(env["DATABASE_URL"]) as conn:
                return list(conn.execute(sql).fetchall())

        return pg
    path = Path(env["INTERCULTURE_DATA_DIR"]) / "interculture.sqlite3"

    def lite(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path, timeout=20) as conn:
            return conn.execute(sql).fetchall()

    return lite


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen([live_server.CLI, "worker"], env=env, stdout=out, stderr=out)


def _wait(until: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_killed_worker_leaves_the_job_to_be_retried_and_one_report(tmp_path: Path) -> None:
    env = live_server.installation(
        tmp_path, "interculture_worker", INTERCULTURE_TASKS="database", INTERCULTURE_JOB_STALL_SECONDS="3"
    )
    job_id = live_server.manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    query = _reader(env)
    job = f"SELECT status, progress, attempts FROM reports_reportjob WHERE CAST(id AS TEXT) = '{job_id}' OR CAST(id AS TEXT) = '{job_id.replace('-', '')}'"
    versions = "SELECT COUNT(*) FROM reports_reportversion"
    log = tmp_path / "worker.log"

    first = _worker(env, log)
    try:
        # Kill it while it makes the PDF: the job has started and nothing is published yet.
        _wait(lambda: query(job)[0][1] >= 50, 120, "the job to reach the PDF step")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    status, progress, attempts = query(job)[0]
    assert (status, attempts) == ("running", 1) and progress < 100
    assert query(versions)[0][0] == 0

    second = _worker(env, log)
    try:
        _wait(lambda: query(job)[0][0] == "done", 180, "the retried job to finish")
        time.sleep(2)  # let any duplicate delivery of the job run too
    finally:
        second.terminate()
        second.wait(timeout=20)
    status, progress, attempts = query(job)[0]
    assert (status, progress) == ("done", 100) and attempts >= 2
    assert query(versions)[0][0] == 1, log.read_text()
