"""`/healthz` on the test database, and the JSON line each request logs."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from interculture import health
from interculture.pathway.models import PeriodicRun

pytestmark = [pytest.mark.django_db, pytest.mark.factories]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def with_database_tasks() -> override_settings:
    """The task backend of INTERCULTURE_TASKS=database: a worker is then expected."""
    return override_settings(TASKS=DATABASE_TASKS)


def test_healthy_with_jobs_run_at_once(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "migrations": {"ok": True, "unapplied": 0},
            "worker": {"ok": True, "state": "not applicable"},
        },
    }


def test_a_fresh_heartbeat_is_healthy_with_the_database_backend(client: Client) -> None:
    health.record_heartbeat()
    with with_database_tasks():
        response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["worker"]["state"] == "fresh"


def test_a_stale_heartbeat_is_a_503(client: Client) -> None:
    health.record_heartbeat()
    with with_database_tasks():
        limit = health.settings.INTERCULTURE_JOB_STALL_SECONDS
        PeriodicRun.objects.filter(name=health.HEARTBEAT).update(
            last_run=timezone.now() - timedelta(seconds=limit + 5)
        )
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["worker"]["state"] == "stale"
    assert body["checks"]["database"] == {"ok": True}


def test_no_heartbeat_at_all_is_a_503(client: Client) -> None:
    with with_database_tasks():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["state"] == "missing"


def test_heartbeats_come_twice_within_the_stale_limit() -> None:
    assert 2 * health.heartbeat_every() <= health.settings.INTERCULTURE_JOB_STALL_SECONDS


def test_healthz_refuses_a_post_without_a_traceback(client: Client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert b"Traceback" not in response.content


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log():  # type: ignore[no-untyped-def]
    handler = Lines()
    logger = logging.getLogger("interculture.requests")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_each_request_logs_one_json_line(client: Client, team, request_log) -> None:  # type: ignore[no-untyped-def]
    client.force_login(team["coordinator"])
    response = client.get("/cities/hameenlinna/?lang=x", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123"
    (line,) = request_log
    record = json.loads(line)
    assert {k: record[k] for k in ("method", "path", "status", "user_id", "request_id")} == {
        "method": "GET",
        "path": "/cities/hameenlinna/",
        "status": 200,
        "user_id": team["coordinator"].pk,
        "request_id": "abc-123",
    }
    assert record["duration_ms"] >= 0 and record["time"].endswith("+00:00")


def test_an_anonymous_request_logs_null_and_gets_a_new_request_id(client: Client, request_log) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page/", headers={"X-Request-ID": "not valid\n{}"})
    assert response.status_code == 404
    record = json.loads(request_log[-1])
    assert record["user_id"] is None and record["status"] == 404
    assert record["request_id"] == response["X-Request-ID"] and len(record["request_id"]) == 32
