"""The action plan as the city lives it: recommendations by area, accepted or declined one by one;
an action's targeted questions chosen per area and kept after an error; a strategy document
without placeholder text; a timeline in date order without duplicates; Finnish and Swedish."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City, RoundEvent
from interculture.pathway import selectors as pathway
from interculture.pathway import services
from interculture.pathway.models import Action, Recommendation, Step, Strategy
from interculture.reports.models import ReportVersion

pytestmark = pytest.mark.django_db
PAGE = "/pathway/hameenlinna/"


@pytest.fixture
def hml() -> City:
    return City.objects.get(slug="hameenlinna")


@pytest.fixture
def coordinator(team) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(team["coordinator"])
    return c


def _recommendations(hml: City) -> list[Recommendation]:
    services.recommendations_from_report(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023))
    return list(hml.recommendations.order_by("id"))


def test_recommendations_are_decided_one_by_one_and_only_accepted_ones_reach_the_strategy(
    hml, team, coordinator
) -> None:  # type: ignore[no-untyped-def]
    first, second, third, *rest = _recommendations(hml)
    assert {r.status for r in (first, second, third, *rest)} == {"proposed"}  # nothing decided for the city
    assert coordinator.post(PAGE, {"accept_recommendation": first.pk}).status_code == 302
    assert coordinator.post(PAGE, {"accept_recommendation": second.pk}).status_code == 302
    declined = coordinator.post(PAGE, {"decline_recommendation": third.pk, "reason": "Already in the budget"})
    assert declined.status_code == 302 and declined["Location"].endswith(
        f"?area={third.indicator_id}#rec-{third.pk}"
    )
    decided = {r.pk: (r.status, r.reason, r.decided_by) for r in hml.recommendations.all()}
    assert decided[first.pk] == ("accepted", "", team["coordinator"])
    assert decided[third.pk] == ("declined", "Already in the budget", team["coordinator"])
    assert decided[rest[0].pk][0] == "proposed"
    # Reconsidered: accepting a declined one clears its reason.
    coordinator.post(PAGE, {"decline_recommendation": second.pk})
    coordinator.post(PAGE, {"accept_recommendation": second.pk})
    assert hml.recommendations.get(pk=second.pk).status == "accepted"

    html = coordinator.get(PAGE).content.decode()
    assert "Decision: Declined" in html and "Reason: Already in the budget" in html
    groups = pathway.recommendations_by_area(hml, "en")
    assert [g.id for g in groups] == [
        i
        for i in [ind.id for ind in pathway.city_questionnaire(hml).indicators]
        if i in {g.id for g in groups}
    ]  # in the questionnaire's order
    assert sum(len(g.recommendations) for g in groups) == hml.recommendations.count()

    doc = pathway.strategy_document(hml, "en")
    in_strategy = {s.rec.pk for area in doc["areas"] for s in area["recommendations"]}
    assert in_strategy == {first.pk, second.pk}
    assert doc["decided"] == {"accepted": 2, "declined": 1, "proposed": len(rest)}
    # Only the city's working group decides.
    outsider = Client()
    outsider.force_login(team["viewer"])
    assert outsider.post(PAGE, {"decline_recommendation": first.pk}).status_code == 403
    assert coordinator.post(PAGE, {"accept_recommendation": "999999"}).status_code == 404
    assert coordinator.post(PAGE, {"accept_recommendation": "x"}).status_code == 400


def test_targeted_questions_are_chosen_per_area_and_the_form_keeps_its_input_after_an_error(
    hml, coordinator
) -> None:  # type: ignore[no-untyped-def]
    rec = _recommendations(hml)[0]
    services.decide_recommendation(rec, User_of(coordinator), accept=True)
    choices = pathway.question_choices(hml, "fi")
    area_names = [area for area, _group in choices]
    assert "Koulutus" in area_names and len(choices) == len(pathway.city_questionnaire(hml).indicators)
    chosen = ["education.intercultural_projects", "welcoming.information_package"]
    bad = {
        "add_action": "1",
        "recommendation": str(rec.pk),
        "title": "Kielikahvilat kirjastoihin",
        "owner_department": "",  # missing
        "deadline": "2026-12-31",
        "budget_eur": "12000",
        "status": "planned",
        "progress": "0",
        "questions": chosen,
    }
    coordinator.cookies["django_language"] = "fi"
    html = coordinator.get(PAGE).content.decode()
    coordinator.cookies["django_language"] = "en"
    assert '<fieldset class="pathway-questions">' in html
    assert "<summary>Koulutus</summary>" in html  # the area's name in the reader's language
    assert 'name="questions" value="education.intercultural_projects"' in html  # a box, not an id to type
    r = coordinator.post(PAGE, bad)
    assert r.status_code == 200 and Action.objects.count() == 0
    html = r.content.decode()
    assert '<details id="add-action" open>' in html
    assert 'value="Kielikahvilat kirjastoihin"' in html and 'value="12000"' in html
    for qid in chosen:
        assert re.search(rf'value="{re.escape(qid)}" id="[^"]+" checked', html), qid
    assert re.search(rf'<option value="{rec.pk}" selected>', html)
    r = coordinator.post(PAGE, {**bad, "owner_department": "Kirjastot"})
    assert r.status_code == 302
    action = Action.objects.get()
    assert (action.questions, action.recommendation) == (chosen, rec)
    # An unknown question is refused with the input kept; a recommendation not accepted is not offered.
    r = coordinator.post(PAGE, {**bad, "owner_department": "Kirjastot", "questions": ["no.such"]})
    assert r.status_code == 200 and 'value="Kirjastot"' in r.content.decode()
    other = hml.recommendations.exclude(pk=rec.pk).first()
    r = coordinator.post(PAGE, {**bad, "owner_department": "Kirjastot", "recommendation": str(other.pk)})
    assert r.status_code == 200 and Action.objects.count() == 1
    # The action plan names the questions by their text, not their ids.
    html = coordinator.get(PAGE).content.decode()
    listed = html[html.index('id="actions-title"') : html.index('id="add-action"')]
    assert "education.intercultural_projects" not in listed
    assert pathway.question_texts(hml, "en")["education.intercultural_projects"] in listed


def User_of(client: Client):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


PLACEHOLDERS = ["The city writes its vision here", "No recommendation or action yet", "not written yet"]


def test_no_placeholder_reaches_the_strategy_document(hml, coordinator) -> None:  # type: ignore[no-untyped-def]
    for language in ["en", "fi", "sv"]:
        with translation.override(language):
            doc = pathway.strategy_document(hml, language)
            pdf_html = render_to_string("pathway/strategy_document.html", {**doc, "lang": language})
        for text in PLACEHOLDERS:
            assert text not in pdf_html
        assert "<h2>Vision</h2>" not in pdf_html  # an empty section is left out
    page = coordinator.get("/pathway/hameenlinna/strategy/").content.decode()
    document = page[page.index('class="pathway-document"') : page.index('class="pathway-editor"')]
    assert not any(text in document for text in PLACEHOLDERS)
    assert "Vision: not written yet" in page[page.index('class="pathway-editor"') :]  # the editor says so
    Strategy.objects.create(city=hml, title="Hämeenlinna for everyone", vision="   \n")
    assert pathway.strategy_document(hml, "en")["vision_html"] == ""
    services.save_strategy(
        hml, User_of(coordinator), title="Hämeenlinna for everyone", vision="We **meet**.", adopted_on=None
    )
    page = coordinator.get("/pathway/hameenlinna/strategy/").content.decode()
    assert "<h2>Vision</h2>" in page and "<strong>meet</strong>" in page


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def test_the_timeline_is_in_date_order_without_duplicates(hml, team, coordinator) -> None:  # type: ignore[no-untyped-def]
    round_ = AssessmentRound.objects.get(city=hml, year=2023)
    # Submitted, changes requested, submitted again (recorded out of order), validated.
    for status, day in [
        ("submitted", "2024-03-10"),
        ("submitted", "2024-03-01"),
        ("validated", "2024-03-20"),
    ]:
        event = RoundEvent.objects.create(round=round_, to_status=status)
        RoundEvent.objects.filter(pk=event.pk).update(at=_at(day))
    for language, day in [("fi", "2024-04-03"), ("en", "2024-04-02"), ("sv", "2024-04-04")]:
        version = ReportVersion.objects.create(round=round_, number=1, language=language, html="", pdf=b"")
        ReportVersion.objects.filter(pk=version.pk).update(published_at=_at(day))
    expert = services.expert_for(team["expert"])
    hml.visits.create(expert=expert, start=date(2024, 6, 1), end=date(2024, 6, 2))
    Step.objects.create(
        city=hml, kind="expert_visit", date=date(2024, 6, 1), note="Two schools"
    )  # by hand too
    Strategy.objects.create(city=hml, title="For everyone", adopted_on=date(2024, 9, 1))
    Step.objects.create(city=hml, kind="strategy_drafted", date=date(2024, 9, 1))  # same day, earlier step
    for _twice in range(2):  # recorded last, and sent twice
        Step.objects.create(city=hml, kind="working_group", date=date(2024, 1, 15), members="HR\nEducation")

    with translation.override("fi"):
        events = pathway.timeline(hml, selectors.OPERATOR)
    assert [(e.date.isoformat(), e.kind) for e in events] == [
        ("2024-01-15", "working_group"),
        ("2024-03-10", "round_submitted"),  # the latest submission, once
        ("2024-03-20", "round_validated"),
        ("2024-04-02", "report_published"),  # once, whatever its languages
        ("2024-06-01", "expert_visit"),  # once, as recorded by hand
        ("2024-09-01", "strategy_drafted"),  # the pathway's order within a day
        ("2024-09-01", "strategy_adopted"),
    ]
    report = next(e for e in events if e.kind == "report_published")
    fi_version = ReportVersion.objects.get(language="fi")
    assert report.link == fi_version.get_absolute_url() and report.detail == "2023"  # the reader's language
    assert next(e for e in events if e.kind == "expert_visit").detail == "Two schools"

    html = coordinator.get(PAGE).content.decode()
    timeline = html[
        html.index('<ol class="timeline">') : html.index("</ol>", html.index('<ol class="timeline">'))
    ]
    days = re.findall(r'datetime="([\d-]+)"', timeline)
    assert days == sorted(days) and len(days) == 7
    assert timeline.count("Index Report published") == 1


def test_pathway_pages_in_finnish_and_swedish(hml, team, coordinator) -> None:  # type: ignore[no-untyped-def]
    recs = _recommendations(hml)
    services.decide_recommendation(recs[0], team["coordinator"], accept=True)
    services.create_action(
        hml, team["coordinator"], title="Mentorit", owner_department="HR", deadline=date(2026, 12, 31),
        budget_eur=12000, questions=["education.intercultural_projects"],
    )  # fmt: skip
    question = pathway.city_questionnaire(hml).question(recs[0].question_id)
    for language, words in {
        "fi": ["Suositukset", "Päätös:", "Hyväksy", "12\xa0000 €", "Polun vaiheet"],
        "sv": ["Rekommendationer", "Beslut:", "Godkänn", "12\xa0000 €", "Stegen på vägen"],
    }.items():
        with translation.override(language):
            words.append(date_format(date(2026, 12, 31), "DATE_FORMAT"))  # the locale's own date
        coordinator.cookies["django_language"] = language
        html = coordinator.get(PAGE).content.decode()
        for word in words:
            assert word in html, (language, word)
        assert question.recommendation.get(language) in html  # the report's recommendation, translated
        assert question.recommendation.en not in html
        strategy = coordinator.get("/pathway/hameenlinna/strategy/").content.decode()
        assert question.recommendation.get(language) in strategy
        viewer = Client()
        viewer.force_login(team["viewer"])
        viewer.cookies["django_language"] = language
        dashboard = viewer.get("/pathway/programmes/finland-inclusive-integration/").content.decode()
        assert {"fi": "Työryhmä perustettu", "sv": "Arbetsgrupp tillsatt"}[language] in dashboard
        if language == "sv":
            assert "Tavastehus" in dashboard  # the municipality's Swedish name
        matrix = coordinator.get("/coordination/").content.decode()
        table = matrix[matrix.index('id="matrix-title"') : matrix.index('id="stakeholders-title"')]
        assert {"fi": "Jaettu toimivalta", "sv": "Delad behörighet"}[language] in table
        for raw in [">public_services<", ">shared<", ">exclusive<", ">none<", ">commitment<"]:
            assert raw not in table, (language, raw)
