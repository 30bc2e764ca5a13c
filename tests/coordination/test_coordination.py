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
from interculture.coordination.models import Body, Decision, Meeting, Position, Stakeholder
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


def test_decisions_are_followed_up_and_counted_per_level(team) -> None:  # type: ignore[no-untyped-def]
    services.load_stakeholders()
    ministry = Stakeholder.objects.filter(level="national").first()
    body = Body.objects.create(
        slug="fi-coordination", name="National coordination group", level="national", country="FI"
    )
    body.secretaries.add(team["expert"])
    meeting = Meeting.objects.create(
        body=body, date=date(2026, 1, 15), agenda="Integration data", minutes="Agreed"
    )
    late = Decision.objects.create(
        meeting=meeting,
        text="Publish local integration data",
        owner=ministry,
        owner_level="national",
        deadline=date.today() - timedelta(days=1),
    )
    Decision.objects.create(
        meeting=meeting,
        text="Cities share strategies",
        owner_level="local",
        deadline=date.today() + timedelta(days=30),
    )
    assert services.open_commitments("FI") == {
        "national": {"open": 1, "overdue": 1},
        "local": {"open": 1, "overdue": 0},
    }
    with pytest.raises(PermissionDenied):
        services.update_decision(late, team["contributor"], "done")
    c = Client()
    c.force_login(team["expert"])
    r = c.post(
        "/coordination/bodies/fi-coordination/",
        {"decision": late.pk, "status": "done", "follow_up": "Published on the ministry's site"},
    )
    assert r.status_code == 302
    late.refresh_from_db()
    assert late.status == "done" and "Published on the ministry's site" in late.follow_up
    assert services.open_commitments("FI") == {"local": {"open": 1, "overdue": 0}}
    page = c.get("/coordination/").content.decode()
    assert "National coordination group" in page and "CLIP" in page


def test_positions_are_co_signed_then_answered(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    otherby = City.objects.get(slug="otherby")
    position = Position.objects.create(
        title="Funding for local integration",
        text="…",
        addressee="Ministry",
        addressee_level="national",
        drafted_by=hml,
    )
    services.co_sign(position, hml, team["coordinator"])
    with pytest.raises(PermissionDenied):
        services.co_sign(position, otherby, team["coordinator"])
    c = Client()
    c.force_login(team["other_coordinator"])
    assert c.post(f"/coordination/positions/{position.pk}/", {"city": otherby.pk}).status_code == 302
    assert sorted(position.signatures.values_list("city__slug", flat=True)) == ["hameenlinna", "otherby"]
    with pytest.raises(PermissionDenied):
        services.record_position_answer(position, team["other_coordinator"], "Yes", date(2026, 3, 1))
    services.record_position_answer(position, team["coordinator"], "Funding raised in 2027", date(2026, 3, 1))
    with pytest.raises(ValueError):
        services.co_sign(position, otherby, team["other_coordinator"])


def test_weak_areas_that_depend_on_another_level(team) -> None:  # type: ignore[no-untyped-def]
    round_ = selectors.get_round("hameenlinna", 2023)
    needed = services.coordination_needed(round_)
    bench = selectors.benchmark_round(round_)
    assert needed, "Hämeenlinna has areas below the sample mean"
    for row in needed:
        assert bench.rates[row["area"]] < bench.measures[row["area"]]["sample"].stats.mean
        assert set(row["levels"]) <= {"national", "regional"}


def test_survey_tables_from_raw_responses_and_their_export(team) -> None:  # type: ignore[no-untyped-def]
    from interculture.assessments.models import AssessmentRound, QuestionnaireVersion
    from interculture.assessments.services import save_answers

    survey = QuestionnaireVersion.objects.get(version="cor-authorities-survey-2011")
    answers = {
        "hameenlinna": {"part1.q1_1": "yes", "part1.q1_4i": ["language", "job"]},
        "otherby": {"part1.q1_1": "no", "part1.q1_4i": ["language", "housing", "job"]},
    }
    for slug, given in answers.items():
        round_ = AssessmentRound.objects.create(
            city=City.objects.get(slug=slug), year=2012, questionnaire=survey
        )
        save_answers(round_, given)
    c = Client()
    c.force_login(team["viewer"])
    html = c.get("/coordination/surveys/cor-authorities-survey-2011/").content.decode()
    assert "2 responses" in html and "50.0" in html and "100.0" in html  # yes 50 %; language first 100 %
    csv_text = c.get("/coordination/surveys/cor-authorities-survey-2011/?format=csv").content.decode()
    assert "part1.q1_4i" in csv_text and "responses_per_country,,FI,,1,50.0" in csv_text
    assert c.get("/coordination/surveys/cor-authorities-survey-2011/?format=xlsx").content[:2] == b"PK"
    assert c.get("/coordination/surveys/icc-2019/").status_code == 403  # the Index is not a survey
