"""The spreadsheet reader: CSV in UTF-8/GBK, XLSX, header detection, cell normalisation."""

from __future__ import annotations

import csv
import datetime
import io
import pathlib
import random
import zipfile
from collections.abc import Sequence

import pytest
from django.utils.functional import Promise
from openpyxl import Workbook

from anjian.core.tabular import (
    CellValueError,
    Column,
    Row,
    Table,
    TableError,
    cell_text,
    header_key,
    parse_bool,
    parse_date,
    table_read,
)

COLUMNS = [
    Column("uscc", "统一社会信用代码", ("社会信用代码", "信用代码"), required=True),
    Column("name", "企业名称", ("单位名称", "名称"), required=True),
    Column("region", "所属区县", ("区划代码",)),
    Column("established_on", "成立日期", ("注册日期",)),
    Column("remark", "Remark"),
]
HEADER = ["统一社会信用代码", "企业名称", "所属区县", "成立日期"]
USCC = "91140603MA0K123456"


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8", **fmt: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, **fmt).writerows(rows)  # type: ignore[arg-type]
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], *, title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title is not None:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read(data: bytes | pathlib.Path, name: str = "file.csv", **kw: int) -> Table:
    return table_read(data, file_name=name, columns=COLUMNS, **kw)


def rows_of(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(row.number, row.values) for row in table.rows]


def error_of(data: bytes, name: str = "file.csv") -> TableError:
    with pytest.raises(TableError) as info:
        table = read(data, name)
        list(table.rows)
    assert isinstance(info.value.message, Promise)  # lazy, translated when shown
    return info.value


# --- CSV encodings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_csv_encodings_are_recognised_and_reported(encoding: str, reported: str) -> None:
    data = csv_bytes([HEADER, [USCC, "大同市煤气化工有限公司", "平城区", "2020-01-01"]], encoding)
    table = read(data)
    assert (table.file_format, table.encoding, table.header_row, table.delimiter) == (
        "csv",
        reported,
        1,
        ",",
    )
    assert table.columns == {
        "uscc": "统一社会信用代码",
        "name": "企业名称",
        "region": "所属区县",
        "established_on": "成立日期",
    }
    assert rows_of(table) == [
        (
            2,
            {
                "uscc": USCC,
                "name": "大同市煤气化工有限公司",
                "region": "平城区",
                "established_on": "2020-01-01",
                "remark": "",  # absent column
            },
        )
    ]


def test_bytes_neither_utf8_nor_gb18030_are_refused() -> None:
    data = "统一社会信用代码,企业名称\n".encode() + b"\x80abc,\xff\n"
    assert error_of(data).code == "encoding"


def test_utf16_text_from_excel_is_refused_as_an_encoding_problem() -> None:
    data = ",".join(HEADER).encode("utf-16")
    assert error_of(data).code == "encoding"


def test_a_bom_with_broken_utf8_is_not_guessed_as_gbk() -> None:
    data = b"\xef\xbb\xbf" + ",".join(HEADER).encode("gbk")
    assert error_of(data).code == "encoding"


# --- not a table --------------------------------------------------------------------------------


def test_an_old_xls_is_refused_with_its_own_message() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert error_of(data, "名单.xls").code == "xls"


def test_random_bytes_are_refused() -> None:
    data = random.Random(0).randbytes(4096)
    assert error_of(data).code in {"not_table", "encoding"}


def test_control_characters_are_not_a_csv() -> None:
    data = bytes(range(1, 32)) * 20
    assert error_of(data).code == "not_table"


def test_nul_bytes_are_not_a_csv() -> None:
    data = ",".join(HEADER).encode() + b"\n\x00\x00\x00"
    assert error_of(data).code == "not_table"


def test_an_html_table_named_xls_is_refused() -> None:
    data = b"<html><body><table><tr><td>1</td></tr></table></body></html>"
    assert error_of(data, "导出.xls").code == "html"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n,,,\r\n", b"  \n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert error_of(data).code == "empty"


def test_an_empty_xlsx_is_refused() -> None:
    assert error_of(xlsx_bytes([]), "x.xlsx").code == "empty"


def test_data_on_a_second_worksheet_only_is_an_empty_workbook() -> None:
    wb = Workbook()
    wb.create_sheet("数据").append(HEADER)
    out = io.BytesIO()
    wb.save(out)
    assert error_of(out.getvalue(), "x.xlsx").code == "empty"


# --- header row ---------------------------------------------------------------------------------


def test_csv_title_row_and_blank_rows_keep_excel_row_numbers() -> None:
    data = csv_bytes(
        [
            ["2024年大同市危险化学品企业名单", "", "", ""],
            [],
            HEADER,
            [USCC, "甲公司", "", ""],
            ["", "", "", ""],
            ["  ", "\u3000", "", ""],
            [],
            ["91140603MA0K654321", "乙公司", "", ""],
        ]
    )
    table = read(data)
    assert table.header_row == 3
    assert [(n, v["name"]) for n, v in rows_of(table)] == [(4, "甲公司"), (8, "乙公司")]


def test_xlsx_title_row_header_row_and_row_numbers_match_excel() -> None:
    data = xlsx_bytes(
        [
            [],
            HEADER,
            [USCC, "甲公司", "平城区", datetime.datetime(2020, 1, 1)],
            [None, None, None, None],
            ["91140603MA0K654321", "乙公司", 140603.0, datetime.date(2021, 5, 6)],
        ],
        title="2024年大同市危险化学品企业名单",
    )
    table = read(data, "名单.xlsx")
    assert (table.file_format, table.encoding, table.header_row) == ("xlsx", "", 3)
    assert rows_of(table) == [
        (
            4,
            {
                "uscc": USCC,
                "name": "甲公司",
                "region": "平城区",
                "established_on": "2020-01-01",
                "remark": "",
            },
        ),
        (
            6,
            {
                "uscc": "91140603MA0K654321",
                "name": "乙公司",
                "region": "140603",
                "established_on": "2021-05-06",
                "remark": "",
            },
        ),
    ]


def test_xlsx_rows_missing_from_the_sheet_xml_still_count() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for col, text in enumerate(HEADER, 1):
        ws.cell(row=2, column=col, value=text)
    ws.cell(row=7, column=1, value=USCC)
    ws.cell(row=7, column=2, value="甲公司")
    ws.cell(row=30, column=9, value="far away, ignored")
    out = io.BytesIO()
    wb.save(out)
    table = read(out.getvalue(), "x.xlsx")
    assert table.header_row == 2
    assert [(n, v["name"]) for n, v in rows_of(table)] == [(7, "甲公司")]


def test_headers_match_aliases_despite_spaces_asterisks_markers_and_width() -> None:
    data = csv_bytes(
        [
            ["* 信用代码", "单位名称（必填）", " 区划 代码：", "＊注册日期", "ＲＥＭＡＲＫ"],
            [USCC, "甲公司", "140603", "2020/1/1", "ｎｏｔｅ"],
        ]
    )
    table = read(data)
    # Headers match whatever their width; the report names them as the file writes them.
    assert table.columns == {
        "uscc": "* 信用代码",
        "name": "单位名称（必填）",
        "region": "区划 代码：",
        "established_on": "＊注册日期",
        "remark": "ＲＥＭＡＲＫ",
    }
    assert rows_of(table)[0][1] == {
        "uscc": USCC,
        "name": "甲公司",
        "region": "140603",
        "established_on": "2020/1/1",
        "remark": "ｎｏｔｅ",  # cell text is kept as written
    }


def test_a_missing_required_column_is_named_with_the_headers_found() -> None:
    data = csv_bytes([["名单"], ["统一社会信用代码", "地址", "法人"], [USCC, "x", "y"]])
    error = error_of(data)
    assert error.code == "no_header"
    message = str(error)
    assert "企业名称" in message
    assert "统一社会信用代码" not in message.split("企业名称")[0]  # only the missing one is named
    assert "地址、法人" in message and "2" in message  # the closest row, row 2, and its headers


def test_both_missing_required_columns_are_named() -> None:
    error = error_of(csv_bytes([["序号", "地址"], ["1", "x"]]))
    assert "统一社会信用代码、企业名称" in str(error)


def test_the_header_must_be_within_max_header_search_rows() -> None:
    rows: list[list[str]] = [[f"说明{i}"] for i in range(3)] + [HEADER, [USCC, "甲", "", ""]]
    assert read(csv_bytes(rows), max_header_search=4).header_row == 4
    with pytest.raises(TableError) as info:
        read(csv_bytes(rows), max_header_search=3)
    assert info.value.code == "no_header"


def test_a_column_given_twice_is_refused() -> None:
    data = csv_bytes([["统一社会信用代码", "企业名称", "信用代码"], [USCC, "甲", USCC]])
    error = error_of(data)
    assert error.code == "duplicate_header"
    assert "统一社会信用代码" in str(error) and "信用代码" in str(error)


def test_unknown_headers_are_listed_and_rows_filled_only_there_are_skipped() -> None:
    data = csv_bytes(
        [
            ["序号", *HEADER, "", "备注 "],
            ["1", USCC, "甲公司", "", "", "", "x"],
            ["2", "", "", "", "", "", ""],  # a numbered template line left empty
            ["3", "91140603MA0K654321", "乙公司"],  # short row
        ]
    )
    table = read(data)
    assert table.ignored_headers == ["序号", "备注"]
    assert [(n, v["name"], v["region"]) for n, v in rows_of(table)] == [
        (2, "甲公司", ""),
        (4, "乙公司", ""),
    ]


def test_a_path_can_be_read(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(csv_bytes([HEADER, [USCC, "甲公司", "", ""]], "gbk"))
    table = table_read(path, file_name="名单.csv", columns=COLUMNS)
    assert (table.encoding, table.file_name) == ("gb18030", "名单.csv")
    assert [r.values["name"] for r in table.rows] == ["甲公司"]


def test_values_follow_the_column_order_whatever_the_file_order() -> None:
    data = csv_bytes([["Remark", "企业名称", "序号", "统一社会信用代码"], ["r", "甲", "1", USCC]])
    (row,) = read(data).rows
    assert list(row.values) == [c.key for c in COLUMNS]
    assert row.values == {
        "uscc": USCC,
        "name": "甲",
        "region": "",
        "established_on": "",
        "remark": "r",
    }


def test_column_mistakes_of_the_caller_are_value_errors() -> None:
    with pytest.raises(ValueError, match="two columns"):
        table_read(
            b"a", file_name="x", columns=[Column("a", "编号"), Column("b", "号", ("编 号",))]
        )
    with pytest.raises(ValueError, match="duplicate column key"):
        table_read(b"a", file_name="x", columns=[Column("a", "甲"), Column("a", "乙")])


# --- CSV dialects -------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separated_files(delimiter: str) -> None:
    data = csv_bytes([["名单"], HEADER, [USCC, "甲公司, 有限", "平城区", ""]], delimiter=delimiter)
    table = read(data)
    assert (table.delimiter, table.header_row) == (delimiter, 2)
    assert rows_of(table)[0] == (
        3,
        {
            "uscc": USCC,
            "name": "甲公司, 有限",
            "region": "平城区",
            "established_on": "",
            "remark": "",
        },
    )


def test_a_quoted_newline_stays_in_its_cell_and_rows_count_records() -> None:
    data = csv_bytes(
        [
            HEADER,
            [USCC, "甲公司\r\n（原乙公司）", "平城区", ""],
            ["91140603MA0K654321", " 丙公司 ", "", ""],
        ]
    )
    assert data.count(b"\r\n") == 4  # three records, four physical lines
    assert [(n, v["name"]) for n, v in rows_of(read(data))] == [
        (2, "甲公司\n（原乙公司）"),
        (3, "丙公司"),
    ]


def test_old_mac_line_ends_and_unix_line_ends() -> None:
    for end in ("\r", "\n"):
        text = end.join([",".join(HEADER), f"{USCC},甲公司,,", f"{USCC[:-1]}7,乙公司,,", ""])
        table = read(text.encode())
        assert [(n, v["name"]) for n, v in rows_of(table)] == [(2, "甲公司"), (3, "乙公司")]


def test_csv_cells_are_stripped_kept_as_written_and_numbers_stay_text() -> None:
    # Full-width text stays full-width (a registered name keeps its （）); the checks that read
    # codes, dates and choices normalise the width themselves.
    data = csv_bytes(
        [
            HEADER,
            [
                "９１１４０６０３ＭＡ０Ｋ１２３４５６",
                "大同市，某某（集团）",
                "\u3000 0140603 ",
                "1.0",
            ],
            [" 91140603MA0K654321", "A B", "x\ty", "\u00a0"],
        ]
    )
    assert rows_of(read(data)) == [
        (
            2,
            {
                "uscc": "９１１４０６０３ＭＡ０Ｋ１２３４５６",
                "name": "大同市，某某（集团）",
                "region": "0140603",
                "established_on": "1.0",
                "remark": "",
            },
        ),
        (
            3,
            {
                "uscc": "91140603MA0K654321",
                "name": "A B",
                "region": "x\ty",
                "established_on": "",
                "remark": "",
            },
        ),
    ]


def test_a_broken_record_is_reported_with_its_row() -> None:
    huge = "x" * 200_000  # beyond csv.field_size_limit()
    data = csv_bytes([HEADER, [USCC, "甲", "", ""], [USCC, huge, "", ""]])
    table = read(data)
    rows = table.rows
    assert next(rows).number == 2
    with pytest.raises(TableError) as info:
        next(rows)
    assert info.value.code == "malformed" and "3" in str(info.value)


def test_a_broken_header_area_is_reported() -> None:
    data = csv_bytes([["x" * 200_000], HEADER])
    error = error_of(data)
    assert error.code == "malformed" and "1" in str(error)


def test_a_missing_column_in_a_tab_file_quotes_its_tab_separated_headers() -> None:
    data = csv_bytes([["统一社会信用代码", "地址", "电话"], [USCC, "x", "y"]], delimiter="\t")
    assert "统一社会信用代码、地址、电话" in str(error_of(data))


def test_a_dos_end_of_file_mark_is_ignored() -> None:
    data = csv_bytes([HEADER, [USCC, "甲", "", ""]], "gbk") + b"\x1a"
    assert [v["name"] for _n, v in rows_of(read(data))] == ["甲"]


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_cell_types_formulas_and_long_numbers() -> None:
    data = xlsx_bytes(
        [
            [*HEADER, "Remark"],
            [911406031234567890.0, "甲", 140603, 45352, True],
            ['=HYPERLINK("http://x","a")', "=1+1", 1.5, "2024年3月1日", 0.1 + 0.2],
            [USCC, "  乙\r\n公司 ", -0.0, datetime.datetime(2024, 3, 1, 10, 30), None],
        ]
    )
    values = [v for _n, v in rows_of(read(data, "x.xlsx"))]
    assert values[0] == {
        "uscc": "911406031234568000",  # what Excel shows: 15 significant digits, no exponent
        "name": "甲",
        "region": "140603",
        "established_on": "45352",
        "remark": "是",
    }
    assert values[1]["uscc"] == '=HYPERLINK("http://x","a")'  # formulas are never evaluated
    assert values[1]["name"] == "=1+1"
    assert values[1]["region"] == "1.5" and values[1]["remark"] == "0.3"
    assert values[2]["name"] == "乙\n公司"
    assert values[2]["region"] == "0"
    assert values[2]["established_on"] == "2024-03-01"


def test_xlsx_array_formula_comes_back_as_text() -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append([USCC, "甲"])
    ws["C2"] = ArrayFormula("C2", "=SUM(A1:A2)")
    out = io.BytesIO()
    wb.save(out)
    assert rows_of(read(out.getvalue(), "x.xlsx"))[0][1]["region"] == "=SUM(A1:A2)"


def test_only_the_first_worksheet_is_read() -> None:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.append(HEADER)
    first.append([USCC, "第一张"])
    second = wb.create_sheet("其他")
    second.append(HEADER)
    second.append([USCC, "第二张"])
    out = io.BytesIO()
    wb.save(out)
    assert [v["name"] for _n, v in rows_of(read(out.getvalue(), "x.xlsx"))] == ["第一张"]


def test_xlsx_content_wins_over_a_csv_name() -> None:
    data = xlsx_bytes([HEADER, [USCC, "甲"]])
    assert read(data, "名单.csv").file_format == "xlsx"


def test_xlsx_missing_column_is_reported_before_any_row() -> None:
    data = xlsx_bytes([["统一社会信用代码", "地址"], [USCC, "x"]])
    error = error_of(data, "x.xlsx")
    assert error.code == "no_header" and "企业名称" in str(error)


def test_xlsx_rows_can_be_abandoned_half_way() -> None:
    data = xlsx_bytes([HEADER, *([[USCC, f"公司{i}"] for i in range(5)])])
    rows = read(data, "x.xlsx").rows
    assert next(rows).number == 2
    rows.close()  # type: ignore[attr-defined]  # closes the workbook


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"garbage" * 50,
        b"PK\x05\x06" + bytes(18),  # an empty zip
        "zip-with-text",
        "truncated",
    ],
)
def test_a_damaged_xlsx_is_refused(data: bytes | str) -> None:
    if data == "zip-with-text":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        data = out.getvalue()
    elif data == "truncated":
        whole = xlsx_bytes([HEADER, [USCC, "甲"]])
        data = whole[: len(whole) // 2]
    assert isinstance(data, bytes)
    assert error_of(data, "x.xlsx").code == "damaged"


def test_xml_entities_in_a_worksheet_are_refused() -> None:
    pytest.importorskip("defusedxml")  # openpyxl uses it when installed: no entity expansion
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER, [USCC, "甲"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' + part
            archive.writestr(info, part)
    assert error_of(out.getvalue(), "x.xlsx").code == "damaged"


# --- cell_text, header_key ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  ＡＢＣ１２３\u3000", "ＡＢＣ１２３"),
        ("a\r\nb\rc\n", "a\nbc"),
        (140603, "140603"),
        (140603.0, "140603"),
        (1e20, "100000000000000000000"),
        (1.25e-5, "0.0000125"),
        (2.50, "2.5"),
        (True, "是"),
        (False, "否"),
        (datetime.date(2024, 3, 1), "2024-03-01"),
        (datetime.datetime(2024, 3, 1, 23, 59), "2024-03-01"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_header_key() -> None:
    assert header_key(" * 统一社会\n信用代码（必填）：") == "统一社会信用代码"
    assert header_key("＊企业名称(必填)") == "企业名称"
    assert header_key("ＵＳＣＣ") == "uscc"


# --- parse_date, parse_bool ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "2024 年 3 月 1 日",
        "20240301",
        "2024-03-01 00:00:00",
        "2024/3/1 8:05",
        "2024-03-01T00:00:00",
        "45352",
        "45352.5",
        "２０２４－０３－０１",
    ],
)
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "2024-3", "2024-03/01", "24-3-1", "19999", "80001", "2024-03-01 noon", "3/1/2024"],
)
def test_parse_date_rejects_other_forms(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert isinstance(info.value, CellValueError)
    assert isinstance(info.value.args[0], Promise)
    assert "2024年3月1日" in str(info.value)  # the accepted forms are named


@pytest.mark.parametrize("text", ["2024-02-30", "2023-02-29", "2024-13-01", "20240001"])
def test_parse_date_rejects_days_that_do_not_exist(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_date(text)


def test_parse_date_serial_boundaries() -> None:
    assert parse_date("20000") == datetime.date(1954, 10, 3)
    assert parse_date("80000") == datetime.date(2119, 1, 11)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("Yes", True),
        ("NO", False),
        ("√", True),
        ("×", False),
        ("✓", True),
        ("✗", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("false", False),
        ("有", True),
        ("无", False),
        ("", False),
        (" Ｙ ", True),
    ],
)
def test_parse_bool_forms(text: str, value: bool) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["x", "可能", "2", "yes!", "是否"])
def test_parse_bool_rejects_other_values(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_bool(text)
    assert isinstance(info.value, CellValueError) and "是" in str(info.value)


def test_row_is_immutable() -> None:
    row = Row(2, {"a": "b"})
    with pytest.raises(AttributeError):
        row.number = 3  # type: ignore[misc]


def test_an_xlsx_that_unpacks_like_a_zip_bomb_is_refused_before_parsing() -> None:
    """A 1 MB XLSX that unpacked to 1,000 MiB passed the size guard and kept a worker busy."""
    import io as _io
    import zipfile as _zipfile

    buffer = _io.BytesIO()
    with _zipfile.ZipFile(buffer, "w", compression=_zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(100 << 20))
    data = buffer.getvalue()
    assert len(data) < 1 << 20
    with pytest.raises(TableError) as caught:
        table_read(data, file_name="bomb.xlsx", columns=COLUMNS)
    assert caught.value.code == "too_large"
