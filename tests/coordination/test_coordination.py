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
from interculture.coordination import selectors as coordination
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
    assert coordination.open_commitments("FI") == {
        "national": {"open": 1, "overdue": 1},
        "local": {"open": 1, "overdue": 0},
    }
    with pytest.raises(PermissionDenied):
        services.update_decision(late, team["contributor"], expected_version=late.version, status="done")
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
    services.update_decision(
        late, team["expert"], expected_version=2, status="done", note="Published on the ministry's site"
    )
    late.refresh_from_db()
    assert late.progress == 100 and "Published on the ministry's site" in late.follow_up
    history = list(late.changes.values_list("version", "changes"))
    assert history[0] == (3, {"status": ["in_progress", "done"], "progress": [40, 100]})
    assert [v for v, _c in history] == [3, 2, 1]
    assert coordination.open_commitments("FI") == {"local": {"open": 1, "overdue": 0}}
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
        services.co_sign(position, city=otherby, user=team["coordinator"])
    other = Client()
    other.force_login(team["other_coordinator"])
    assert other.post(f"/coordination/positions/{position.pk}/", {"city": otherby.pk}).status_code == 302
    assert sorted(position.signatures.values_list("city__slug", flat=True)) == ["hameenlinna", "otherby"]
    with pytest.raises(PermissionDenied):
        services.record_position_answer(
            position, team["other_coordinator"], answer="Yes", answered_on=date(2026, 3, 1)
        )
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
        services.co_sign(position, city=otherby, user=team["other_coordinator"])


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
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    needed = coordination.coordination_needed(round_)
    bench = selectors.benchmark_round(round_)
    assert needed, "Hämeenlinna has areas below the sample mean"
    for row in needed:
        assert bench.rates[row["area"]] < bench.measures[row["area"]]["sample"].stats.mean
        assert set(row["levels"]) <= {"national", "regional"}


def test_peers_strong_in_a_weak_area_come_with_their_practices(team) -> None:  # type: ignore[no-untyped-def]
    """On the demo data plus one real peer: Otherby (under 100 000 inhabitants, like Hämeenlinna)
    publishes a round that meets every question, and has a practice in the base."""
    from interculture.assessments import services as assessments
    from interculture.assessments.models import AssessmentRound
    from interculture.coordination.selectors import city_peers
    from interculture.engine.scoring import best_answers
    from interculture.practices import services as practices
    from interculture.practices.models import Practice

    otherby = City.objects.get(slug="otherby")
    round_ = AssessmentRound.objects.get(city=otherby, year=2025)
    assessments.save_answers(round_, best_answers(assessments.engine_questionnaire(round_.questionnaire)))
    round_.status = "published"
    round_.save()
    sheet = {
        k: v for k, v in Practice.objects.get(slug="bergen-inclusion-centre").data.items() if k != "contact"
    }
    practices.save(
        {
            **sheet,
            "slug": "otherby-media-watch",
            "title": {"en": "Otherby media watch"},
            "place": {"country": "SE", "city": "Otherby"},
        },
        state="published",
    )
    hml = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    found = city_peers(hml, "media", 50)
    mine = next(p for p in found if p["city"] == "otherby")
    assert mine["rate"] == 100.0 and "size" in mine["shared"] and not mine["synthetic"]
    assert mine["practices"] == [{"slug": "otherby-media-watch", "title": "Otherby media watch"}]
    assert all(p["rate"] >= bench_rate(hml, "media") + 10 for p in found)
    api = Client().get("/api/cities/hameenlinna/rounds/2023/peers/media?n=50").json()
    assert any(p["city"] == "otherby" and p["practices"] for p in api)
    assert Client().get("/api/cities/hameenlinna/rounds/2023/peers/no_such_area").status_code == 404
    assert Client().get("/api/cities/otherby/rounds/2030/peers/media").status_code == 404


def bench_rate(round_, area: str) -> float:  # type: ignore[no-untyped-def]
    return float(selectors.benchmark_round(round_).rates[area])


def test_survey_tables_in_the_api_for_signed_in_people_only(team) -> None:  # type: ignore[no-untyped-def]
    url = "/api/surveys/cor-authorities-survey-2011/tables"
    assert Client().get(url).status_code == 403
    c = Client()
    c.force_login(team["viewer"])
    body = c.get(url).json()
    assert (body["responses"], body["fact_sheets"], body["synthetic_responses"]) == (48, 46, 48)
    q1_1 = next(t for t in body["tables"] if t["question"] == "part1.q1_1")
    assert [o["count"] for o in q1_1["options"]] == [33, 15]
    assert c.get(url + "?synthetic=false").json()["responses"] == 0
    assert c.get("/api/surveys/icc-2019/tables").status_code == 404


def test_the_demo_results_name_real_cities_like_hameenlinna_with_practices(db) -> None:  # type: ignore[no-untyped-def]
    """The sample's peers are synthetic cities with no practices; beside them, the results page
    names the practice base's real cities of Hämeenlinna's size band or country, and only
    published, non-synthetic fact sheets."""
    from interculture.coordination.selectors import like_city_practices
    from interculture.engine.benchmarking import size_band
    from interculture.practices.models import Practice

    hml = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    found = like_city_practices(hml, "language", 3)
    assert found, "no real city like Hämeenlinna with a language practice in the demo base"
    for x in found:
        sheet = Practice.objects.get(slug=x["slug"])
        assert sheet.state == Practice.State.PUBLISHED and not sheet.synthetic
        assert x["shared"] and x["city"] != "Hämeenlinna"
        if "size" in x["shared"]:
            assert size_band(sheet.population) == size_band(hml.city.population)
        if "country" in x["shared"]:
            assert sheet.country == "FI"
    html = Client().get("/cities/hameenlinna/").content.decode()
    assert "Cities like this one with a practice in this area:" in html
    listed = html.split("Cities like this one with a practice in this area:", 1)[1].split("</ul>", 1)[0]
    assert "/practices/" in listed and "synthetic" not in listed
