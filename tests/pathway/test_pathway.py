"""The pathway: actions with history and CSV/XLSX exchange, permissions, reminders, measured
progress between seeded rounds, timeline and the demo programme."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import floatformat
from django.test import Client

from interculture.assessments import selectors
from interculture.assessments import services as assessments
from interculture.assessments.models import AssessmentRound, City
from interculture.pathway import selectors as pathway
from interculture.pathway import services
from interculture.pathway.models import Action, ActionChange

pytestmark = pytest.mark.django_db
Q = "education.intercultural_projects"


@pytest.fixture
def hml() -> City:
    return City.objects.get(slug="hameenlinna")


def _action(city: City, user, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "title": "Intercultural projects in every school",
        "owner_department": "Education",
        "deadline": date(2026, 6, 30),
        "questions": [Q],
        **extra,
    }
    return services.create_action(city, user, **fields)


def test_action_import_checks_every_row_and_a_bad_file_imports_nothing(hml, team) -> None:  # type: ignore[no-untyped-def]
    bad = (
        "title,owner_department,deadline,budget_eur,status,progress,questions\n"
        "Language cafés,Libraries,2026-03-31,5000,planned,0,language.awareness_support\n"
        "Mentors,HR,31.3.2026,,planned,0,\n"
        ",Education,2026-05-01,,finished,150,no.such.question\n"
    ).encode()
    with pytest.raises(services.ImportRejected) as exc:
        services.import_actions(hml, team["coordinator"], data=bad, filename="actions.csv")
    rows = {n for n, _ in exc.value.errors}
    assert rows == {3, 4}
    assert len([m for n, m in exc.value.errors if n == 4]) == 4  # title, status, progress, question
    assert Action.objects.filter(city=hml).count() == 0
    good = bad.decode().splitlines()[:2]
    assert (
        services.import_actions(
            hml, team["coordinator"], data="\n".join(good).encode(), filename="actions.csv"
        )
        == 1
    )
    # Export, then import the XLSX back: the same action again.
    xlsx = services.export_actions(hml, "xlsx")
    assert services.import_actions(hml, team["contributor"], data=xlsx, filename="actions.xlsx") == 1
    a, b = Action.objects.filter(city=hml).order_by("id")
    assert (a.title, a.deadline, a.budget_eur, a.questions) == (
        b.title,
        b.deadline,
        b.budget_eur,
        b.questions,
    )
    with pytest.raises(services.ImportRejected):
        services.import_actions(hml, team["coordinator"], data=b"\xff\xfe garbage", filename="actions.xlsx")


def test_every_action_change_is_kept_and_stale_edits_are_refused(hml, team) -> None:  # type: ignore[no-untyped-def]
    action = _action(hml, team["coordinator"])
    services.update_action(action, team["contributor"], expected_version=1, status="in_progress", progress=40)
    with pytest.raises(services.ActionConflict):
        services.update_action(action, team["coordinator"], expected_version=1, progress=50)
    history = list(ActionChange.objects.filter(action=action).order_by("version"))
    assert [h.version for h in history] == [1, 2]
    assert history[1].changes == {"status": ["planned", "in_progress"], "progress": [0, 40]}
    assert history[1].changed_by == team["contributor"]


def test_a_viewer_reads_but_never_writes(hml, team) -> None:  # type: ignore[no-untyped-def]
    _action(hml, team["coordinator"])
    viewer = Client()
    viewer.force_login(team["viewer"])
    page = viewer.get("/pathway/hameenlinna/")
    assert page.status_code == 200 and "Intercultural projects in every school" in page.content.decode()
    assert viewer.get("/pathway/hameenlinna/actions.csv").status_code == 200
    before = Action.objects.count()
    form = {
        "add_action": "1",
        "title": "x",
        "owner_department": "y",
        "deadline": "2026-01-01",
        "status": "planned",
        "progress": "0",
    }
    assert viewer.post("/pathway/hameenlinna/", form).status_code == 403
    assert Action.objects.count() == before
    with pytest.raises(PermissionDenied):
        _action(hml, team["viewer"])
    with pytest.raises(PermissionDenied):
        services.record_indicator(
            hml,
            team["viewer"],
            indicator_id=sorted(pathway.indicator_ids())[0],
            year=2025,
            value=50,
            source="survey",
        )
    other = Client()
    other.force_login(team["other_coordinator"])  # a Swedish city's coordinator: not Finland's pathway
    assert other.get("/pathway/hameenlinna/").status_code == 403
    assert Client().get("/pathway/hameenlinna/").status_code == 302


def test_the_reminder_job_emails_overdue_actions_once_a_week(hml, team) -> None:  # type: ignore[no-untyped-def]
    from interculture.pathway.tasks import remind_overdue_actions

    yesterday = date.today() - timedelta(days=1)
    late = _action(hml, team["coordinator"], deadline=yesterday)
    _action(hml, team["coordinator"], title="Done already", deadline=yesterday, status="done", progress=100)
    _action(hml, team["coordinator"], title="Not due", deadline=date.today() + timedelta(days=30))
    remind_overdue_actions.enqueue()  # the immediate backend runs it now; a worker does in production
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@example.org"]
    assert late.title in message.body and "Done already" not in message.body and "Not due" not in message.body
    remind_overdue_actions.enqueue()
    assert len(mail.outbox) == 1  # not again within the week
    assert services.claim_periodic("test-job", timedelta(days=1)) is True
    assert services.claim_periodic("test-job", timedelta(days=1)) is False


def test_progress_between_two_seeded_rounds(hml, team) -> None:  # type: ignore[no-untyped-def]
    before = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    opened = assessments.open_round(hml, 2025, version=before.questionnaire, user=team["coordinator"])
    now = opened.round
    answer = now.answers.get(question_id=Q)
    assessments.record_answer(now, Q, value="most_schools", expected_version=answer.version)
    AssessmentRound.objects.filter(pk=now.pk).update(status="validated")
    action = _action(hml, team["coordinator"], status="done", progress=100)
    progress = pathway.measured_progress(hml, selectors.OPERATOR)
    assert progress is not None and (progress["then"].year, progress["now"].year) == (2023, 2025)
    c = Client()
    c.force_login(team["coordinator"])
    assert 'aria-labelledby="trend-caption"' in c.get("/pathway/hameenlinna/").content.decode()
    education = next(a for a in progress["areas"] if a["id"] == "education")
    assert education["then"] == pytest.approx(selectors.round_score(before).rate("education"))
    assert education["now"] == pytest.approx(selectors.round_score(now).rate("education"))
    assert progress["core_now"] == pytest.approx(selectors.round_score(now).core_index)
    done = next(x for x in progress["actions"] if x["action"] == action)
    changed = before.answers.get(question_id=Q).value != "most_schools"
    assert done["targets"][0]["changed"] is changed
    assert done["improved"] == (done["targets"][0]["now"] > done["targets"][0]["then"])


def test_timeline_and_recommendations_from_the_report(hml, team, draft_round) -> None:  # type: ignore[no-untyped-def]
    made = services.recommendations_from_report(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023))
    assert made > 0
    assert (
        services.recommendations_from_report(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023))
        == 0
    )  # idempotent
    assessments.submit_round(draft_round, team["coordinator"])
    kinds = [e.kind for e in pathway.timeline(hml, selectors.OPERATOR)]
    assert "round_submitted" in kinds


def test_the_demo_programme_has_the_six_municipalities_of_000(team) -> None:  # type: ignore[no-untyped-def]
    programme = services.load_programme()
    names = sorted(programme.cities.values_list("name", flat=True))
    assert names == ["Hämeenlinna", "Kuopio", "Tampere", "Turku", "Vaasa", "Vantaa"]
    assert all(c.foreign_born_share is None for c in programme.cities.exclude(slug="hameenlinna"))
    viewer = Client()
    viewer.force_login(team["viewer"])
    html = viewer.get(f"/pathway/programmes/{programme.slug}/").content.decode()
    for name in names:
        assert name in html


def test_strategy_document_from_recommendations_and_actions(hml, team) -> None:  # type: ignore[no-untyped-def]
    services.recommendations_from_report(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023))
    rec = hml.recommendations.filter(indicator_id="education").first()
    services.decide_recommendation(rec, team["coordinator"], accept=True)  # only accepted ones go in
    services.create_action(
        hml,
        team["coordinator"],
        recommendation=rec,
        title="Teacher mentoring",
        owner_department="Education",
        deadline=date(2026, 8, 1),
    )
    c = Client()
    c.force_login(team["coordinator"])
    r = c.post(
        "/pathway/hameenlinna/strategy/",
        {
            "title": "Hämeenlinna for everyone",
            "vision": "A city of **good relations**.",
            "adopted_on": "2026-05-20",
        },
    )
    assert r.status_code == 302
    html = c.get("/pathway/hameenlinna/strategy/").content.decode()
    assert "Teacher mentoring" in html and "<strong>good relations</strong>" in html
    assert c.get("/pathway/hameenlinna/strategy/?format=pdf").content.startswith(b"%PDF")
    assert "strategy_adopted" in [e.kind for e in pathway.timeline(hml, selectors.OPERATOR)]
    public = Client().get("/cities/hameenlinna/").content.decode()
    assert "Pathway" in public


def test_an_expert_records_a_visit_whose_recommendations_join_the_reports(hml, team) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(team["expert"])
    form = {
        "add_visit": "1",
        "start": "2026-02-02",
        "end": "2026-02-03",
        "met": "Integration services, schools",
        "findings": "Strong welcome; little data on participation.",
        "rec_area": ["participation", "education", "media"],
        "rec_text": ["Collect participation data", "", ""],
    }
    assert c.post("/pathway/hameenlinna/", form).status_code == 302
    visit = hml.visits.get()
    assert visit.expert.user == team["expert"] and hml in visit.expert.cities.all()
    assert [r.text for r in hml.recommendations.filter(source="visit")] == ["Collect participation data"]
    assert "expert_visit" in [e.kind for e in pathway.timeline(hml, selectors.OPERATOR)]
    bad = {**form, "start": "2026-02-05"}
    assert c.post("/pathway/hameenlinna/", bad).status_code == 200  # the form shows the error
    assert hml.visits.count() == 1
    contributor = Client()
    contributor.force_login(team["contributor"])
    assert contributor.post("/pathway/hameenlinna/", form).status_code == 403
    registry = contributor.get("/pathway/experts/").content.decode()
    assert visit.expert.name in registry and "Hämeenlinna" in registry


def test_milestones_and_good_relations_beside_the_index(hml, team) -> None:  # type: ignore[no-untyped-def]
    from interculture.reports.builder import build_report

    action = _action(hml, team["coordinator"])
    milestone = services.add_milestone(
        action, team["contributor"], title="Pilot in two schools", due=date(2026, 3, 1)
    )
    services.set_milestone_done(milestone, team["coordinator"], done=True)
    milestone.refresh_from_db()
    assert milestone.done
    indicator = sorted(pathway.indicator_ids())[0]
    services.record_indicator(
        hml,
        team["coordinator"],
        indicator_id=indicator,
        year=2025,
        value=61.5,
        source="Local residents' survey 2025",
    )
    with pytest.raises(ValueError):
        services.record_indicator(
            hml, team["coordinator"], indicator_id="no.such.indicator", year=2025, value=1, source="x"
        )
    with pytest.raises(ValueError):
        services.record_indicator(
            hml, team["coordinator"], indicator_id=indicator, year=2025, value=1, source=" "
        )
    assert (
        "61,5" in Client(headers={"accept-language": "fi"}).get("/cities/hameenlinna/").content.decode()
        or "61.5" in Client().get("/cities/hameenlinna/").content.decode()
    )
    report = build_report(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023), "en")
    assert "good_relations" in [s.id for s in report.sections]


def test_the_national_dashboard_shows_areas_and_commitments(team) -> None:  # type: ignore[no-untyped-def]
    programme = services.load_programme()
    c = Client()
    c.force_login(team["viewer"])
    html = c.get(f"/pathway/programmes/{programme.slug}/").content.decode()
    education = selectors.round_score(selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)).rate(
        "education"
    )
    assert "Index areas side by side" in html
    assert f">{floatformat(education, 0)}<" in html.replace(" ", "").replace("\n", "")
    assert "Open commitments of the coordination bodies, per level" in html
