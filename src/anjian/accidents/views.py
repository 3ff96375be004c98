"""Accident report pages: the bureau's (list, overdue forwarding, record a phoned report, one
report with its chain, forward, supplement, concealment) and the enterprise's (its reports, the
mobile-first report form, one report with a supplement)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accidents import selectors, services
from anjian.accidents.forms import (
    ConcealmentForm,
    EnterpriseReportForm,
    MinistryReportForm,
    OfficerReportForm,
    SupplementForm,
)
from anjian.accidents.models import Source
from anjian.accounts.roles import Capability
from anjian.core.errors import ServiceError
from anjian.core.scope import enterprise_entity_ids
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.entities.models import Entity

# --- the bureau ---------------------------------------------------------------------------


@capability_required(Capability.WORKSPACE)
def report_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = selectors.Filters(
        new=g.get("new") == "1",
        waiting=g.get("waiting") == "1",
        overdue=g.get("overdue") == "1",
        late=g.get("late") == "1",
    )
    user: Any = request.user
    return render(
        request,
        "accidents/report_list.html",
        {
            "page": paginate(request, selectors.report_list(user, filters)),
            "filters": filters,
            "can_record": user.can(Capability.ACCIDENTS_RECEIVE),
        },
    )


@capability_required(Capability.WORKSPACE)
def overdue_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accidents/overdue_list.html",
        {"page": paginate(request, selectors.overdue_list(request.user))},
    )


@capability_required(Capability.ACCIDENTS_RECEIVE)
def report_new(request: HttpRequest) -> HttpResponse:
    """An officer records a report phoned in (or an accident found)."""
    form = OfficerReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = (
            Entity.objects.visible_to(request.user)
            .filter(uscc=form.cleaned_data["uscc"].strip().upper())
            .first()
        )
        if entity is None:
            form.add_error("uscc", _("No registered unit in your jurisdiction has this code."))
        else:
            try:
                report = services.report_file(
                    actor=request.user,
                    entity=entity,
                    values=form.values(),
                    source=form.cleaned_data["source"],
                )
            except ServiceError as exc:
                form_apply_service_error(form, exc)
            else:
                messages.success(request, _("The accident report was recorded."))
                return redirect("accidents:report_detail", pk=report.pk)
    return render(request, "accidents/report_new.html", {"form": form})


def _detail(request: HttpRequest, report: Any, template: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        template,
        {
            "report": report,
            "chain": selectors.chain(report),
            "supplements": report.supplements.all(),
            "supplement_open": services.clock.now() <= report.supplement_until(),
            "supplement_form": extra.pop("supplement_form", None)
            or SupplementForm(
                initial={
                    "dead": report.dead,
                    "injured": report.injured,
                    "missing": report.missing,
                    "direct_loss": report.direct_loss,
                }
            ),
            **extra,
        },
    )


@capability_required(Capability.WORKSPACE)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = selectors.report_get(user, pk)
    services.report_opened(actor=user, report=report)
    step = services.current_step(report)
    return _detail(
        request,
        report,
        "accidents/report_detail.html",
        can_forward=user.can(Capability.ACCIDENTS_RECEIVE)
        and step is not None
        and (user.is_superuser or step.bureau_id == user.bureau_id),
        current=step,
        to_ministry=step is not None and services.to_ministry(step),
        ministry_form=MinistryReportForm(),
        can_supplement=user.can(Capability.ACCIDENTS_RECEIVE),
        can_conceal=user.can(Capability.ACCIDENTS_CONCEALMENT) and report.concealed_at is None,
        concealment_form=ConcealmentForm(),
    )


@require_POST
@capability_required(Capability.ACCIDENTS_RECEIVE)
def report_forward(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    try:
        step = services.report_forward(actor=request.user, report=report)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Forwarded to %(bureau)s.") % {"bureau": step.bureau.name})
    return redirect("accidents:report_detail", pk=report.pk)


@require_POST
@capability_required(Capability.ACCIDENTS_RECEIVE)
def report_ministry(request: HttpRequest, pk: int) -> HttpResponse:
    """The province records its report of a major accident to the Ministry."""
    report = selectors.report_get(request.user, pk)
    form = MinistryReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("reported to the Ministry at: give a date and time."))
        return redirect("accidents:report_detail", pk=report.pk)
    try:
        services.ministry_report_record(
            actor=request.user, report=report, at=form.cleaned_data.get("at")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The report to the Ministry was recorded."))
    return redirect("accidents:report_detail", pk=report.pk)


@require_POST
@capability_required(Capability.ACCIDENTS_RECEIVE)
def report_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    form = SupplementForm(request.POST)
    if form.is_valid():
        try:
            services.supplement_add(actor=request.user, report=report, values=form.values())
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The supplement was recorded."))
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label}：{e[0]}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
    return redirect("accidents:report_detail", pk=report.pk)


@require_POST
@capability_required(Capability.ACCIDENTS_CONCEALMENT)
def report_concealment(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    form = ConcealmentForm(request.POST)
    if form.is_valid():
        try:
            services.concealment_record(
                actor=request.user, report=report, finding=form.cleaned_data["finding"]
            )
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The concealment was recorded."))
    else:
        messages.error(request, _("Describe what was concealed or false."))
    return redirect("accidents:report_detail", pk=report.pk)


# --- the enterprise -----------------------------------------------------------------------


def _signing_entities(user: Any) -> list[Entity]:
    ids = [i for i in enterprise_entity_ids(user) if services.may_sign_for(user, i)]
    return list(Entity.objects.visible_to(user).filter(pk__in=ids).order_by("name"))


@capability_required(Capability.ENTERPRISE_SELF)
def my_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accidents/my_list.html",
        {
            "page": paginate(request, selectors.report_list(request.user)),
            "can_report": bool(_signing_entities(request.user)),
        },
    )


@capability_required(Capability.ENTERPRISE_SELF)
def my_new(request: HttpRequest) -> HttpResponse:
    entities = _signing_entities(request.user)
    user: Any = request.user
    form = EnterpriseReportForm(
        request.POST or None,
        entities=entities,
        initial={"reporter_name": user.full_name},
    )
    if request.method == "POST" and form.is_valid():
        entity = next((e for e in entities if str(e.pk) == form.cleaned_data["entity"]), None)
        if entity is None:
            raise Http404
        try:
            report = services.report_file(
                actor=user, entity=entity, values=form.values(), source=Source.ENTERPRISE
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Your report was received by %(bureau)s.")
                % {
                    "bureau": report.steps.first().bureau.name  # type: ignore[union-attr]
                },
            )
            return redirect("accidents:my_detail", pk=report.pk)
    return render(request, "accidents/my_new.html", {"form": form, "entities": entities})


@capability_required(Capability.ENTERPRISE_SELF)
def my_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    return _detail(
        request,
        report,
        "accidents/my_detail.html",
        can_supplement=services.may_sign_for(request.user, report.entity_id),
    )


@require_POST
@capability_required(Capability.ENTERPRISE_SELF)
def my_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    form = SupplementForm(request.POST)
    if form.is_valid():
        try:
            services.supplement_add(actor=request.user, report=report, values=form.values())
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The supplement was recorded."))
            return redirect("accidents:my_detail", pk=report.pk)
    return _detail(
        request,
        report,
        "accidents/my_detail.html",
        can_supplement=True,
        supplement_form=form,
    )
