"""Every page passes axe-core (WCAG 2.1 A and AA rules) in real headless Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import screenshot, sign_in

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGES = {
    "home": "/",
    "city-results": "/cities/hameenlinna/",
    "city-round": "/cities/hameenlinna/2023/",
    "questionnaire": "/questionnaires/icc-2019/",
    "admin-login": "/admin/login/",
    "practices": "/practices/",
    "practices-search": "/practices/?q=museum&dimension=cultural",
    "practice-map": "/practices/map/",
    "practice": "/practices/roubaix-cric/",
    "sign-in": "/accounts/login/",
    "api-docs": "/api/docs",
    "report": "/reports/hameenlinna/2023/",
}
SIGNED_IN_PAGES = {
    "practice-new": "/practices/new/",
    "practice-edit": "/practices/bergen-inclusion-centre/edit/",
    "practice-import": "/practices/import/",
    "practice-secretariat": "/practices/roubaix-cric/",
    "workspace": "/workspace/",
    "workspace-city": "/workspace/hameenlinna/",
    "workspace-round-published": "/workspace/hameenlinna/2023/",
    "workspace-area-read-only": "/workspace/hameenlinna/2023/areas/education/",
    "workspace-answer-history": "/workspace/hameenlinna/2023/answers/education.intercultural_projects/history/",
    "workspace-review-published": "/workspace/hameenlinna/2023/review/",
    "api-tokens": "/accounts/tokens/",
    "report-secretariat": "/reports/hameenlinna/2023/",
    "report-edit": "/reports/hameenlinna/2023/edit/",
    "pathway": "/pathway/hameenlinna/",
    "pathway-strategy": "/pathway/hameenlinna/strategy/",
    "programme": "/pathway/programmes/finland-inclusive-integration/",
    "experts": "/pathway/experts/",
    "coordination": "/coordination/",
    "survey-tables": "/coordination/surveys/cor-authorities-survey-2011/",
    "survey-responses": "/coordination/surveys/cor-authorities-survey-2011/responses/",
    "coordination-body": "/coordination/bodies/fi-coordination-mechanism/",
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", ["en", "fi"])
def test_page_has_no_axe_violations(server: str, page: Page, name: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    response = page.goto(server + PAGES[name])
    assert response is not None and response.status == 200
    screenshot(page, f"{name}-{language}")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_language_switcher_changes_the_page_language(server: str, page: Page) -> None:
    page.goto(server + "/cities/hameenlinna/")
    page.select_option("#language-select", "sv")
    page.click("form.language button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.url.endswith("/cities/hameenlinna/")


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_has_no_axe_violations(server: str, page: Page, name: str) -> None:
    sign_in(page, server)
    response = page.goto(server + SIGNED_IN_PAGES[name])
    assert response is not None and response.status == 200
    screenshot(page, name)
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
