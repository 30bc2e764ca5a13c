"""The survey journey (seed 001, Appendix E), in Finnish, on a desktop and a phone: an authority
that is not on the platform answers for itself, gives two factors the same priority and sees the
tie kept, types values the survey refuses and sees them shown back with why, submits; then the
tables show the higher-priority shares the study publishes (e.g. 79.2 % for language barriers).
Every page: axe finds nothing, no sideways scroll, no browser error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests import live_server
from tests.browser.journey import Journey

SURVEY = "/coordination/surveys/cor-authorities-survey-2011"
RESPONDENTS = {v: (f"survey-respondent-{v}", f"survey-journey-password-{v}") for v in ("desktop", "phone")}
SETUP = "from django.contrib.auth.models import User\n" + "".join(
    f'User.objects.create_user("{name}", password="{password}")\n' for name, password in RESPONDENTS.values()
)


@pytest.fixture(scope="module")
def respondents(server: str, server_env: dict[str, str]) -> dict[str, tuple[str, str]]:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return RESPONDENTS


def _field(j: Journey, name: str):  # type: ignore[no-untyped-def]
    return j.page.locator(f'[name="{name}"]')


def test_a_respondent_answers_the_survey_in_finnish(
    journey_factory: Callable[..., Journey], respondents: dict[str, tuple[str, str]], viewport: str
) -> None:
    j = journey_factory("fi")
    j.sign_in(respondents[viewport])
    j.visit(SURVEY + "/responses/")
    expect(j.page.locator("h1")).to_have_text("Vastaa kyselyyn")
    j.check("survey-start")
    j.page.select_option("#id_city", index=0)  # their own authority: the only choice
    j.page.click("button[name=start]")
    j.check("survey-response")

    # Who answers: the header.
    j.page.get_by_role("link", name="Kyselyyn vastaavan henkilön").click()
    _field(j, "value-header.authority_name").fill("Uudenmaan liitto")
    _field(j, "value-header.country").fill("Finland")
    j.page.click("form.survey button[type=submit]")
    expect(j.page.locator(".messages")).to_contain_text("tallennettu")

    # Part 1: a tie in a priority grid, and values the survey refuses.
    j.page.get_by_role(
        "link", name="Osa 1 – Paikallis- ja alueviranomaisten kotouttamispolitiikka"
    ).first.click()
    _field(j, "rate-part1.q1_4i-job").fill("1")
    _field(j, "rate-part1.q1_4i-language").fill("1")
    _field(j, "rate-part1.q1_4i-housing").fill("3")
    _field(j, "rate-part1.q1_5i-resources").fill("7")  # off the scale 1-5
    _field(j, "value-part1.q1_2a").fill("paljon")  # not a number
    j.expect_status(400)  # the refused values are answered with a 400 page, by design
    j.page.click("form.survey button[type=submit]")
    errors = j.page.locator(".message.error")
    expect(errors.filter(has_text="Arviot ovat kokonaislukuja väliltä 1–5.")).to_have_count(1)
    expect(errors.filter(has_text="Anna luku.")).to_have_count(1)
    expect(_field(j, "rate-part1.q1_5i-resources")).to_have_value("7")  # shown back as typed
    expect(_field(j, "value-part1.q1_2a")).to_have_value("paljon")
    expect(_field(j, "rate-part1.q1_4i-job")).to_have_value("1")  # the tie, saved meanwhile
    j.check("survey-refused")
    _field(j, "rate-part1.q1_5i-resources").fill("5")
    _field(j, "value-part1.q1_2a").fill("12 500")
    j.page.click("form.survey button[type=submit]")
    expect(j.page.locator(".messages")).to_contain_text("tallennettu")
    j.page.reload()  # what is stored is what the page shows: the tie is kept, not renumbered
    expect(_field(j, "rate-part1.q1_4i-job")).to_have_value("1")
    expect(_field(j, "rate-part1.q1_4i-language")).to_have_value("1")
    expect(_field(j, "rate-part1.q1_4i-housing")).to_have_value("3")
    expect(_field(j, "rate-part1.q1_5i-resources")).to_have_value("5")
    j.check("survey-tie-kept")

    # Submitted, the response is counted in the tables.
    j.page.get_by_role("link", name="Kaikki osat").click()
    j.page.click("button[name=submit]")
    expect(j.page.locator(".messages")).to_contain_text("lähetetty")
    j.check("survey-submitted")

    j.visit(SURVEY + "/")
    grid = j.page.locator("table", has=j.page.locator("caption", has_text="1.4 (i) ")).first
    expect(grid.locator("thead")).to_contain_text("Korkeampi prioriteetti")
    expect(grid.locator("caption")).to_contain_text("selvityksen kuvio 3.1")
    expect(grid.locator("tr", has_text="Kielimuurit")).to_contain_text("79,2")  # the study's figure
    resources = j.page.locator("table", has=j.page.locator("caption", has_text="1.5 (i) ")).first
    expect(resources.locator("tr", has_text="Resurssien puute")).to_contain_text("66,7")
    j.check("survey-tables")
