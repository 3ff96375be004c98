"""API of the unpaid fine, the handling period, 查封扣押 and the art. 58 review request: the same
services as the case page (execution.py, coercion.py, legal_review.py). Routes on the cases
router (imported at the end of cases/api.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.cases import coercion, execution, legal_review, selectors, time_limits
from anjian.cases.api import ERRORS, router
from anjian.core.api_support import InputSchema, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource


class DeadlineOut(Schema):
    label: str
    day: datetime.date
    status: str


class ClockOut(Schema):
    limit: int
    used: int
    suspended: int
    left: int
    status: str
    running: bool


class ExecutionOut(Schema):
    state: str
    outstanding: int
    paid: int
    payment_deadline: datetime.date | None
    reminder_deadline: datetime.date | None
    surcharge_accrued: int
    surcharge_amount: int
    surcharge_until: datetime.date | None
    court_window: list[datetime.date] | None
    payment_plan: dict
    handling: ClockOut | None
    deadlines: list[DeadlineOut]
    review_reasons: list[str]
    actions: list[str]


class TimeLimitOut(Schema):
    case_id: int
    number: str
    entity_name: str
    state: str
    label: str
    day: datetime.date
    status: str
    days: int


class TimeLimitPage(Schema):
    items: list[TimeLimitOut]


class PartIn(InputSchema):
    due_on: datetime.date
    amount: int


class ExecutionStepIn(InputSchema):
    action: str = Field(
        description="remind, surcharge, instalments, court_apply, court_ruling, period_extend, "
        "period_suspend, period_resume, review_request, seizure, seizure_extend, seizure_release."
    )
    note: str = Field("", max_length=4000)
    on: datetime.date | None = None
    until: datetime.date | None = None
    requested_on: datetime.date | None = None
    parts: list[PartIn] = []
    days: int = 0
    reasons: list[str] = []
    kind: str = ""
    items: str = Field("", max_length=2000)
    seizure_id: int | None = None


def _out(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_get(request.user, case_id)
    panel = execution.execution_panel(request.user, case)
    clock = panel["clock"]
    return {
        "state": case.state,
        "outstanding": panel["outstanding"],
        "paid": panel["paid"],
        "payment_deadline": panel["deadline"],
        "reminder_deadline": panel["reminder_end"],
        "surcharge_accrued": panel["surcharge_now"],
        "surcharge_amount": case.surcharge_amount,
        "surcharge_until": case.surcharge_until,
        "court_window": list(panel["window"]) if panel["window"] else None,
        "payment_plan": case.payment_plan or {},
        "handling": None
        if clock is None
        else {
            "limit": clock.limit,
            "used": clock.used,
            "suspended": clock.suspended,
            "left": clock.left,
            "status": clock.status,
            "running": clock.running,
        },
        "deadlines": [
            {"label": d.label, "day": d.day, "status": d.status} for d in panel["deadlines"]
        ],
        "review_reasons": list(case.review_reasons),
        "actions": panel["actions"],
    }


@router.get("/cases/{case_id}/execution", response={200: ExecutionOut, **ERRORS})
def case_execution(request: HttpRequest, case_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return _out(request, case_id)


@router.get("/case-time-limits", response={200: TimeLimitPage, **ERRORS})
def case_time_limits(request: HttpRequest) -> Any:
    """Cases in scope with a time limit overdue or near, most urgent first (one page: the list
    is short by nature)."""
    require_capability(request, Capability.WORKSPACE)
    items = [
        {
            "case_id": r["case"].pk,
            "number": r["case"].number,
            "entity_name": r["case"].entity.name,
            "state": r["case"].state,
            "label": r["deadline"].label,
            "day": r["deadline"].day,
            "status": r["deadline"].status,
            "days": r["days"],
        }
        for r in execution.overdue_cases(request.user)
    ]
    return {"items": items}


@router.post("/cases/{case_id}/execution", response={200: ExecutionOut, **ERRORS})
def case_execution_step(request: HttpRequest, case_id: int, payload: ExecutionStepIn) -> Any:
    require_capability(request, Capability.WORKSPACE)
    case = selectors.case_get(request.user, case_id)
    u, p, api = request.user, payload, AuditSource.API

    def seizure() -> Any:
        found = case.seizures.filter(pk=p.seizure_id or 0).first()
        if found is None:
            raise ServiceError.for_field("seizure_id", "No such measure in this case.")
        return found

    calls: dict[str, Any] = {
        "remind": lambda: execution.case_remind(
            actor=u, case=case, reminded_on=p.on, note=p.note, source=api
        ),
        "surcharge": lambda: execution.case_surcharge_decide(
            actor=u, case=case, until=p.until, decided_on=p.on, note=p.note, source=api
        ),
        "instalments": lambda: execution.case_instalments_approve(
            actor=u,
            case=case,
            requested_on=p.requested_on,
            parts=[(x.due_on, x.amount) for x in p.parts],
            reason=p.note,
            approved_on=p.on,
            source=api,
        ),
        "court_apply": lambda: execution.case_court_apply(
            actor=u, case=case, applied_on=p.on, note=p.note, source=api
        ),
        "court_ruling": lambda: execution.case_court_ruling_record(
            actor=u, case=case, ruled_on=p.on, ruling=p.note, source=api
        ),
        "period_extend": lambda: time_limits.case_period_extend(
            actor=u, case=case, days=p.days, reason=p.note, source=api
        ),
        "period_suspend": lambda: time_limits.case_period_suspend(
            actor=u, case=case, started_on=p.on, reason=p.note, source=api
        ),
        "period_resume": lambda: time_limits.case_period_resume(
            actor=u, case=case, resumed_on=p.on, source=api
        ),
        "review_request": lambda: legal_review.case_review_request(
            actor=u, case=case, reasons=p.reasons, note=p.note, source=api
        ),
        "seizure": lambda: coercion.seizure_decide(
            actor=u,
            case=case,
            kind=p.kind,
            items=p.items,
            reason=p.note,
            days=p.days or coercion.MAX_DAYS,
            decided_on=p.on,
            source=api,
        ),
        "seizure_extend": lambda: coercion.seizure_extend(
            actor=u, case=case, seizure=seizure(), days=p.days, reason=p.note, source=api
        ),
        "seizure_release": lambda: coercion.seizure_release(
            actor=u, case=case, seizure=seizure(), reason=p.note, released_on=p.on, source=api
        ),
    }
    if p.action not in calls:
        raise ServiceError.for_field("action", "Unknown step.")
    calls[p.action]()
    return _out(request, case_id)
