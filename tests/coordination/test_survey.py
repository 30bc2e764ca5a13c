"""The authorities' survey (seed 001, Appendix E) answered on the platform: responses for a city
or for one's own authority, fact sheets, the engine's checks, concurrent edits, submission,
fact sheets proposed to the practice base, and the aggregate tables against hand-computed ones."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from interculture.assessments.models import City, QuestionnaireVersion
from interculture.coordination import services
from interculture.coordination.models import SurveyAnswer, SurveyResponse
from interculture.practices import services as practices
from interculture.practices.models import Practice

pytestmark = pytest.mark.django_db
SURVEY = "cor-authorities-survey-2011"
BASE = f"/coordination/surveys/{SURVEY}"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def _start(c: Client, city: City | None = None) -> SurveyResponse:
    r = c.post(f"{BASE}/responses/", {"city": city.pk if city else ""})
    assert r.status_code == 302, r.content[:500]
    return SurveyResponse.objects.get(pk=int(r["Location"].rstrip("/").split("/")[-1]))


def _versions(response: SurveyResponse) -> dict[str, str]:
    """The hidden version fields a page would carry, for every stored answer."""
    out = {}
    for a in response.answers.select_related("item"):
        key = a.question_id if a.item is None else f"{a.question_id}@{a.item.number}"
        out[f"version-{key}"] = str(a.version)
    return out


def _save(c: Client, response: SurveyResponse, section: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post a section as its form would: every field of the page with its version, and the values."""
    page = c.get(f"{BASE}/responses/{response.pk}/{section}/")
    assert page.status_code == 200
    keys = [k for k in page.context["page"]["fields"]] + [
        f for i in page.context["page"]["items"] for f in i["fields"]
    ]
    form = {f"version-{f['key']}": str(f["version"]) for f in keys}
    form.update(fields)
    return c.post(f"{BASE}/responses/{response.pk}/{section}/", form)


def test_the_demo_responses_give_back_the_tables_001_publishes(team) -> None:  # type: ignore[no-untyped-def]
    c = _client(team["viewer"])
    page = c.get(f"{BASE}/").content.decode()
    assert "48 submitted responses" in page and "46 fact sheets" in page
    assert "48 of the responses are synthetic" in page
    rows = list(csv.reader(io.StringIO(c.get(f"{BASE}/?format=csv").content.decode())))
    find = {(r[0], r[2]): r for r in rows}
    assert find[("part1.q1_1", "yes")][4:6] == ["33", "68.8"]  # Table 3.2
    assert find[("part1.q1_12", "no_answer")][4:6] == ["3", "6.2"]  # Table 3.3 prints 6.3 (half up)
    assert find[("responses_per_country", "GR")][4:6] == ["23", "47.9"]  # Table 3.1
    assert find[("fact_sheets_per_country", "ES")][4] == "22"
    assert find[("synthetic_responses", "")][4] == "48"
    real = c.get(f"{BASE}/?responses=real").content.decode()
    assert "0 submitted responses" in real and "No response yet." in real


def test_responses_are_answered_and_the_tables_match_a_hand_count(team) -> None:  # type: ignore[no-untyped-def]
    hml, otherby = City.objects.get(slug="hameenlinna"), City.objects.get(slug="otherby")
    coordinator = _client(team["coordinator"])
    mine = _start(coordinator, hml)
    header = dict(mine.answers.values_list("question_id", "value"))
    assert header["header.country"] == "Finland" and header["header.authority_name"] == "Hämeenlinna"
    assert _start(coordinator, hml) == mine  # a city answers once: starting again opens its response
    ok = _save(
        coordinator,
        mine,
        "part1",
        {
            "value-part1.q1_1": "yes",
            "value-part1.q1_12": "yes",
            "rate-part1.q1_4i-language": "5",
            "rate-part1.q1_4i-job": "5",  # a tie: both the higher priority
            "value-part1.q1_2b": "4,5",  # a decimal comma is read as a number
        },
    )
    assert ok.status_code == 302
    for _n in range(2):
        coordinator.post(f"{BASE}/responses/{mine.pk}/", {"add_item": "part2"})
    assert (
        _save(
            coordinator,
            mine,
            "part2",
            {
                "value-part2.q2_1@1": "Language cafés",
                "value-part2.q2_3b@1": "cultural",
                "value-part2.q2_1@2": "Mentoring for jobseekers",
                "value-part2.q2_3b@2": "socio_economic",
            },
        ).status_code
        == 302
    )
    assert coordinator.post(f"{BASE}/responses/{mine.pk}/", {"submit": "1"}).status_code == 302

    theirs = _start(_client(team["other_coordinator"]), otherby)
    other = _client(team["other_coordinator"])
    _save(
        other,
        theirs,
        "part1",
        {"value-part1.q1_1": "no", "rate-part1.q1_4i-job": "5", "rate-part1.q1_4i-language": "3"},
    )
    other.post(f"{BASE}/responses/{theirs.pk}/", {"add_item": "part2"})
    _save(other, theirs, "part2", {"value-part2.q2_1@1": "Housing advice", "value-part2.q2_3b@1": "cultural"})
    other.post(f"{BASE}/responses/{theirs.pk}/", {"submit": "1"})

    # An authority that is not on the platform answers for itself and names itself in the header.
    regional = _client(team["outsider"])
    own = _start(regional)
    _save(
        regional,
        own,
        "header",
        {"value-header.authority_name": "Region of Skåne", "value-header.country": "Sweden"},
    )
    regional.post(f"{BASE}/responses/{own.pk}/", {"submit": "1"})
    own.refresh_from_db()
    assert (own.status, own.country, own.authority) == ("submitted", "SE", "Region of Skåne")
    # A draft is not counted.
    _start(_client(team["contributor"]))

    c = _client(team["viewer"])
    rows = list(csv.reader(io.StringIO(c.get(f"{BASE}/?format=csv&responses=real").content.decode())))
    find = {(r[0], r[2]): r[3:6] for r in rows}
    # By hand: 3 submitted responses; q1_1 yes (Hämeenlinna), no (Otherby), no answer (Skåne).
    assert find[("part1.q1_1", "yes")] == ["3", "1", "33.3"]
    assert find[("part1.q1_1", "no")] == ["3", "1", "33.3"]
    assert find[("part1.q1_1", "no_answer")] == ["3", "1", "33.3"]
    assert find[("part1.q1_12", "yes")] == ["3", "1", "33.3"]
    # Higher priority (rated 5) of all 3 responses: language by Hämeenlinna, job by both.
    assert find[("part1.q1_4i", "language")] == ["3", "1", "33.3"]
    assert find[("part1.q1_4i", "job")] == ["3", "2", "66.7"]
    # The fact sheets' question over the 3 fact sheets: cultural 2, socio-economic 1.
    assert find[("part2.q2_3b", "cultural")] == ["3", "2", "66.7"]
    assert find[("part2.q2_3b", "socio_economic")] == ["3", "1", "33.3"]
    # Table 3.1: SE 2 responses (Otherby, Skåne) with 1 fact sheet, FI 1 with 2.
    assert find[("responses_per_country", "SE")] == ["3", "2", "66.7"]
    assert find[("responses_per_country", "FI")] == ["3", "1", "33.3"]
    assert find[("fact_sheets_per_country", "FI")][1] == "2"
    html = c.get(f"{BASE}/?responses=real").content.decode()
    assert "3 submitted responses" in html and 'class="synthetic"' not in html
    # Everyone's tables include the demo's 48 synthetic ones too.
    assert "51 submitted responses" in c.get(f"{BASE}/").content.decode()


def test_a_response_is_read_only_by_its_authority_and_the_secretariat(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    response = _start(_client(team["coordinator"]), hml)
    url = f"{BASE}/responses/{response.pk}/"
    assert _client(team["contributor"]).get(url).status_code == 200  # answers for the same city
    assert _client(team["secretariat"]).get(url).status_code == 200
    for name in ("other_coordinator", "viewer", "expert", "outsider"):
        assert _client(team[name]).get(url).status_code == 404, name
        assert _client(team[name]).get(url + "header/").status_code == 404, name
    assert Client().get(url).status_code == 302  # sign in first
    with pytest.raises(PermissionDenied):
        services.start_response(response.questionnaire, team["other_coordinator"], city=hml)
    assert _client(team["viewer"]).get(f"{BASE}/").status_code == 200  # the tables: anyone signed in
    assert _client(team["viewer"]).get("/coordination/surveys/icc-2019/").status_code == 404  # not a survey


def test_a_refused_value_and_a_concurrent_edit_lose_nothing(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    coordinator, contributor = _client(team["coordinator"]), _client(team["contributor"])
    response = _start(coordinator, hml)
    before = _versions(response)
    refused = coordinator.post(
        f"{BASE}/responses/{response.pk}/part1/",
        {
            **before,
            "value-part1.q1_2b": "150",
            "value-part1.q1_1": "yes",
            "version-part1.q1_2b": "0",
            "version-part1.q1_1": "0",
        },
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    # said why, and the value is kept in the form
    assert "Enter a percentage from 0 to 100." in body and 'value="150"' in body
    stored = dict(response.answers.values_list("question_id", "value"))
    assert stored["part1.q1_1"] == "yes" and "part1.q1_2b" not in stored  # the valid one was saved
    # Two people open the header; the contributor saves first; the coordinator's save is refused.
    drawn = _versions(response)
    assert (
        contributor.post(
            f"{BASE}/responses/{response.pk}/header/",
            {**drawn, "value-header.authority_name": "City of Hämeenlinna"},
        ).status_code
        == 302
    )
    late = coordinator.post(
        f"{BASE}/responses/{response.pk}/header/",
        {**drawn, "value-header.authority_name": "Hämeenlinnan kaupunki"},
    )
    assert late.status_code == 409
    text = late.content.decode()
    assert "City of Hämeenlinna" in text and "Hämeenlinnan kaupunki" in text  # both values shown
    assert (
        SurveyAnswer.objects.get(response=response, question_id="header.authority_name").value
        == "City of Hämeenlinna"
    )
    # Saving again from the redrawn page keeps the coordinator's value, knowingly.
    again = coordinator.post(
        f"{BASE}/responses/{response.pk}/header/",
        {**_versions(response), "value-header.authority_name": "Hämeenlinnan kaupunki"},
    )
    assert again.status_code == 302
    response.refresh_from_db()
    assert response.authority == "Hämeenlinnan kaupunki"


def test_submission_needs_a_country_and_a_submitted_fact_sheet_becomes_a_practice(team) -> None:  # type: ignore[no-untyped-def]
    regional = _client(team["outsider"])
    own = _start(regional)
    page = regional.post(f"{BASE}/responses/{own.pk}/", {"submit": "1"}, follow=True).content.decode()
    assert "the name of the authority" in page and "a country we recognise" in page
    own.refresh_from_db()
    assert own.status == "draft"
    _save(
        regional,
        own,
        "header",
        {
            "value-header.authority_name": "Region of Skåne",
            "value-header.country": "Sweden",
            "value-header.authority_type": "regional",
            "value-header.email": "integration@example.org",
        },
    )
    regional.post(f"{BASE}/responses/{own.pk}/", {"add_item": "part2"})
    item = own.items.get()
    _save(
        regional,
        own,
        "part2",
        {
            "value-part2.q2_1@1": "Welcome guides",
            "value-part2.q2_2a@1": "2019",
            "value-part2.q2_2b@1": "3",
            "value-part2.q2_3a@1": "Volunteers guide newcomers through their first months.",
            "value-part2.q2_3b@1": "cultural",
            "value-part2.q2_6c@1": ["regional", "eu"],
            "value-part2.q2_12@1": "300 newcomers guided.",
        },
    )
    early = regional.post(f"{BASE}/responses/{own.pk}/", {"propose": item.pk}, follow=True).content.decode()
    assert "Submit the response first" in early
    regional.post(f"{BASE}/responses/{own.pk}/", {"submit": "1"})
    # Once submitted, the answers no longer change…
    assert _save(regional, own, "header", {"value-header.authority_name": "X"}).status_code == 302
    own.refresh_from_db()
    assert own.authority == "Region of Skåne"
    # …and the fact sheet goes to the practice base, in review, then the secretariat publishes it.
    assert regional.post(f"{BASE}/responses/{own.pk}/", {"propose": item.pk}).status_code == 302
    item.refresh_from_db()
    practice = item.practice
    assert practice is not None and practice.state == Practice.State.IN_REVIEW
    data = practice.data
    assert data["title"]["en"] == "Welcome guides" and data["place"]["country"] == "SE"
    assert (data["level"], data["dimension"], data["start"], data["finish"]) == (
        "regional",
        "cultural",
        "2019",
        "2022",
    )
    assert data["funding"] == ["regional", "eu"] and data["organiser"] == "Region of Skåne"
    assert (
        "300 newcomers guided." in data["outcomes"] and data["contact"]["email"] == "integration@example.org"
    )
    assert "Survey response" in data["provenance"]["source"]
    again = regional.post(f"{BASE}/responses/{own.pk}/", {"propose": item.pk}, follow=True).content.decode()
    assert "already in the practice base" in again
    practices.transition(practice, Practice.State.PUBLISHED, user=team["secretariat"])
    assert _client(team["viewer"]).get(f"/practices/{practice.slug}/").status_code == 200


def test_the_survey_is_listed_in_the_workspace(team) -> None:  # type: ignore[no-untyped-def]
    page = _client(team["contributor"]).get("/workspace/").content.decode()
    assert f"{BASE}/responses/" in page
    assert QuestionnaireVersion.objects.filter(version=SURVEY).exists()


def test_a_tie_is_kept_and_refused_values_come_back_as_typed_in_finnish(team) -> None:  # type: ignore[no-untyped-def]
    """Appendix E: "You can assign the same priority to different factors". A tie (1, 1, 3) is
    stored and drawn as typed; a value the form or the engine refuses is shown back as typed,
    with why, in the person's language."""
    hml = City.objects.get(slug="hameenlinna")
    coordinator = _client(team["coordinator"])
    response = _start(coordinator, hml)
    tie = {"rate-part1.q1_4i-job": "1", "rate-part1.q1_4i-language": "1", "rate-part1.q1_4i-housing": "3"}
    assert _save(coordinator, response, "part1", tie).status_code == 302
    stored = SurveyAnswer.objects.get(response=response, question_id="part1.q1_4i")
    assert stored.value == {"job": 1, "language": 1, "housing": 3}
    page = coordinator.get(f"{BASE}/responses/{response.pk}/part1/").content.decode()
    assert (
        'name="rate-part1.q1_4i-job" value="1"' in page
        and 'name="rate-part1.q1_4i-language" value="1"' in page
    )

    refused = coordinator.post(
        f"{BASE}/responses/{response.pk}/part1/",
        {
            **_versions(response),
            **tie,
            "version-part1.q1_5i": "0",
            "version-part1.q1_11": "0",
            "version-part1.q1_2a": "0",
            "version-part1.q1_2d": "0",
            "rate-part1.q1_5i-resources": "7",
            "rate-part1.q1_11-cultural": "kolme",
            "value-part1.q1_2a": "paljon",
            "value-part1.q1_2d": "2099",
        },
        HTTP_ACCEPT_LANGUAGE="fi",
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'name="rate-part1.q1_5i-resources" value="7"' in body
    assert 'name="rate-part1.q1_11-cultural" value="kolme"' in body
    assert 'value="paljon"' in body and 'value="2099"' in body
    assert "Arviot ovat kokonaislukuja väliltä 1–5." in body  # the scale of 1.5
    assert "Arviot ovat kokonaislukuja väliltä 1–3." in body  # the scale of 1.11
    assert "Anna luku." in body
    assert "Anna vuosiluku, enintään" in body
    assert not SurveyAnswer.objects.filter(
        response=response, question_id__in=["part1.q1_5i", "part1.q1_11", "part1.q1_2a", "part1.q1_2d"]
    ).exists()
    assert SurveyAnswer.objects.get(response=response, question_id="part1.q1_4i").value == stored.value


def test_the_tables_give_the_higher_priority_shares_001_publishes(team) -> None:  # type: ignore[no-untyped-def]
    """From the stored demo responses: Figures 3.1-3.5's shares as 001's text gives them
    (e.g. language barriers 79.2 %, lack of resources 66.7 % and 60.4 %), the order of Figures
    3.6-3.7's findings, and the page and its CSV show them."""
    from interculture.coordination.selectors import published_survey, survey_results

    version = QuestionnaireVersion.objects.get(version=SURVEY)
    results = survey_results(version)
    published = published_survey(SURVEY)
    assert published is not None and results["n"] == 48
    tables = {t.question.id: t for t in results["tables"]}
    for qid, figure in published["higher_priority"].items():
        shares = {r.option: round(r.top_share, 1) for r in tables[qid].ratings}
        for option, share in figure["shares"].items():
            assert shares[option] == share, (figure["figure"], option)
    for qid, finding in published["findings"].items():
        means = {r.option: r.mean for r in tables[qid].ratings}
        assert [means[o] for o in finding["order"]] == sorted(
            (means[o] for o in finding["order"]), reverse=True
        )
    assert {
        (published["higher_priority"]["part1.q1_4i"]["shares"]["language"]),
        (published["higher_priority"]["part1.q1_5i"]["shares"]["resources"]),
    } == {79.2, 66.7}

    c = _client(team["viewer"])
    rows = list(csv.reader(io.StringIO(c.get(f"{BASE}/?format=csv").content.decode())))
    find = {(r[0], r[2]): r for r in rows}
    assert find[("part1.q1_4i", "language")][4:6] == ["38", "79.2"]
    assert find[("part1.q1_5ii", "resources")][4:6] == ["29", "60.4"]
    html = c.get(f"{BASE}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Korkeampi prioriteetti" in html and "selvityksen kuvio 3.1" in html and "79,2" in html


def test_stored_rankings_become_ratings(team) -> None:  # type: ignore[no-untyped-def]
    """The migration keeps existing responses: a ranking's order becomes ratings from the top."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0003_survey_priority_grids_are_ratings"
    migration = importlib.import_module(f"interculture.coordination.migrations.{name}")
    apps = MigrationLoader(connection).project_state(("coordination", name)).apps  # as migrate runs it
    response = _start(_client(team["coordinator"]), City.objects.get(slug="hameenlinna"))
    version = QuestionnaireVersion.objects.get(version=SURVEY)
    bundled = version.source_yaml
    old = bundled.replace("  type: rating\n  scale:\n    min: 1\n    max: 5\n", "  type: ranking\n")
    QuestionnaireVersion.objects.filter(pk=version.pk).update(source_yaml=old)  # as stored before
    ranked = SurveyAnswer.objects.create(
        response=response, question_id="part1.q1_4i", value=["language", "job", "housing"]
    )
    three = SurveyAnswer.objects.create(
        response=response, question_id="part1.q1_11", value=["cultural", "legal_political"]
    )
    migration.ranks_to_ratings(apps, None)
    ranked.refresh_from_db()
    three.refresh_from_db()
    assert ranked.value == {"language": 5, "job": 4, "housing": 3}
    assert three.value == {"cultural": 3, "legal_political": 2}
    version.refresh_from_db()
    assert version.source_yaml == bundled  # the questionnaire's own new definition
    migration.ratings_to_ranks(apps, None)
    ranked.refresh_from_db()
    assert ranked.value == ["language", "job", "housing"]
