"""Coordination end to end in headless Chromium: two authorities answer the survey (one for its
city, one for a region not on the platform), a fact sheet goes to the practice base, the tables
match a count by hand; a body's secretary records a meeting and follows a decision up; a city
drafts a shared position."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import live_server
from tests.browser.conftest import SECRETARIAT, screenshot, signed_in_page
from tests.browser.test_workspace_flow import _axe

COORDINATOR = ("co-coordinator", "coordination-password-1")
REGIONAL = ("co-regional", "coordination-password-2")
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments.models import City
city = City.objects.get(slug="hameenlinna")
accounts.add_member(User.objects.create_user("{COORDINATOR[0]}", password="{COORDINATOR[1]}"), city, "coordinator")
User.objects.create_user("{REGIONAL[0]}", password="{REGIONAL[1]}")
"""
SURVEY = "/coordination/surveys/cor-authorities-survey-2011"


@pytest.fixture(scope="module")
def people(server: str, server_env: dict[str, str]) -> str:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return server


def _field(page: Page, name: str, value: str | None = None):  # type: ignore[no-untyped-def]
    selector = f'[name="{name}"]' + (f'[value="{value}"]' if value else "")
    return page.locator(selector)


def test_two_authorities_answer_the_survey_and_the_tables_add_up(people: str, browser: Browser) -> None:
    server = people
    city = signed_in_page(browser, server, COORDINATOR)
    city.goto(server + "/workspace/")
    city.locator("main a", has_text="Survey Questionnaire").first.click()
    expect(city.locator("h1")).to_have_text("Answer the survey")
    city.select_option("#id_city", label="Hämeenlinna")
    city.click("button[name=start]")
    expect(city.locator("h1")).to_have_text("Hämeenlinna")
    screenshot(city, "survey-response")
    _axe(city)
    city.click("text=Part 1 – Integration policies")
    _field(city, "value-part1.q1_1", "yes").check()
    _field(city, "rate-part1.q1_4i-language").fill("5")
    _field(city, "rate-part1.q1_4i-job").fill("4")
    _field(city, "value-part1.q1_2b").fill("150")  # a share above 100 %: refused, and kept in the form
    city.click("form.survey button[type=submit]")
    expect(city.locator(".message.error")).to_contain_text("Enter a percentage from 0 to 100.")
    expect(_field(city, "value-part1.q1_2b")).to_have_value("150")
    screenshot(city, "survey-section-refused")
    _axe(city)
    _field(city, "value-part1.q1_2b").fill("4.5")
    city.click("form.survey button[type=submit]")
    expect(city.locator(".messages")).to_contain_text("answer")
    city.reload()  # what was saved is what the page shows
    expect(_field(city, "value-part1.q1_1", "yes")).to_be_checked()
    expect(_field(city, "rate-part1.q1_4i-language")).to_have_value("5")
    expect(city.locator("#restored")).to_be_hidden()
    # Typed, not saved, and the page reloaded: the browser kept it and puts it back.
    _field(city, "value-part1.q1_3").fill("Employment rate of residents born abroad, yearly")
    city.reload()
    expect(_field(city, "value-part1.q1_3")).to_have_value("Employment rate of residents born abroad, yearly")
    expect(city.locator("#restored")).to_be_visible()
    _axe(city)
    city.click("form.survey button[type=submit]")
    expect(city.locator(".messages")).to_contain_text("1 answer saved")
    city.reload()
    expect(city.locator("#restored")).to_be_hidden()
    expect(_field(city, "value-part1.q1_3")).to_have_value("Employment rate of residents born abroad, yearly")
    # One fact sheet (Part 2), filled, then the response is submitted and the sheet proposed.
    city.click("text=All parts")
    city.click("button[name=add_item]")
    city.click("text=Part 2 – Fact sheet")
    _field(city, "value-part2.q2_1@1").fill("Language cafés in libraries")
    _field(city, "value-part2.q2_3b@1", "cultural").check()
    _field(city, "value-part2.q2_3a@1").fill("Residents practise Finnish with volunteers every week.")
    city.click("form.survey button[type=submit]")
    screenshot(city, "survey-fact-sheet")
    _axe(city)
    city.click("text=All parts")
    city.click("button[name=submit]")
    expect(city.locator(".messages")).to_contain_text("submitted")
    city.click("button[name=propose]")
    expect(city.locator(".messages")).to_contain_text("waiting for the secretariat")
    expect(city.locator("main")).to_contain_text("In review")

    # A regional authority that is not on the platform answers for itself.
    region = signed_in_page(browser, server, REGIONAL)
    region.goto(server + SURVEY + "/responses/")
    region.select_option("#id_city", label="My own authority (I give its name and country in the survey)")
    region.click("button[name=start]")
    region.click("button[name=submit]")  # refused: the survey does not say who answers yet
    expect(region.locator(".message.error")).to_contain_text("the name of the authority")
    region.get_by_role("link", name="Contact details of the person").click()
    _field(region, "value-header.authority_name").fill("Region of Skåne")
    _field(region, "value-header.country").fill("Sweden")
    _field(region, "value-header.authority_type", "regional").check()
    region.click("form.survey button[type=submit]")
    region.click("text=Part 1 – Integration policies")
    _field(region, "value-part1.q1_1", "no").check()
    _field(region, "rate-part1.q1_4i-job").fill("5")
    region.click("form.survey button[type=submit]")
    region.click("text=All parts")
    region.click("button[name=submit]")
    expect(region.locator(".messages")).to_contain_text("submitted")
    # The region cannot open the city's response.
    assert region.request.get(city.url).status == 404

    # The tables of the real responses, against a count by hand: 2 responses, q1_1 one yes and
    # one no (50 % each); language and job rated 5 (higher priority) once each; FI 1, SE 1; 1 fact sheet.
    region.goto(server + SURVEY + "/?responses=real")
    expect(region.locator("main")).to_contain_text("2 submitted responses, 1 fact sheet.")
    q1_1 = region.locator("table", has=region.locator("caption", has_text="1.1 ")).first
    expect(q1_1.locator("tr", has_text="Yes")).to_contain_text("1")
    expect(q1_1.locator("tr", has_text="Yes")).to_contain_text("50.0")
    expect(q1_1.locator("tr", has_text="No answer")).to_contain_text("0.0")
    countries = region.locator("table", has=region.locator("caption", has_text="Responses per country"))
    expect(countries.locator("tbody tr", has_text="Finland")).to_contain_text("50.0")
    expect(countries.locator("tbody tr", has_text="Sweden")).to_contain_text("50.0")
    ranking = region.locator("table", has=region.locator("caption", has_text="1.4 (i) ")).first
    expect(ranking.locator("tr", has_text="Language")).to_contain_text("50.0")
    screenshot(region, "survey-tables-real")
    _axe(region)
    # With the demo's synthetic responses, labelled as such.
    region.goto(server + SURVEY + "/")
    expect(region.locator(".synthetic")).to_contain_text("48 of the responses are synthetic")


def test_a_meeting_is_recorded_and_its_decision_followed_up(people: str, browser: Browser) -> None:
    server = people
    secretariat = signed_in_page(browser, server, SECRETARIAT)
    secretariat.goto(server + "/coordination/")
    secretariat.click("text=Multi-level multi-stakeholder coordination mechanism")
    secretariat.fill("#id_date", "2026-03-10")
    secretariat.fill("#id_agenda", "1. Local integration data\n2. Study visits")
    secretariat.fill("#id_minutes", "The ministry presented the data plan.")
    secretariat.fill("#id_decision-0-text", "Publish integration data per municipality")
    secretariat.select_option("#id_decision-0-owner_level", "national")
    secretariat.fill("#id_decision-0-deadline", "2026-09-30")
    secretariat.click("button[name=record_meeting]")
    expect(secretariat.locator(".messages")).to_contain_text("Meeting recorded with 1 decision")
    row = secretariat.locator("tr", has_text="Publish integration data per municipality")
    row.locator("select[name=status]").select_option("in_progress")
    row.locator("input[name=progress]").fill("30")
    row.locator("input[name=note]").fill("Data model agreed")
    row.locator("button[type=submit]").click()
    row = secretariat.locator("tr", has_text="Publish integration data per municipality")
    expect(row).to_contain_text("30 %")
    expect(row).to_contain_text("Data model agreed")
    expect(row.locator("details summary")).to_contain_text("History (2 changes)")
    screenshot(secretariat, "coordination-body")
    _axe(secretariat)

    city = signed_in_page(browser, server, COORDINATOR)
    city.goto(server + "/coordination/")
    city.click("text=Draft a shared position")
    city.fill("#id_title", "Stable funding for local integration")
    city.fill("#id_text", "The municipalities ask for multi-year funding of local integration work.")
    city.fill("#id_addressee", "Ministry of Economic Affairs and Employment")
    city.select_option("#id_addressee_level", "national")
    city.click("button[name=draft_position]")
    expect(city.locator("main")).to_contain_text("Hämeenlinna")
    expect(city.locator("h1")).to_have_text("Stable funding for local integration")
    screenshot(city, "coordination-position")
    _axe(city)
