"""Journeys of the public visitor and of a national viewer, at 1366 and 390 px.

Each page passes the harness's checks (axe 0, no sideways scroll, no console error) and is
screenshotted; the draft of another city stays a 404 that does not disclose it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests import live_server
from tests.browser.journey import Journey

VIEWER = ("e2e-national-viewer", "viewer-password-1")
# A national viewer for Finland, and a draft round of a Finnish programme city (Vantaa).
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts.models import ViewerScope
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
user = User.objects.create_user("{VIEWER[0]}", password="{VIEWER[1]}")
ViewerScope.objects.create(user=user, country="FI")
AssessmentRound.objects.get_or_create(city=City.objects.get(slug="vantaa"), year=2025,
    defaults={{"questionnaire": QuestionnaireVersion.objects.get(version="icc-2019")}})
"""


@pytest.fixture(scope="module")
def viewer(server: str, server_env: dict[str, str]) -> tuple[str, str]:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return VIEWER


def _not_found(journey: Journey, path: str, name: str) -> None:
    """A 404 page: the browser logs the document's own 404 status, which is not a page error."""
    journey.expect_status(404)
    journey.visit(path, status=404)
    expect(journey.page.locator(".error-code")).to_have_text("404")
    journey.check(name)


def test_the_public_visitor_in_finnish(journey_factory: Callable[..., Journey]) -> None:
    j = journey_factory("fi")
    j.visit("/")
    expect(j.page.locator("html")).to_have_attribute("lang", "fi")
    expect(j.page.locator("main")).to_contain_text("Suomi")  # country names in Finnish
    j.check("public-home")

    # A programme city with no published round: its profile, no 404.
    j.page.locator("main a[href='/cities/kuopio/']").first.click()
    j.page.wait_for_load_state()
    expect(j.page.locator("h1")).to_have_text("Kuopio")
    expect(j.page.locator("main")).to_contain_text("indeksituloksia ei ole vielä julkaistu")
    expect(j.page.locator("main")).to_contain_text("Building an inclusive integration approach in Finland")
    j.check("public-city-without-results")

    j.visit("/cities/hameenlinna/")
    expect(j.page.locator("h1")).to_contain_text("Hämeenlinna")
    expect(j.page.locator("main")).not_to_contain_text("002 (")  # sources by their titles
    j.check("public-results")

    j.page.locator("main a[href='/questionnaires/icc-2019/']").first.click()
    j.page.wait_for_load_state()
    j.check("public-questionnaire")

    j.visit("/reports/hameenlinna/2023/")
    j.check("public-report")

    _not_found(j, "/kaupungit/ei-ole/", "public-not-found")
    expect(j.page.locator("h1")).to_have_text("Sivua ei löydy")
    if j.viewport == "phone":
        j.page.get_by_role("button", name="Valikko").click()
        expect(j.page.locator("#site-menu nav a").first).to_be_visible()


def test_the_national_viewer(journey_factory: Callable[..., Journey], viewer: tuple[str, str]) -> None:
    j = journey_factory("en")
    j.sign_in(viewer)
    j.visit("/cities/hameenlinna/")
    expect(j.page.locator("h1")).to_contain_text("Hämeenlinna: Intercultural Cities Index 2023")
    j.check("viewer-results")

    j.visit("/reports/hameenlinna/2023/")
    j.check("viewer-report")

    j.visit("/pathway/hameenlinna/")
    j.check("viewer-pathway")

    # Vantaa's draft round: not for a viewer; it is not disclosed (a 404, and the city's
    # page says only that nothing is published).
    _not_found(j, "/cities/vantaa/2025/", "viewer-draft-not-found")
    j.visit("/cities/vantaa/")
    expect(j.page.locator("main")).to_contain_text("No Index results of Vantaa are published yet")
    expect(j.page.locator("main")).not_to_contain_text("2025")
    j.check("viewer-city-without-published-results")
