"""Imports are bounded and all-or-nothing; exports cannot attack their readers; round trips
through CSV, XLSX and JSON lose nothing."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from interculture.practices import exchange, services
from interculture.practices.models import Practice, PracticeVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat() -> User:
    user = User.objects.create_user("sec", password="pw-sec-123456")
    user.is_superuser = True
    user.save()
    return user


def snapshot() -> tuple[int, int]:
    return Practice.objects.count(), PracticeVersion.objects.count()


def _rejected(content: bytes, fmt: str) -> str:
    before = snapshot()
    with pytest.raises(exchange.ImportRejected) as exc:
        exchange.import_file(content, fmt)
    assert snapshot() == before
    return str(exc.value)


def _many_cells_xlsx(rows: int, columns: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(exchange.COLUMNS[:columns])
    for n in range(rows):
        sheet.append([f"{n % 10}"] * columns)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_small_xlsx_of_two_million_cells_is_refused_through_the_page(
    client: Client, secretariat: User
) -> None:
    content = _many_cells_xlsx(20_000, 100)
    assert len(content) < exchange.LIMITS.max_bytes  # small on disk, huge once read
    client.force_login(secretariat)
    before = snapshot()
    html = client.post(
        "/practices/import/", {"file": SimpleUploadedFile("big.xlsx", content)}
    ).content.decode()
    assert "The file has more than 200000 cells; split it into smaller files." in html
    assert snapshot() == before


def test_an_oversized_upload_is_refused_before_it_is_read(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)
    html = client.post(
        "/practices/import/", {"file": SimpleUploadedFile("big.csv", b"x" * 5_000_001)}
    ).content.decode()
    assert "The file is 5.1 MB, over the limit of 5 MB." in html


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"PK\x03\x04 not really a zip", "xlsx", "not an XLSX workbook"),
        (b"<html>a web page saved as .xlsx</html>", "xlsx", "not an XLSX workbook"),
        (b"slug,title_en\nx," + b"y" * 200_000 + b"\n", "csv", "longer than 100000 characters"),
        ("slug,title_en\nx,Caf\u00e9\n".encode("latin-1"), "csv", "not UTF-8"),
        ("slug,title_en\nx,y\n".encode("utf-16"), "csv", "not UTF-8"),
        (b"slug,title_en\nx,\x00\n", "csv", "NUL bytes"),
        (b"[" * 100_000, "json", "nested more than 20 levels"),
        (b'{"practices": ' + b"[" * 30 + b"]" * 30 + b"}", "json", "nested more than 20 levels"),
    ],
)
def test_bad_files_are_clear_errors_and_import_nothing(content: bytes, fmt: str, message: str) -> None:
    assert message in _rejected(content, fmt)


def test_a_bom_is_fine() -> None:
    published = Practice.objects.filter(state="published").order_by("slug")[:2]
    content = exchange.export(published, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    Practice.objects.filter(pk__in=[p.pk for p in published]).delete()
    assert len(exchange.import_file(content, "csv")) == 2


def test_a_deep_json_through_the_page_is_a_message_not_a_500(client: Client, secretariat: User) -> None:
    client.force_login(secretariat)
    response = client.post("/practices/import/", {"file": SimpleUploadedFile("deep.json", b"[" * 100_000)})
    assert response.status_code == 200 and "nested more than 20 levels" in response.content.decode()


# --- exports cannot attack their readers -----------------------------------------------------

EVIL_TITLE = '=HYPERLINK("http://evil","x")'


def _evil_practice() -> Practice:
    data = copy.deepcopy(Practice.objects.filter(state="published").order_by("slug").first().data)
    data["slug"] = "evil-formula"
    data["title"] = {"en": EVIL_TITLE}
    data["summary"] = {"en": "-2+3 looks like a sum", "fi": "@SUM(A1:A2)"}
    return services.save(data, state="published")


def test_csv_and_xlsx_exports_neutralise_formulas_and_import_back_the_same() -> None:
    evil = _evil_practice()
    original = Practice.objects.get(pk=evil.pk).data
    for fmt in ("csv", "xlsx"):
        content = exchange.export([evil], fmt, include_contacts=True)
        if fmt == "csv":
            row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        else:
            sheet = load_workbook(io.BytesIO(content)).active
            header = [c.value for c in sheet[1]]
            cells = dict(zip(header, sheet[2], strict=True))
            assert all(c.data_type != "f" for c in sheet[2])  # no formula anywhere
            assert cells["title_en"].data_type == "s"
            row = {k: c.value for k, c in cells.items()}
        assert row["title_en"] == "'" + EVIL_TITLE
        assert row["summary_en"] == "'-2+3 looks like a sum" and row["summary_fi"] == "'@SUM(A1:A2)"
        Practice.objects.filter(pk=evil.pk).delete()
        (evil,) = exchange.import_file(content, fmt, state="published")
        assert Practice.objects.get(pk=evil.pk).data == original


# --- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", exchange.FORMATS)
def test_every_seed_practice_survives_export_and_import(fmt: str) -> None:
    before = {p.slug: (p.data, p.state, p.version) for p in Practice.objects.all()}
    assert len(before) == 72
    assert any(";" in d for data, _s, _v in before.values() for d in data.get("doubts", []))
    assert all(data.get("translation_status") for data, _s, _v in before.values())
    content = exchange.export(Practice.objects.order_by("slug"), fmt, include_contacts=True)
    Practice.objects.all().delete()
    exchange.import_file(content, fmt, state=None if fmt == "json" else "published")
    after = {p.slug: (p.data, p.state, p.version) for p in Practice.objects.all()}
    if fmt == "json":  # JSON keeps the moderation state and the version number too
        assert after == before
    else:
        assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}


def test_json_keeps_state_and_version_and_refuses_a_stale_file() -> None:
    practice = Practice.objects.filter(state="published").order_by("slug").first()
    services.transition(practice, "in_review", user=User.objects.create_superuser("s2"))
    practice.refresh_from_db()
    content = exchange.export([practice], "json")
    record = json.loads(content)["practices"][0]
    assert (record["state"], record["version"]) == ("in_review", practice.version)
    # Imported again unchanged: nothing happens.
    exchange.import_file(content, "json")
    assert Practice.objects.get(pk=practice.pk).version == practice.version
    # Changed in the base since the export: the file is stale and refused, by row and field.
    data = copy.deepcopy(practice.data)
    data["summary"]["en"] = "Edited after the export."
    services.save(data)
    edited = copy.deepcopy(record)
    edited["summary"]["en"] = "Edited in the file."
    with pytest.raises(exchange.ImportRejected) as exc:
        exchange.import_file(json.dumps({"practices": [edited]}).encode(), "json")
    assert [(e.row, e.field) for e in exc.value.errors] == [(1, "version")]
    assert Practice.objects.get(pk=practice.pk).data["summary"]["en"] == "Edited after the export."
    # A file based on the current version is applied as the next version.
    edited["version"] = practice.version + 1
    exchange.import_file(json.dumps({"practices": [edited]}).encode(), "json")
    assert Practice.objects.get(pk=practice.pk).version == practice.version + 2


def test_doubts_with_semicolons_and_translation_status_in_cells() -> None:
    practice = Practice.objects.filter(state="published").order_by("slug").first()
    row = exchange.to_row(practice.data)
    assert json.loads(row["translation_status"]) == practice.data["translation_status"]
    typed = {**row, "doubts": "First; with a semicolon\nSecond", "translation_status": "fi=draft; sv=draft"}
    data = exchange.from_row(typed)
    assert data["doubts"] == ["First; with a semicolon", "Second"]
    assert data["translation_status"] == {"fi": "draft", "sv": "draft"}
