"""The handling period of a case (行政处罚法 第六十条): 90 days from filing to the decision,
plus the extensions the leadership approves with a reason, less the days the clock is suspended
(中止: a hearing, a technical appraisal 鉴定 ...). Each step writes a timeline row and an audit
event `cases.execution.period_<what>` (execution._write)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases import execution
from anjian.cases.execution import _day, _lock, _write
from anjian.cases.models import Case, CaseSuspension
from anjian.cases.states import OPEN_STATES, CaseState
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import AuditSource

HANDLING_DAYS = 90  # 行政处罚法 第六十条
HANDLING_SOON_DAYS = 10  # the handling period this close is listed as near


@dataclass(frozen=True)
class HandlingClock:
    """The 90-day handling period (行政处罚法 第六十条) from filing to decision."""

    filed_on: datetime.date
    limit: int
    used: int
    suspended: int
    due_on: datetime.date
    running: bool

    @property
    def left(self) -> int:
        return self.limit - self.used

    @property
    def status(self) -> str:
        if self.left < 0:
            return "overdue"
        if self.left <= HANDLING_SOON_DAYS:
            return "due_soon"
        return "open"


def handling_clock(case: Case, today: datetime.date | None = None) -> HandlingClock | None:
    """Days used and left of the handling period: from the day after filing up to the decision
    (or today), less the suspended days, against 90 plus the approved extensions."""
    if case.filed_on is None:
        return None
    today = today or execution._today()
    end = case.decided_on or case.closed_on or today
    suspended = 0
    open_since: datetime.date | None = None
    for s in case.suspensions.all():
        stop = min(s.ended_on or end, end)
        if stop > s.started_on:
            suspended += (stop - s.started_on).days
        if s.ended_on is None:
            open_since = s.started_on
    used = max(0, (end - case.filed_on).days - suspended)
    limit = HANDLING_DAYS + int(case.extension_days)
    running = case.state in OPEN_STATES and open_since is None
    return HandlingClock(
        filed_on=case.filed_on,
        limit=limit,
        used=used,
        suspended=suspended,
        due_on=today + datetime.timedelta(days=limit - used),
        running=running,
    )


def _handling_checks(actor: Any, case: Case, capability: str) -> None:
    from anjian.cases._common import _require_handler, _same_bureau

    actor_require(actor, capability)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    if case.state not in OPEN_STATES or case.state == CaseState.FILING:
        raise Conflict(_("The handling period runs from filing to the decision."))
    if capability == Capability.CASES_HANDLE:
        _require_handler(actor, case)


@transaction.atomic
def case_period_extend(
    *,
    actor: Any,
    case: Case,
    days: int,
    reason: str,
    source: str = AuditSource.WEB,
) -> Case:
    """An extension of the handling period, approved by the bureau's leadership with a reason."""
    case = _lock(case)
    _handling_checks(actor, case, Capability.CASES_APPROVE)
    errors: dict[str, Any] = {}
    if not 1 <= days <= HANDLING_DAYS:
        errors["days"] = _("Give a number of days between 1 and %(max)s.") % {"max": HANDLING_DAYS}
    if not reason.strip():
        errors["reason"] = _("Say why the period is extended.")
    if errors:
        raise ServiceError.for_fields(errors)
    return _write(
        actor=actor,
        case=case,
        action="period_extend",
        code="period_extended",
        to=None,
        update={"extension_days": int(case.extension_days) + days},
        note=reason.strip(),
        data={"days": days, "total": int(case.extension_days) + days},
        source=source,
    )


@transaction.atomic
def case_period_suspend(
    *,
    actor: Any,
    case: Case,
    started_on: datetime.date | None,
    reason: str,
    source: str = AuditSource.WEB,
) -> CaseSuspension:
    """中止: the handling clock stops (a hearing, a technical appraisal, ...), with the reason."""
    case = _lock(case)
    _handling_checks(actor, case, Capability.CASES_HANDLE)
    day = _day("started_on", started_on)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the period is suspended."))
    if case.suspensions.filter(ended_on__isnull=True).exists():
        raise Conflict(_("The handling period is already suspended."))
    if case.filed_on and day < case.filed_on:
        raise ServiceError.for_field("started_on", _("The suspension follows the filing."))
    last = case.suspensions.order_by("-ended_on").first()
    if last and last.ended_on and day < last.ended_on:
        raise ServiceError.for_field("started_on", _("The suspension follows the last one."))
    suspension = CaseSuspension.objects.create(case=case, started_on=day, reason=reason.strip())
    _write(
        actor=actor,
        case=case,
        action="period_suspend",
        code="period_suspended",
        to=None,
        update={},
        note=reason.strip(),
        data={"started_on": day},
        source=source,
    )
    return suspension


@transaction.atomic
def case_period_resume(
    *,
    actor: Any,
    case: Case,
    resumed_on: datetime.date | None,
    source: str = AuditSource.WEB,
) -> CaseSuspension:
    """The clock runs again from `resumed_on`."""
    case = _lock(case)
    _handling_checks(actor, case, Capability.CASES_HANDLE)
    day = _day("resumed_on", resumed_on)
    suspension = case.suspensions.select_for_update().filter(ended_on__isnull=True).first()
    if suspension is None:
        raise Conflict(_("The handling period is not suspended."))
    if day < suspension.started_on:
        raise ServiceError.for_field("resumed_on", _("The clock resumes after it stopped."))
    suspension.ended_on = day
    suspension.save(update_fields=["ended_on"])
    _write(
        actor=actor,
        case=case,
        action="period_resume",
        code="period_resumed",
        to=None,
        update={},
        note="",
        data={"started_on": suspension.started_on, "resumed_on": day},
        source=source,
    )
    return suspension
