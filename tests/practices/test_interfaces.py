"""The practice base through the CLI, the REST API and the web pages."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from interculture.cli import main
from interculture.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_cli_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practices", "search", "museum refugees", "--limit", "3", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == "neuchatel-refugee-museum-guides"
    assert set(hits[0]) == {"id", "title", "city", "country", "score"}


def test_cli_search_with_facets_and_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practices", "search", "festival", "--lang", "fi", "--facet", "country=CY", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(h["country"] == "CY" for h in hits)
    assert (
        "festivaal" in hits[0]["title"].lower()
        or hits[0]["title"] != Practice.objects.get(slug=hits[0]["id"]).title
    )


def test_cli_bad_facet_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practices", "search", "x", "--facet", "colour=red"]) == 1
    assert "unknown facet 'colour'" in capsys.readouterr().err


def test_cli_suggest_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practices", "suggest", "hameenlinna", "media", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 3 and all(f["country"] for f in found)


def test_cli_export_and_import(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "all.xlsx"
    assert main(["practices", "export", "-o", str(out)]) == 0
    count = Practice.objects.filter(state="published").count()
    Practice.objects.all().delete()
    assert main(["practices", "import", str(out), "--publish"]) == 0
    assert Practice.objects.filter(state="published").count() == count
    bad = tmp_path / "bad.json"
    bad.write_text('{"practices": [{"slug": "x"}]}')
    assert main(["practices", "import", str(bad)]) == 1
    assert "nothing was imported" in capsys.readouterr().err


def test_api_search_and_openapi(client: Client) -> None:
    body = client.get("/api/practices/search", {"q": "neighbourhood", "country": "ES"}).json()
    assert body["total"] >= 1 and all(h["country"] == "ES" for h in body["hits"])
    assert "country" in body["facets"]
    schema = client.get("/api/openapi.json").json()
    assert "/api/practices/search" in schema["paths"]
    assert "/api/cities/{slug}/rounds/{year}/results" in schema["paths"]


def test_api_suggest_and_city_benchmark(client: Client) -> None:
    assert len(client.get("/api/practices/suggest/hameenlinna/education").json()) == 3
    bench = client.get("/api/cities/hameenlinna/rounds/2023/results").json()["benchmark"]
    assert bench["sample_size"] == 130


def test_search_page_with_facets(client: Client) -> None:
    html = client.get("/practices/", {"q": "festival", "dimension": "cultural"}).content.decode()
    assert "limassol-intercultural-council-festivals" in html
    assert 'name="dimension" value="cultural" checked' in html


def test_map_page_has_svg_and_table(client: Client) -> None:
    html = client.get("/practices/map/").content.decode()
    assert "<svg" in html and "<figcaption" in html
    assert "Roubaix" in html and "<table" in html


def test_submit_form_saves_a_draft_and_flags_a_duplicate(client: Client) -> None:
    user = User.objects.create_user("officer", password="pw-officer-1")
    client.force_login(user)
    assert client.get("/practices/new/").status_code == 200
    form = {
        "slug": "bergen-centre-copy", "title_en": "Bergen inclusion centre", "title_fi": "Bergenin osallisuuskeskus",
        "summary_en": "A centre for services and learning.", "source_language": "no", "country": "NO",
        "city": "Bergen", "organiser": "City of Bergen", "level": "municipal", "dimension": "cultural",
        "subcategory": "adapting_public_services", "icc_areas": ["public_services"], "status": "ongoing",
        "source": "submitted by the city",
    }  # fmt: skip
    response = client.post("/practices/new/", form, follow=True)
    html = response.content.decode()
    assert Practice.objects.get(slug="bergen-centre-copy").state == "draft"
    assert "Possible duplicate" in html


def test_submit_form_reports_invalid_fields(client: Client) -> None:
    client.force_login(User.objects.create_user("officer2", password="pw-officer-2"))
    response = client.post(
        "/practices/new/", {"slug": "x", "dimension": "cultural", "subcategory": "employment"}
    )
    assert response.status_code == 200
    assert not Practice.objects.filter(slug="x").exists()
    assert "This field is required" in response.content.decode()


def test_moderation_through_the_web(client: Client) -> None:
    practice = Practice.objects.get(slug="bergen-inclusion-centre")
    sec = User.objects.create_user("sec2", password="pw-sec-2")
    sec.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    client.force_login(sec)
    client.post(f"/practices/{practice.slug}/moderate/", {"to": "in_review"})
    client.post(f"/practices/{practice.slug}/moderate/", {"to": "returned", "comment": "Check the dates"})
    practice.refresh_from_db()
    assert practice.state == "returned"
    assert practice.versions.first().note == "Check the dates"
