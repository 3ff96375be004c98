"""Pages of the unpaid fine and the handling period (cases/execution.py): one POST per step
from the case page, and the list of cases with a date overdue or near."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.cases import coercion, execution, legal_review, selectors, time_limits
from anjian.cases.models import Case, Seizure
from anjian.cases.states import CaseAction
from anjian.core.errors import ServiceError
from anjian.core.web import button_step_run, capability_required


def _date(request: HttpRequest, name: str) -> datetime.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ServiceError.for_field(name, _("Enter a valid date.")) from None


def _parts(request: HttpRequest) -> list[tuple[datetime.date, int]]:
    """The plan's rows: due_on_1/amount_1 … (empty rows skipped)."""
    out = []
    for i in range(1, 7):
        day = _date(request, f"due_on_{i}")
        raw = request.POST.get(f"amount_{i}", "").strip()
        if day is None and not raw:
            continue
        try:
            amount = int(raw)
        except ValueError:
            raise ServiceError.for_field("parts", _("Enter a whole number.")) from None
        if day is None:
            raise ServiceError.for_field("parts", _("Enter a valid date."))
        out.append((day, amount))
    return out


def _calls(request: HttpRequest, case: Case) -> dict[str, Callable[[], Any]]:
    u, p = request.user, request.POST
    note = p.get("note", "")
    return {
        CaseAction.REMIND: lambda: execution.case_remind(
            actor=u, case=case, reminded_on=_date(request, "on"), note=note
        ),
        CaseAction.SURCHARGE: lambda: execution.case_surcharge_decide(
            actor=u, case=case, until=_date(request, "until"), note=note
        ),
        CaseAction.INSTALMENTS: lambda: execution.case_instalments_approve(
            actor=u,
            case=case,
            requested_on=_date(request, "requested_on"),
            parts=_parts(request),
            reason=note,
        ),
        CaseAction.COURT_APPLY: lambda: execution.case_court_apply(
            actor=u, case=case, applied_on=_date(request, "on"), note=note
        ),
        CaseAction.COURT_RULING: lambda: execution.case_court_ruling_record(
            actor=u, case=case, ruled_on=_date(request, "on"), ruling=note
        ),
        "period_extend": lambda: time_limits.case_period_extend(
            actor=u, case=case, days=_days(request), reason=note
        ),
        "period_suspend": lambda: time_limits.case_period_suspend(
            actor=u, case=case, started_on=_date(request, "on"), reason=note
        ),
        "review_request": lambda: legal_review.case_review_request(
            actor=u, case=case, reasons=p.getlist("reasons"), note=note
        ),
        "seizure": lambda: coercion.seizure_decide(
            actor=u,
            case=case,
            kind=p.get("kind", ""),
            items=p.get("items", ""),
            reason=note,
            days=_days(request),
            decided_on=_date(request, "on"),
        ),
        "seizure_extend": lambda: coercion.seizure_extend(
            actor=u, case=case, seizure=_seizure(request, case), days=_days(request), reason=note
        ),
        "seizure_release": lambda: coercion.seizure_release(
            actor=u,
            case=case,
            seizure=_seizure(request, case),
            reason=note,
            released_on=_date(request, "on"),
        ),
        "period_resume": lambda: time_limits.case_period_resume(
            actor=u, case=case, resumed_on=_date(request, "on")
        ),
    }


def _seizure(request: HttpRequest, case: Case) -> Seizure:
    raw = request.POST.get("seizure", "")
    seizure = case.seizures.filter(pk=int(raw) if raw.isdigit() else 0).first()
    if seizure is None:
        raise Http404
    return seizure


def _days(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("days", "0") or 0)
    except ValueError:
        raise ServiceError.for_field("days", _("Enter a whole number.")) from None


@require_POST
@capability_required(Capability.WORKSPACE)
def execution_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    button_step_run(request, _calls(request, case), action)
    return redirect("cases:case_detail", pk=case.pk)


@capability_required(Capability.WORKSPACE)
def execution_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cases/execution_list.html",
        {"rows": execution.overdue_cases(request.user), "labels": execution.STATUS_LABELS},
    )
