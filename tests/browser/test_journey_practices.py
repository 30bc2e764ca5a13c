"""The public visitor's practices journey, in Finnish, on a desktop and a phone: search, the
filters, a fact sheet, the interactive map by keyboard; and the map without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser

from tests.browser.journey import SCREENSHOTS, VIEWPORTS, Journey


def test_public_visitor_finds_practices(journey_factory: Callable[..., Journey]) -> None:
    j = journey_factory("fi")
    page = j.page
    j.visit("/practices/")
    filters = page.locator("#filters")
    # Folded on a phone, so the results come first; open beside them on a desktop.
    assert filters.evaluate("d => d.open") == (j.viewport == "desktop")
    j.check("practices-search")

    # A Finnish query finds the Finnish fact sheet by its words (the servers of the tests embed
    # with the deterministic stand-in; the cross-lingual recall of the real model is tested in
    # tests/practices with `real_embeddings`).
    page.fill("#q", "kieltä maahanmuuttajaäideille")
    page.click("form[role=search] button[type=submit] >> nth=0")
    page.wait_for_load_state()
    top = page.locator("ol.hits > li h3 a").all_inner_texts()[:3]
    assert "Kreikan kieltä ja historiaa maahanmuuttajaäideille" in top, top
    j.check("practices-results")

    if not filters.evaluate("d => d.open"):
        page.click("#filters > summary")
    label = page.locator("#filters label", has_text="Kunnallinen").first
    assert label.is_visible()
    label.click()
    page.click("#filters button[type=submit]")
    page.wait_for_load_state()
    assert "level=municipal" in page.url
    assert page.locator("#filters input[value=municipal]").is_checked()
    j.check("practices-filtered")

    page.click("ol.hits > li h3 a >> nth=0")
    page.wait_for_load_state()
    assert page.locator("h2", has_text="Tietokortti").count() == 1 or page.locator("dl.facts").count() == 2
    j.check("practices-fact-sheet")

    j.visit("/practices/map/")
    page.wait_for_selector(".map-marker, .map-cluster")
    assert page.locator("#practice-map").is_visible()
    assert not page.locator(".static-map").is_visible()  # the server's map is the fallback
    j.check("practices-map")

    page.focus("#practice-map")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('map-marker')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('map-marker')")
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content a").first
    link.wait_for()
    assert page.evaluate("document.activeElement.closest('.leaflet-popup-content') !== null")
    j.check("practices-map-popup")
    href = link.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    j.check("practices-map-fact-sheet")


def test_the_map_without_javascript_is_the_server_map_and_table(
    browser: Browser, server: str, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport], java_script_enabled=False)  # type: ignore[arg-type]
    context.add_cookies([{"name": "django_language", "value": "sv", "url": server}])
    page = context.new_page()
    try:
        response = page.goto(server + "/practices/map/")
        assert response is not None and response.status == 200
        assert page.locator(".static-map svg").is_visible()
        assert not page.locator("#practice-map").is_visible()
        assert page.locator("table.map-table tbody tr").count() > 20
        assert page.locator("table.map-table", has_text="Grekland").count() == 1
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0 or viewport == "phone", overflow  # the phone menu is the site's (issue 13)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"journey-practices-map-nojs-{viewport}-sv.png"), full_page=True
        )
    finally:
        context.close()
