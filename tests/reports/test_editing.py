"""An expert's edit replaces a section's narrative only; the editor starts from the generated
text; edits are marked with their difference; a published round's page names its version."""

from __future__ import annotations

import pytest
from django.test import Client

from interculture.assessments import selectors
from interculture.reports import services
from interculture.reports.builder import build_report
from interculture.reports.markdown import markdown_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2023():  # type: ignore[no-untyped-def]
    return selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)


def test_an_edit_replaces_only_the_narrative(round_2023, team) -> None:  # type: ignore[no-untyped-def]
    before = build_report(round_2023, "en")
    generated = next(s for s in before.sections if s.id == "area:education")
    assert generated.narrative.startswith(generated.context["purpose"].text)
    text = "## Schools in Hämeenlinna\n\nOur own reading:\n\n- mixed classes\n- projects in most schools"
    services.save_edit(round_2023, team["expert"], section="area:education", language="en", markdown=text)
    report = build_report(round_2023, "en")
    section = next(s for s in report.sections if s.id == "area:education")
    html = services.render_html(report)
    part = html.split('id="s-areaeducation"')[1].split("</section>")[0]
    assert "<h4>Schools in Hämeenlinna</h4>" in part and "<li>mixed classes</li>" in part
    assert generated.context["purpose"].text not in part  # the narrative is replaced...
    assert (
        'data-key="rate:education"' in part and "<svg" in part and "chart-data" in part
    )  # ...not the figures
    assert 'class="findings does"' in part and 'class="suggestions"' in part
    assert section.context["does"] and section.context["practices"]
    assert ("+", "- mixed classes") in section.diff and any(mark == "-" for mark, _ in section.diff)


def test_the_editor_opens_with_the_generated_markdown_and_marks_edits(round_2023, team) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(team["secretariat"])
    page = c.get("/reports/hameenlinna/2023/edit/").content.decode()
    report = build_report(round_2023, "en")
    purpose = next(s for s in report.sections if s.id == "area:media").context["purpose"].text
    assert purpose.split(",")[0] in page  # pre-filled with the generated narrative
    c.post(
        "/reports/hameenlinna/2023/edit/",
        {"section": "area:media", "lang": "en", "markdown": "1. one\n2. two"},
    )
    page = c.get("/reports/hameenlinna/2023/").content.decode()
    assert "Edited by the expert" in page and "Difference from the generated text" in page
    assert "<ol>" in markdown_html("1. one\n2. two")


def test_a_published_round_page_names_its_version_not_draft(
    round_2023, team, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.request_publication(round_2023, "en", team["secretariat"])
    page = Client().get("/reports/hameenlinna/2023/").content.decode()
    assert "Published version 1," in page
    assert "Draft" not in page and "draft" not in page.split('<div class="report"')[0].lower()


def test_the_citys_words_carry_their_language_in_a_report_in_another(round_2023) -> None:  # type: ignore[no-untyped-def]
    """WCAG 3.1.2: the comments quote 002 in English; the Finnish report marks them lang="en"."""
    from interculture.reports import services as report_services
    from interculture.reports.builder import build_report as build

    assert round_2023.answers_language == "en"
    finnish = report_services.render_html(build(round_2023, "fi"))
    english = report_services.render_html(build(round_2023, "en"))
    assert '<span class="city-words" lang="en">' in finnish
    assert '<span class="city-words">' in english and 'class="city-words" lang=' not in english


def test_an_edit_of_no_such_section_is_a_clear_400_and_changes_nothing(round_2023, team) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(team["expert"])
    before = build_report(round_2023, "en")
    response = c.post(
        "/reports/hameenlinna/2023/edit/", {"section": "area:nowhere", "lang": "en", "markdown": "Mine"}
    )
    assert response.status_code == 400
    assert "no section" in response.content.decode() and "Traceback" not in response.content.decode()
    after = build_report(round_2023, "en")
    assert [s.narrative for s in after.sections] == [s.narrative for s in before.sections]
