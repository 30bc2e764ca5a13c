"""The pages that span the domains: the home page and a city's results."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_shows_hameenlinna_and_the_synthetic_label(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "Hämeenlinna" in html
    assert "129 synthetic cities" in html


def test_city_results_page(client: Client) -> None:
    response = client.get("/cities/hameenlinna/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Commitment", "Education", "Interaction", "Core index", "Intercultural lens"):
        assert label in html
    assert "synthetic" in html
    assert "129 of the 130 cities" in html
    assert "<svg" in html and 'aria-labelledby="rates-caption"' in html  # chart with its text alternative


def test_city_results_in_finnish(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "fi", "next": "/"})
    html = client.get("/cities/hameenlinna/").content.decode()
    assert 'lang="fi"' in html
    assert "Sitoutuminen" in html  # the area name comes from the questionnaire data


def test_unknown_city_is_404(client: Client) -> None:
    assert client.get("/cities/atlantis/").status_code == 404
    assert client.get("/cities/hameenlinna/1999/").status_code == 404


def test_city_results_suggest_practices_for_the_weakest_areas(client: Client) -> None:
    html = client.get("/cities/hameenlinna/").content.decode()
    section = html[html.index("Learning from other cities") :]
    # Media (13 % against 46 %) is Hämeenlinna's largest gap to the sample.
    assert "Media and Communication" in section
    assert section.count('href="/practices/') >= 6
