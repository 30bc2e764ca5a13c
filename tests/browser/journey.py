"""One harness for the journey tests: each role's walk through the app, on a desktop and a phone.

Every journey test takes the `viewport` fixture (1366 px and 390 px) and opens a `Journey` with
the `journey_factory` fixture (both in conftest.py);
`journey.check(name)` is called on every page the person reaches and asserts what the developers'
guide asks of each page: axe-core (WCAG 2.1 AA) finds nothing, the page does not scroll sideways,
and the browser logged no error (a CSP refusal or a script error is a console error).
"""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


class Journey:
    """A person's own browser context (cookies, language, screen size) and the checks per page."""

    def __init__(self, browser: Browser, server: str, viewport: str, language: str = "en") -> None:
        self.server = server
        self.viewport = viewport
        self.language = language
        self.context = browser.new_context(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
        self.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.expected_statuses: set[int] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium logs every 4xx answer as an error; a page that answers 409 or 400 on purpose
        # (a conflict, a refused value) says so with expect_status().
        if any(f"status of {code} " in message.text for code in self.expected_statuses):
            return
        self.errors.append(f"console: {message.text}")

    def expect_status(self, *codes: int) -> None:
        """From now on, answers with these HTTP statuses are part of the journey, not errors."""
        self.expected_statuses.update(codes)

    def sign_in(self, who: tuple[str, str]) -> None:
        self.page.goto(self.server + "/accounts/login/")
        self.page.fill("#id_username", who[0])
        self.page.fill("#id_password", who[1])
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def visit(self, path: str, status: int = 200) -> Response:
        response = self.page.goto(self.server + path)
        assert response is not None and response.status == status, (path, response and response.status)
        return response

    def check(self, name: str) -> None:
        """The page as it is now: screenshot, no axe violation, no sideways scroll, no browser error."""
        page = self.page
        page.wait_for_load_state()
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"journey-{name}-{self.viewport}-{self.language}.png"), full_page=True
        )
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow} px at {self.viewport}"
        assert not self.errors, f"{name}: {self.errors}"

    def close(self) -> None:
        self.context.close()
