"""Dates and amounts the way Chinese official documents write them."""

from __future__ import annotations

import datetime

import pytest

from anjian.documents.layout import amount_figures, amount_upper, date_cn, datetime_cn


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("50000", "伍万元整"),
        (30000, "叁万元整"),
        ("10500.50", "壹万零伍佰元伍角"),
        ("1005", "壹仟零伍元整"),
        ("1050", "壹仟零伍拾元整"),
        ("10", "壹拾元整"),
        ("200000", "贰拾万元整"),
        ("1000000", "壹佰万元整"),
        ("100010000", "壹亿零壹万元整"),
        ("120000000", "壹亿贰仟万元整"),
        ("0.05", "伍分"),
        ("3.07", "叁元零柒分"),
        ("0", "零元整"),
    ],
)
def test_amounts_in_financial_capitals(amount: object, words: str) -> None:
    assert amount_upper(amount) == words  # type: ignore[arg-type]


def test_amounts_in_figures_drop_empty_decimals() -> None:
    assert amount_figures("50000") == "50000元"
    assert amount_figures("10500.5") == "10500.50元"


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        amount_upper("-1")


def test_dates_have_no_leading_zeros() -> None:
    assert date_cn(datetime.date(2026, 3, 5)) == "2026年3月5日"
    assert datetime_cn(datetime.datetime(2026, 3, 5, 9, 5)) == "2026年3月5日9时05分"
