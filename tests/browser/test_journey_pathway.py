"""The pathway journey: Hämeenlinna's coordinator, in Finnish, on a desktop and on a phone, goes
from the report's recommendations to a drafted strategy, then looks at the programme dashboard
and the expert pool. Every page passes the journey checks (axe, no sideways scroll, no console
error) and is kept as a screenshot.

Both screen sizes share one server: each run decides recommendations that are still open and
adds its own action, so the second run finds the first one's work and goes on from there."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests import live_server
from tests.browser.journey import Journey

COORDINATOR = ("journey-pathway-coordinator", "journey-pathway-password-1")
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments.models import City
if not User.objects.filter(username="{COORDINATOR[0]}").exists():
    user = User.objects.create_user("{COORDINATOR[0]}", password="{COORDINATOR[1]}")
    accounts.add_member(user, City.objects.get(slug="hameenlinna"), "coordinator", "Kotouttamispalvelut")
"""
PAGE = "/pathway/hameenlinna/"
PLACEHOLDERS = ["The city writes its vision here", "Kaupunki kirjoittaa visionsa", "ei vielä kirjoitettu"]


@pytest.fixture(scope="module")
def coordinator_account(server: str, server_env: dict[str, str]) -> tuple[str, str]:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return COORDINATOR


def _open_recommendation(page: Page) -> tuple[str, str]:
    """The first recommendation still to be decided, its area opened as a person would: (id, text)."""
    area = page.locator("details.pathway-area", has=page.locator("li.rec-proposed")).first
    if area.get_attribute("open") is None:
        area.locator(":scope > summary").click()
    card = area.locator("li.rec-proposed").first
    return str(card.get_attribute("id")), card.locator("p").first.inner_text()


def test_the_coordinator_goes_from_recommendations_to_the_strategy(
    journey_factory: Callable[..., Journey], coordinator_account: tuple[str, str], viewport: str
) -> None:
    j = journey_factory("fi")
    page = j.page
    j.sign_in(coordinator_account)
    j.visit(PAGE)
    # The steps of seed 000's pathway, in Finnish.
    steps = page.locator("ol.pathway-steps > li")
    expect(steps).to_have_count(8)
    expect(steps.first).to_contain_text("Työryhmä perustettu")
    # The working group is recorded (sent twice by mistake: the timeline shows it once).
    for _twice in range(2):
        page.locator("summary", has_text="Kirjaa vaihe").click()
        page.select_option("#id_kind", "working_group")
        page.fill("#id_date", "2025-09-01")
        page.fill("#id_members", "Kotouttamispalvelut\nOpetus\nAsuminen")
        page.click("button[name=add_step]")
        expect(page.locator(".messages")).to_contain_text("Vaihe kirjattu")
    if page.locator("li.rec-proposed").count() < 3:
        page.click("button[name=from_report]")
        expect(page.locator(".messages")).to_contain_text("haettu raportista")
    j.check("pathway-city")

    # Two recommendations accepted and one declined, one by one; each says what was decided.
    accepted = []
    for _n in range(2):
        rec_id, text = _open_recommendation(page)
        page.locator(f"#{rec_id} button[name=accept_recommendation]").click()
        expect(page.locator(".messages")).to_contain_text("Suositus hyväksytty")
        expect(page.locator(f"#{rec_id}")).to_contain_text("Päätös: Hyväksytty")
        accepted.append(text)
    rec_id, declined = _open_recommendation(page)
    page.locator(f"#{rec_id} summary", has_text="Hylkää").click()
    page.fill(f"#{rec_id} textarea[name=reason]", "Sisältyy jo kotouttamisohjelmaan")
    page.locator(f"#{rec_id} button[name=decline_recommendation]").click()
    expect(page.locator(f"#{rec_id}")).to_contain_text("Päätös: Hylätty")
    expect(page.locator(f"#{rec_id}")).to_contain_text("Sisältyy jo kotouttamisohjelmaan")
    j.check("pathway-recommendations")

    # An action from an accepted recommendation, its questions chosen from the areas' lists;
    # sent first without an owner: the error is shown and nothing typed or chosen is lost.
    title = f"Kielikahvilat kirjastoihin ({viewport})"
    page.locator("#add-action > summary").click()
    page.select_option("#id_recommendation", index=1)
    page.fill("#id_title", title)
    page.fill("#id_deadline", "2026-12-31")
    page.fill("#id_budget_eur", "12000")
    education = page.locator("#add-action details", has=page.locator("summary", has_text="Koulutus"))
    education.locator(":scope > summary").click()
    boxes = education.locator("input[type=checkbox]")
    labels = [education.locator("label").nth(n).inner_text() for n in (0, 3)]
    boxes.nth(0).check()
    boxes.nth(3).check()
    page.click("button[name=add_action]")
    form = page.locator("#add-action")
    expect(form).to_have_attribute("open", "")
    expect(form.locator("[role=alert]")).to_contain_text("Toimenpidettä ei lisätty")
    expect(page.locator("#id_title")).to_have_value(title)
    expect(page.locator("#id_budget_eur")).to_have_value("12000")
    expect(page.locator("#id_recommendation")).not_to_have_value("")
    expect(form.locator("input[name=questions]:checked")).to_have_count(2)
    j.check("pathway-action-error")
    page.fill("#id_owner_department", "Kirjastot")
    page.click("button[name=add_action]")
    expect(page.locator(".messages")).to_contain_text("Toimenpide lisätty")
    card = page.locator(".pathway-actions > li", has_text=title)
    expect(card).to_contain_text("Kirjastot")
    expect(card).to_contain_text(re.compile(r"31\.\s?(12\.|joulukuuta )2026"))  # a Finnish date
    expect(card).to_contain_text("12\xa0000 €")
    for label in labels:  # the targeted questions by their Finnish text
        expect(card).to_contain_text(label)

    # The timeline: date order, nothing twice.
    items = page.locator("ol.timeline > li")
    days = [str(items.nth(n).locator("time").get_attribute("datetime")) for n in range(items.count())]
    texts = items.all_inner_texts()
    assert days == sorted(days), days
    assert len(texts) == len(set(texts)), texts
    assert sum("Työryhmä perustettu" in t and "Kotouttamispalvelut" in t for t in texts) == 1

    # The strategy is drafted from the accepted recommendations; its document has no placeholder.
    j.visit("/pathway/hameenlinna/strategy/")
    document = page.locator("article.pathway-document")
    for text in accepted:
        expect(document).to_contain_text(text)
    expect(document).not_to_contain_text(declined)
    for placeholder in PLACEHOLDERS:
        expect(document).not_to_contain_text(placeholder)
    expect(document.locator("h2", has_text="Visio")).to_have_count(0)  # nothing written yet: left out
    expect(page.locator(".pathway-editor")).to_contain_text("Visio: ei vielä kirjoitettu")
    page.click(".pathway-editor button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Strategia tallennettu")
    expect(document).to_contain_text(title)
    j.check("pathway-strategy")
    pdf = page.request.get(j.server + "/pathway/hameenlinna/strategy/?format=pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The strategy drafted is a step reached, on the pathway and on the programme dashboard.
    j.visit(PAGE)
    expect(page.locator("ol.pathway-steps > li", has_text="Strategialuonnos laadittu")).to_have_class(
        "reached"
    )
    j.visit("/pathway/programmes/finland-inclusive-integration/")
    expect(page.locator("main table").first).to_contain_text("Hämeenlinna")
    expect(page.locator("main thead").first).to_contain_text("Työryhmä perustettu")
    j.check("pathway-programme")
    j.visit("/pathway/experts/")
    expect(page.locator("main h1")).to_have_text("Asiantuntijapooli")
    j.check("pathway-experts")
