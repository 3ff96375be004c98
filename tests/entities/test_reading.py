"""The column-at-a-time reading of an entity list (`entities.reading`) against the one-cell
checks it stands in for: a whole column is taken as it is only when every cell would pass its
one-cell check unchanged, and a file with dirty cells reads exactly as a row-by-row reading."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.core.tabular import Row
from anjian.entities.importing import ENTITY_COLUMNS
from anjian.entities.reading import EntityLayout, EntityReader, RowErrors
from anjian.entities.validation import (
    FieldInvalid,
    RegionResolver,
    text_clean,
    texts_clean,
    uscc_clean,
    usccs_valid,
)
from tests.conftest import make_uscc

# Characters that a one-cell check treats specially, and plain ones.
TRICKY = [
    " ",
    "\u3000",  # ideographic space
    "\t",
    "\n",
    "\r",
    "\x0b",
    "\x1f",
    "\x7f",
    "\u200b",  # zero-width space (dropped)
    "\ufeff",
    "\u202e",  # right-to-left override (refused)
    "=",
    "+",
    "-",
    "@",
    "\x85",
    "\xa0",
]
PLAIN = list("太原市煤业有限公司山西省平鲁区ABCabc0123()（）·")
cells = st.text(alphabet=st.sampled_from(TRICKY + PLAIN * 3), max_size=12)


def _one_by_one(texts: list[str], max_length: int, required: bool) -> bool:
    for text in texts:
        try:
            if text_clean(text, max_length=max_length, required=required) != text:
                return False
        except FieldInvalid:
            return False
    return True


@settings(max_examples=400, deadline=None)
@given(st.lists(cells, max_size=8), st.integers(1, 12), st.booleans())
def test_a_column_is_taken_whole_only_if_every_cell_passes_unchanged(
    texts: list[str], max_length: int, required: bool
) -> None:
    if texts_clean(texts, max_length, required=required):
        assert _one_by_one(texts, max_length, required)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(PLAIN), max_size=12), min_size=1, max_size=8))
def test_a_clean_column_is_taken_whole(texts: list[str]) -> None:
    """Not only safe but useful: ordinary names pass without a call per cell."""
    assert texts_clean(texts, 12, required=False)
    assert texts_clean(texts, 12, required=True) == all(texts)


def _uscc_passes(text: str) -> bool:
    try:
        return uscc_clean(text) == text
    except FieldInvalid:
        return False


USCC_CHARS = list("0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZabc -\uff10")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(1, 10**9).map(lambda n: make_uscc("140603", n)),
            st.text(alphabet=st.sampled_from(USCC_CHARS), min_size=16, max_size=19),
            # A valid code with one character changed.
            st.tuples(st.integers(1, 10**9), st.integers(0, 17), st.sampled_from(USCC_CHARS)).map(
                lambda t: (lambda c: c[: t[1]] + t[2] + c[t[1] + 1 :])(make_uscc("140603", t[0]))
            ),
        ),
        max_size=6,
    )
)
def test_a_credit_code_column_is_taken_whole_only_if_every_code_passes(texts: list[str]) -> None:
    assert usccs_valid(texts) == all(_uscc_passes(t) for t in texts)


def _rows(cells_by_row: list[dict[str, str]]) -> list[Row]:
    keys = [column.key for column in ENTITY_COLUMNS]  # as `tabular` gives every row
    return [
        Row(number, {k: cells.get(k, "") for k in keys})
        for number, cells in enumerate(cells_by_row, start=3)
    ]


def _read(rows: list[Row], block: int) -> tuple[list[tuple[int, Any]], list[dict[str, Any]]]:
    errors = RowErrors(headers={})
    reader = EntityReader(errors, RegionResolver(), EntityLayout.of(rows[0].values))
    reader.BLOCK = block
    accepted, _total = reader.read(rows)
    return accepted, errors.kept()


@pytest.mark.django_db
def test_dirty_cells_read_the_same_in_one_block_as_one_row_at_a_time(org: Any) -> None:
    """Each kind of cell the fast column checks send the slow way, mixed with clean rows: the
    values and the report are those of reading each row in a block of its own."""
    base = {"industry": "coal_mine", "region": "140603", "address": "平鲁区井坪镇"}
    dirty = [
        {"name": " 前后有空格 "},
        {"name": "零宽\u200b字符"},
        {"name": "=HYPERLINK()"},
        {"name": "控制\x07字符"},
        {"name": "方向\u202e字符"},
        {"name": "折\n行"},
        {"name": "名" * 201},
        {"name": ""},
        {"address": "+86 地址"},
        {"legal_representative": "\u3000张三"},
        {"legal_representative": "李" * 65},
        {"uscc": make_uscc("140603", 900).lower()},
        {"uscc": "-".join([make_uscc("140603", 901)[:9], make_uscc("140603", 901)[9:]])},
        {"uscc": make_uscc("140603", 902)[:17] + "0"},
        {"uscc": "91140603ABC"},
        {"former_names": "旧名一；旧名二、=坏"},
        {"new_business_form": "是", "observation_start": "2026-01-01"},
    ]
    rows = []
    for i in range(60):
        cells = {**base, "uscc": make_uscc("140603", i + 1), "name": f"平鲁区第{i}煤矿"}
        if i % 3 == 0:
            cells.update(dirty[(i // 3) % len(dirty)])
        rows.append(cells)
    accepted_block, report_block = _read(_rows(rows), block=20_000)
    accepted_single, report_single = _read(_rows(rows), block=1)
    assert report_block == report_single
    assert accepted_block == accepted_single
    # The dirty rows were really looked at: cleaned or refused, not taken as they were.
    by_row = dict(accepted_block)
    assert by_row[3].name == "前后有空格"
    assert by_row[6].name == "零宽字符"
    refused = {e["row"] for e in report_block}
    assert {9, 12, 15}.issubset(refused)  # formula, control character, direction control
