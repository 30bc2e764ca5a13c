"""Import and export of fact sheets as CSV, XLSX and JSON.

An import validates every row first and reports each bad row with its row number and field;
if any row is bad, nothing is imported. Exports leave contact details (personal data) out
unless they are asked for.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from interculture.practices import schema
from interculture.practices.models import Practice
from interculture.practices.services import FieldError, PracticeInvalid, save, validate

FORMATS = ("csv", "xlsx", "json")
LIST_SEPARATOR = ";"
_CRITERIA_COLUMNS = [f"evaluation_{c}_{part}" for c in schema.CRITERIA for part in ("rating", "evidence")]
COLUMNS = [
    "slug",
    "title_en", "title_fi", "title_sv", "original_title",
    "summary_en", "summary_fi", "summary_sv", "source_language",
    "organiser", "start", "finish", "type", "introduction", "policy_challenges", "objectives",
    "budget_text", "activities", "relations", "outcomes", "replication", "evaluation_text",
    "country", "city", "region", "level", "dimension", "subcategory",
    "icc_areas", "target_groups", "funding",
    "budget_as_stated", "budget_amount", "budget_currency", "budget_period", "budget_eur", "budget_doubt",
    "status", "transferability", *_CRITERIA_COLUMNS,
    "provenance_source", "provenance_reconstructed", "provenance_note", "doubts", "synthetic",
]  # fmt: skip
CONTACT_COLUMNS = ["contact_name", "contact_organisation", "contact_email", "contact_phone"]
_TEXT_FIELDS = [*schema.TEXT_FIELDS, "transferability"]


class ImportRejected(PracticeInvalid):
    """At least one row is bad; nothing was imported."""


# --- flat rows <-> fact sheets ----------------------------------------------------------------


def to_row(data: dict[str, Any], include_contacts: bool = False) -> dict[str, Any]:
    p = schema.Practice.model_validate(data)
    row: dict[str, Any] = {
        "slug": p.slug,
        "original_title": p.original_title or "",
        "source_language": p.source_language,
        "country": p.place.country,
        "city": p.place.city or "",
        "region": p.place.region or "",
        "level": p.level.value,
        "dimension": p.dimension.value,
        "subcategory": p.subcategory,
        "icc_areas": LIST_SEPARATOR.join(p.icc_areas),
        "target_groups": LIST_SEPARATOR.join(p.target_groups),
        "funding": LIST_SEPARATOR.join(f.value for f in p.funding),
        "budget_as_stated": p.budget.as_stated,
        "budget_amount": p.budget.amount,
        "budget_currency": p.budget.currency or "",
        "budget_period": p.budget.period or "",
        "budget_eur": p.budget.amount_eur,
        "budget_doubt": p.budget.doubt or "",
        "status": p.status.value,
        "provenance_source": p.provenance.source,
        "provenance_reconstructed": p.provenance.reconstructed,
        "provenance_note": p.provenance.note or "",
        "doubts": LIST_SEPARATOR.join(p.doubts),
        "synthetic": p.synthetic,
    }
    for lang in ("en", "fi", "sv"):
        row[f"title_{lang}"] = getattr(p.title, lang) or ""
        row[f"summary_{lang}"] = getattr(p.summary, lang) or ""
    for name in _TEXT_FIELDS:
        row[name] = getattr(p, name)
    for c in schema.CRITERIA:
        criterion = getattr(p.evaluation, c)
        row[f"evaluation_{c}_rating"] = criterion.rating.value
        row[f"evaluation_{c}_evidence"] = criterion.evidence
    if include_contacts:
        contact = p.contact or schema.Contact()
        for name in ("name", "organisation", "email", "phone"):
            row[f"contact_{name}"] = getattr(contact, name)
    return row


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float | str | None:
    text = _text(value)
    if not text:
        return None
    try:
        return float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        return text  # let the schema report it


def _bool(value: Any) -> bool | str:
    text = _text(value).lower()
    if text in ("", "false", "0", "no"):
        return False
    if text in ("true", "1", "yes"):
        return True
    return text


def from_row(row: dict[str, Any]) -> dict[str, Any]:
    """A fact sheet (schema shape) from a flat row; the schema validates it afterwards."""

    def lst(name: str) -> list[str]:
        return [v.strip() for v in _text(row.get(name)).split(LIST_SEPARATOR) if v.strip()]

    def text(lang_field: str) -> dict[str, str]:
        out = {lang: _text(row.get(f"{lang_field}_{lang}")) for lang in ("en", "fi", "sv")}
        return {k: v for k, v in out.items() if v}

    data: dict[str, Any] = {
        "slug": _text(row.get("slug")),
        "title": text("title"),
        "summary": text("summary"),
        "source_language": _text(row.get("source_language")) or "en",
        "place": {
            k: v
            for k, v in {
                "country": _text(row.get("country")),
                "city": _text(row.get("city")) or None,
                "region": _text(row.get("region")) or None,
            }.items()
            if v is not None
        },
        "level": _text(row.get("level")),
        "dimension": _text(row.get("dimension")),
        "subcategory": _text(row.get("subcategory")),
        "icc_areas": lst("icc_areas"),
        "target_groups": lst("target_groups"),
        "funding": lst("funding"),
        "budget": {
            k: v
            for k, v in {
                "as_stated": _text(row.get("budget_as_stated")),
                "amount": _number(row.get("budget_amount")),
                "currency": _text(row.get("budget_currency")) or None,
                "period": _text(row.get("budget_period")) or None,
                "amount_eur": _number(row.get("budget_eur")),
                "doubt": _text(row.get("budget_doubt")) or None,
            }.items()
            if v not in (None, "")
        },
        "status": _text(row.get("status")) or "unknown",
        "evaluation": {
            c: {
                "rating": _text(row.get(f"evaluation_{c}_rating")) or "not_evaluated",
                "evidence": _text(row.get(f"evaluation_{c}_evidence")),
            }
            for c in schema.CRITERIA
        },
        "provenance": {
            "source": _text(row.get("provenance_source")),
            "reconstructed": _bool(row.get("provenance_reconstructed")),
            "note": _text(row.get("provenance_note")) or None,
        },
        "doubts": lst("doubts"),
        "synthetic": _bool(row.get("synthetic")),
    }
    if _text(row.get("original_title")):
        data["original_title"] = _text(row.get("original_title"))
    for name in _TEXT_FIELDS:
        data[name] = _text(row.get(name))
    if any(_text(row.get(c)) for c in CONTACT_COLUMNS):
        data["contact"] = {c.removeprefix("contact_"): _text(row.get(c)) for c in CONTACT_COLUMNS}
    return data


# --- files ----------------------------------------------------------------------------------


def export(practices: Iterable[Practice], fmt: str, include_contacts: bool = False) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    records = [p.data for p in practices]
    if fmt == "json":
        if not include_contacts:
            records = [{k: v for k, v in r.items() if k != "contact"} for r in records]
        return json.dumps({"practices": records}, ensure_ascii=False, indent=2).encode()
    columns = COLUMNS + (CONTACT_COLUMNS if include_contacts else [])
    rows = [to_row(r, include_contacts) for r in records]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "practices"
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_rows(content: bytes, fmt: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, record) pairs; row numbers are as a person sees them in the file."""
    if fmt == "json":
        try:
            doc = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ImportRejected([FieldError("(file)", f"not valid JSON: {exc}")]) from exc
        items = doc.get("practices") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise ImportRejected(
                [FieldError("(file)", "expected a list of practices or {'practices': [...]}")]
            )
        return [(n, item if isinstance(item, dict) else {}) for n, item in enumerate(items, 1)]
    if fmt == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRejected([FieldError("(file)", "the CSV file is not UTF-8")]) from exc
        reader = csv.DictReader(io.StringIO(text))
        return [(n, from_row(row)) for n, row in enumerate(reader, 2)]  # row 1 is the header
    if fmt == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ImportRejected([FieldError("(file)", f"not a readable XLSX file: {exc}")]) from exc
        sheet = book.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [_text(h) for h in values[0]]
        return [
            (n, from_row(dict(zip(header, row, strict=False))))
            for n, row in enumerate(values[1:], 2)
            if any(v not in (None, "") for v in row)
        ]
    raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")


def import_file(
    content: bytes, fmt: str, *, user: Any = None, state: str = Practice.State.DRAFT
) -> list[Practice]:
    """Validate every row, then import all of them, or none if any row is bad."""
    rows = read_rows(content, fmt)
    errors: list[FieldError] = []
    valid: list[schema.Practice] = []
    seen: dict[str, int] = {}
    for number, record in rows:
        try:
            practice = validate(record, row=number)
        except PracticeInvalid as exc:
            errors.extend(exc.errors)
            continue
        if practice.slug in seen:
            errors.append(FieldError("slug", f"{practice.slug!r} repeats row {seen[practice.slug]}", number))
        seen[practice.slug] = number
        valid.append(practice)
    if not rows:
        errors.append(FieldError("(file)", "no practices in the file"))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        return [save(p, user=user, state=state, comment=f"Imported from {fmt.upper()}") for p in valid]
