"""Read the spreadsheets bureaus really send: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX.

This is the generic machinery behind docs/import-format.md ("How a file is read"); the caller
defines the columns of each file type and checks the values.

    table = table_read(data, file_name="企业名单.xlsx", columns=[Column("uscc", "统一社会信用代码",
                       aliases=("信用代码",), required=True), ...])
    for row in table.rows:          # lazily produced; may raise TableError for a damaged file
        row.number, row.values["uscc"]

- The format is recognised by content: a ZIP is read as XLSX (first worksheet, formulas are
  returned as text starting with "=", never evaluated), an OLE2 file (old .xls, or any
  password-protected workbook) is refused, anything else must be text in UTF-8 or GB18030.
- The header row is the first of the first `max_header_search` non-empty rows that names all the
  required columns (by header or alias, compared with `header_key`); title rows above it are
  skipped.
- `Row.number` is the row number Excel shows. A row whose recognised columns are all empty is
  skipped (its number is still counted), so are completely blank rows.
- Cells are normalised with `cell_text` (stripped, numbers without ".0"; text otherwise as written).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import functools
import io
import math
import operator
import pathlib
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from anjian.core.archives import ArchiveTooLarge, archive_bounds_check

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "CellValueError",
    "Column",
    "Row",
    "Table",
    "TableError",
    "cell_text",
    "header_key",
    "parse_bool",
    "parse_date",
    "table_read",
]

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An XLSX whose parts unpack to more than this, or at a ratio no real workbook has, is refused
# before openpyxl touches it (core.archives; defusedxml, when installed, guards the XML itself).
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
# Headers quoted back to the user in the "missing column" message.
_MAX_HEADERS_QUOTED = 30
CSV_DELIMITERS = (",", "\t", ";")


# --- messages ----------------------------------------------------------------------------------


def _interpolate(message: StrOrPromise, params: Mapping[str, object]) -> str:
    return str(message) % {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}


# `lazy_message(_("... %(x)s ..."), {"x": 1})` stays lazy: translated when it is shown, in the
# language active then (`_("...") % {...}` would translate at once).
lazy_message: Callable[[StrOrPromise, Mapping[str, object]], str] = lazy(_interpolate, str)


class TableError(Exception):
    """The whole file cannot be read. `message` is a lazy translation, `code` a stable word:
    empty, xls, html, not_table, encoding, damaged, too_large, malformed, no_header,
    duplicate_header."""

    def __init__(self, message: StrOrPromise, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class CellValueError(ValueError):
    """A value `parse_date` / `parse_bool` cannot read; `message` is a lazy translation."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


MSG_EMPTY = _("The file is empty.")
MSG_EMPTY_SHEET = _("The first worksheet of the workbook is empty.")
MSG_XLS = _(
    "This is an old Excel 97-2003 workbook (.xls) or a password-protected workbook, which cannot "
    "be read. Open it in Excel and save it as an Excel workbook (.xlsx) or as CSV, without a "
    "password."
)
MSG_HTML = _(
    "This file is a web page or XML export with a spreadsheet name, not a real Excel file. Open "
    "it in Excel and save it as an Excel workbook (.xlsx) or as CSV."
)
MSG_NOT_TABLE = _("The file is not a CSV or XLSX file.")
MSG_ENCODING = _(
    "The character encoding of the CSV file could not be recognised. Save it from Excel as "
    "“CSV UTF-8” or as an Excel workbook (.xlsx)."
)
MSG_DAMAGED = _("The XLSX file is damaged or is not an Excel workbook.")
MSG_TOO_LARGE = _("The XLSX file is too large when unpacked (more than %(limit)s MB).")
MSG_MALFORMED = _(
    "The CSV file cannot be read at row %(row)s: a cell is too long or its quotation marks do "
    "not match."
)
MSG_NO_HEADER = _(
    "Required column(s) not found: %(missing)s. The header row must be among the first %(n)s "
    "rows; the closest one, row %(row)s, has the headers: %(found)s."
)
MSG_DUPLICATE = _("The column %(column)s appears more than once in the header row: %(headers)s.")
MSG_DATE = _(
    "Not a date. Use a form such as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or 20240301."
)
MSG_NO_SUCH_DATE = _("There is no such date; check the month and the day.")
MSG_BOOL = _("Not a yes/no value. Use 是 or 否 (Y/N, √/×, 1/0 are also accepted).")


# --- public data types -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # internal key, e.g. "uscc"
    header: str  # canonical Chinese header, e.g. "统一社会信用代码"
    aliases: tuple[str, ...] = ()  # other headers real files use
    required: bool = False


@dataclass(frozen=True)
class Row:
    # Excel's row number. For CSV: the index of the record (a quoted cell spanning several lines
    # is one record, as Excel shows it), counting title, header and blank rows.
    number: int
    values: dict[str, str]  # key -> normalised cell text ("" if empty or the column is absent)


@dataclass
class Table:
    file_format: str  # "csv" or "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "gb18030"; "" for xlsx
    header_row: int  # 1-based, as Excel / a text editor shows it
    columns: dict[str, str]  # key -> header text as found in the file (present columns only)
    ignored_headers: list[str]  # non-empty headers that matched no column
    rows: Iterator[Row] = field(repr=False)  # rows after the header, blank rows skipped
    delimiter: str = ""  # CSV only: ",", "\t" or ";"
    file_name: str = ""  # as given to table_read


# --- cell normalisation ------------------------------------------------------------------------

_nfkc: Callable[[str], str] = functools.partial(unicodedata.normalize, "NFKC")
_strip = str.strip


def _number_text(value: float | decimal.Decimal) -> str:
    # What Excel shows in the formula bar: at most 15 significant digits, no exponent, no ".0".
    # (A credit code typed as a number has already lost its last digits in Excel itself.)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        value = decimal.Decimal(f"{value:.15g}")
    elif not value.is_finite():
        return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_text(value: object) -> str:
    """Normalise one cell: None -> "", text stripped (inner new lines kept as "\\n"), numbers
    without exponent or ".0", date/datetime -> "YYYY-MM-DD", bool -> "是"/"否".

    Text is otherwise kept as written: a name registered with full-width brackets (（晋）…〔2024〕)
    must be stored with them. The checks that read codes, dates, yes/no values and choices
    normalise the width themselves."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "")
        return text.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | decimal.Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    kind = type(value).__name__  # openpyxl's formula objects, without importing openpyxl here
    if kind == "ArrayFormula":
        return cell_text(getattr(value, "text", None) or "=")
    if kind == "DataTableFormula":  # a what-if table: still a formula
        return "=TABLE()"
    return cell_text(str(value))


_HEADER_NOISE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff*＊]+")
_HEADER_MARKERS = re.compile(r"[(\[【]必填项?[)\]】]|[(\[【]选填项?[)\]】]")


def header_key(text: str) -> str:
    """The form headers are compared in: NFKC, without whitespace, asterisks, "(必填)" markers
    and a trailing colon, case-folded."""
    key = _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text))
    key = _HEADER_MARKERS.sub("", key).rstrip(":")
    return key.casefold()


# --- value parsers -----------------------------------------------------------------------------

_TIME = r"(?:\s*T\s*|\s+)\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?"
_DATE_SEPARATED = re.compile(
    r"(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?:" + _TIME + ")?"
)
_DATE_CHINESE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?(?:" + _TIME + ")?"
)
_DATE_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_DATE_SERIAL = re.compile(r"\d{5}(?:\.\d*)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # 1900 date system, past the 1900-02-29 bug


def parse_date(text: str) -> datetime.date:
    """2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日, 20240301, "2024-03-01 00:00:00", or an Excel
    serial number (20000-80000). Raises CellValueError (a ValueError) otherwise, also for ""."""
    value = unicodedata.normalize("NFKC", text).strip()
    match = (
        _DATE_SEPARATED.fullmatch(value)
        or _DATE_CHINESE.fullmatch(value)
        or _DATE_COMPACT.fullmatch(value)
    )
    if match is not None:
        try:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            raise CellValueError(MSG_NO_SUCH_DATE) from None
    if _DATE_SERIAL.fullmatch(value):
        serial = float(value)
        if 20000 <= serial <= 80000:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    raise CellValueError(MSG_DATE)


_TRUE = frozenset({"是", "y", "yes", "√", "✓", "✔", "1", "true", "有"})
_FALSE = frozenset({"否", "n", "no", "×", "✗", "✘", "0", "false", "无", ""})


def parse_bool(text: str) -> bool:
    """是/否, Y/N, yes/no, √/×, ✓/✗, 1/0, true/false, 有/无; "" is False. Raises CellValueError
    (a ValueError) otherwise."""
    value = unicodedata.normalize("NFKC", text).strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellValueError(MSG_BOOL)


# --- header detection --------------------------------------------------------------------------


@dataclass
class _Header:
    number: int
    texts: list[str]  # cell_text of every cell of the row
    found: dict[str, list[int]]  # column key -> cell indexes

    @property
    def score(self) -> tuple[int, int]:
        """How much this row looks like the header: columns recognised, then non-empty cells."""
        return len(self.found), sum(1 for t in self.texts if t)


class _Matcher:
    def __init__(self, columns: Sequence[Column]) -> None:
        if not columns:
            raise ValueError("table_read needs at least one column")
        self.columns = {c.key: c for c in columns}
        if not all(isinstance(key, str) for key in self.columns):
            raise ValueError("column keys must be strings")
        if len(self.columns) != len(columns):
            raise ValueError("duplicate column key")
        self.lookup: dict[str, str] = {}
        for column in columns:
            for name in (column.header, *column.aliases):
                key = header_key(name)
                other = self.lookup.setdefault(key, column.key)
                if not key or other != column.key:
                    raise ValueError(f"header {name!r} is empty or names two columns")
        self.required = [c.key for c in columns if c.required]

    def match(self, number: int, texts: list[str]) -> _Header:
        found: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            key = self.lookup.get(header_key(text)) if text else None
            if key is not None:
                found.setdefault(key, []).append(index)
        return _Header(number, texts, found)

    def is_header(self, header: _Header) -> bool:
        return bool(header.found) and all(key in header.found for key in self.required)

    def find(
        self, records: Iterator[tuple[int, Sequence[object]]], max_search: int
    ) -> tuple[_Header | None, _Header | None]:
        """Consume `records` up to and including the header row: (header, None) when found,
        else (None, the candidate matching most columns, or None if there was no non-empty row)."""
        best: _Header | None = None
        searched = 0
        for number, raw in records:
            texts = [cell_text(v) for v in raw]
            if not any(texts):
                continue
            candidate = self.match(number, texts)
            if self.is_header(candidate):
                return candidate, None
            if best is None or candidate.score > best.score:
                best = candidate
            searched += 1
            if searched >= max_search:
                break
        return None, best

    def finish(self, header: _Header) -> tuple[dict[str, str], list[str], list[tuple[str, int]]]:
        """Check for duplicates; return (columns found, ignored headers, (key, index) pairs)."""
        for key, indexes in header.found.items():
            if len(indexes) > 1:
                raise TableError(
                    lazy_message(
                        MSG_DUPLICATE,
                        {
                            "column": self.columns[key].header,
                            "headers": "、".join(header.texts[i] for i in indexes),
                        },
                    ),
                    code="duplicate_header",
                )
        matched = {i for indexes in header.found.values() for i in indexes}
        ignored = [t for i, t in enumerate(header.texts) if t and i not in matched]
        # In the callers' column order, so that Row.values is too.
        pairs = [(key, header.found[key][0]) for key in self.columns if key in header.found]
        found = {key: header.texts[index] for key, index in pairs}
        return found, ignored, pairs

    def missing_error(self, best: _Header | None, max_search: int) -> TableError:
        if best is None:  # not a single non-blank cell
            return TableError(MSG_EMPTY, code="empty")
        missing = [self.columns[k].header for k in self.required if k not in best.found]
        if not missing:  # no required column at all, and nothing matched
            missing = [c.header for c in self.columns.values()]
        found = [t for t in best.texts if t]
        if len(found) > _MAX_HEADERS_QUOTED:
            found = [*found[:_MAX_HEADERS_QUOTED], "…"]
        params = {
            "missing": "、".join(missing),
            "n": max_search,
            "row": best.number,
            "found": "、".join(found),
        }
        return TableError(lazy_message(MSG_NO_HEADER, params), code="no_header")


def _layout(
    columns: Mapping[str, Column], pairs: list[tuple[str, int]]
) -> tuple[tuple[int, ...], Callable[[Sequence[str]], dict[str, str]]]:
    """The cell indexes of the columns present, and a function making Row.values from those
    cells (in that order), "" for the absent columns:
    `lambda c: {'uscc': c[0], 'name': c[1], 'remark': ''}`. A dict display is a third faster than
    dict(zip(...)), which matters for a million rows. The evaluated source holds only repr()s of
    the callers' column keys (checked to be str) and integers, nothing from the file."""
    indexes = tuple(i for _k, i in pairs)
    position = {key: n for n, (key, _i) in enumerate(pairs)}
    items = ", ".join(
        f"{key!r}: c[{position[key]}]" if key in position else f"{key!r}: ''" for key in columns
    )
    builder: Callable[[Sequence[str]], dict[str, str]] = eval(f"lambda c: {{{items}}}")  # noqa: S307
    return indexes, builder


# --- entry point -------------------------------------------------------------------------------


def table_read(
    source: bytes | pathlib.Path,
    *,
    file_name: str,
    columns: Sequence[Column],
    max_header_search: int = 10,
) -> Table:
    """Read the header of a CSV or XLSX file and return a Table whose `rows` are produced lazily.

    Raises TableError when the file cannot be read or lacks a required column; iterating
    `rows` may also raise TableError (a damaged XLSX, a broken CSV record). ValueError for a
    mistake in `columns`. `file_name` plays no part in recognising the format (the content
    decides: a CSV named .xls is read as CSV); it is kept as `Table.file_name`."""
    matcher = _Matcher(columns)
    data = source.read_bytes() if isinstance(source, pathlib.Path) else bytes(source)
    if not data:
        raise TableError(MSG_EMPTY, code="empty")
    if data.startswith(OLE2_SIGNATURE):
        raise TableError(MSG_XLS, code="xls")
    if data.startswith(b"PK"):  # a ZIP: "PK\x03\x04", or damaged / empty ("PK\x05\x06")
        table = _read_xlsx(data, matcher, max_header_search)
    else:
        table = _read_csv(data, matcher, max_header_search)
    table.file_name = file_name
    return table


# --- CSV ---------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_MARKUP = re.compile(r"\s*<(?:!doctype|html|\?xml|table|head|meta|body)\b", re.IGNORECASE)
_LONE_CR = re.compile(r"\r(?!\n)")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 ("Unicode text" from Excel)
        raise TableError(MSG_ENCODING, code="encoding")
    if b"\x00" in data:
        raise TableError(MSG_NOT_TABLE, code="not_table")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"  # no data[3:], a copy
        except UnicodeDecodeError:
            raise TableError(MSG_ENCODING, code="encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise TableError(MSG_ENCODING, code="encoding") from None


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, each with its "\\n" (no copy of the whole text, unlike StringIO)."""
    find = text.find
    start = 0
    while True:
        end = find("\n", start) + 1
        if not end:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end]
        start = end


def _read_csv(data: bytes, matcher: _Matcher, max_search: int) -> Table:
    text, encoding = _decode(data)
    if text.endswith("\x1a"):  # Ctrl-Z, the end-of-file mark of old DOS programs
        text = text.rstrip("\x1a")
    head = text[:65536]
    if _MARKUP.match(head):
        raise TableError(MSG_HTML, code="html")
    if _CONTROL.search(head):
        raise TableError(MSG_NOT_TABLE, code="not_table")
    # A "\r" not followed by "\n" ends a line too (old Mac files, or in a quoted cell); csv
    # needs universal new lines then, which StringIO gives at the cost of a copy of the text.
    universal = "\r" in text and _LONE_CR.search(text) is not None

    best: _Header | None = None
    comma_error: int | None = None  # the line where the comma-separated reading failed
    for delimiter in CSV_DELIMITERS:
        lines = io.StringIO(text, newline="") if universal else _lines(text)
        reader = csv.reader(lines, delimiter=delimiter)
        records = enumerate(reader, 1)
        try:
            header, candidate = matcher.find(records, max_search)
        except csv.Error:
            if delimiter == ",":
                comma_error = reader.line_num
            continue
        if header is not None:
            columns, ignored, pairs = matcher.finish(header)
            return Table(
                file_format="csv",
                encoding=encoding,
                header_row=header.number,
                columns=columns,
                ignored_headers=ignored,
                rows=_csv_rows(records, header.number, matcher, pairs),
                delimiter=delimiter,
            )
        if delimiter == ",":
            if candidate is None:  # not a single non-blank cell
                raise TableError(MSG_EMPTY, code="empty")
            best = candidate  # preferred to other delimiters' candidates unless worse
        elif candidate is not None and (best is None or candidate.score > best.score):
            best = candidate
    if comma_error is not None:
        raise TableError(lazy_message(MSG_MALFORMED, {"row": comma_error}), code="malformed")
    raise matcher.missing_error(best, max_search)


def _csv_rows(
    records: Iterator[tuple[int, list[str]]],
    header_number: int,
    matcher: _Matcher,
    pairs: list[tuple[str, int]],
) -> Iterator[Row]:
    indexes, build = _layout(matcher.columns, pairs)
    width = max(indexes) + 1
    pick: Callable[[list[str]], Sequence[str]]
    if len(indexes) == 1:
        only = indexes[0]

        def pick(cells: list[str]) -> Sequence[str]:
            return (cells[only],)
    else:
        pick = operator.itemgetter(*indexes)
    # The usual file has exactly the columns, in the callers' order: no picking needed.
    identity = indexes == tuple(range(width))
    number = header_number
    try:
        # The hot loop (a million rows must take seconds). One look at the joined cells decides
        # how much of cell_text is needed: usually nothing, or strip (C-level map, no Python call
        # per cell); the whole cell_text only when a cell holds a "\r" (a quoted new line).
        for number, cells in records:
            picked: Sequence[str] = cells
            if not identity or len(cells) != width:
                if len(cells) < width:  # also an empty line, []
                    cells += [""] * (width - len(cells))
                picked = pick(cells)
            joined = "".join(picked)
            if not joined or joined.isspace():  # blank, or only unrecognised columns filled
                continue
            if "\r" in joined:
                yield Row(number, build(list(map(cell_text, picked))))
            # Spaces, ideographic spaces and other whitespace (which is unprintable) to strip.
            elif " " in joined or "\u3000" in joined or not joined.isprintable():
                yield Row(number, build(list(map(_strip, picked))))
            else:
                yield Row(number, build(picked))
    except csv.Error:
        raise TableError(
            lazy_message(MSG_MALFORMED, {"row": number + 1}), code="malformed"
        ) from None


# --- XLSX --------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, matcher: _Matcher, max_search: int) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive_bounds_check(archive, max_unpacked=MAX_XLSX_UNPACKED)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableError(MSG_DAMAGED, code="damaged") from None
    except ArchiveTooLarge:
        raise TableError(
            lazy_message(MSG_TOO_LARGE, {"limit": MAX_XLSX_UNPACKED // 2**20}), code="too_large"
        ) from None
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # openpyxl raises whatever the broken part provokes
        raise TableError(MSG_DAMAGED, code="damaged") from None
    try:
        if not workbook.worksheets:
            raise TableError(MSG_DAMAGED, code="damaged")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # do not trust the <dimension> a generator wrote
        records = enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
        try:
            header, best = matcher.find(records, max_search)
        except Exception:
            raise TableError(MSG_DAMAGED, code="damaged") from None
        if header is None:
            if best is None:
                raise TableError(MSG_EMPTY_SHEET, code="empty")
            raise matcher.missing_error(best, max_search)
        columns, ignored, pairs = matcher.finish(header)
    except BaseException:
        workbook.close()
        raise
    return Table(
        file_format="xlsx",
        encoding="",
        header_row=header.number,
        columns=columns,
        ignored_headers=ignored,
        rows=_xlsx_rows(workbook, records, matcher, pairs),
    )


def _xlsx_rows(
    workbook: Any,
    records: Iterator[tuple[int, tuple[object, ...]]],
    matcher: _Matcher,
    pairs: list[tuple[str, int]],
) -> Iterator[Row]:
    indexes, build = _layout(matcher.columns, pairs)
    try:
        try:
            for number, cells in records:
                size = len(cells)
                texts = [cell_text(cells[i]) if i < size else "" for i in indexes]
                if any(texts):
                    yield Row(number, build(texts))
        except Exception:  # a damaged part only shows when it is read
            raise TableError(MSG_DAMAGED, code="damaged") from None
    finally:
        workbook.close()
