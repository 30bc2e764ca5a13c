"""The action plan as CSV or XLSX: import (every row checked; one bad row imports nothing) and export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from interculture import tabular
from interculture.accounts.types import Visitor
from interculture.assessments.models import City
from interculture.errors import Invalid
from interculture.pathway.services.actions import check_write, create_action, known_questions, validate_action

COLUMNS = ["title", "owner_department", "deadline", "budget_eur", "status", "progress", "questions"]


class ImportRejected(Invalid):
    """Some rows are invalid; nothing was imported. `errors` holds (row number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"row {n}: {m}" for n, m in errors))


# An actions file: at most 2 MB, 5 000 rows, 50 columns, 100 000 cells.
LIMITS = tabular.Limits(max_bytes=2_000_000, max_rows=5_000, max_columns=50, max_cells=100_000)


def check_upload(size: int) -> None:
    """Refuse a file over the size limit before it is read."""
    try:
        tabular.check_size(size, LIMITS)
    except tabular.TabularError as exc:
        raise ImportRejected([(0, exc.translated(_))]) from exc


def _rows(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        if filename.lower().endswith(".xlsx"):
            return tabular.read_xlsx(data, LIMITS)
        return tabular.read_csv(data, LIMITS)
    except tabular.TabularError as exc:
        raise ImportRejected([(0, exc.translated(_))]) from exc


def _parse_row(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    fields: dict[str, Any] = {
        "title": str(raw.get("title") or "").strip(),
        "owner_department": str(raw.get("owner_department") or "").strip(),
        "status": str(raw.get("status") or "planned").strip(),
        "questions": [
            q.strip() for q in str(raw.get("questions") or "").replace(",", ";").split(";") if q.strip()
        ],
    }
    deadline: Any = raw.get("deadline")
    try:
        fields["deadline"] = (
            deadline.date() if hasattr(deadline, "date") else date.fromisoformat(str(deadline).strip())
        )
    except ValueError:
        fields["deadline"] = None
    budget = raw.get("budget_eur")
    try:
        fields["budget_eur"] = None if budget in (None, "") else Decimal(str(budget).strip())
    except InvalidOperation:
        errors.append(_("the budget is a number of euros"))
    try:
        fields["progress"] = int(str(raw.get("progress") or "0").strip())
    except ValueError:
        fields["progress"] = None
    return fields, errors


def import_actions(city: City, user: Visitor, *, data: bytes, filename: str) -> int:
    """Import actions from CSV or XLSX. Every row is checked; one bad row imports nothing."""
    check_write(user, city)
    rows = _rows(data, filename)
    if not rows:
        raise ImportRejected([(0, _("the file has no rows"))])
    missing = [c for c in ("title", "owner_department", "deadline") if c not in rows[0][1]]
    if missing:
        raise ImportRejected([(1, _("missing columns: %(c)s") % {"c": ", ".join(missing)})])
    known = known_questions(city)
    errors: list[tuple[int, str]] = []
    parsed = []
    for n, raw in rows:  # row numbers as in the file: row 1 is the header
        fields, row_errors = _parse_row(raw)
        row_errors += validate_action(fields, known)
        errors += [(n, e) for e in row_errors]
        parsed.append(fields)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():  # only the writes: reading and checking the file hold no lock
        for fields in parsed:
            create_action(city, user, **fields)
    return len(parsed)


def export_actions(city: City, fmt: str) -> bytes:
    """The city's actions as CSV or XLSX; text a spreadsheet would run as a formula is neutralised."""
    rows: list[list[Any]] = [COLUMNS] + [
        [
            a.title,
            a.owner_department,
            a.deadline.isoformat(),
            a.budget_eur,  # a number stays a number
            a.status,
            a.progress,
            ";".join(a.questions),
        ]
        for a in city.actions.all()
    ]
    return tabular.write_table(rows, fmt, "actions")
