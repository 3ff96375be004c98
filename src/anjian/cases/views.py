"""Pages of enforcement cases: the list, opening a case, the case with its whole timeline, the
proposal, one POST per step (only the buttons the viewer may take are shown; the services
decide), the legal reviewer's queue and page, and clue transfers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.cases import selectors, services, transfers
from anjian.cases.forms import CaseOpenForm, ProposalForm, proposal_initial
from anjian.cases.measures import MeasureKind
from anjian.cases.models import Case, ServiceMethod
from anjian.cases.states import OPEN_STATES, CaseAction, CaseState
from anjian.catalog.discretion import questions_for
from anjian.catalog.models import level_label
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.web import (
    button_step_run,
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.entities.models import Entity
from anjian.inspections.models import Finding


@capability_required(Capability.WORKSPACE)
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    own = request.GET.get("own") == "1"
    qs = selectors.case_list(
        request.user,
        state=state if state in CaseState.values else "",
        q=request.GET.get("q", ""),
        own_bureau=own,
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "page": paginate(request, qs, 50),
            "state": state,
            "states": CaseState.choices,
            "q": request.GET.get("q", ""),
            "home_filter": _("cases of my bureau") if own else "",
        },
    )


@capability_required(Capability.CASES_HANDLE)
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case from a finding (`?finding=`) or for an entity (`?entity=` credit code)."""
    user: Any = request.user
    findings: list[Finding] = []
    finding_id = request.GET.get("finding", "")
    if finding_id:
        finding = get_visible_or_404(
            Finding.objects.select_related("record__entity"), user, pk=finding_id
        )
        entity = finding.record.entity
        findings = list(
            Finding.objects.visible_to(user)
            .filter(record__entity=entity, kind="violation")
            .exclude(cases__state__in=list(OPEN_STATES))
            .select_related("record")
        )
        if finding not in findings:
            findings.insert(0, finding)
    else:
        entity = get_visible_or_404(Entity.objects, user, uscc=request.GET.get("entity", ""))
    bureau = user.bureau
    if bureau is None:
        raise PermissionDenied
    form = CaseOpenForm(request.POST or None, bureau=bureau, findings=findings)
    if request.method == "POST" and form.is_valid():
        chosen = [f for f in findings if str(f.pk) in form.cleaned_data["findings"]]
        try:
            case = services.case_open(
                actor=user,
                bureau=bureau,
                entity=entity,
                title=form.cleaned_data["title"],
                handlers=list(form.cleaned_data["handlers"]),
                findings=chosen,
                source_kind=form.cleaned_data["source_kind"],
                facts=form.cleaned_data["facts"],
                act_date=form.cleaned_data["act_date"],
                division=user.division,
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The case has been opened and awaits filing approval."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form, "entity": entity})


@capability_required(Capability.WORKSPACE)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    evidence = selectors.evidence_of(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "party": selectors.party_for(request.user, case),
            "measures": [MeasureKind(m).label for m in case.measures],
            "actions": selectors.actions_for(request.user, case),
            "held_back": selectors.steps_held_back(request.user, case),
            "handlers": case.handlers.order_by("username"),
            "findings": case.findings.select_related("record"),
            "events": selectors.timeline(case),
            "reviews": case.reviews.select_related("reviewer", "submitted_by").order_by("id"),
            "deliberations": case.deliberations.order_by("id"),
            "payments": case.payments.order_by("paid_on", "id"),
            "paid": services.amount_paid(case),
            "due": services.amount_due(case),
            "evidence_items": evidence,
            "transfers": case.transfers.select_related("to_bureau").order_by("id"),
            "service_methods": ServiceMethod.choices,
            "can_propose": case.state == CaseState.INVESTIGATING
            and request.user.can(Capability.CASES_HANDLE)  # type: ignore[union-attr]
            and case.handlers.filter(pk=request.user.pk).exists(),
            "gate": services.gate_refusal(case)
            if case.state == CaseState.AWAITING_DECISION
            else None,
            "bureaus": Bureau.objects.filter(is_active=True).exclude(pk=case.bureau_id),
        },
    )


@capability_required(Capability.CASES_HANDLE)
def case_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    initial = proposal_initial(case)
    form = ProposalForm(request.POST or None, initial=initial, asked=_asked(request, case, initial))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_proposal_set(actor=request.user, case=case, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The proposal has been set."))
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/case_proposal.html",
        {
            "form": form,
            "case": case,
            "benchmarks": [
                {
                    "code": b.code,
                    "effective_from": b.effective_from,
                    "tiers": [{**lv, "label": level_label(lv)} for lv in b.levels],
                }
                for b in form.asked_benchmarks
            ],
        },
    )


def _asked(request: HttpRequest, case: Case, initial: dict[str, Any]) -> dict[str, Any]:
    """The benchmark's questions for the code and act date on the form (as posted, else as
    stored): the versions in force on the act's date and today, for 从旧兼从轻."""
    code = (request.POST.get("benchmark_code") or initial.get("benchmark_code") or "").strip()
    try:
        on = datetime.date.fromisoformat(request.POST.get("act_date", ""))
    except ValueError:
        on = initial["act_date"]
    if not code:
        return {}
    return questions_for(code.upper(), on=on, decided_on=timezone.localdate())


def _date(request: HttpRequest, name: str) -> datetime.date | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ServiceError.for_field(name, _("Enter a valid date.")) from None


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, "0") or 0)
    except ValueError:
        raise ServiceError.for_field(name, _("Enter a whole number.")) from None


def _step_calls(request: HttpRequest, case: Case) -> dict[str, Callable[[], Any]]:
    """Each step's service call with the form's fields; one place for every button."""
    u, p = request.user, request.POST
    note = p.get("note", "")
    return {
        CaseAction.APPROVE: lambda: services.case_filing_decide(
            actor=u, case=case, approve=True, note=note
        ),
        CaseAction.REFUSE: lambda: services.case_filing_decide(
            actor=u, case=case, approve=False, note=note
        ),
        CaseAction.NOTIFY: lambda: services.case_notify(
            actor=u, case=case, notified_on=_date(request, "on")
        ),
        "hearing_waive": lambda: services.case_hearing_waive(
            actor=u, case=case, waived_on=_date(request, "on"), note=note
        ),
        CaseAction.HEARING_REQUEST: lambda: services.case_hearing_request(
            actor=u, case=case, requested_on=_date(request, "on")
        ),
        CaseAction.HEARING_RECORD: lambda: services.case_hearing_record(
            actor=u, case=case, held_on=_date(request, "on") or case.opened_on, report=note
        ),
        CaseAction.DEFENCE_CLOSE: lambda: services.case_defence_close(
            actor=u, case=case, statement=note, party_waived=p.get("party_waived") == "1"
        ),
        CaseAction.REVIEW_PASS: lambda: services.case_review_decide(
            actor=u, case=case, passed=True, opinion=note
        ),
        CaseAction.REVIEW_RETURN: lambda: services.case_review_decide(
            actor=u,
            case=case,
            passed=False,
            opinion=note,
            return_to=p.get("return_to", CaseState.INVESTIGATING),
        ),
        CaseAction.DELIBERATE: lambda: services.case_deliberate(
            actor=u,
            case=case,
            held_on=_date(request, "on") or case.opened_on,
            participants=p.get("participants", ""),
            conclusion=note,
        ),
        CaseAction.DECIDE: lambda: services.case_decide(
            actor=u, case=case, decided_on=_date(request, "on")
        ),
        CaseAction.SERVE: lambda: services.case_serve(
            actor=u,
            case=case,
            served_on=_date(request, "on") or case.opened_on,
            method=p.get("method", ""),
        ),
        "payment": lambda: services.case_payment_record(
            actor=u,
            case=case,
            amount=_int(request, "amount"),
            paid_on=_date(request, "on") or case.opened_on,
            note=note,
        ),
        CaseAction.EXECUTE: lambda: services.case_execute(
            actor=u, case=case, executed_on=_date(request, "on") or case.opened_on, note=note
        ),
        CaseAction.CLOSE: lambda: services.case_close(actor=u, case=case, note=note),
        CaseAction.WITHDRAW: lambda: services.case_withdraw(actor=u, case=case, reason=note),
        CaseAction.TRANSFER: lambda: services.case_transfer(
            actor=u,
            case=case,
            reason=note,
            to_bureau=_bureau(request),
            to_department=p.get("to_department", ""),
        ),
        "clue": lambda: transfers.clue_transfer_send(
            actor=u,
            case=case,
            reason=note,
            to_bureau=_bureau(request),
            to_department=p.get("to_department", ""),
        ),
    }


def _bureau(request: HttpRequest) -> Bureau | None:
    raw = request.POST.get("to_bureau", "")
    if not raw:
        return None
    bureau = Bureau.objects.filter(pk=raw if raw.isdigit() else 0, is_active=True).first()
    if bureau is None:
        raise ServiceError.for_field("to_bureau", _("Choose one of the listed values."))
    return bureau


@require_POST
@capability_required(Capability.WORKSPACE)
def case_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    button_step_run(request, _step_calls(request, case), action)
    if action in (CaseAction.REVIEW_PASS, CaseAction.REVIEW_RETURN):
        return redirect("cases:review_queue")
    return redirect("cases:case_detail", pk=case.pk)


@capability_required(Capability.REVIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/review_queue.html", {"reviews": selectors.review_queue(request.user)}
    )


@capability_required(Capability.WORKSPACE)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's page: the file, the evidence hashes, the discretion calculation."""
    case = selectors.case_get(request.user, pk)
    return render(
        request,
        "cases/review_detail.html",
        {
            "case": case,
            "party": selectors.party_for(request.user, case),
            "measures": [MeasureKind(m).label for m in case.measures],
            "findings": case.findings.select_related("record"),
            "evidence_items": selectors.evidence_of(case),
            "review": case.reviews.filter(result="").order_by("-id").first(),
            "reviews": case.reviews.select_related("reviewer").order_by("id"),
            "actions": selectors.actions_for(request.user, case),
            "file_hash": selectors.case_file_hash(case),
        },
    )


@capability_required(Capability.WORKSPACE)
def transfer_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.transfers_visible(request.user).order_by("-id")
    return render(request, "cases/transfer_list.html", {"page": paginate(request, qs, 50)})


@capability_required(Capability.WORKSPACE)
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_get(request.user, pk)
    user: Any = request.user
    answering = transfer.to_bureau_id or transfer.from_bureau_id
    return render(
        request,
        "cases/transfer_detail.html",
        {
            "t": transfer,
            "can_answer": user.can(Capability.CASES_HANDLE) and user.bureau_id == answering,
        },
    )


@require_POST
@capability_required(Capability.CASES_HANDLE)
def transfer_step(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_get(request.user, pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    calls: dict[str, Callable[[], Any]] = {
        "receive": lambda: transfers.clue_transfer_receive(actor=request.user, transfer=transfer),
        "accept": lambda: transfers.clue_transfer_answer(
            actor=request.user, transfer=transfer, accepted=True, note=note
        ),
        "decline": lambda: transfers.clue_transfer_answer(
            actor=request.user, transfer=transfer, accepted=False, note=note
        ),
        "result": lambda: transfers.clue_transfer_result(
            actor=request.user, transfer=transfer, result=note
        ),
    }
    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("cases:transfer_detail", pk=transfer.pk)
