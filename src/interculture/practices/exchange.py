"""Import and export of fact sheets as CSV, XLSX and JSON.

An import validates every row first and reports each bad row with its row number and field;
if any row is bad, nothing is imported. The slow part (validation, place look-ups, embeddings)
runs before the one short write transaction, so a long import does not hold up other writers.
Exports leave contact details (personal data) out unless they are asked for.

Reading and writing the files (limits, formula neutralisation) is interculture.tabular's.
In CSV and XLSX, list cells of identifiers (ICC areas, target groups, funding) are joined with
";"; doubts (free text that may hold ";") and translation_status are JSON in their cell. JSON
carries each practice's moderation state and version number (see import_file).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from interculture import tabular
from interculture.accounts.types import User
from interculture.errors import Invalid
from interculture.practices import schema
from interculture.practices.models import Practice
from interculture.practices.services import (
    FieldError,
    Incoming,
    PracticeInvalid,
    prepare,
    save_many,
    validate,
)

FORMATS = ("csv", "xlsx", "json")
LIST_SEPARATOR = ";"
# An import file: at most 5 MB, 5 000 rows, 200 columns, 200 000 cells, JSON 20 levels deep.
LIMITS = tabular.Limits(max_bytes=5_000_000, max_rows=5_000, max_columns=200, max_cells=200_000, max_depth=20)
# What a JSON record may carry besides the fact sheet.
RECORD_KEYS = ("state", "version")
_CRITERIA_COLUMNS = [f"evaluation_{c}_{part}" for c in schema.CRITERIA for part in ("rating", "evidence")]
COLUMNS = [
    "slug",
    "title_en", "title_fi", "title_sv", "original_title",
    "summary_en", "summary_fi", "summary_sv", "source_language",
    "organiser", "start", "finish", "type", "introduction", "policy_challenges", "objectives",
    "budget_text", "activities", "relations", "outcomes", "replication", "evaluation_text",
    "translation_status",
    "country", "city", "region", "latitude", "longitude", "level", "dimension", "subcategory",
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
        "latitude": p.place.latitude,
        "longitude": p.place.longitude,
        "translation_status": json.dumps(p.translation_status, ensure_ascii=False)
        if p.translation_status
        else "",
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
        "doubts": json.dumps(p.doubts, ensure_ascii=False) if p.doubts else "",
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


def _json_cell(value: Any) -> Any:
    """A list or object written as JSON in a cell; the text itself if it is not JSON."""
    text = _text(value)
    if text[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass
    return text


def _doubts(value: Any) -> Any:
    """Doubts: a JSON list (as exported), else one doubt per line (as typed in a spreadsheet)."""
    parsed = _json_cell(value)
    if isinstance(parsed, str):
        return [line.strip() for line in parsed.splitlines() if line.strip()]
    return parsed  # the schema reports anything that is not a list of texts


def _translation_status(value: Any) -> Any:
    """A JSON object ({"fi": "draft"}), else "fi=draft; sv=draft"."""
    parsed = _json_cell(value)
    if isinstance(parsed, str):
        pairs = [p.partition("=") for p in parsed.split(LIST_SEPARATOR) if p.strip()]
        return {k.strip(): v.strip() for k, _sep, v in pairs}
    return parsed


def _present(values: dict[str, Any], empty: tuple[Any, ...] = (None,)) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in empty}


def _place(row: dict[str, Any]) -> dict[str, Any]:
    return _present(
        {
            "country": _text(row.get("country")),
            "city": _text(row.get("city")) or None,
            "region": _text(row.get("region")) or None,
            "latitude": _number(row.get("latitude")),
            "longitude": _number(row.get("longitude")),
        }
    )


def _budget(row: dict[str, Any]) -> dict[str, Any]:
    return _present(
        {
            "as_stated": _text(row.get("budget_as_stated")),
            "amount": _number(row.get("budget_amount")),
            "currency": _text(row.get("budget_currency")) or None,
            "period": _text(row.get("budget_period")) or None,
            "amount_eur": _number(row.get("budget_eur")),
            "doubt": _text(row.get("budget_doubt")) or None,
        },
        empty=(None, ""),
    )


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
        "place": _place(row),
        "level": _text(row.get("level")),
        "dimension": _text(row.get("dimension")),
        "subcategory": _text(row.get("subcategory")),
        "icc_areas": lst("icc_areas"),
        "target_groups": lst("target_groups"),
        "funding": lst("funding"),
        "budget": _budget(row),
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
        "doubts": _doubts(row.get("doubts")),
        "synthetic": _bool(row.get("synthetic")),
    }
    if _text(row.get("translation_status")):
        data["translation_status"] = _translation_status(row.get("translation_status"))
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
        raise Invalid(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    found = list(practices)
    if fmt == "json":
        records = [
            {
                **{k: v for k, v in p.data.items() if include_contacts or k != "contact"},
                "state": p.state,
                "version": p.version,
            }
            for p in found
        ]
        return json.dumps({"practices": records}, ensure_ascii=False, indent=2).encode()
    columns = COLUMNS + (CONTACT_COLUMNS if include_contacts else [])
    table = [columns] + [
        [row.get(c) for c in columns] for row in (to_row(p.data, include_contacts) for p in found)
    ]
    if fmt == "csv":
        return tabular.write_csv(table)  # with a BOM, so spreadsheets read UTF-8
    return tabular.write_xlsx({"practices": table})


def _rejected(exc: tabular.TabularError) -> ImportRejected:
    return ImportRejected([FieldError("(file)", exc.translated(_))])


def check_upload(size: int, fmt: str) -> None:
    """Refuse a file over the limit or of an unknown format before it is read."""
    if fmt not in FORMATS:
        raise ImportRejected([FieldError("(file)", _("the file must be .csv, .xlsx or .json"))])
    try:
        tabular.check_size(size, LIMITS)
    except tabular.TabularError as exc:
        raise _rejected(exc) from exc


def read_rows(content: bytes, fmt: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, record) pairs; row numbers are as a person sees them in the file."""
    if fmt not in FORMATS:
        raise Invalid(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    try:
        if fmt == "json":
            doc = tabular.read_json(content, LIMITS)
        elif fmt == "csv":
            return [(n, from_row(row)) for n, row in tabular.read_csv(content, LIMITS)]
        else:
            return [(n, from_row(row)) for n, row in tabular.read_xlsx(content, LIMITS)]
    except tabular.TabularError as exc:
        raise _rejected(exc) from exc
    items = doc.get("practices") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise ImportRejected(
            [FieldError("(file)", _('expected a list of practices or {"practices": [...]}'))]
        )
    if len(items) > LIMITS.max_rows:
        raise ImportRejected(
            [FieldError("(file)", _("more than %(n)d practices in one file") % {"n": LIMITS.max_rows})]
        )
    return [(n, item if isinstance(item, dict) else {}) for n, item in enumerate(items, 1)]


def _record_meta(
    record: dict[str, Any], row: int
) -> tuple[dict[str, Any], str | None, int | None, list[FieldError]]:
    """The fact sheet without the JSON record's state and version, and those two checked."""
    sheet = {k: v for k, v in record.items() if k not in RECORD_KEYS}
    state, version, errors = record.get("state"), record.get("version"), []
    if state is not None and state not in Practice.State.values:
        errors.append(
            FieldError("state", _("one of %(states)s") % {"states": ", ".join(Practice.State.values)}, row)
        )
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
        errors.append(FieldError("version", _("a whole number from 1"), row))
    return sheet, state, version, errors


def import_file(
    content: bytes, fmt: str, *, user: User | None = None, state: str | None = None
) -> list[Practice]:
    """Validate every row, then import all of them, or none if any row is bad.

    `state` is the moderation state the practices get; None keeps the one a JSON record
    carries, and otherwise makes new practices drafts and leaves existing ones in theirs.
    A JSON record's version number is the version it was exported at: a new practice keeps
    it; a practice changed in the base since is refused (the file is stale).
    """
    rows = read_rows(content, fmt)
    errors: list[FieldError] = []
    valid: list[tuple[schema.Practice, str | None, int | None, int]] = []
    seen: dict[str, int] = {}
    for number, record in rows:
        sheet, own_state, version, meta_errors = _record_meta(record, number)
        errors.extend(meta_errors)
        try:
            practice = validate(sheet, row=number)
        except PracticeInvalid as exc:
            errors.extend(exc.errors)
            continue
        if practice.slug in seen:
            errors.append(
                FieldError(
                    "slug",
                    _("%(slug)r repeats row %(row)d") % {"slug": practice.slug, "row": seen[practice.slug]},
                    number,
                )
            )
        seen[practice.slug] = number
        valid.append((practice, state or own_state, version, number))
    if not rows:
        errors.append(FieldError("(file)", _("no practices in the file")))
    if errors:
        raise ImportRejected(errors)
    # Place look-ups, search text and embeddings before the write transaction, which is short.
    prepared = prepare([entry[0] for entry in valid])
    incoming = [
        Incoming(prepared=ready, state=st, version=version, row=number)
        for ready, (_p, st, version, number) in zip(prepared, valid, strict=True)
    ]
    try:
        return save_many(incoming, user=user, comment=f"Imported from {fmt.upper()}")
    except PracticeInvalid as exc:
        raise ImportRejected(exc.errors) from exc
