"""Pathway actions through CSV and XLSX: bounded imports, neutralised exports, exact round trips."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from interculture.assessments.models import City
from interculture.pathway import services
from interculture.pathway.models import Action

pytestmark = pytest.mark.django_db
FIELDS = ("title", "owner_department", "deadline", "budget_eur", "status", "progress", "questions")


def _values(city: City) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(getattr(a, f) for f in FIELDS) for a in Action.objects.filter(city=city).order_by("id")]


def test_an_action_export_neutralises_formulas_and_imports_back_the_same(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    services.create_action(
        hml, team["coordinator"], title="+cmd|' /C calc'!A0", owner_department="@Education",
        deadline=date(2026, 6, 30), budget_eur=Decimal("-250.50"), questions=["education.intercultural_projects"],
    )  # fmt: skip
    original = _values(hml)
    csv_file, xlsx_file = services.export_actions(hml, "csv"), services.export_actions(hml, "xlsx")
    row = next(csv.DictReader(io.StringIO(csv_file.decode("utf-8-sig"))))
    assert row["title"] == "'+cmd|' /C calc'!A0" and row["owner_department"] == "'@Education"
    assert row["budget_eur"] == "-250.50"  # a number, not text: no apostrophe
    sheet = load_workbook(io.BytesIO(xlsx_file)).active
    assert sheet["A2"].value == "'+cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["D2"].data_type == "n" and sheet["D2"].value == -250.5
    for content, name in ((csv_file, "a.csv"), (xlsx_file, "a.xlsx")):
        Action.objects.filter(city=hml).delete()
        assert services.import_actions(hml, team["coordinator"], data=content, filename=name) == 1
        assert _values(hml) == original


def test_action_imports_are_bounded_and_clear(team) -> None:  # type: ignore[no-untyped-def]
    hml = City.objects.get(slug="hameenlinna")
    c = Client()
    c.force_login(team["coordinator"])
    html = c.post(
        f"/pathway/{hml.slug}/",
        {"import": "1", "file": SimpleUploadedFile("a.csv", b"x" * 2_000_001)},
        follow=True,
    ).content.decode()
    assert "The file is 2.1 MB, over the limit of 2 MB." in html
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(FIELDS))
    for n in range(20_000):
        sheet.append([f"t{n}", "HR", "2026-01-01", 1, "planned", 0, ""])
    out = io.BytesIO()
    book.save(out)
    for content, name, message in [
        (out.getvalue(), "a.xlsx", "more than 5000 rows"),
        (b"not a workbook", "a.xlsx", "not an XLSX workbook"),
        (
            "title,owner_department,deadline\nKahvilä,Kirjasto,2026-01-01\n".encode("cp1252"),
            "a.csv",
            "not UTF-8",
        ),
        (b"title,owner_department,deadline\nx,\x00,2026-01-01\n", "a.csv", "NUL bytes"),
        (b"title,owner_department,deadline\nx," + b"y" * 200_000 + b",2026-01-01\n", "a.csv", "longer than"),
    ]:
        with pytest.raises(services.ImportRejected) as exc:
            services.import_actions(hml, team["coordinator"], data=content, filename=name)
        assert message in str(exc.value)
    assert Action.objects.filter(city=hml).count() == 0
