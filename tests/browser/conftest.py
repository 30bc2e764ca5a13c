"""Browser tests: the real app in its own server process, driven by Debian's headless Chromium.

The server runs on its own SQLite file loaded with the demo data, so browser tests never
touch the test database of the other tests (and run only in the SQLite pass).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import live_server
from tests.browser.journey import VIEWPORTS, Journey

CHROMIUM = os.environ.get("INTERCULTURE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
SECRETARIAT = ("secretariat", "browser-test-password-1")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("server")
    env = live_server.server_env(data_dir)
    live_server.manage(env, "migrate", "--no-input", "-v0")
    live_server.manage(env, "load_demo")
    live_server.manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": SECRETARIAT[1]},
        "createsuperuser",
        "--no-input",
        "--username",
        SECRETARIAT[0],
        "--email",
        "secretariat@example.org",
    )
    return env


@pytest.fixture(scope="session")
def server(server_env: dict[str, str]) -> Iterator[str]:
    with live_server.running_server(
        server_env, Path(server_env["INTERCULTURE_DATA_DIR"]) / "server.log"
    ) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: Page, server: str, user: tuple[str, str] = SECRETARIAT) -> None:
    page.goto(server + "/accounts/login/")
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def signed_in_page(browser: Browser, server: str, who: tuple[str, str]) -> Page:
    """A page in a context of its own (its own cookies), signed in as `who`."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, server, who)
    return page


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    """Each journey test runs twice: on a 1366 px desktop and on a 390 px phone."""
    return str(request.param)


@pytest.fixture
def journey_factory(browser: Browser, server: str, viewport: str) -> Iterator[Callable[..., Journey]]:
    """`journey_factory(language="fi")` opens a Journey at this test's viewport; all are closed after."""
    opened: list[Journey] = []

    def open_journey(language: str = "en") -> Journey:
        journey = Journey(browser, server, viewport, language)
        opened.append(journey)
        return journey

    yield open_journey
    for journey in opened:
        journey.close()
