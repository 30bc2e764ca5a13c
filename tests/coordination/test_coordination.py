"""Multi-level coordination: who reads what across levels, decisions followed up, positions
co-signed and answered, where a city's weak areas need another level."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from interculture.accounts.models import ViewerScope
from interculture.assessments import selectors
from interculture.assessments.models import City
from interculture.coordination import services
from interculture.coordination.models import Body, Decision, Meeting, PeerActivity, Position, Stakeholder
from interculture.pathway import services as pathway

pytestmark = pytest.mark.django_db


def test_a_national_user_reads_every_municipality_and_a_city_not_anothers_drafts(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    programme = pathway.load_programme()
    national = Client()
    national.force_login(team["viewer"])  # viewer of Finland
    for city in programme.cities.all():
        assert national.get(f"/pathway/{city.slug}/").status_code == 200
    html = national.get(f"/pathway/programmes/{programme.slug}/").content.decode()
    assert all(c.name in html for c in programme.cities.all())
    assert national.get("/cities/hameenlinna/2025/").status_code == 404  # drafts stay the city's
    other = Client()
    other.force_login(team["other_coordinator"])  # Otherby's coordinator
    assert other.get("/workspace/hameenlinna/2025/").status_code == 403
    assert other.get("/cities/hameenlinna/2025/").status_code == 404
    assert other.get("/api/cities/hameenlinna/rounds/2025/answers").status_code == 404
    regional = team["outsider"]
    ViewerScope.objects.create(user=regional, country="FI", region="Pirkanmaa")
    regional_client = Client()
    regional_client.force_login(regional)
    assert regional_client.get("/pathway/hameenlinna/").status_code == 403  # another region
    tampere = City.objects.get(slug="tampere")
    assert regional_client.get(f"/pathway/{tampere.slug}/").status_code == (
        200 if tampere.region == "Pirkanmaa" else 403
    )


def test_decisions_are_recorded_followed_up_and_counted_per_level(team) -> None:  # type: ignore[no-untyped-def]
    ministry = Stakeholder.objects.filter(level="national").first()
    body = Body.objects.get(slug="fi-coordination-mechanism")  # seed 000's mechanism, from the data
    assert body.members.count() == Stakeholder.objects.filter(country="FI").count()
    body.secretaries.add(team["expert"])
    c = Client()
    c.force_login(team["expert"])
    form = {
        "record_meeting": "1",
        "date": "2026-01-15",
        "agenda": "Integration data",
        "minutes": "Agreed",
        "decision-TOTAL_FORMS": "3",
        "decision-INITIAL_FORMS": "0",
        "decision-0-text": "Publish local integration data",
        "decision-0-owner_level": "national",
        "decision-0-owner": str(ministry.pk),
        "decision-0-deadline": str(date.today() - timedelta(days=1)),
        "decision-1-text": "Cities share strategies",
        "decision-1-owner_level": "local",
        "decision-1-deadline": str(date.today() + timedelta(days=30)),
    }
    # A decision without its deadline is refused, and nothing of the meeting is recorded.
    bad = c.post("/coordination/bodies/fi-coordination-mechanism/", {**form, "decision-1-deadline": ""})
    assert bad.status_code == 400 and "needs its owner" in bad.content.decode()
    assert not Meeting.objects.filter(body=body).exists()
    assert c.post("/coordination/bodies/fi-coordination-mechanism/", form).status_code == 302
    late = Decision.objects.get(text="Publish local integration data")
    assert services.open_commitments("FI") == {
        "national": {"open": 1, "overdue": 1},
        "local": {"open": 1, "overdue": 0},
    }
    with pytest.raises(PermissionDenied):
        services.update_decision(late, team["contributor"], late.version, status="done")
    other = Client()
    other.force_login(team["contributor"])
    refused = other.post(
        "/coordination/bodies/fi-coordination-mechanism/",
        {"decision": late.pk, "version": late.version, "status": "done", "progress": 100},
    )
    assert refused.status_code == 403
    follow = {
        "decision": late.pk,
        "version": late.version,
        "status": "in_progress",
        "progress": 40,
        "note": "Drafted",
    }
    assert c.post("/coordination/bodies/fi-coordination-mechanism/", follow).status_code == 302
    # A second follow-up based on the version before is refused, not silently applied.
    stale = c.post(
        "/coordination/bodies/fi-coordination-mechanism/", {**follow, "status": "dropped", "note": ""}
    )
    assert stale.status_code == 409
    late.refresh_from_db()
    assert (late.status, late.progress, late.version) == ("in_progress", 40, 2)
    services.update_decision(late, team["expert"], 2, status="done", note="Published on the ministry's site")
    late.refresh_from_db()
    assert late.progress == 100 and "Published on the ministry's site" in late.follow_up
    history = list(late.changes.values_list("version", "changes"))
    assert history[0] == (3, {"status": ["in_progress", "done"], "progress": [40, 100]})
    assert [v for v, _c in history] == [3, 2, 1]
    assert services.open_commitments("FI") == {"local": {"open": 1, "overdue": 0}}
    page = c.get("/coordination/bodies/fi-coordination-mechanism/").content.decode()
    assert "History (3 changes)" in page
    home = c.get("/coordination/").content.decode()
    assert "Multi-level multi-stakeholder coordination mechanism" in home and "CLIP" in home


def test_positions_are_drafted_co_signed_sent_then_answered(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    otherby = City.objects.get(slug="otherby")
    c = Client()
    c.force_login(team["coordinator"])
    drafted = c.post(
        "/coordination/",
        {
            "draft_position": "1",
            "city": hml.pk,
            "title": "Funding for local integration",
            "text": "Cities ask for stable funding of local integration work.",
            "addressee": "Ministry of Economic Affairs and Employment",
            "addressee_level": "national",
        },
    )
    assert drafted.status_code == 302
    position = Position.objects.get(title="Funding for local integration")
    assert list(position.signatures.values_list("city__slug", flat=True)) == ["hameenlinna"]
    # A coordinator drafts only for a city they coordinate.
    assert (
        c.post("/coordination/", {"draft_position": "1", "city": otherby.pk, "title": "x"}).status_code == 400
    )
    with pytest.raises(PermissionDenied):
        services.co_sign(position, otherby, team["coordinator"])
    other = Client()
    other.force_login(team["other_coordinator"])
    assert other.post(f"/coordination/positions/{position.pk}/", {"city": otherby.pk}).status_code == 302
    assert sorted(position.signatures.values_list("city__slug", flat=True)) == ["hameenlinna", "otherby"]
    with pytest.raises(PermissionDenied):
        services.record_position_answer(position, team["other_coordinator"], "Yes", date(2026, 3, 1))
    answer = {
        "record_answer": "1",
        "sent_on": "2026-02-01",
        "answered_on": "2026-03-01",
        "answer": "Funding raised in 2027",
    }
    assert c.post(f"/coordination/positions/{position.pk}/", answer).status_code == 302
    position.refresh_from_db()
    assert (position.sent_on, position.answered_on, position.answer) == (
        date(2026, 2, 1),
        date(2026, 3, 1),
        "Funding raised in 2027",
    )
    with pytest.raises(ValueError):
        services.co_sign(position, otherby, team["other_coordinator"])


def test_peer_learning_is_recorded_between_two_cities(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    otherby = City.objects.get(slug="otherby")
    visit = {
        "record_activity": "1",
        "kind": "study_visit",
        "host": otherby.pk,
        "guest": hml.pk,
        "area": "welcoming",
        "date": "2026-04-20",
        "outcomes": "A welcome desk in the library, tried from autumn",
    }
    outsider = Client()
    outsider.force_login(team["outsider"])
    assert outsider.post("/coordination/", visit).status_code == 400  # not a coordinator of either city
    assert not PeerActivity.objects.exists()
    c = Client()
    c.force_login(team["coordinator"])
    assert c.post("/coordination/", {**visit, "host": hml.pk}).status_code == 400  # a city with itself
    assert c.post("/coordination/", visit).status_code == 302
    page = c.get("/coordination/").content.decode()
    assert "A welcome desk in the library" in page and "Otherby" in page


def test_weak_areas_that_depend_on_another_level(team) -> None:  # type: ignore[no-untyped-def]
    round_ = selectors.get_round("hameenlinna", 2023)
    needed = services.coordination_needed(round_)
    bench = selectors.benchmark_round(round_)
    assert needed, "Hämeenlinna has areas below the sample mean"
    for row in needed:
        assert bench.rates[row["area"]] < bench.measures[row["area"]]["sample"].stats.mean
        assert set(row["levels"]) <= {"national", "regional"}
