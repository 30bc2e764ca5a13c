"""The Index Report: structure, numbers equal to the engine's, PDF text and tags, languages,
expert edits, publication through a background job."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.template.defaultfilters import floatformat
from django.test import Client

from interculture.assessments import selectors
from interculture.assessments import services as assessments
from interculture.engine.findings import improvement_path
from interculture.reports import services
from interculture.reports.builder import build_report
from interculture.reports.models import ReportJob, ReportVersion

pytestmark = pytest.mark.django_db

DATA = re.compile(r'<data value="([^"]*)" data-key="([^"]+)">')


@pytest.fixture
def round_2023():  # type: ignore[no-untyped-def]
    return selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)


def test_every_section_of_002_is_there_in_order(round_2023) -> None:  # type: ignore[no-untyped-def]
    report = build_report(round_2023, "en")
    q = assessments.engine_questionnaire(round_2023.questionnaire)
    expected = ["introduction", "definition", "methodology", "city_overview"]
    for i in q.indicators:  # 002 puts "the city through an intercultural lens" after commitment
        expected += [f"area:{i.id}"] + (["lens"] if i.id == "commitment" else [])
    expected += ["conclusions", "recommendations", "improvement_path"]
    assert [s.id for s in report.sections] == expected
    html = services.render_html(report)
    assert "<h1" in html and "Contents" in html
    for s in report.sections:
        assert f'id="h-{s.id.replace(":", "")}"' in html or f'id="h-{s.id}"' in html.replace(":", "")


def test_every_number_in_the_report_is_the_engines(round_2023) -> None:  # type: ignore[no-untyped-def]
    report = build_report(round_2023, "en")
    html = services.render_html(report)
    score = selectors.round_score(round_2023)
    bench = selectors.benchmark_round(round_2023)
    shown = {key: value for value, key in DATA.findall(html)}
    q = assessments.engine_questionnaire(round_2023.questionnaire)
    assert len(shown) >= 4 * len(q.indicators)
    for ind in q.indicators:
        assert float(shown[f"rate:{ind.id}"]) == pytest.approx(bench.rates[ind.id])
        assert float(shown[f"sample:{ind.id}"]) == pytest.approx(bench.measures[ind.id]["sample"].stats.mean)
        size = bench.measures[ind.id][f"size:{bench.size_band}"].stats.mean
        assert float(shown[f"size:{ind.id}"]) == pytest.approx(size)
    steps = improvement_path(q, selectors.round_answers(round_2023), 5)  # type: ignore[arg-type]
    assert len(steps) == 5
    for step in steps:
        assert float(shown[f"gain:{step.question.id}"]) == pytest.approx(step.gain)
    # The rounded figures printed beside them are the engine's too.
    for ind in q.indicators:
        assert f'data-key="rate:{ind.id}">{floatformat(bench.rates[ind.id], 0)} %' in html
    assert report.numbers["core_index"] == pytest.approx(score.core_index)
    assert f"{bench.sample_size}" in html  # the introduction's sample size


def test_comparative_wording_follows_the_thresholds_in_data(round_2023) -> None:  # type: ignore[no-untyped-def]
    from interculture.reports.wording import load_wording

    w = load_wording()
    assert w.compare(85, 69, "en").startswith("considerably higher")
    assert "slightly" in w.compare(63, 67, "en")
    assert "marginally" in w.compare(69, 72, "en")
    assert w.compare(50, 50.2, "en") == w.comparison.words.equal.en


def test_the_pdf_is_tagged_and_carries_every_rate(round_2023) -> None:  # type: ignore[no-untyped-def]
    report = build_report(round_2023, "en")
    pdf = services.render_pdf(services.render_html(report, for_print=True), "http://testserver/")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root.get("/Lang") == "en"
    assert root["/MarkInfo"]["/Marked"]
    text = " ".join(page.extract_text() for page in reader.pages)
    bench = selectors.benchmark_round(round_2023)
    for ind_id, rate in bench.rates.items():
        if rate is not None and ind_id not in ("lens", "core_index", "extended_index"):
            assert f"{floatformat(rate, 0)} %" in text, ind_id


@pytest.mark.parametrize("language", ["en", "fi", "sv"])
def test_the_hameenlinna_report_in_each_language(round_2023, language: str) -> None:  # type: ignore[no-untyped-def]
    report = build_report(round_2023, language)
    html = services.render_html(report)
    assert f'<html lang="{language}">' in html
    assert "{" not in re.sub(r"<(style|svg)[\s\S]*?</\1>", "", html)  # every placeholder filled
    fallbacks = html.count('class="fallback-note"')
    if language == "en":
        assert fallbacks == 0
    assert ("Hämeenlinna" in html) and report.title


def test_expert_edit_is_kept_and_flagged_when_its_answers_change(round_2023, team) -> None:  # type: ignore[no-untyped-def]
    from interculture.accounts import services as accounts
    from interculture.assessments.models import City

    accounts.add_member(team["expert"], City.objects.get(slug="hameenlinna"), "expert")
    services.save_edit(
        round_2023,
        team["expert"],
        section="area:education",
        language="en",
        markdown="Schools **work** well. <script>alert(1)</script>",
    )
    report = build_report(round_2023, "en")
    section = next(s for s in report.sections if s.id == "area:education")
    assert section.edit is not None and not section.stale
    assert "<strong>work</strong>" in section.edit_html and "<script>" not in section.edit_html
    # The answers behind the section change: the edit stays, and is flagged.
    answer = round_2023.answers.get(question_id="education.intercultural_projects")
    assessments.record_answer(round_2023, answer.question_id, value="none", expected_version=answer.version)
    report = build_report(round_2023, "en")
    section = next(s for s in report.sections if s.id == "area:education")
    assert section.edit is not None and section.stale
    other = next(s for s in report.sections if s.id == "area:media")
    assert not other.stale
    with pytest.raises(Exception):  # noqa: B017 — a contributor does not edit reports
        services.save_edit(
            round_2023, team["contributor"], section="area:education", language="en", markdown="x"
        )


def test_publication_runs_as_a_job_and_keeps_every_version(
    round_2023, team, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):  # jobs are queued once the request commits
        job = services.request_publication(round_2023, "en", team["secretariat"])
    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_publication(round_2023, "en", team["secretariat"])
    versions = list(ReportVersion.objects.filter(round=round_2023, language="en").order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert bytes(versions[0].pdf).startswith(b"%PDF")
    # Running a finished job again publishes nothing more (a retry after a crash).
    services.run_publication(str(job.pk))
    assert ReportVersion.objects.filter(round=round_2023).count() == 2
    # Versions of a published round are downloadable by anyone, at a random address; the page lists them.
    assert Client().get(versions[0].get_absolute_url()).content.startswith(b"%PDF")
    assert str(versions[0].public_id) in versions[0].get_absolute_url()
    assert Client().get(f"/reports/versions/{versions[0].pk}/").status_code == 404
    page = Client().get("/reports/hameenlinna/2023/").content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert ReportJob.objects.filter(round=round_2023, status="done").count() == 2


def test_report_pages_and_permissions(round_2023, team) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/reports/hameenlinna/2023/?lang=fi").status_code == 200
    assert Client().get("/reports/hameenlinna/2023/edit/").status_code == 302
    c = Client()
    c.force_login(team["contributor"])
    assert c.get("/reports/hameenlinna/2023/edit/").status_code == 403
    assert c.post("/reports/hameenlinna/2023/publish/", {"lang": "en"}).status_code == 403
    c.force_login(team["secretariat"])
    assert c.get("/reports/hameenlinna/2023/edit/").status_code == 200
    assert c.get("/reports/otherby/2025/").status_code == 200  # the secretariat sees drafts
    assert Client().get("/reports/otherby/2025/").status_code == 404
