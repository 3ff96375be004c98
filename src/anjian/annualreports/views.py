"""Annual safety reports: the enterprise files (and corrects) them, the bureau lists them, the
portal shows the public figures of the latest versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.roles import Capability
from anjian.annualreports import selectors, services
from anjian.annualreports.fields import fields_for, rows
from anjian.annualreports.models import AnnualReport
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.core.scope import enterprise_entity_ids, get_visible_or_404
from anjian.core.web import (
    BootstrapFormMixin,
    capability_required,
    form_apply_service_error,
    paginate,
)
from anjian.entities.models import Entity


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


# --- the bureau ---------------------------------------------------------------------------


@capability_required(Capability.WORKSPACE)
def report_list(request: HttpRequest) -> HttpResponse:
    qs = (
        AnnualReport.objects.visible_to(request.user)
        .filter(latest=True)
        .select_related("entity")
        .order_by("-year", "entity__name")
    )
    year = _year(request)
    if year:
        qs = qs.filter(year=year)
    return render(
        request, "annualreports/report_list.html", {"page": paginate(request, qs), "year": year}
    )


def _versions(report: AnnualReport, user: Any) -> Any:
    return (
        AnnualReport.objects.visible_to(user)
        .filter(entity_id=report.entity_id, year=report.year)
        .order_by("-version")
    )


@capability_required(Capability.WORKSPACE)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(AnnualReport.objects.select_related("entity"), request.user, pk=pk)
    return render(
        request,
        "annualreports/report_detail.html",
        {
            "report": report,
            "rows": rows(report.industry, report.values),
            "versions": _versions(report, request.user),
            "back": "annualreports:report_list",
        },
    )


# --- the enterprise -----------------------------------------------------------------------


def _filing_entities(user: Any) -> list[Entity]:
    ids = [i for i in enterprise_entity_ids(user) if services.may_file_for(user, i)]
    return list(Entity.objects.visible_to(user).filter(pk__in=ids).order_by("name"))


@capability_required(Capability.ENTERPRISE_SELF)
def my_list(request: HttpRequest) -> HttpResponse:
    qs = (
        AnnualReport.objects.visible_to(request.user)
        .filter(latest=True)
        .select_related("entity")
        .order_by("-year", "entity__name")
    )
    return render(
        request,
        "annualreports/my_list.html",
        {"page": paginate(request, qs), "entities": _filing_entities(request.user)},
    )


def _form_class(entity: Entity) -> type[forms.Form]:
    this_year = clock.today().year
    attrs: dict[str, Any] = {
        "year": forms.TypedChoiceField(
            label=gettext_lazy("year"),
            coerce=int,
            choices=[(y, str(y)) for y in range(this_year, this_year - 6, -1)],
            initial=this_year - 1,
        )
    }
    for f in fields_for(entity.industry):
        attrs[f.name] = forms.IntegerField(label=f.label_text, min_value=0)
    attrs["reason"] = forms.CharField(
        label=gettext_lazy("reason for the correction"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=gettext_lazy("Only when correcting a report already filed for the year."),
    )
    return type("AnnualReportForm", (BootstrapFormMixin, forms.Form), attrs)


@capability_required(Capability.ENTERPRISE_SELF)
def my_new(request: HttpRequest) -> HttpResponse:
    entities = _filing_entities(request.user)
    if not entities:
        return render(request, "annualreports/my_new.html", {"entities": entities})
    chosen = request.GET.get("entity") or request.POST.get("entity_id") or str(entities[0].pk)
    entity = next((e for e in entities if str(e.pk) == chosen), None)
    if entity is None:
        raise Http404
    form = _form_class(entity)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = services.report_file(
                actor=request.user,
                entity=entity,
                year=data.pop("year"),
                reason=data.pop("reason") or "",
                values=data,
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The annual safety report was filed."))
            return redirect("annualreports:my_detail", pk=report.pk)
    return render(
        request,
        "annualreports/my_new.html",
        {"form": form, "entity": entity, "entities": entities},
    )


@capability_required(Capability.ENTERPRISE_SELF)
def my_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(AnnualReport.objects.select_related("entity"), request.user, pk=pk)
    return render(
        request,
        "annualreports/report_detail.html",
        {
            "report": report,
            "rows": rows(report.industry, report.values),
            "versions": _versions(report, request.user),
            "back": "annualreports:my_list",
        },
    )


# --- the portal ---------------------------------------------------------------------------


def _published() -> Any:
    return selectors.published_reports()


def portal_list(request: HttpRequest) -> HttpResponse:
    qs = _published().order_by("-year", "entity__name")
    year = _year(request)
    if year:
        qs = qs.filter(year=year)
    name = request.GET.get("q", "").strip()[:50]
    if name:
        qs = qs.filter(entity__name__contains=name)
    return render(
        request,
        "annualreports/portal_list.html",
        {"page": paginate(request, qs), "year": year, "q": name},
    )


def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(_published(), pk=pk)
    return render(
        request,
        "annualreports/portal_detail.html",
        {"report": report, "rows": rows(report.industry, report.values, public_only=True)},
    )
