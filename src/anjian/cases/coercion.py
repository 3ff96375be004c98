"""查封、扣押 (安全生产法 第六十五条第一款第四项; 行政强制法 第二十四条–第二十八条): a coercive
measure taken within a case, by decision of the bureau's leadership, for at most 30 days; where
the matter is complex, extended once by at most 30 days with approval and a reason; ended by a
release decision (解除查封扣押决定). Days are calendar days, the day of the decision not counted.

Each step writes a timeline row and an audit event `cases.coercion.<what>`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case, Seizure, SeizureKind
from anjian.cases.states import ENDED_STATES, CaseState
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource

MAX_DAYS = 30  # 行政强制法 第二十五条
MAX_EXTENSION_DAYS = 30


def _checks(actor: Any, case: Case) -> None:
    from anjian.cases._common import _same_bureau

    actor_require(actor, Capability.CASES_APPROVE)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    if case.state in ENDED_STATES or case.state == CaseState.FILING:
        raise Conflict(
            _("The case is %(state)s; this step is not open now.")
            % {"state": CaseState(case.state).label}
        )


def _record(actor: Any, case: Case, action: str, code: str, note: str, data: Any, source: str):
    from anjian.cases.execution import _write

    _write(
        actor=actor,
        case=case,
        action=action,
        code=f"cases.coercion.{code}",
        to=None,
        update={},
        note=note,
        data=data,
        source=source,
    )


@transaction.atomic
def seizure_decide(
    *,
    actor: Any,
    case: Case,
    kind: str,
    items: str,
    reason: str,
    days: int = MAX_DAYS,
    decided_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Seizure:
    """查封扣押决定: what, why, and for how many days (at most 30)."""
    from anjian.cases.execution import _day, _lock

    case = _lock(case)
    _checks(actor, case)
    day = _day("decided_on", decided_on)
    errors: dict[str, Any] = {}
    if kind not in SeizureKind.values:
        errors["kind"] = _("Choose one of the listed values.")
    if not items.strip():
        errors["items"] = _("Name the facilities, equipment or materials.")
    if not reason.strip():
        errors["reason"] = _("This value is required.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("Give a number of days between 1 and %(max)s.") % {"max": MAX_DAYS}
    if errors:
        raise ServiceError.for_fields(errors)
    seizure = Seizure.objects.create(
        case=case,
        kind=kind,
        items=items.strip(),
        reason=reason.strip(),
        decided_on=day,
        ends_on=day + datetime.timedelta(days=days),
        decided_by=None if isinstance(actor, Actor) else actor,
    )
    _record(
        actor,
        case,
        "seizure",
        "seized",
        reason.strip(),
        {"seizure": seizure.pk, "kind": kind, "items": items.strip(), "ends_on": seizure.ends_on},
        source,
    )
    return seizure


def _open_seizure(case: Case, seizure: Seizure) -> Seizure:
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk, case=case)
    if seizure.released_on:
        raise Conflict(_("The measure was released on %(day)s.") % {"day": seizure.released_on})
    return seizure


@transaction.atomic
def seizure_extend(
    *,
    actor: Any,
    case: Case,
    seizure: Seizure,
    days: int,
    reason: str,
    source: str = AuditSource.WEB,
) -> Seizure:
    """One extension of at most 30 days, approved before the measure ends, with a reason."""
    from anjian.cases.execution import _lock, _today

    case = _lock(case)
    _checks(actor, case)
    seizure = _open_seizure(case, seizure)
    if seizure.extended_by:
        raise Conflict(_("The measure has already been extended once."))
    if _today() > seizure.ends_on:
        raise Conflict(
            _("The measure ended on %(day)s; it can no longer be extended.")
            % {"day": seizure.ends_on}
        )
    errors: dict[str, Any] = {}
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("Give a number of days between 1 and %(max)s.") % {
            "max": MAX_EXTENSION_DAYS
        }
    if not reason.strip():
        errors["reason"] = _("Say why the measure is extended.")
    if errors:
        raise ServiceError.for_fields(errors)
    seizure.extended_by = days
    seizure.extension_reason = reason.strip()
    seizure.ends_on = seizure.ends_on + datetime.timedelta(days=days)
    seizure.save(update_fields=["extended_by", "extension_reason", "ends_on"])
    _record(
        actor,
        case,
        "seizure_extend",
        "extended",
        reason.strip(),
        {"seizure": seizure.pk, "days": days, "ends_on": seizure.ends_on},
        source,
    )
    return seizure


@transaction.atomic
def seizure_release(
    *,
    actor: Any,
    case: Case,
    seizure: Seizure,
    reason: str,
    released_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Seizure:
    """解除查封扣押决定 (行政强制法 第二十八条), with the reason."""
    from anjian.cases.execution import _day, _lock

    case = _lock(case)
    _checks(actor, case)
    seizure = _open_seizure(case, seizure)
    day = _day("released_on", released_on)
    errors: dict[str, Any] = {}
    if day < seizure.decided_on:
        errors["released_on"] = _("The release follows the decision.")
    if not reason.strip():
        errors["reason"] = _("Say why the measure is released.")
    if errors:
        raise ServiceError.for_fields(errors)
    seizure.released_on = day
    seizure.release_reason = reason.strip()
    seizure.save(update_fields=["released_on", "release_reason"])
    _record(
        actor,
        case,
        "seizure_release",
        "released",
        reason.strip(),
        {"seizure": seizure.pk, "released_on": day},
        source,
    )
    return seizure
