"""Two concurrent editors on one answer, each in a browser of their own (issue 13, item 1).

The coordinator and the education contributor open the same area of this year's round. The
contributor saves first; the coordinator's stale edit becomes a conflict that shows both
answers, and "Keep their answer" drops the stale change for good: a reload sends nothing. A
comment-only clash is shown as such, and "Keep my answer" saves what was typed meanwhile. At
1366 and 390 px; axe, sideways scroll and console on
every page (tests/browser/journey.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Locator, Page, Request, expect

from tests import live_server
from tests.browser.journey import Journey

COORDINATOR = ("demo-coordinator", "concurrent-coordinator-1")
EDUCATION = ("demo-education", "concurrent-education-1")
CITY = "parallel-town"
YEAR = date.today().year
EDU = "education.intercultural_projects"
AREA = f"/workspace/{CITY}/{YEAR}/areas/education/"
UNSENT = "Object.keys(localStorage).filter(k => k.startsWith('interculture:unsaved:'))"
SETUP = f"""
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
# A test city of this server's own (a synthetic sample city has no workspace).
city, _ = City.objects.get_or_create(slug="{CITY}", defaults=dict(name="Parallel Town (test city)",
    names={{"en": "Parallel Town (test city)"}}, country="FI", synthetic=False, population=60000,
    population_year=2024, population_source="test fixture", foreign_born_share=10,
    foreign_born_year=2024, foreign_born_source="test fixture"))
people = []
for (name, password), role, department in [
    (("{COORDINATOR[0]}", "{COORDINATOR[1]}"), "coordinator", "Integration services"),
    (("{EDUCATION[0]}", "{EDUCATION[1]}"), "contributor", "Education"),
]:
    user, _ = User.objects.get_or_create(username=name)
    user.set_password(password)
    user.save()
    accounts.add_member(user, city, role, department)
    people.append(user)
round_ = AssessmentRound.objects.filter(city=city, year={YEAR}).first()
if round_ is None:
    version = QuestionnaireVersion.objects.get(version="icc-2019")
    round_ = services.open_round(city, {YEAR}, version=version, user=people[0]).round
services.assign_areas(round_, people[0], assignments={{"education": [people[1]]}})
"""


@pytest.fixture(scope="module")
def editors(server: str, server_env: dict[str, str]) -> str:
    live_server.manage(server_env, "shell", "-c", SETUP)
    return server


def _question(page: Page) -> Locator:
    return page.locator(f'[id="q-{EDU}"]')


def _saved(page: Page, action: Callable[[], None], status: int = 200, sends: str = "") -> None:
    """Do `action` and wait for the save it triggers (whose form data holds `sends`) to be
    answered with `status`."""
    with page.expect_response(
        lambda r: (
            "/answers/" in r.url and r.request.method == "POST" and sends in (r.request.post_data or "")
        ),
        timeout=20_000,
    ) as answered:
        action()
    assert answered.value.status == status, answered.value.status


def test_two_editors_meet_a_conflict_and_choose(
    editors: str, journey_factory: Callable[..., Journey]
) -> None:
    mine, theirs = journey_factory(), journey_factory()
    mine.sign_in(COORDINATOR)
    theirs.sign_in(EDUCATION)
    for journey in (mine, theirs):
        journey.visit(AREA)
    mine.check("concurrent-area-coordinator")
    theirs.check("concurrent-area-contributor")

    # Two other answers than the stored one: the contributor saves one, then the coordinator,
    # still on the version the page showed, the other.
    options = _question(mine.page).locator("input[type=radio]")
    values = [options.nth(n).get_attribute("value") for n in range(options.count())]
    stored = [v for n, v in enumerate(values) if options.nth(n).is_checked()]
    their_value, my_value = [v for v in values if v not in stored][:2]
    _saved(theirs.page, lambda: _question(theirs.page).locator(f"input[value={their_value}]").check())
    mine.expect_status(409)  # the stale save is refused with both sides, by design
    _saved(mine.page, lambda: _question(mine.page).locator(f"input[value={my_value}]").check(), status=409)

    q = _question(mine.page)
    conflict = q.locator(".conflict [role=alert]")
    expect(conflict).to_be_visible()
    expect(conflict.locator("tr[data-field=value] .theirs")).not_to_be_empty()
    expect(conflict.locator("tr[data-field=value] .mine")).not_to_be_empty()
    expect(conflict).to_contain_text(EDUCATION[0])  # who saved theirs
    expect(q.locator(".save-status")).not_to_contain_text("Saved at")  # not while a conflict is open
    expect(q.locator(".save-status")).to_contain_text("Not saved")
    assert mine.page.evaluate(UNSENT), "the unsent change is kept until the person chooses"
    mine.check("concurrent-conflict")

    # "Keep their answer": theirs is shown, and the stale change is gone from this browser.
    _saved(mine.page, lambda: conflict.locator("button[value=theirs]").click())
    q = _question(mine.page)
    expect(q.locator(".conflict [role=alert]")).to_have_count(0)
    expect(q.locator(f"input[value={their_value}]")).to_be_checked()
    assert mine.page.evaluate(UNSENT) == []

    # A reload sends nothing again and shows their answer, saved.
    sent: list[Request] = []
    mine.page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
    mine.page.reload(wait_until="networkidle")
    q = _question(mine.page)
    expect(q.locator(f"input[value={their_value}]")).to_be_checked()
    expect(q.locator(".save-status")).to_contain_text("Saved at")
    assert [r.url for r in sent] == []
    mine.check("concurrent-kept-theirs")


def test_a_comment_clash_keeps_my_comment_with_what_i_typed_on(
    editors: str, journey_factory: Callable[..., Journey]
) -> None:
    question = "education.parent_involvement"  # another question than the value clash above
    mine, theirs = journey_factory(), journey_factory()
    mine.sign_in(COORDINATOR)
    theirs.sign_in(EDUCATION)
    for journey in (mine, theirs):
        journey.visit(AREA)

    def comment(page: Page) -> Locator:
        return page.locator(f'[id="comment-{question}"]')

    their_note, my_note = f"Their note {date.today()}", f"My note {date.today()}"
    _saved(
        theirs.page,
        lambda: (comment(theirs.page).fill(their_note), comment(theirs.page).blur()),
        sends="Their",
    )
    mine.expect_status(409)
    _saved(
        mine.page,
        lambda: (comment(mine.page).fill(my_note), comment(mine.page).blur()),
        status=409,
        sends="My",
    )

    q = mine.page.locator(f'[id="q-{question}"]')
    conflict = q.locator(".conflict [role=alert]")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-only")).not_to_be_empty()  # only the comments differ
    expect(conflict.locator("tr[data-field=comment] .theirs")).to_have_text(their_note)
    expect(conflict.locator("tr[data-field=comment] .mine")).to_have_text(my_note)
    mine.check("concurrent-comment-conflict")

    # Typing on and leaving the box sends nothing while the conflict is open; the choice then
    # sends what was typed, once.
    sent: list[Request] = []
    mine.page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
    comment(mine.page).press("End")
    comment(mine.page).press_sequentially(", and more")
    comment(mine.page).blur()
    _saved(mine.page, lambda: conflict.locator("button[value=mine]").click(), sends="and%20more")
    assert len(sent) == 1, [r.post_data for r in sent]
    q = mine.page.locator(f'[id="q-{question}"]')
    expect(q.locator(".conflict [role=alert]")).to_have_count(0)
    expect(comment(mine.page)).to_have_value(f"{my_note}, and more")
    expect(q.locator(".save-status")).to_contain_text("Saved at")
    assert mine.page.evaluate(UNSENT) == []
    mine.check("concurrent-kept-mine")

    # The other editor sees my comment after a reload; so do I, and nothing is sent again.
    theirs.page.reload(wait_until="networkidle")
    expect(comment(theirs.page)).to_have_value(f"{my_note}, and more")
    sent.clear()
    mine.page.reload(wait_until="networkidle")
    expect(comment(mine.page)).to_have_value(f"{my_note}, and more")
    assert sent == []
