"""The municipal pathway end to end in headless Chromium: recommendations to actions, an import
with a bad row, an expert visit, the strategy adopted, and a national viewer who only reads."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests import live_server
from tests.browser.conftest import screenshot, signed_in_page
from tests.browser.test_workspace_flow import _axe

COORDINATOR = ("pw-coordinator", "pathway-password-1")
EXPERT = ("pw-expert", "pathway-password-2")
VIEWER = ("pw-viewer", "pathway-password-3")
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.accounts.models import ViewerScope
from interculture.assessments.models import City
city = City.objects.get(slug="hameenlinna")
accounts.add_member(User.objects.create_user("{COORDINATOR[0]}", password="{COORDINATOR[1]}"), city, "coordinator")
accounts.add_member(User.objects.create_user("{EXPERT[0]}", password="{EXPERT[1]}"), city, "expert")
ViewerScope.objects.create(user=User.objects.create_user("{VIEWER[0]}", password="{VIEWER[1]}"), country="FI")
"""


@pytest.fixture(scope="module")
def people(server: str, server_env: dict[str, str]) -> str:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return server


def test_recommendations_become_actions_and_a_strategy(people: str, browser: Browser) -> None:
    server = people
    coordinator = signed_in_page(browser, server, COORDINATOR)
    coordinator.goto(server + "/pathway/hameenlinna/")
    # The working group is set up, with its members and the decision as a document.
    coordinator.click("text=Record a step")
    coordinator.select_option("#id_kind", "working_group")
    coordinator.fill("#id_date", "2025-09-01")
    coordinator.fill("#id_members", "Integration services\nEducation\nHousing\nCulture\nHR\nCommunications")
    coordinator.set_input_files(
        "#id_document",
        {"name": "decision.txt", "mimeType": "text/plain", "buffer": b"The working group is set up."},
    )
    coordinator.click("button[name=add_step]")
    timeline = coordinator.locator("ol.timeline")
    expect(timeline).to_contain_text("Working group set up")
    link = timeline.locator("a").first.get_attribute("href")
    doc = coordinator.request.get(server + str(link))
    assert doc.ok and doc.body() == b"The working group is set up."
    coordinator.click("button[name=from_report]")
    expect(coordinator.locator(".messages")).to_contain_text("recommendations taken from the report")

    # An accepted recommendation becomes an action with an owner, a deadline and the questions it targets.
    area = coordinator.locator("details.pathway-area", has=coordinator.locator("li.rec-proposed")).first
    area.locator(":scope > summary").click()
    area.locator("li.rec-proposed button[name=accept_recommendation]").first.click()
    expect(coordinator.locator(".messages")).to_contain_text("Recommendation accepted")
    coordinator.click("text=Add an action")
    coordinator.select_option("#id_recommendation", index=1)
    coordinator.fill("#id_title", "Language cafés in every library")
    coordinator.fill("#id_owner_department", "Libraries")
    coordinator.fill("#id_deadline", "2026-12-31")
    coordinator.fill("#id_budget_eur", "12000")
    coordinator.click("button[name=add_action]")
    row = coordinator.locator(".pathway-actions > li", has_text="Language cafés in every library")
    expect(row).to_contain_text("Libraries")
    row.locator("select[name=status]").select_option("in_progress")
    row.locator("input[name=progress]").fill("40")
    row.locator("button[name=update_action]").click()
    expect(
        coordinator.locator(".pathway-actions > li", has_text="Language cafés in every library").locator(
            "input[name=progress]"
        )
    ).to_have_value("40")
    screenshot(coordinator, "pathway-city")
    _axe(coordinator)

    # A file with a bad row imports nothing and says which row is wrong.
    before = coordinator.locator(".pathway-actions > li").count()
    coordinator.click("text=Import actions (CSV or XLSX)")
    bad = b"title,owner_department,deadline\nMentoring,HR,2026-06-01\nBroken,HR,someday\n"
    coordinator.set_input_files("#id_file", {"name": "actions.csv", "mimeType": "text/csv", "buffer": bad})
    coordinator.click("button[name=import]")
    expect(coordinator.locator(".messages")).to_contain_text("row 3")
    expect(coordinator.locator(".pathway-actions > li")).to_have_count(before)

    # The expert records a visit; its recommendation joins the report's own.
    expert = signed_in_page(browser, server, EXPERT)
    expert.goto(server + "/pathway/hameenlinna/")
    expert.click("text=Record a visit")
    expert.fill("#id_start", "2026-02-02")
    expert.fill("#id_end", "2026-02-03")
    expert.fill("#id_met", "Integration services, two schools, the migrant council")
    expert.select_option("#rec-area-1", "participation")
    expert.fill("#rec-text-1", "Collect data on the participation of residents with a migrant background")
    expert.click("button[name=add_visit]")
    expect(expert.locator("#visits-title + article")).to_contain_text("Collect data on the participation")

    # The city writes its vision and adopts the strategy; the timeline shows it.
    coordinator.goto(server + "/pathway/hameenlinna/strategy/")
    coordinator.fill("#id_vision", "Hämeenlinna is a city of **good relations**.")
    coordinator.fill("#id_adopted_on", "2026-05-20")
    coordinator.click("main form button[type=submit]")
    expect(coordinator.locator("main")).to_contain_text("Language cafés in every library")
    screenshot(coordinator, "pathway-strategy")
    _axe(coordinator)
    pdf = coordinator.request.get(server + "/pathway/hameenlinna/strategy/?format=pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    coordinator.goto(server + "/pathway/hameenlinna/")
    expect(coordinator.locator("ol.timeline")).to_contain_text("Strategy adopted")
    expect(coordinator.locator("ol.timeline")).to_contain_text("Expert visit")

    # A national viewer reads every Finnish municipality of the programme, and writes nothing.
    viewer = signed_in_page(browser, server, VIEWER)
    viewer.goto(server + "/pathway/programmes/finland-inclusive-integration/")
    for name in ["Hämeenlinna", "Kuopio", "Tampere", "Turku", "Vaasa", "Vantaa"]:
        expect(viewer.locator("tbody").first).to_contain_text(name)
    screenshot(viewer, "pathway-programme")
    _axe(viewer)
    viewer.goto(server + "/pathway/hameenlinna/")
    expect(viewer.locator("main")).to_contain_text("Language cafés in every library")
    expect(viewer.locator("text=Add an action")).to_have_count(0)
    refused = viewer.request.post(server + "/pathway/hameenlinna/", form={"add_action": "1"})
    assert refused.status == 403
