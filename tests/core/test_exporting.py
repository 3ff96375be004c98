"""XLSX exports keep every text exactly as text: what openpyxl would read as a formula or an
error value, and control-free text of any shape, come back as the same string cell."""

from __future__ import annotations

import datetime
import io

import openpyxl

from anjian.core.exporting import xlsx_bytes

TEXTS = [
    "=1+2",
    '=HYPERLINK("http://x","点我")',
    "#N/A",
    "#DIV/0!",
    "#REF!",
    "+8613800000000",
    "-1",
    "@SUM(A1)",
    "91140600MA0L12345X",
    "000123",  # leading zeros stay
    "朔州市平鲁区某某煤业有限公司",
    "=",
    "",
]


def test_every_text_comes_back_as_the_same_string_cell() -> None:
    data = xlsx_bytes(
        ["文本", "数", "日期", "是否"],
        [[t, 7, datetime.date(2026, 7, 1), True] for t in TEXTS],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(TEXTS)
    for text, (cell, number, day, flag) in zip(TEXTS, rows, strict=True):
        if text == "":
            assert cell.value is None
            continue
        assert cell.value == text and cell.data_type == "s", (text, cell.value, cell.data_type)
        assert number.value == 7 and number.data_type == "n"
        assert day.value == datetime.datetime(2026, 7, 1) and flag.value == "是"
