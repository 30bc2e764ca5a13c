"""The assessment workspace as its people live it, from the round's opening to its publication.

The coordinator opens this year's round from the previous answers, assigns an area and submits
after a confirmation; the contributor edits only the assigned area; the expert reads the draft,
comments on an answer and requests changes; the city sees the commented questions listed; the
secretariat finds the round in its queue, reviews it beside the previous answers, validates it
and publishes it from the round page, each after a confirmation. Every page at 1366 and 390 px,
in Finnish, Swedish and English, passes the journey checks (axe, no sideways scroll, no error).

Each viewport works on a city of its own (a copy of Hämeenlinna's 2023 answers as its previous
round), so the two runs and the other browser tests do not meet.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests import live_server
from tests.browser.journey import Journey

EDU = "education.intercultural_projects"
MEDIA = "media.visibility_actions"
PASSWORD = "journey-password-1"
SETUP = """
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import AssessmentRound, City
hml = City.objects.get(slug="hameenlinna")
city = City.objects.create(slug="{slug}", name="{name}", names={{"en": "{name}"}}, country="FI",
    population=68000, population_year=2024, population_source="test", foreign_born_share=5,
    foreign_born_year=2024, foreign_born_source="test")
old = hml.rounds.get(year=2023)
previous = AssessmentRound.objects.create(city=city, year=2023, questionnaire=old.questionnaire,
    status="published", source="test: a copy of Hämeenlinna 2023")
services.save_answers(previous, {{a.question_id: {{"value": a.value, "comment": a.comment}} for a in old.answers.all()}})
for name, role, department in [("{who}-coordinator", "coordinator", "Integration services"),
        ("{who}-education", "contributor", "Education"), ("{who}-expert", "expert", "")]:
    user = User.objects.create_user(name, password="{password}")
    accounts.add_member(user, city, role, department)
accounts.make_secretariat(User.objects.create_user("{who}-secretariat", password="{password}"))
"""


@pytest.fixture
def city(server: str, server_env: dict[str, str], viewport: str) -> dict[str, str]:
    """A city of this viewport's own, its previous round and one person per role."""
    slug, who = f"journeyby-{viewport}", f"j-{viewport}"
    name = f"Journeyby {viewport}"
    live_server.manage(
        server_env, "shell", "-c", SETUP.format(slug=slug, name=name, who=who, password=PASSWORD)
    )
    return {"slug": slug, "name": name, "who": who}


def _as(journey_factory: Callable[..., Journey], city: dict[str, str], role: str, language: str) -> Journey:
    journey = journey_factory(language)
    journey.sign_in((f"{city['who']}-{role}", PASSWORD))
    return journey


def _question(page: Page, qid: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[id="q-{qid}"]')


def _autosaved(page: Page, action: Callable[[], None]) -> None:
    """Do `action` and wait for the autosave request it triggers to be answered."""
    with page.expect_response(lambda r: "/answers/" in r.url and r.request.method == "POST"):
        action()


def test_a_round_from_its_opening_to_its_publication(
    journey_factory: Callable[..., Journey], city: dict[str, str]
) -> None:
    year = datetime.date.today().year
    base = f"/workspace/{city['slug']}/"
    round_page = f"{base}{year}/"

    # The coordinator (in Finnish) opens this year's round from the previous answers.
    coordinator = _as(journey_factory, city, "coordinator", "fi")
    page = coordinator.page
    coordinator.visit(base)
    coordinator.check("workspace-coordinator-city")
    expect(page.locator("#id_year")).to_have_value(str(year))
    expect(page.locator("#id_carry_over")).to_be_checked()
    page.click("button[name=open_round]")
    expect(page.locator("h1")).to_contain_text(str(year))
    expect(page.locator(".round-history")).to_contain_text("Kierros avattiin vuoden 2023 vastauksista")
    # ... and gives the education area to the contributor.
    page.select_option("#assign-education", label=f"{city['who']}-education (Education)")
    page.click("button[name=assign]")
    expect(page.locator(".messages")).to_be_visible()
    coordinator.check("workspace-coordinator-round")

    # The contributor (in Swedish) edits the assigned area and reads the others.
    contributor = _as(journey_factory, city, "education", "sv")
    contributor.visit(f"{round_page}areas/education/")
    q = _question(contributor.page, EDU)
    _autosaved(contributor.page, lambda: q.locator("input[value=some_schools]").check())
    expect(q.locator(".save-status")).not_to_be_empty()
    contributor.check("workspace-contributor-area")
    contributor.visit(f"{round_page}areas/media/")
    expect(_question(contributor.page, MEDIA).locator("fieldset input").first).to_be_disabled()
    contributor.check("workspace-contributor-read-only")

    # The expert (in English) reads the draft; there is nothing to review yet.
    expert = _as(journey_factory, city, "expert", "en")
    expert.visit(f"{round_page}areas/education/")
    expect(_question(expert.page, EDU).locator("input[value=some_schools]")).to_be_checked()
    expect(_question(expert.page, EDU).locator("input[value=none]")).to_be_disabled()
    expert.check("workspace-expert-draft")

    # The coordinator submits, after a confirmation.
    coordinator.visit(round_page)
    page.click("button[name=submit]")
    expect(page.locator("#confirm-step")).to_be_visible()
    coordinator.check("workspace-coordinator-confirm-submit")
    page.click("button[name=confirmed]")
    expect(page.locator("#round-status")).to_have_text("Lähetetty")
    expect(page.locator("button[name=submit]")).to_have_count(0)

    # The expert finds it in the queue, comments on the changed answer and requests changes.
    expert.visit("/workspace/review/")
    row = expert.page.locator("#review-queue tr", has_text=city["name"])
    expect(row).to_contain_text("Submitted")
    expert.check("workspace-expert-queue")
    row.locator(f'a[href$="/{city["slug"]}/{year}/review/"]').click()
    item = expert.page.locator(f'[id="r-{EDU}"]')
    expect(item).to_have_class("review-item change-changed")
    expect(item.locator(".before")).to_contain_text("Yes, all or most schools")
    expert.page.fill(f'[id="review-{EDU}"]', "Which schools run projects now?")
    expert.check("workspace-expert-review")
    expert.page.click("button[value=request_changes]")
    expect(expert.page.locator("#round-status")).to_have_text("Changes requested")

    # The city sees the commented questions listed on the round page, and the comment beside
    # the answer.
    coordinator.visit(round_page)
    commented = page.locator("#commented-questions")
    expect(commented.locator("li")).to_have_count(1)
    coordinator.check("workspace-coordinator-commented")
    commented.locator(f'a[href$="#q-{EDU}"]').click()
    expect(_question(page, EDU).locator(".review-comments")).to_contain_text(
        "Which schools run projects now?"
    )
    coordinator.check("workspace-coordinator-comment-beside-answer")
    coordinator.visit(round_page)
    page.click("button[name=submit]")
    page.click("button[name=confirmed]")
    expect(page.locator("#round-status")).to_have_text("Lähetetty")

    # The secretariat (in Finnish) sees the queue, reviews beside the previous answers, validates.
    secretariat = _as(journey_factory, city, "secretariat", "fi")
    s = secretariat.page
    secretariat.visit("/workspace/review/")
    expect(s.locator("#review-queue tr", has_text=city["name"])).to_contain_text("Lähetetty")
    secretariat.check("workspace-secretariat-queue")
    secretariat.visit(f"{round_page}review/")
    expect(s.locator("#compared-with")).to_contain_text("2023")
    s.click("#only-changes")
    expect(s.locator(".review-item")).to_have_count(1)
    expect(s.locator(f'[id="r-{EDU}"] .review-comments')).to_contain_text("Which schools")
    secretariat.check("workspace-secretariat-review-changes")
    s.click("button[value=validate]")
    expect(s.locator("#confirm-step")).to_be_visible()
    secretariat.check("workspace-secretariat-confirm-validate")
    s.click("button[name=confirmed]")
    expect(s.locator("#round-status")).to_have_text("Hyväksytty")

    # ... and publishes from the round page, after a confirmation.
    secretariat.visit(round_page)
    s.click("#publish button[value=publish]")
    expect(s.locator("#confirm-step")).to_be_visible()
    secretariat.check("workspace-secretariat-confirm-publish")
    s.click("button[name=confirmed]")
    expect(s.locator("#round-status")).to_have_text("Julkaistu")
    expect(s.locator(".round-history li")).to_have_count(6)
    secretariat.check("workspace-secretariat-published")
