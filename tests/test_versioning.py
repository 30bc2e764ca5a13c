"""The one versioned-change mechanism (interculture.versioning): compare-and-swap, one history
format, one Conflict, and updated_at as the time of the last change. On SQLite and PostgreSQL;
the race of two connections on one version runs where rows can be locked (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client

from interculture import versioning
from interculture.coordination.models import Body, Decision, Level, Meeting
from interculture.errors import Conflict

pytestmark = pytest.mark.django_db
Q_EDU = "education.intercultural_projects"


def _decision(user: Any = None) -> Decision:
    body = Body.objects.create(slug="versioning-test-body", name="Test body", level=Level.LOCAL, country="FI")
    meeting = Meeting.objects.create(body=body, date=date(2026, 1, 15))
    return versioning.create_versioned(
        Decision,
        {"text": "Publish the plan", "deadline": date(2026, 6, 30)},
        user=user,
        context={"meeting": meeting, "owner_level": Level.LOCAL},
    )


def test_an_update_raises_the_version_and_records_only_what_changed() -> None:
    author, editor = User.objects.create_user("author"), User.objects.create_user("editor")
    decision = _decision(author)
    created_at = decision.updated_at
    assert (decision.version, decision.updated_by) == (1, author)
    first = decision.changes.get()
    assert first.changes == {"text": [None, "Publish the plan"], "deadline": [None, "2026-06-30"]}

    saved = versioning.update_versioned(
        decision,
        expected_version=1,
        changes={"status": "in_progress", "text": decision.text},
        user=editor,
        note="Began",
    )
    assert (saved.version, saved.status, saved.updated_by) == (2, "in_progress", editor)
    assert saved.updated_at > created_at  # the time of the last change, not of the creation
    latest = saved.changes.get(version=2)
    assert (latest.changes, latest.note, latest.changed_by) == (
        {"status": ["open", "in_progress"]},
        "Began",
        editor,
    )
    # A field the change left alone is read from the history before it.
    assert (latest.old("text"), latest.new("text")) == ("Publish the plan", "Publish the plan")


def test_nothing_changed_is_no_new_version() -> None:
    decision = _decision()
    same = versioning.update_versioned(decision, expected_version=1, changes={"status": "open"})
    assert same.version == 1 and same.changes.count() == 1


def test_a_stale_version_is_one_conflict_with_both_sides_and_writes_nothing() -> None:
    decision = _decision()
    versioning.update_versioned(decision, expected_version=1, changes={"status": "done", "progress": 100})
    with pytest.raises(Conflict) as caught:
        versioning.update_versioned(
            decision, expected_version=1, changes={"status": "dropped", "progress": 100}
        )
    conflict = caught.value
    assert (conflict.current_version, conflict.expected_version) == (2, 1)
    assert conflict.current == {"status": "done", "progress": 100}
    assert conflict.yours == {"status": "dropped", "progress": 100}
    assert conflict.clashing == ["status"]  # the same progress on both sides is no clash
    body = conflict.body()
    assert body["current"]["version"] == 2 and body["yours"]["based_on_version"] == 1
    decision.refresh_from_db()
    assert (decision.status, decision.version, decision.changes.count()) == ("done", 2, 2)


def test_the_apps_own_conflicts_are_the_one_conflict(draft_round, team) -> None:  # type: ignore[no-untyped-def]
    from interculture.assessments.services import AnswerConflict
    from interculture.coordination.services import DecisionConflict
    from interculture.pathway.services import ActionConflict
    from interculture.practices.services import VersionConflict

    assert all(
        issubclass(c, Conflict) for c in (AnswerConflict, ActionConflict, DecisionConflict, VersionConflict)
    )


def test_every_history_has_one_row_per_version() -> None:
    histories = [m for m in apps.get_models() if issubclass(m, versioning.Change)]
    assert {m.__name__ for m in histories} >= {
        "AnswerChange",
        "ActionChange",
        "DecisionChange",
        "PracticeVersion",
    }
    for model in histories:
        unique = [
            set(c.fields) for c in model._meta.constraints if getattr(c, "fields", None) and not c.condition
        ]
        assert {model.object_field, "version"} in unique, model.__name__
    versioned = [m for m in apps.get_models() if issubclass(m, versioning.Versioned) and m.history]
    for model in versioned:
        assert issubclass(getattr(model, model.history).rel.related_model, versioning.Change), model.__name__


def test_the_api_answers_a_stale_edit_with_409_and_updated_at_is_the_last_change(draft_round, team) -> None:  # type: ignore[no-untyped-def]
    from interculture.accounts.services import create_token

    c = Client(HTTP_AUTHORIZATION="Bearer " + create_token(team["contributor"], "versioning test")[1])
    url = f"/api/cities/hameenlinna/rounds/2025/answers/{Q_EDU}"
    start = draft_round.answers.get(question_id=Q_EDU)
    ok = c.put(url, {"value": "none", "version": start.version}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    saved = ok.json()
    assert saved["version"] == start.version + 1
    assert datetime.fromisoformat(saved["updated_at"]) > start.updated_at  # the change, not the creation
    # A comment-only clash: the same value, another comment, on the version before.
    stale = c.put(
        url, {"value": "none", "version": start.version, "comment": "Mine"}, content_type="application/json"
    )
    assert stale.status_code == 409
    body = stale.json()
    assert (
        body["current"]["version"] == start.version + 1 and body["yours"]["based_on_version"] == start.version
    )
    assert body["current"]["value"] == body["yours"]["value"] == "none"
    assert body["fields"] == ["comment"] and body["yours"]["comment"] == "Mine"


def test_a_stale_action_edit_on_the_page_shows_both_sides(team) -> None:  # type: ignore[no-untyped-def]
    from interculture.assessments.models import City
    from interculture.pathway import services as pathway

    city = City.objects.get(slug="hameenlinna")
    action = pathway.create_action(
        city, team["coordinator"], title="Language cafés", owner_department="Library",
        deadline=date.today() + timedelta(days=90),
    )  # fmt: skip
    pathway.update_action(action, team["coordinator"], expected_version=1, status="in_progress", progress=30)
    c = Client()
    c.force_login(team["coordinator"])
    posted = {"update_action": action.pk, "version": 1, "status": "done", "progress": 100}
    page = c.post("/pathway/hameenlinna/", posted)
    assert page.status_code == 409
    html = page.content.decode()
    assert "conflict-table" in html and "Keep theirs" in html and "Keep mine" in html
    action.refresh_from_db()
    assert (action.status, action.version) == ("in_progress", 2)
    # "Keep mine" sends my edit again, based on their version: it overwrites on purpose.
    again = c.post("/pathway/hameenlinna/", {**posted, "based_on": 2})
    assert again.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress, action.version) == ("done", 100, 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: the race runs on PostgreSQL")
def test_two_connections_on_one_version_exactly_one_wins() -> None:
    """Two threads, each with its own database connection, save on version 1 at the same moment."""
    made: dict[str, int] = {}

    def setup() -> None:  # committed, so that both connections see it
        made["pk"] = _decision().pk
        connections.close_all()

    worker = threading.Thread(target=setup)
    worker.start()
    worker.join()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def write(status: str) -> None:
        try:
            decision = Decision.objects.get(pk=made["pk"])
            start.wait()
            versioning.update_versioned(decision, expected_version=1, changes={"status": status})
            outcomes.append("saved")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write, args=(s,)) for s in ("in_progress", "dropped")]
    for w in writers:
        w.start()
    for w in writers:
        w.join()

    def check_and_clean() -> None:
        decision = Decision.objects.get(pk=made["pk"])
        made["version"], made["history"] = decision.version, decision.changes.count()
        decision.meeting.body.delete()
        connections.close_all()

    cleaner = threading.Thread(target=check_and_clean)
    cleaner.start()
    cleaner.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert (made["version"], made["history"]) == (2, 2)
