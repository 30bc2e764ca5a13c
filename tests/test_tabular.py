"""The shared CSV/XLSX/JSON reader and writer: limits, decoding, formula neutralisation."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from interculture import tabular

LIMITS = tabular.Limits(max_bytes=5_000_000)


@given(st.text())
def test_neutralise_then_restore_gives_back_any_text(value: str) -> None:
    assert tabular.restore(tabular.neutralise(value)) == value


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-x", "@SUM(A1)", "\tx", "\rx", "'=already"])
def test_formula_like_text_gets_an_apostrophe(value: str) -> None:
    assert tabular.neutralise(value) == "'" + value


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert tabular.neutralise(-5) == -5 and tabular.neutralise(-2.5) == -2.5
    assert tabular.neutralise("plain 'quoted'") == "plain 'quoted'"
    assert tabular.restore("'plain") == "'plain"  # only an apostrophe before a trigger is ours


def test_xlsx_export_stores_formula_like_text_as_text() -> None:
    content = tabular.write_xlsx({"t": [["a", "b"], ['=HYPERLINK("http://evil","x")', -3]]})
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://evil","x")'
    assert sheet["B2"].value == -3 and sheet["B2"].data_type == "n"
    assert tabular.read_xlsx(content, LIMITS) == [(2, {"a": '=HYPERLINK("http://evil","x")', "b": -3})]


def _raises(message: str, reader, content: bytes, limits: tabular.Limits = LIMITS) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(tabular.TabularError) as exc:
        reader(content, limits)
    assert message in str(exc.value)


def test_csv_decoding_and_bytes() -> None:
    assert tabular.read_csv("\ufeffa,b\nx,y\n".encode(), LIMITS) == [(2, {"a": "x", "b": "y"})]
    _raises("is not UTF-8 (byte 7)", tabular.read_csv, b"a,b\nx,\xe9\n")
    _raises("contains NUL bytes", tabular.read_csv, b"a,b\nx,\x00y\n")
    _raises("longer than 100000 characters", tabular.read_csv, b"a,b\nx," + b"y" * 200_000 + b"\n")
    _raises("The file is 6 MB, over the limit of 5 MB.", tabular.read_csv, b"a\n" + b"x\n" * 2_999_999)


def test_row_column_and_cell_limits() -> None:
    small = tabular.Limits(max_bytes=1_000_000, max_rows=10, max_columns=5, max_cells=30)
    _raises("more than 10 rows", tabular.read_csv, b"a\n" + b"x\n" * 11, small)
    _raises("more than 5 columns", tabular.read_csv, b"a,b,c,d,e,f\n", small)
    _raises("more than 30 cells", tabular.read_csv, b"a,b,c,d\n" + b"1,2,3,4\n" * 8, small)


def test_an_archive_that_inflates_too_much_is_refused_unread() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 300_000_000)
    bomb = buffer.getvalue()
    assert len(bomb) < 1_000_000
    _raises("unpacks to 300 MB", tabular.read_xlsx, bomb)
    _raises("is not an XLSX workbook", tabular.read_xlsx, b"just text, named .xlsx")


def test_a_declared_huge_dimension_is_not_trusted() -> None:
    book = Workbook()
    book.active.append(["a", "b"])
    book.active.append(["x", "y"])
    out = io.BytesIO()
    book.save(out)
    assert tabular.read_xlsx(out.getvalue(), LIMITS) == [(2, {"a": "x", "b": "y"})]


def test_json_depth_and_validity() -> None:
    _raises("nested more than 20 levels", tabular.read_json, b"[" * 100_000)
    _raises("nested more than 20 levels", tabular.read_json, b"[" * 21 + b"]" * 21)
    assert tabular.read_json(b"[" * 20 + b"]" * 20, LIMITS) is not None
    _raises("not valid JSON", tabular.read_json, b"{nope")
    _raises("not UTF-8", tabular.read_json, b'{"a": "\xff"}')
