"""The reward rules of REFERENCE.md, every figure a setting."""

from __future__ import annotations

import pytest

from anjian.complaints.rewards import reward_amount


@pytest.mark.parametrize(
    ("fine", "expected"),
    [(40_000, 6_000), (10_000, 3_000), (0, 3_000), (1_000_000, 150_000), (5_000_000, 300_000)],
)
def test_fine_share_within_minimum_and_maximum(fine: int, expected: int) -> None:
    assert reward_amount(kind="hazard", fine=fine)[0] == expected


@pytest.mark.parametrize(
    ("level", "deaths", "expected"),
    [("general", 1, 30_000), ("larger", 3, 120_000), ("major", 4, 200_000),
     ("especially_major", 6, 300_000), ("major", 10, 300_000)],
)  # fmt: skip
def test_concealed_accident_per_death_by_level_capped(
    level: str, deaths: int, expected: int
) -> None:
    amount, _basis = reward_amount(
        kind="concealed_accident", concealed_deaths=deaths, accident_level=level
    )
    assert amount == expected


def test_figures_are_settings(settings: object) -> None:
    rules = {
        "fine_share_percent": 20,
        "minimum": 5_000,
        "maximum": 500_000,
        "per_death": {"general": 50_000},
        "employee_bonus_percent": 20,
    }
    assert reward_amount(kind="hazard", fine=100_000, rules=rules)[0] == 20_000
    assert reward_amount(kind="hazard", fine=100_000, employee=True, rules=rules)[0] == 24_000
    assert reward_amount(kind="hazard", fine=0, rules=rules)[0] == 5_000
