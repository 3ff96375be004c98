"""Reading and checking the rows of an entity list (docs/import-format.md), for `importing`.

The rows are checked a column at a time, a block of rows at a time: each column's parser runs
once per distinct cell text, and the columns whose cells are all different (credit code, name,
address, legal representative) are first checked whole, on their joined text, and taken as they
are when nothing in them needs a change. A row that fails any check is reported with its row
number, column and reason, exactly as a row-by-row reading would report it
(tests/entities/test_reading.py compares the two on random files).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.core.choices import Industry
from anjian.core.tabular import Row
from anjian.entities.sectors import SUB_SECTORS
from anjian.entities.validation import (
    EntityValues,
    FieldInvalid,
    RegionResolver,
    bool_clean,
    business_status_parse,
    date_clean,
    industry_parse,
    names_split,
    observation_check,
    risk_level_parse,
    scale_parse,
    standardisation_grade_parse,
    sub_sector_clean,
    text_clean,
    texts_clean,
    uscc_clean,
    usccs_valid,
)

MAX_ERRORS_KEPT = 10_000


@dataclass
class RowErrors:
    """Rejected rows, as the report lists them."""

    headers: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, column: str, value: str, reason: Any) -> None:
        self.rows.add(row)
        if len(self.items) >= 2 * MAX_ERRORS_KEPT:
            # Columns are checked a block at a time: keep the first rows' errors, whatever
            # order they were found in.
            self.items = self.kept()
        self.items.append(
            {
                "row": row,
                "column": self.headers.get(column, column),
                "value": value[:200],
                "reason": str(reason),
            }
        )

    def kept(self) -> list[dict[str, Any]]:
        """The errors the report keeps: the first MAX_ERRORS_KEPT by row, then column."""
        return sorted(self.items, key=lambda e: (e["row"], e["column"]))[:MAX_ERRORS_KEPT]


_REQUIRED = object()


def _field(
    errors: RowErrors,
    row: Row,
    key: str,
    parse: Callable[[str], Any],
    default: Any = None,
    empty: Any = _REQUIRED,
) -> Any:
    """Parse one cell; a rejected value is reported and `default` stands in for it.
    `empty` is the value of an empty optional cell (most cells of a real list are empty, and
    skipping the parser for them is a fifth of a large import's checking time)."""
    text = row.values.get(key, "")
    if not text and empty is not _REQUIRED:
        return empty
    try:
        return parse(text)
    except FieldInvalid as exc:
        errors.add(row.number, key, text, exc.message)
        return default


class Memo:
    """A cell parser run once per distinct text of its column.

    Most columns of a registry list repeat a few values (industry, county, status, yes/no,
    dates): checking each distinct text once instead of once per row was the largest part of a
    million-row import's checking time. Results are immutable (strings, dates, regions), and a
    refusal is remembered as its message. The table is bounded, so a column of unique values
    (addresses, representatives) costs a dictionary miss per row and no more memory than that.
    """

    __slots__ = ("parse", "seen")
    LIMIT = 50_000

    def __init__(self, parse: Callable[[str], Any]) -> None:
        self.parse = parse
        self.seen: dict[str, tuple[Any, Any]] = {}

    def __call__(self, text: str) -> Any:
        hit = self.seen.get(text)
        if hit is None:
            try:
                hit = (self.parse(text), None)
            except FieldInvalid as exc:
                hit = (None, exc.message)
            if len(self.seen) < self.LIMIT:
                self.seen[text] = hit
        if hit[1] is not None:
            raise FieldInvalid(hit[1])
        return hit[0]


_NAME = functools.partial(text_clean, max_length=200, required=True)
_ADDRESS = functools.partial(text_clean, max_length=300)
_PERSON = functools.partial(text_clean, max_length=64)
_SUB_SECTOR = {
    industry: functools.partial(sub_sector_clean, industry=industry) for industry in Industry.values
}


_NUMBER = operator.attrgetter("number")
_CELLS = operator.attrgetter("values")
OBSERVATION = ("new_business_form", "observation_start", "observation_end")


def _column_key(field_name: str) -> str:
    return "region" if field_name == "region_id" else field_name


@dataclass
class EntityLayout:
    """Which entity fields the file carries. For an entity already registered only these are
    compared and written; the others keep their stored values."""

    fields: tuple[str, ...]
    # Some but not all of the observation columns: their check needs the stored values of the
    # others, so it waits until the plan knows whether the entity exists
    # (`EntityReader.combined_check`).
    observation_partial: bool

    @classmethod
    def of(cls, columns: Iterable[str]) -> EntityLayout:
        present = set(columns)
        carried = sum(key in present for key in OBSERVATION)
        return cls(
            fields=tuple(f for f in EntityValues.FIELDS if _column_key(f) in present),
            observation_partial=0 < carried < len(OBSERVATION),
        )


@dataclass
class EntityReader:
    """Reads and checks the rows of an entity list, a block of rows and a column at a time, with
    the same values and refusals as checking each cell alone (see `EntityLayout`)."""

    errors: RowErrors
    regions: RegionResolver
    layout: EntityLayout
    # Row number -> the observation cells as written, for a report made at planning time.
    observation_texts: dict[int, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One memo per column (see `Memo`), kept across blocks; the credit code, the name and
        # the address are unique per row and are checked a whole column at a time first.
        self.industry = Memo(industry_parse)
        self.person = Memo(_PERSON)
        self.status = Memo(business_status_parse)
        self.scale = Memo(scale_parse)
        self.date = Memo(date_clean)
        self.flag = Memo(bool_clean)
        self.risk = Memo(risk_level_parse)
        self.standardisation = Memo(standardisation_grade_parse)
        self.sub_sector = {industry: Memo(parse) for industry, parse in _SUB_SECTOR.items()}
        self.region_code = Memo(self._region_code)

    def read(self, rows: Iterable[Row]) -> tuple[list[tuple[int, EntityValues]], int]:
        """All rows, checked a column at a time in blocks (see `Memo`): the same values and the
        same rejections as calling the reader row by row, without a Python call per cell.
        Returns the accepted rows and the number of rows read."""
        accepted: list[tuple[int, EntityValues]] = []
        total = 0
        for block, size in self.blocks(rows):
            accepted.extend(block)
            total += size
        return accepted, total

    def blocks(self, rows: Iterable[Row]) -> Iterator[tuple[list[tuple[int, EntityValues]], int]]:
        """`read`, a block at a time: each block's accepted rows and the number of rows it
        read (`BLOCK`, but for the last)."""
        block: list[Row] = []
        for row in rows:
            block.append(row)
            if len(block) == self.BLOCK:
                yield self._block(block), len(block)
                block = []
        if block:
            yield self._block(block), len(block)

    BLOCK = 20_000

    def _column(
        self,
        numbers: list[int],
        texts: Sequence[str],
        key: str,
        parse: Callable[[str], Any],
        default: Any = None,
        empty: Any = _REQUIRED,
    ) -> list[Any]:
        """The column's values, `parse` run once per distinct text; each refused cell is
        reported and `default` stands in for it. `empty` is the value of an empty optional
        cell (the parser is not asked)."""
        values: dict[str, Any] = {}
        refused: dict[str, Any] = {}
        for text in set(texts):
            if not text and empty is not _REQUIRED:
                values[text] = empty
                continue
            try:
                values[text] = parse(text)
            except FieldInvalid as exc:
                values[text] = default
                refused[text] = exc.message
        if refused:
            for number, text in zip(numbers, texts, strict=True):
                if text in refused:
                    self.errors.add(number, key, text, refused[text])
        return list(map(values.__getitem__, texts))

    def _free_text(
        self,
        numbers: list[int],
        texts: Sequence[str],
        key: str,
        parse: Callable[[str], Any],
        max_length: int,
        *,
        required: bool,
    ) -> Sequence[str]:
        """A column of mostly distinct free text: as it is when the whole column is already
        clean (`texts_clean`), else each distinct cell through `parse`."""
        if texts_clean(texts, max_length, required=required):
            return texts
        return self._column(numbers, texts, key, parse, "", _REQUIRED if required else "")

    def _sub_sectors(
        self, numbers: list[int], industries: list[str], texts: Sequence[str]
    ) -> Sequence[str]:
        """Class codes, each checked against its row's industry once per distinct pair."""
        if not any(texts):
            return texts
        pairs = list(zip(industries, texts, strict=True))
        values: dict[tuple[str, str], str] = {}
        refused: dict[tuple[str, str], Any] = {}
        for pair in set(pairs):
            industry, text = pair
            values[pair] = ""
            if industry and text:
                try:
                    values[pair] = self.sub_sector[industry](text)
                except FieldInvalid as exc:
                    refused[pair] = exc.message
        if refused:
            for number, pair in zip(numbers, pairs, strict=True):
                if pair in refused:
                    self.errors.add(number, "sub_sector", pair[1], refused[pair])
        return list(map(values.__getitem__, pairs))

    def _block(self, rows: list[Row]) -> list[tuple[int, EntityValues]]:
        """One block of rows, a column at a time: C-level passes over the column's cells, and
        Python per row only where a row has something of its own to check (former names, an
        observation period)."""
        errors = self.errors
        if not rows:
            return []
        numbers: list[int] = list(map(_NUMBER, rows))
        cells: list[dict[str, str]] = list(map(_CELLS, rows))
        # The block transposed into columns in C: one lookup of every key per row, then zip.
        # (Each row has every column's key: `tabular` gives "" for an absent column.)
        keys = tuple(cells[0])
        rows_cells = map(operator.itemgetter(*keys), cells)  # every entity column: 19 keys
        by_key = dict(zip(keys, zip(*rows_cells, strict=True), strict=True))
        blank = ("",) * len(rows)

        def texts(key: str) -> Sequence[str]:
            return by_key.get(key, blank)

        column = functools.partial(self._column, numbers)
        industry = column(texts("industry"), "industry", self.industry, "")
        sub_sector = self._sub_sectors(numbers, industry, texts("sub_sector"))
        region = column(texts("region"), "region", self.region_code)
        codes = texts("uscc")
        uscc = codes if usccs_valid(codes) else column(codes, "uscc", uscc_clean, "")
        name = self._free_text(numbers, texts("name"), "name", _NAME, 200, required=True)
        address = self._free_text(
            numbers, texts("address"), "address", _ADDRESS, 300, required=False
        )
        person = self._free_text(
            numbers,
            texts("legal_representative"),
            "legal_representative",
            self.person,
            64,
            required=False,
        )
        flag, date = self.flag, self.date
        new_form = column(texts("new_business_form"), "new_business_form", flag, False, False)
        start = column(texts("observation_start"), "observation_start", date, None, None)
        end = column(texts("observation_end"), "observation_end", date, None, None)
        values: list[EntityValues] = list(
            map(
                EntityValues,
                uscc,
                name,
                map(list, itertools.repeat((), len(rows))),  # a list of its own per row
                industry,
                sub_sector,
                region,
                address,
                person,
                column(texts("business_status"), "business_status", self.status, None, "operating"),
                column(texts("scale"), "scale", self.scale, "", ""),
                column(texts("established_on"), "established_on", date, None, None),
                column(texts("key_supervision"), "key_supervision", flag, False, False),
                new_form,
                start,
                end,
                column(texts("major_hazard_source"), "major_hazard_source", flag, False, False),
                column(texts("risk_level"), "risk_level", self.risk, "", ""),
                column(
                    texts("standardisation_grade"),
                    "standardisation_grade",
                    self.standardisation,
                    "",
                    "",
                ),
            )
        )
        former_texts = texts("former_names")
        for i in itertools.compress(range(len(rows)), former_texts):
            former: list[str] = []
            for former_name in names_split(former_texts[i]):
                try:
                    former.append(text_clean(former_name, max_length=200))
                except FieldInvalid as exc:
                    errors.add(numbers[i], "former_names", former_name, exc.message)
            values[i].former_names = [n for n in former if n != values[i].name]
        rejected = errors.rows
        if self.layout.observation_partial:
            for number, row_cells in zip(numbers, cells, strict=True):
                if number not in rejected:
                    self.observation_texts[number] = {k: row_cells[k] for k in OBSERVATION}
        else:
            stated = set(itertools.compress(range(len(rows)), new_form))
            stated.update(itertools.compress(range(len(rows)), start))
            stated.update(itertools.compress(range(len(rows)), end))
            for i in sorted(stated):
                if numbers[i] in rejected:
                    continue
                for k, message in observation_check(new_form[i], start[i], end[i]).items():
                    errors.add(numbers[i], k, cells[i].get(k, ""), message)
        if not rejected:
            return list(zip(numbers, values, strict=True))
        return [(n, v) for n, v in zip(numbers, values, strict=True) if n not in rejected]

    def _region_code(self, text: str) -> str:
        return str(self.regions.resolve(text).code)

    def combined_check(self, number: int, values: EntityValues, stored_industry: str) -> bool:
        """The checks across fields that the row alone could not make, on the values the entity
        will have (stored ones for the absent columns); False if the row is rejected."""
        if self.layout.observation_partial:
            texts = self.observation_texts.get(number, {})
            for key, message in observation_check(
                values.new_business_form, values.observation_start, values.observation_end
            ).items():
                self.errors.add(number, key, texts.get(key, ""), message)
        if (
            values.sub_sector
            and values.industry != stored_industry
            and "sub_sector" not in self.layout.fields
        ):
            try:
                sub_sector_clean(values.sub_sector, values.industry)
            except FieldInvalid:
                known = SUB_SECTORS.get(values.sub_sector)
                self.errors.add(
                    number,
                    "industry",
                    str(Industry(values.industry).label),
                    _(
                        "The class code on record, %(code)s (%(name)s), does not belong to this "
                        "industry; give the new class code in a “%(column)s” column."
                    )
                    % {
                        "code": values.sub_sector,
                        "name": known[0] if known else "",
                        "column": self.errors.headers.get("sub_sector", "sub_sector"),
                    },
                )
        return number not in self.errors.rows
