"""The credit score and grade (docs/algorithms/credit.md).

score = clamp(base + Σ weight of the records counted on the day, 0, 100)
A record is counted on day d when it is in force (approved, not void) and
occurred_on ≤ d < counts_until. The grade is the first of A, B, C whose threshold the score
reaches, else D.

A penalty's weight: the points of its most severe measure, and one more point off per full
`fine_points_per` yuan of fine, at most `fine_points_max`. Every other kind has a fixed weight.
A record counts for `months[kind]` months from its date.

Everything here is configurable: ANJIAN_CREDIT_SCORING_FILE names a JSON file whose top-level
keys replace the defaults below.
"""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # An entity without any record counted scores `base`: grade B. A comes from good records.
    "base": 85,
    # The lowest score of each grade; below C's: D.
    "grades": {"A": 90, "B": 75, "C": 60},
    "weights": {
        "judicial_transfer": -30,
        "inspection_clean": 2,
        "inspection_hazards": -2,
        "major_hazard": -8,
        "rectified_on_time": 1,
        "rectified_late": -5,
        "rectification_escalated": -8,
        "reinspection_failed": -6,
        "accident": -30,
        "commitment_broken": -10,
        "commendation": 10,
        # The facts of the serious-dishonesty list (应急管理部令第11号).
        "accident_major": -40,
        "accident_larger": -30,
        "accident_concealed": -40,
        "rescue_failed": -40,
        "unlicensed": -40,
        "fine_multiplied": -40,
        "false_report": -40,
    },
    # A penalty: the most severe of its measures...
    "penalty_measures": {
        "warning": -5,
        "fine": -10,
        "confiscation": -10,
        "suspension": -25,
        "licence_revocation": -40,
        "closure": -40,
        "lifetime_ban": -40,
    },
    # ... and one point more per full 10,000 yuan of fine, at most 20.
    "fine_points_per": 10_000,
    "fine_points_max": 20,
    # How long a record counts, in months from its date (a penalty: three years, the longest
    # publication period of 国家发改委令第58号).
    "months": {
        "penalty": 36,
        "judicial_transfer": 36,
        "inspection_clean": 12,
        "inspection_hazards": 12,
        "major_hazard": 12,
        "rectified_on_time": 12,
        "rectified_late": 12,
        "rectification_escalated": 12,
        "reinspection_failed": 12,
        "accident": 36,
        "commitment_broken": 12,
        "commendation": 12,
        "other": 12,
        "accident_major": 36,
        "accident_larger": 36,
        "accident_concealed": 36,
        "rescue_failed": 36,
        "unlicensed": 36,
        "fine_multiplied": 36,
        "false_report": 36,
    },
    # The weight an officer may give an "other" manual record.
    "manual_min": -40,
    "manual_max": 10,
}


@dataclass(frozen=True)
class Scoring:
    base: int
    grades: dict[str, int]
    weights: dict[str, int]
    penalty_measures: dict[str, int]
    fine_points_per: int
    fine_points_max: int
    months: dict[str, int]
    manual_min: int
    manual_max: int
    extra: dict[str, Any] = field(default_factory=dict)

    def grade(self, score: int) -> str:
        for grade in ("A", "B", "C"):
            if score >= self.grades[grade]:
                return grade
        return "D"

    def score(self, weights: Iterable[int]) -> int:
        return max(0, min(100, self.base + sum(weights)))

    def penalty_weight(self, measures: Iterable[str], fine_amount: int) -> tuple[int, int]:
        """(points of the most severe measure, points for the fine's amount)."""
        measure_points = [self.penalty_measures[m] for m in measures if m in self.penalty_measures]
        worst = min(measure_points) if measure_points else 0
        fine = -min(self.fine_points_max, int(fine_amount or 0) // self.fine_points_per)
        return worst, fine

    def counts_until(self, kind: str, day: datetime.date) -> datetime.date:
        return add_months(day, self.months.get(kind, 12))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _merged(overrides: dict[str, Any]) -> dict[str, Any]:
    out = json.loads(json.dumps(DEFAULTS))
    for key, value in overrides.items():
        if key not in DEFAULTS:
            raise ImproperlyConfigured(f"credit scoring: unknown key {key!r}")
        if isinstance(DEFAULTS[key], dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def scoring_from(overrides: dict[str, Any] | None = None) -> Scoring:
    values = _merged(overrides or {})
    grades = values["grades"]
    if not (100 >= grades["A"] > grades["B"] > grades["C"] >= 0):
        raise ImproperlyConfigured("credit scoring: expected 100 ≥ A > B > C ≥ 0")
    if values["fine_points_per"] <= 0:
        raise ImproperlyConfigured("credit scoring: fine_points_per must be positive")
    return Scoring(**values)


@cache
def scoring() -> Scoring:
    path = getattr(settings, "ANJIAN_CREDIT_SCORING_FILE", "")
    if not path:
        return scoring_from()
    try:
        overrides = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"ANJIAN_CREDIT_SCORING_FILE={path}: {exc}") from exc
    return scoring_from(overrides)
