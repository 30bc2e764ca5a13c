"""Reading and writing the CSV, XLSX and JSON files people exchange with the platform.

One module for every import and export (practices, pathway actions, survey tables), below
every app (no models) so any app may use it: the readers, the writers, and the download
response with its content type. It owns what keeps a file from hurting us or its readers:

- size limits, checked before anything is parsed;
- XLSX read in openpyxl's streaming mode with limits on rows, columns and cells, stopping as
  soon as one is passed (a 500 KB file can hold millions of cells), and the declared
  uncompressed size of the archive checked first (a zip bomb is refused unread);
- CSV decoded as UTF-8 (a BOM allowed), NUL bytes refused, one field at most MAX_FIELD
  characters;
- JSON with a nesting depth limit;
- spreadsheet formula neutralisation (OWASP "CSV injection"): a text cell a spreadsheet would
  run as a formula gets a leading apostrophe on export, and exactly that apostrophe is removed
  on import, so an export imports back to the same data.

Errors are TabularError (a domain error, interculture.errors.Invalid): a message (an English msgid, marked for translation) and its
parameters; callers translate it with their gettext.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from interculture.errors import Invalid

# The characters that make a spreadsheet read a cell as a formula (or as a command in DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A value that needs the guard: any number of apostrophes, then a trigger. Apostrophes are
# counted so that a value which itself starts with "'=" survives the round trip too.
_NEEDS_GUARD = re.compile(r"^'*[=+\-@\t\r]")
_GUARDED = re.compile(r"^'+[=+\-@\t\r]")

MAX_FIELD = 100_000  # characters in one CSV field or XLSX cell
csv.field_size_limit(MAX_FIELD)  # process-wide; the csv module's default is 131 072


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; callers translate it when shown."""
    return message


class TabularError(Invalid):
    """The file cannot be read or is over a limit. `message % params` is the English text."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(message % params)

    def translated(self, gettext: Callable[[str], str]) -> str:
        return gettext(self.message) % self.params


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int = 5_000
    max_columns: int = 200
    max_cells: int = 200_000
    max_depth: int = 20  # JSON nesting
    # The archive may inflate at most this much: XLSX XML compresses about 10-20 times.
    max_inflation: int = 40


def megabytes(n: int) -> str:
    """In MB, rounded up to a tenth (so a file just over a limit does not read as equal to it)."""
    tenths = math.ceil(n / 100_000)
    return (f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths / 10:.1f}") + " MB"


# --- formula neutralisation -------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, with a leading apostrophe; other
    values unchanged (a negative number stays a number)."""
    if isinstance(value, str) and _NEEDS_GUARD.match(value):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The inverse of neutralise: exactly the one added apostrophe removed."""
    if isinstance(value, str) and _GUARDED.match(value):
        return value[1:]
    return value


# --- reading ----------------------------------------------------------------------------------

Row = tuple[int, dict[str, Any]]  # (row number as a person sees it in the file, cells by column)


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise TabularError(
            gettext_noop("The file is %(size)s, over the limit of %(limit)s."),
            size=megabytes(size),
            limit=megabytes(limits.max_bytes),
        )


def _header(cells: Sequence[Any], limits: Limits) -> list[str]:
    header = [("" if h is None else str(restore(h))).strip() for h in cells]
    while header and not header[-1]:
        header.pop()
    if len(header) > limits.max_columns:
        raise TabularError(gettext_noop("The file has more than %(n)d columns."), n=limits.max_columns)
    return header


class _Counter:
    def __init__(self, limits: Limits) -> None:
        self.limits, self.rows, self.cells = limits, 0, 0

    def add(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        if self.rows > self.limits.max_rows:
            raise TabularError(
                gettext_noop("The file has more than %(n)d rows; split it into smaller files."),
                n=self.limits.max_rows,
            )
        if width > self.limits.max_columns:
            raise TabularError(
                gettext_noop("The file has more than %(n)d columns."), n=self.limits.max_columns
            )
        if self.cells > self.limits.max_cells:
            raise TabularError(
                gettext_noop("The file has more than %(n)d cells; split it into smaller files."),
                n=self.limits.max_cells,
            )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_csv(content: bytes, limits: Limits) -> list[Row]:
    """The data rows of a CSV file (UTF-8, with or without a BOM), keyed by the header row.
    Blank rows are skipped; row numbers count the header as row 1."""
    check_size(len(content), limits)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            gettext_noop("The CSV file is not UTF-8 (byte %(at)d); save it as CSV UTF-8."),
            at=exc.start + 1,
        ) from exc
    if "\x00" in text:
        raise TabularError(gettext_noop("The CSV file contains NUL bytes; it is not a text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    counter = _Counter(limits)
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        for number, cells in enumerate(reader, 1):
            counter.add(len(cells))
            if header is None:
                header = _header(cells, limits)
                continue
            if all(_blank(c) for c in cells):
                continue
            rows.append((number, _record(header, cells)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise TabularError(
                gettext_noop("Row %(row)d has a field longer than %(n)d characters."),
                row=counter.rows + 1,
                n=MAX_FIELD,
            ) from exc
        raise TabularError(
            gettext_noop("The CSV file cannot be read at line %(line)d: %(error)s"),
            line=reader.line_num,
            error=str(exc),
        ) from exc
    return rows


def _record(header: list[str], cells: Sequence[Any]) -> dict[str, Any]:
    return {name: restore(value) for name, value in zip(header, cells, strict=False) if name}


def _check_archive(content: bytes, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TabularError(gettext_noop("The file is not an XLSX workbook.")) from exc
    if inflated > limits.max_bytes * limits.max_inflation:
        raise TabularError(
            gettext_noop("The workbook unpacks to %(size)s, more than a workbook of this size should."),
            size=megabytes(inflated),
        )


def read_xlsx(content: bytes, limits: Limits) -> list[Row]:
    """The data rows of the first sheet of an XLSX workbook, read as a stream (openpyxl
    read-only mode, cached values rather than formulas), stopping at the first limit passed."""
    # Lazy: openpyxl takes seconds to import and only the XLSX files need it.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    check_size(len(content), limits)
    _check_archive(content, limits)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways (zip, XML, missing parts)
        raise TabularError(gettext_noop("The file is not a readable XLSX workbook.")) from exc
    counter = _Counter(limits)
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        if not book.worksheets:
            return []
        sheet = book.worksheets[0]
        # The declared size is not trusted (rows would be padded to it): read what is there.
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            width = len(cells)
            while width and _blank(cells[width - 1]):
                width -= 1
            counter.add(width)
            if any(isinstance(c, str) and len(c) > MAX_FIELD for c in cells):
                raise TabularError(
                    gettext_noop("Row %(row)d has a field longer than %(n)d characters."),
                    row=number,
                    n=MAX_FIELD,
                )
            if header is None:
                header = _header(cells[:width], limits)
                continue
            if width == 0:
                continue
            rows.append((number, _record(header, cells[:width])))
    except TabularError:
        raise
    except Exception as exc:  # damaged sheet XML shows up only while streaming
        raise TabularError(gettext_noop("The file is not a readable XLSX workbook.")) from exc
    finally:
        book.close()
    return rows


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def read_json(content: bytes, limits: Limits) -> Any:
    check_size(len(content), limits)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            gettext_noop("The JSON file is not UTF-8 (byte %(at)d)."), at=exc.start + 1
        ) from exc
    try:
        doc = json.loads(text)
    except RecursionError as exc:  # the C decoder recurses once per nesting level
        raise TabularError(
            gettext_noop("The JSON is nested more than %(n)d levels deep."), n=limits.max_depth
        ) from exc
    except json.JSONDecodeError as exc:
        raise TabularError(
            gettext_noop("The file is not valid JSON: %(error)s (line %(line)d, column %(column)d)."),
            error=exc.msg,
            line=exc.lineno,
            column=exc.colno,
        ) from exc
    if _depth(doc) > limits.max_depth:
        raise TabularError(
            gettext_noop("The JSON is nested more than %(n)d levels deep."), n=limits.max_depth
        )
    return doc


# --- writing ----------------------------------------------------------------------------------


def write_csv(rows: Iterable[Sequence[Any]], bom: bool = True) -> bytes:
    """CSV in UTF-8 (with a BOM, so spreadsheets read it as UTF-8), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_xlsx(sheets: dict[str, Iterable[Sequence[Any]]]) -> bytes:
    """An XLSX workbook with one sheet per entry (title -> rows), every text a text cell."""
    # Lazy: openpyxl takes seconds to import and only the XLSX files need it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])  # Excel's limit on sheet names
        for row in rows:
            cells: list[Any] = []
            for value in row:
                if isinstance(value, str):
                    # XML 1.0 cannot hold most control characters; openpyxl refuses them.
                    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", neutralise(value)))
                    cell.data_type = "s"  # a text, never a formula
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write_table(rows: Iterable[Sequence[Any]], fmt: str, sheet: str) -> bytes:
    """One table as XLSX (in a sheet of that name) or else CSV."""
    return write_xlsx({sheet: rows}) if fmt == "xlsx" else write_csv(rows)


def download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    """A file to save, with the content type of its format (csv, xlsx or json)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(fmt, CONTENT_TYPES["csv"]))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
