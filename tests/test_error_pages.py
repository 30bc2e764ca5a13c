"""The site's own error pages, a city without published results, and the favicon."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_an_unknown_address_is_the_sites_404_page_in_the_readers_language(
    client: Client, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    client.cookies["django_language"] = "fi"
    for path in ("/no/such/page/", "/cities/atlantis/", "/cities/hameenlinna/1999/"):
        response = client.get(path)
        assert response.status_code == 404, path
        html = response.content.decode()
        assert "Sivua ei löydy" in html and "site.css" in html, path
        assert "URLconf" not in html and "DEBUG" not in html, path  # never Django's debug page


def test_the_api_keeps_its_json_404(client: Client) -> None:
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_a_city_without_a_published_round_has_its_profile(client: Client, team: Any) -> None:
    client.cookies["django_language"] = "sv"
    response = client.get("/cities/kuopio/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inga indexresultat för Kuopio har publicerats ännu" in html
    assert "Building an inclusive integration approach in Finland" in html  # the programme's source, by title


def test_a_draft_round_is_not_disclosed_on_the_city_page(client: Client, team: Any) -> None:
    """Otherby has only a draft round (2025): the public sees the profile, not the draft."""
    response = client.get("/cities/otherby/")
    assert response.status_code == 200
    assert "No Index results of Otherby are published yet" in response.content.decode()
    assert "2025" not in response.content.decode()
    assert client.get("/cities/otherby/2025/").status_code == 404
    client.force_login(team["other_coordinator"])
    assert "Intercultural Cities Index 2025" in client.get("/cities/otherby/").content.decode()


def test_the_403_page_is_styled_and_translated(client: Client, team: Any, draft_round: Any) -> None:
    client.force_login(team["coordinator"])
    client.cookies["django_language"] = "fi"
    response = client.get("/workspace/hameenlinna/2025/review/")
    assert response.status_code == 403
    assert "Ei sallittu" in response.content.decode()


def test_the_favicon_is_served_also_at_favicon_ico(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_english_dates_are_unambiguous_and_finnish_dates_are_finnish() -> None:
    from datetime import date

    from django.utils import formats, translation

    day = date(2026, 12, 2)
    expected = {"en": "2 December 2026", "fi": "2.12.2026", "sv": "2 december 2026"}
    for language, text in expected.items():
        with translation.override(language):
            assert formats.date_format(day) == text
