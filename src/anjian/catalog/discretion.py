"""`recommend_penalty`: where a violation's facts place it in the discretion benchmark (N5.1).

The benchmark in force on the date of the act applies (a 2020 fact is judged by the 2020
benchmark). The rule, written down so a reviewer can follow it:

1. Start at "ordinary" — or "minor" when the facts say first offence and corrected in time,
   and the benchmark has a minor level.
2. Move one level up for each aggravating factor of the benchmark present in the facts, one
   level down for each mitigating factor present.
3. "Not corrected by the deadline" or "refuses to correct" places it at the highest level.
4. Stay within the levels the benchmark has.

The result says the level, the penalty kinds and fine range allowed there, and each reason.
Cases use it to bound a proposed penalty; a penalty outside the range needs a written
justification and goes to legal review (issue 6).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from anjian.catalog.models import LEVEL_ORDER, CircumstanceLevel, DiscretionBenchmark, PenaltyKind
from anjian.catalog.selectors import benchmark_on
from anjian.core.errors import NotFound


def _choice_label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:  # a code from an older catalogue: show it rather than nothing
        return str(value)


def circumstance_label(level: str) -> str:
    """严重 for `grave`: a stored calculation keeps the code, a page or an API says the word."""
    return _choice_label(CircumstanceLevel, level) if level else ""


def penalty_kind_labels(kinds: Any) -> list[str]:
    return [_choice_label(PenaltyKind, k) for k in kinds or []]


@dataclass(frozen=True)
class Recommendation:
    benchmark: DiscretionBenchmark
    level: str
    penalty_kinds: list[str]
    fine_min: int
    fine_max: int
    reasons: list[str] = field(default_factory=list)

    def allows_fine(self, amount: int) -> bool:
        return self.fine_min <= amount <= self.fine_max


def recommend_penalty(
    violation: str | DiscretionBenchmark, facts: dict[str, Any], *, on: datetime.date
) -> Recommendation:
    """`violation`: a benchmark code (the version in force `on` the act's date is used) or a
    benchmark. `facts`: {"first_offence": bool, "corrected_in_time": bool,
    "not_corrected": bool, "factors": [names of factors present]}."""
    benchmark = violation if isinstance(violation, DiscretionBenchmark) else None
    if benchmark is None:
        benchmark = benchmark_on(str(violation), on)
        if benchmark is None:
            raise NotFound(
                _("No discretion benchmark %(code)s was in force on %(date)s.")
                % {"code": violation, "date": on.isoformat()}
            )
    levels = {lv["level"]: lv for lv in benchmark.levels}
    available = [name for name in LEVEL_ORDER if name in levels]
    reasons: list[str] = []
    if facts.get("first_offence") and facts.get("corrected_in_time") and "minor" in levels:
        position = LEVEL_ORDER.index(CircumstanceLevel.MINOR)
        reasons.append(_("First offence, corrected in time: start at the minor level."))
    else:
        position = LEVEL_ORDER.index(CircumstanceLevel.ORDINARY)
        reasons.append(_("Start at the ordinary level."))
    present = set(facts.get("factors", []))
    for factor in benchmark.factors:
        if factor.get("name") not in present:
            continue
        step = 1 if factor.get("effect") == "aggravating" else -1
        position += step
        reasons.append(
            (
                _("Aggravating: %(name)s (one level up).")
                if step > 0
                else _("Mitigating: %(name)s (one level down).")
            )
            % {"name": factor["name"]}
        )
    if facts.get("not_corrected"):
        position = len(LEVEL_ORDER) - 1
        reasons.append(_("Not corrected by the deadline: the highest level."))
    position = max(0, min(position, len(LEVEL_ORDER) - 1))
    wanted = LEVEL_ORDER[position]
    # The nearest level the benchmark has, looking down first, then up.
    chosen = next(
        (name for name in reversed(LEVEL_ORDER[: position + 1]) if name in levels),
        available[0],
    )
    if chosen != wanted:
        reasons.append(
            _("The benchmark has no %(wanted)s level; %(chosen)s applies.")
            % {"wanted": CircumstanceLevel(wanted).label, "chosen": CircumstanceLevel(chosen).label}
        )
    level = levels[chosen]
    return Recommendation(
        benchmark=benchmark,
        level=chosen,
        penalty_kinds=list(level.get("penalty_kinds", [])),
        fine_min=int(level.get("fine_min", 0)),
        fine_max=int(level.get("fine_max", 0)),
        reasons=reasons,
    )
