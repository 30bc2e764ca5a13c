"""The workspace end to end in headless Chromium: invitation, round, assignment, autosave,
reload, conflict, blocked submission, validation, publication and what the public sees."""

from __future__ import annotations

import quopri
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import live_server
from tests.browser.conftest import SECRETARIAT, screenshot, sign_in
from tests.browser.test_accessibility import WCAG_21_AA

COORDINATOR = ("e2e-coordinator", "coordinator-password-1")
CONTRIBUTOR = ("e2e-education", "contributor-password-1")
EDU = "education.intercultural_projects"
LANG_Q = "language.official_language_training"
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
city = City.objects.get(slug="hameenlinna")
user = User.objects.create_user("{COORDINATOR[0]}", password="{COORDINATOR[1]}")
accounts.add_member(user, city, "coordinator", "Integration services")
other = City.objects.create(slug="otherby", name="Otherby", names={{"en": "Otherby"}}, country="SE",
    population=50000, population_year=2024, population_source="test", foreign_born_share=12,
    foreign_born_year=2024, foreign_born_source="test")
AssessmentRound.objects.create(city=other, year=2025, questionnaire=QuestionnaireVersion.objects.get(version="icc-2019"))
"""


@pytest.fixture(scope="module")
def team(server: str, server_env: dict[str, str]) -> str:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return server


def _context(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": 1280, "height": 900})


def _axe(page: Page) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def _question(page: Page, qid: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[id="q-{qid}"]')


def _autosaved(page: Page, action, sends: str = "") -> None:  # type: ignore[no-untyped-def]
    """Do `action` and wait for the autosave request it triggers (whose form data holds `sends`)
    to be answered: not an earlier save still under way."""
    with page.expect_response(
        lambda r: (
            "/answers/" in r.url and r.request.method == "POST" and sends in (r.request.post_data or "")
        ),
        timeout=15_000,
    ):
        action()


def test_the_working_group_fills_in_the_index_and_the_secretariat_publishes(
    team: str, browser: Browser, server_env: dict[str, str]
) -> None:
    server = team
    coordinator = _context(browser).new_page()
    sign_in(coordinator, server, COORDINATOR)

    # The coordinator invites a contributor from the education department; the mail carries a link.
    coordinator.goto(server + "/workspace/hameenlinna/")
    coordinator.fill("#id_email", "education@example.org")
    coordinator.select_option("#id_role", "contributor")
    coordinator.fill("#id_department", "Education")
    coordinator.click("button[name=invite]")
    expect(coordinator.locator(".messages")).to_contain_text("Invitation sent")
    log = (Path(server_env["INTERCULTURE_DATA_DIR"]) / "server.log").read_bytes()
    log = quopri.decodestring(log).decode("utf-8", "replace")  # the mail body is quoted-printable
    link = re.findall(r"http://\S+/accounts/invitations/\S+/", log)[-1]
    contributor = _context(browser).new_page()
    contributor.goto(link)
    _axe(contributor)
    contributor.fill("#id_username", CONTRIBUTOR[0])
    contributor.fill("#id_password1", CONTRIBUTOR[1])
    contributor.fill("#id_password2", CONTRIBUTOR[1])
    contributor.click("main button[type=submit]")
    expect(contributor.locator("h1")).to_have_text("Workspace")

    # 1. The coordinator opens a round from the previous answers and assigns two areas.
    coordinator.goto(server + "/workspace/hameenlinna/")
    coordinator.fill("#id_year", "2026")
    coordinator.click("button[name=open_round]")
    expect(coordinator.locator("h1")).to_contain_text("Index round 2026")
    coordinator.select_option("#assign-education", label="e2e-education (Education)")
    coordinator.select_option("#assign-language", label="e2e-education (Education)")
    coordinator.click("button[name=assign]")
    expect(coordinator.locator(".messages")).to_contain_text("2 assignments")
    screenshot(coordinator, "workspace-round")
    _axe(coordinator)

    # 2. The contributor answers, comments and gives evidence; every change saves itself.
    area = server + "/workspace/hameenlinna/2026/areas/education/"
    contributor.goto(area)
    q = _question(contributor, EDU)
    _autosaved(contributor, lambda: q.locator("input[value=none]").check())
    comment, evidence = q.locator("textarea[name^=comment]"), q.locator("textarea[name^=evidence]")
    _autosaved(contributor, lambda: (comment.fill("Asked every school in May"), comment.blur()), "school")
    _autosaved(
        contributor,
        lambda: (evidence.fill("https://www.hameenlinna.fi/kasvatus"), evidence.blur()),
        "hameenlinna.fi",
    )
    expect(q.locator(".save-status")).to_contain_text("Saved at")
    screenshot(contributor, "workspace-area")
    _axe(contributor)

    # 3. A reload loses nothing.
    contributor.reload()
    q = _question(contributor, EDU)
    expect(q.locator("input[value=none]")).to_be_checked()
    expect(q.locator("textarea[name^=comment]")).to_have_value("Asked every school in May")
    expect(q.locator("textarea[name^=evidence]")).to_have_value("https://www.hameenlinna.fi/kasvatus")

    # 5. Two people on the same answer: the stale edit is shown beside the other, not lost.
    coordinator.goto(area)
    _autosaved(contributor, lambda: _question(contributor, EDU).locator("input[value=some_schools]").check())
    mine = _question(coordinator, EDU)
    _autosaved(coordinator, lambda: mine.locator("input[value=most_schools]").check())
    conflict = mine.locator(".conflict [role=alert]")
    expect(conflict).to_be_visible()
    expect(conflict.locator("tr[data-field=value] .theirs")).not_to_be_empty()
    expect(conflict.locator("tr[data-field=value] .mine")).not_to_be_empty()
    screenshot(coordinator, "workspace-conflict")
    _axe(coordinator)
    _autosaved(coordinator, lambda: conflict.locator("button[value=mine]").click())
    expect(_question(coordinator, EDU).locator(".conflict [role=alert]")).to_have_count(0)
    coordinator.goto(server + f"/workspace/hameenlinna/2026/answers/{EDU}/history/")
    history = coordinator.locator("table tbody")
    expect(history).to_contain_text("e2e-education")
    expect(history).to_contain_text("e2e-coordinator")
    screenshot(coordinator, "workspace-history")
    _axe(coordinator)

    # 4. Submission is refused while a mandatory answer is missing, with a link to it.
    contributor.goto(server + "/workspace/hameenlinna/2026/areas/language/")
    boxes = _question(contributor, LANG_Q).locator("input[type=checkbox]:checked")
    while boxes.count():
        _autosaved(contributor, lambda: boxes.first.uncheck())
    coordinator.goto(server + "/workspace/hameenlinna/2026/")
    coordinator.click("button[name=submit]")
    missing = coordinator.locator("#missing")
    expect(missing).to_contain_text("Not submitted")
    screenshot(coordinator, "workspace-submission-refused")
    _axe(coordinator)
    missing.locator(f'a[href$="#q-{LANG_Q}"]').click()
    _autosaved(
        coordinator, lambda: _question(coordinator, LANG_Q).locator("input[type=checkbox]").first.check()
    )
    coordinator.goto(server + "/workspace/hameenlinna/2026/")
    coordinator.click("button[name=submit]")
    coordinator.click("button[name=confirmed]")  # the confirmation page
    expect(coordinator.locator("#round-status")).to_have_text("Submitted")

    # 6. The secretariat validates and publishes.
    secretariat = _context(browser).new_page()
    sign_in(secretariat, server, SECRETARIAT)
    secretariat.goto(server + "/workspace/hameenlinna/2026/review/")
    screenshot(secretariat, "workspace-review")
    _axe(secretariat)
    secretariat.click("button[value=validate]")
    secretariat.click("button[name=confirmed]")
    expect(secretariat.locator("#round-status")).to_have_text("Validated")
    secretariat.click("button[value=publish]")
    secretariat.click("button[name=confirmed]")
    expect(secretariat.locator("#round-status")).to_have_text("Published")

    # 7. A signed-out visitor sees the published results, with the trend over both rounds,
    # and neither another city's draft nor the workspace.
    public = _context(browser).new_page()
    response = public.goto(server + "/cities/hameenlinna/2026/")
    assert response is not None and response.status == 200
    expect(public.locator("#trend")).to_be_visible()
    expect(public.locator("figure.chart")).to_have_count(2)
    screenshot(public, "results-2026")
    _axe(public)
    response = public.goto(server + "/cities/otherby/2025/")
    assert response is not None and response.status == 404
    public.goto(server + "/workspace/otherby/")
    assert "/accounts/login/" in public.url
