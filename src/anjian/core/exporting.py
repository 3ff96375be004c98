"""Spreadsheet exports that cannot carry a formula (CSV/formula injection, CWE-1236).

In CSV, a cell that begins with =, +, -, @, a tab or a carriage return is read as a formula by
Excel, WPS and LibreOffice; such text gets a leading apostrophe (OWASP's recommendation). XLSX
stores each cell's type, so text is kept exactly and written as a string cell; only openpyxl's
own guess (text starting with "=" becomes a formula) has to be overruled.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text chunk by chunk, starting with a BOM so that Excel reads the UTF-8 correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([cell_safe(h) for h in header])
    for row in rows:
        writer.writerow(
            [v.isoformat() if isinstance(v, datetime.date) else v for v in map(cell_safe, row)]
        )
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | datetime.date):
        return value
    text = str(value)
    if not text.startswith("=") and text not in ERROR_CODES:
        # Plain text: openpyxl writes it as a string cell itself. A cell object for every text
        # value made exporting a province-wide draw's 44,820 rows a third slower.
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # what openpyxl would take for a formula or an error value stays text
    return cell


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet_title: str = "Sheet1"
) -> bytes:
    return xlsx_workbook_bytes([(sheet_title, header, rows)])


def xlsx_workbook_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> bytes:
    """A workbook of several sheets, each (title, header, rows), cells written as in xlsx_bytes."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_xlsx_cell(sheet, h) for h in header])
        for count, row in enumerate(rows, start=2):
            if count > XLSX_MAX_ROWS:
                break
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
