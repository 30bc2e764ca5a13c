"""At 390 px every page fits the screen and its menu is reachable, in real headless Chromium.

Every public page and every signed-in page of the accessibility list: no sideways scroll, and
the site menu opens from its "Menu" button with every link inside the screen. (The admin has
its own layout and menu; only its width is checked.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SECRETARIAT, screenshot, sign_in
from tests.browser.journey import VIEWPORTS
from tests.browser.test_accessibility import PAGES, SIGNED_IN_PAGES

PHONE = VIEWPORTS["phone"]
PUBLIC_PAGES: dict[str, str] = dict(PAGES, **{"city-without-results": "/cities/kuopio/"})


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def signed_in_phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    page = context.new_page()
    sign_in(page, server, SECRETARIAT)
    yield page
    context.close()


def assert_fits_with_a_reachable_menu(page: Page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (name, response and response.status)
    page.wait_for_load_state()
    screenshot(page, f"phone-{name}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {PHONE['width']} px"
    if "/admin/" in url:
        return
    toggle = page.get_by_role("button", name="Menu")
    links = page.locator("#site-menu nav a")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(links.first).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert links.count() >= 4
    for i in range(links.count()):
        link = links.nth(i)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, i, box)
    expect(page.locator("#language-select")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} with the menu open scrolls sideways by {overflow} px"


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_fits_a_phone(server: str, phone: Page, name: str) -> None:
    assert_fits_with_a_reachable_menu(phone, server + PUBLIC_PAGES[name], name)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_fits_a_phone(server: str, signed_in_phone: Page, name: str) -> None:
    assert_fits_with_a_reachable_menu(signed_in_phone, server + SIGNED_IN_PAGES[name], f"signed-in-{name}")


def test_the_menu_closes_with_escape(server: str, phone: Page) -> None:
    phone.goto(server + "/")
    toggle = phone.get_by_role("button", name="Menu")
    toggle.click()
    expect(phone.locator("#site-menu nav a").first).to_be_visible()
    phone.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(phone.locator("#site-menu nav a").first).to_be_hidden()


def test_on_a_desktop_the_menu_is_always_open(server: str, page: Page) -> None:
    page.goto(server + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("#site-menu nav a").first).to_be_visible()
