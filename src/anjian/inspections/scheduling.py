"""Checks a later capability adds to the scheduling of an inspection (e.g. credit's yearly
caps per class, N3.2 差异化频次). Inspections knows none of them: each registers a function
from its AppConfig.ready() with `schedule_check`; `schedule_refusals` asks them all.

A check takes the entity, the day the inspection is due and how many inspections are being
added, and returns a sentence saying why it is too many (or "" when it is not). An inspection
over such a limit is made only with a reason, which is recorded with the task.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

Check = Callable[[Any, datetime.date, int], str]
_checks: list[Check] = []


def schedule_check(fn: Check) -> Check:
    if fn not in _checks:
        _checks.append(fn)
    return fn


def schedule_refusals(entity: Any, day: datetime.date, adding: int = 1) -> list[str]:
    return [message for check in _checks if (message := check(entity, day, adding))]
