"""The officers' pages: the report list, recording a call, letter or visit, one report with its
steps (every opening audited), its files, rewards and the exposure page's choices."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.models import Bureau, User
from anjian.accounts.roles import Capability
from anjian.cases.models import Case
from anjian.catalog.models import SupervisionItem
from anjian.complaints import attachments, exposure, handling, rewards, selectors, services
from anjian.complaints.forms import CloseForm, ExposureForm, OfficerReportForm, RewardProposeForm
from anjian.complaints.models import ReportState, RewardState
from anjian.core.errors import ServiceError
from anjian.core.web import (
    button_step_run,
    capability_required,
    form_apply_service_error,
    paginate,
)
from anjian.entities.models import Entity


@capability_required(Capability.WORKSPACE)
def report_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = selectors.ReportFilters(
        state=g.get("state", "") if g.get("state") in ReportState.values else "",
        overdue=g.get("overdue") == "1",
        due_soon=g.get("due_soon") == "1",
        mine=g.get("mine") == "1",
        escalated=g.get("escalated") == "1",
    )
    return render(
        request,
        "complaints/report_list.html",
        {
            "page": paginate(request, selectors.report_list(request.user, filters)),
            "filters": filters,
            "states": ReportState.choices,
            "can_receive": request.user.can(Capability.COMPLAINTS_RECEIVE),  # type: ignore[union-attr]
        },
    )


@capability_required(Capability.COMPLAINTS_RECEIVE)
def report_new(request: HttpRequest) -> HttpResponse:
    """Record a hotline call, a letter or a visit; the caller is told the receipt code."""
    form = OfficerReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report, code = services.report_receive(
                actor=request.user,
                values=form.values(),
                channel=form.cleaned_data["channel"],
                files=request.FILES.getlist("files"),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            response = render(
                request, "complaints/report_recorded.html", {"report": report, "code": code}
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "complaints/report_new.html", {"form": form})


def _detail_context(request: HttpRequest, report: Any) -> dict[str, Any]:
    user = request.user
    shown = selectors.identity_shown(user, report)
    desk = user.can(Capability.COMPLAINTS_RECEIVE) and user.bureau_id in (  # type: ignore[union-attr]
        report.bureau_id,
        report.escalated_to_id,
    )
    handler = report.handler_id == user.pk or (
        user.can(Capability.COMPLAINTS_RECEIVE) and user.bureau_id == report.bureau_id  # type: ignore[union-attr]
    )
    _root, refusal = rewards.reward_eligibility(report)
    return {
        "report": report,
        "identity_shown": shown,
        "is_desk": desk,
        "is_handler": handler,
        "messages_list": selectors.report_messages(report),
        "attachments": list(report.attachments.all()),
        "transfers": list(report.transfers.select_related("from_bureau", "to_bureau")),
        "duplicates": list(selectors.duplicates_of(user, report)),
        "handlers": selectors.handlers_for(report),
        "officers": selectors.officers_of(report) if handler else [],
        # nosemgrep: anjian-view-query-bypasses-scope (the catalog is public, not scoped)
        "items": list(SupervisionItem.objects.all()[:300]) if handler else [],
        "bureaus": Bureau.objects.filter(is_active=True).exclude(pk=report.bureau_id),
        "close_form": CloseForm(),
        "reward_form": RewardProposeForm(),
        "reward_refusal": refusal,
        "reward": getattr(report, "reward", None) if hasattr(report, "reward") else None,
    }


@capability_required(Capability.WORKSPACE)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    context = _detail_context(request, report)
    services_read(request, report, context["identity_shown"])
    response = render(request, "complaints/report_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


def services_read(request: HttpRequest, report: Any, identity: bool) -> None:
    from anjian.complaints.services import report_read

    report_read(actor=request.user, report=report, identity=identity)


def _user_of(report: Any, value: str) -> User:
    for u in selectors.handlers_for(report):
        if str(u.pk) == value:
            return u
    raise ServiceError.for_field("handler", _("Choose one of the listed values."))


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ServiceError.for_field(field, _("Give the date as YYYY-MM-DD.")) from None


@require_POST
@capability_required(Capability.WORKSPACE)
def report_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    p = request.POST
    user = request.user

    def bureau() -> Bureau:
        found = Bureau.objects.filter(pk=p.get("to_bureau") or 0, is_active=True).first()
        if found is None:
            raise ServiceError.for_field("to_bureau", _("Choose one of the listed values."))
        return found

    def original() -> Any:
        from anjian.complaints.receipts import receipt_id_normalise

        number = receipt_id_normalise(p.get("original", ""))
        found = selectors.report_list(user).filter(receipt_id=number).first()
        if found is None:
            raise ServiceError.for_field("original", _("No such report in your reach."))
        return found

    def case() -> Case:
        found = Case.objects.visible_to(user).filter(number=p.get("case", "").strip()).first()
        if found is None:
            raise ServiceError.for_field("case", _("No such case in your reach."))
        return found

    def entity() -> Entity:
        found = (
            Entity.objects.visible_to(user).filter(uscc=p.get("uscc", "").strip().upper()).first()
        )
        if found is None:
            raise ServiceError.for_field("uscc", _("No such entity in your reach."))
        return found

    def inspection() -> Any:
        # nosemgrep: anjian-view-query-bypasses-scope (the catalog is public, not scoped)
        items = list(SupervisionItem.objects.filter(pk__in=p.getlist("items")))
        inspectors = list(
            # nosemgrep: anjian-view-query-bypasses-scope (the report's own bureau only)
            User.objects.filter(pk__in=p.getlist("inspectors"), bureau_id=report.bureau_id)
        )
        return handling.report_inspection_start(
            actor=user,
            report=report,
            items=items,
            inspectors=inspectors,
            due_on=_date(p.get("due_on", ""), "due_on"),
        )

    def case_open() -> Any:
        handlers = list(
            # nosemgrep: anjian-view-query-bypasses-scope (the report's own bureau only)
            User.objects.filter(pk__in=p.getlist("handlers"), bureau_id=report.bureau_id)
        )
        act = p.get("act_date", "")
        return handling.report_case_open(
            actor=user,
            report=report,
            title=p.get("title", ""),
            handlers=handlers,
            act_date=_date(act, "act_date") if act else None,
        )

    def propose() -> Any:
        deaths = p.get("concealed_deaths", "0") or "0"
        return rewards.reward_propose(
            actor=user,
            report=report,
            concealed_deaths=int(deaths) if deaths.isdigit() else 0,
            accident_level=p.get("accident_level", ""),
        )

    calls = {
        "accept": lambda: services.report_accept(
            actor=user, report=report, handler=_user_of(report, p.get("handler", ""))
        ),
        "reject": lambda: services.report_reject(
            actor=user, report=report, reason=p.get("reason", "")
        ),
        "transfer": lambda: services.report_transfer(
            actor=user, report=report, to_bureau=bureau(), reason=p.get("reason", "")
        ),
        "assign": lambda: services.report_assign(
            actor=user, report=report, handler=_user_of(report, p.get("handler", ""))
        ),
        "duplicate": lambda: services.report_duplicate_link(
            actor=user, report=report, original=original()
        ),
        "separate": lambda: services.report_duplicate_separate(actor=user, report=report),
        "entity": lambda: handling.report_entity_set(actor=user, report=report, entity=entity()),
        "inspection": inspection,
        "case_open": case_open,
        "case_link": lambda: handling.report_case_link(actor=user, report=report, case=case()),
        "reply": lambda: handling.report_reply(actor=user, report=report, text=p.get("text", "")),
        "close": lambda: handling.report_close(
            actor=user, report=report, outcome=p.get("outcome", ""), result=p.get("result", "")
        ),
        "reward": propose,
    }
    button_step_run(request, calls, action)
    if not selectors.report_list(user).filter(pk=report.pk).exists():
        return redirect("complaints:report_list")  # transferred away: no longer in reach
    return redirect("complaints:report_detail", pk=report.pk)


@capability_required(Capability.WORKSPACE)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    found = report.attachments.filter(pk=attachment_pk).first()
    if found is None:
        raise Http404
    data = attachments.sealed_read(found.stored_name)
    services.attachment_read(actor=request.user, report=report, attachment=found)
    response = HttpResponse(data, content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- rewards ------------------------------------------------------------------------------


@capability_required(Capability.WORKSPACE)
def reward_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in RewardState.values else ""
    return render(
        request,
        "complaints/reward_list.html",
        {"page": paginate(request, selectors.reward_list(request.user, state)), "state": state},
    )


@capability_required(Capability.WORKSPACE)
def reward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reward = selectors.reward_get(request.user, pk)
    return render(
        request,
        "complaints/reward_detail.html",
        {
            "reward": reward,
            "can_decide": request.user.can(Capability.REWARDS_APPROVE)  # type: ignore[union-attr]
            and reward.state == RewardState.PROPOSED
            and reward.proposed_by_id != request.user.pk,
            "can_pay": request.user.can(Capability.COMPLAINTS_RECEIVE)  # type: ignore[union-attr]
            and reward.state == RewardState.APPROVED,
        },
    )


@require_POST
@capability_required(Capability.WORKSPACE)
def reward_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    reward = selectors.reward_get(request.user, pk)
    p = request.POST
    calls = {
        "approve": lambda: rewards.reward_decide(
            actor=request.user, reward=reward, approve=True, note=p.get("note", "")
        ),
        "refuse": lambda: rewards.reward_decide(
            actor=request.user, reward=reward, approve=False, note=p.get("note", "")
        ),
        "pay": lambda: rewards.reward_pay(
            actor=request.user,
            reward=reward,
            paid_on=_date(p.get("paid_on", ""), "paid_on"),
            reference=p.get("reference", ""),
        ),
    }
    button_step_run(request, calls, action)
    return redirect("complaints:reward_detail", pk=reward.pk)


# --- the exposure page's choices -----------------------------------------------------------


@capability_required(Capability.EXPOSURE_MANAGE)
def exposure_list(request: HttpRequest) -> HttpResponse:
    form = ExposureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = (
            Case.objects.visible_to(request.user)
            .filter(number=form.cleaned_data["case_number"].strip())
            .first()
        )
        try:
            if case is None:
                raise ServiceError.for_field("case_number", _("No such case in your reach."))
            exposure.exposure_publish(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("Published on the exposure page."))
            return redirect("complaints:exposure_list")
    return render(
        request,
        "complaints/exposure_list.html",
        {"form": form, "page": paginate(request, selectors.exposure_list(request.user))},
    )


@require_POST
@capability_required(Capability.EXPOSURE_MANAGE)
def exposure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.exposure_list(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404
    button_step_run(
        request,
        {
            "withdraw": lambda: exposure.exposure_withdraw(
                actor=request.user, entry=entry, reason=request.POST.get("reason", "")
            )
        },
        "withdraw",
    )
    return redirect("complaints:exposure_list")
