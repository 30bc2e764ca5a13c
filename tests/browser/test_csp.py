"""The Content-Security-Policy is sent and no page breaks it, in real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.browser.conftest import signed_in_page

PAGES = {
    "home": "/",
    "city-results": "/cities/hameenlinna/",
    "practices": "/practices/",
    "practices-search": "/practices/?q=museum&dimension=cultural",
    "practice-map": "/practices/map/",
    "report": "/reports/hameenlinna/2023/",
    "sign-in": "/accounts/login/",
    "admin-login": "/admin/login/",
}
SIGNED_IN_PAGES = {
    "workspace": "/workspace/",
    "workspace-area": "/workspace/hameenlinna/2023/areas/education/",
    "report-secretariat": "/reports/hameenlinna/2023/",
    "pathway": "/pathway/hameenlinna/",
    "admin": "/admin/",
}
# Runs in the page before its own scripts (added through the browser, not refused by the policy).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def violations(page: Page, url: str) -> tuple[str, list[str]]:
    refused: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Refused to" in message.text or "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", on_console)
    page.add_init_script(LISTEN)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    events: list[str] = page.evaluate("window.__cspViolations")
    return response.headers.get("content-security-policy", ""), refused + events


@pytest.fixture
def secretariat_page(browser: Browser, server: str) -> Iterator[Page]:
    from tests.browser.conftest import SECRETARIAT

    page = signed_in_page(browser, server, SECRETARIAT)
    yield page
    page.context.close()


def assert_policy(header: str) -> None:
    directives = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.parametrize("name", PAGES)
def test_public_pages_keep_to_the_policy(server: str, page: Page, name: str) -> None:
    header, found = violations(page, server + PAGES[name])
    assert_policy(header)
    assert found == [], found


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_pages_keep_to_the_policy(server: str, secretariat_page: Page, name: str) -> None:
    header, found = violations(secretariat_page, server + SIGNED_IN_PAGES[name])
    assert_policy(header)
    assert found == [], found


def test_the_policy_is_enforced(server: str, page: Page) -> None:
    """The listener does see a refusal: an inline script added to the page is not run."""
    violations(page, server + "/")
    ran = page.evaluate(
        """() => { window.__ran = false; const s = document.createElement("script");
        s.textContent = "window.__ran = true"; document.body.append(s); return window.__ran; }"""
    )
    assert ran is False
    page.wait_for_function("window.__cspViolations.length > 0")  # the event is dispatched later
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))


def test_htmx_pages_keep_their_config_and_add_no_inline_style(server: str, secretariat_page: Page) -> None:
    violations(secretariat_page, server + SIGNED_IN_PAGES["workspace-area"])
    state = secretariat_page.evaluate(
        """() => ({
          metas: document.querySelectorAll('meta[name="htmx-config"]').length,
          indicatorStyles: htmx.config.includeIndicatorStyles,
          handles409: htmx.config.responseHandling.some((r) => r.code === "409" && r.swap),
          styles: document.querySelectorAll("style").length,
        })"""
    )
    assert state == {"metas": 1, "indicatorStyles": False, "handles409": True, "styles": 0}
