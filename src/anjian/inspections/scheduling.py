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


# Many inspections at once (a plan issued, a draw run): one call for the whole batch, after its
# tasks are written in the caller's transaction. A bulk check takes the queryset of the batch's
# tasks and the calendar year, and returns {entity id: why it is too many} for the entities the
# batch takes beyond a limit (counting the batch). It must read the batch in a few queries, not
# one per entity: a draw makes tens of thousands of tasks.
BulkCheck = Callable[[Any, int], dict[int, str]]
_bulk_checks: list[BulkCheck] = []


def schedule_bulk_check(fn: BulkCheck) -> BulkCheck:
    if fn not in _bulk_checks:
        _bulk_checks.append(fn)
    return fn


def schedule_bulk_refusals(tasks: Any, year: int) -> dict[int, list[str]]:
    """Entity id -> the reasons the batch `tasks` is too many for it in `year`."""
    out: dict[int, list[str]] = {}
    for check in _bulk_checks:
        for entity_id, message in check(tasks, year).items():
            out.setdefault(entity_id, []).append(message)
    return out


def over_limit_require(
    tasks: Any, year: int, reason: str, *, field: str = "over_limit_reason"
) -> dict[str, Any]:
    """The check a bulk scheduler runs after writing its batch: when some entities go beyond a
    limit, a reason is required (else ServiceError naming `field`, and the caller's transaction
    rolls the batch back); with the reason, it is written into those tasks' notes. Returns
    what the audit event records ({} when nothing is beyond a limit)."""
    from django.utils.translation import gettext as _

    from anjian.core.errors import ServiceError

    refusals = schedule_bulk_refusals(tasks, year)
    if not refusals:
        return {}
    examples = [m for _pk, messages in sorted(refusals.items())[:3] for m in messages[:1]]
    if not reason.strip():
        raise ServiceError.for_fields(
            {
                field: [
                    _(
                        "Over-limit reason: %(n)s entities would go beyond their yearly "
                        "inspection limit; give the reason to schedule them anyway."
                    )
                    % {"n": len(refusals)},
                    *examples,
                ]
            }
        )
    note = _("Beyond the limit: %(reason)s") % {"reason": reason.strip()}
    over = sorted(refusals)
    for i in range(0, len(over), 500):
        tasks.filter(entity_id__in=over[i : i + 500]).update(note=note)
    return {
        "over_limit_reason": reason.strip(),
        "over_limit_count": len(over),
        "over_limit_entities": over[:100],
    }
