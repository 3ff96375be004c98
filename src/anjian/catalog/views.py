"""Public pages of the catalog (N2.1: rules published to society): items, their checklists,
guidelines and version history, the discretion benchmarks and the standards register. No login.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.catalog import selectors, services
from anjian.catalog.forms import ItemVersionForm
from anjian.catalog.models import ActKind, CircumstanceLevel, PenaltyKind, StandardKind
from anjian.core.choices import Industry
from anjian.core.errors import ServiceError
from anjian.core.models import RegionLevel
from anjian.core.web import capability_required, form_apply_service_error


def _day(request: HttpRequest) -> datetime.date:
    """The date the catalog is read as of (?on=YYYY-MM-DD), today by default."""
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def item_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    industry = request.GET.get("industry", "")
    act_kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.item_list(
        on=day,
        q=q,
        industry=industry if industry in Industry.values else "",
        act_kind=act_kind if act_kind in ActKind.values else "",
    )
    return render(
        request,
        "catalog/item_list.html",
        {
            "rows": rows,
            "day": day,
            "q": q,
            "industry": industry,
            "kind": act_kind,
            "industries": Industry.choices,
            "kinds": ActKind.choices,
            "industry_labels": dict(Industry.choices),
        },
    )


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    versions = list(selectors.item_versions(item=item))
    wanted = request.GET.get("v", "")
    shown = next((v for v in versions if str(v.number) == wanted), None)
    if shown is None:
        shown = item.version_on(timezone.localdate()) or versions[-1]
    previous = next((v for v in versions if v.number == shown.number - 1), None)
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "version": shown,
            "versions": versions,
            "previous": previous,
            "diff": selectors.item_version_diff(previous, shown) if previous else [],
            "in_force": item.version_on(timezone.localdate()),
            "industry_labels": dict(Industry.choices),
            "level_labels": dict(RegionLevel.choices),
            "benchmarks": selectors.benchmark_list_for_item(item=item),
            "can_manage": request.user.is_authenticated
            and services.catalog_maintainer(request.user),
        },
    )


def benchmark_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    return render(
        request,
        "catalog/benchmark_list.html",
        {
            "benchmarks": selectors.benchmark_list(on=day),
            "day": day,
            "level_labels": dict(CircumstanceLevel.choices),
            "penalty_labels": dict(PenaltyKind.choices),
        },
    )


def standard_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    return render(
        request,
        "catalog/standard_list.html",
        {
            "standards": selectors.standard_list(kind=kind if kind in StandardKind.values else ""),
            "kind": kind,
            "kinds": StandardKind.choices,
            "industry_labels": dict(Industry.choices),
        },
    )


@capability_required(Capability.CATALOG_MANAGE)
def item_version_new(request: HttpRequest, code: str) -> HttpResponse:
    """Change an item: the form starts from the version in force and makes a new version."""
    if not services.catalog_maintainer(request.user):
        raise PermissionDenied
    item = selectors.item_get(code=code)
    current = item.versions.order_by("-number").first()
    form = ItemVersionForm(
        request.POST or None, initial=ItemVersionForm.initial_from(current) if current else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.item_version_create(
                actor=request.user,
                item=item,
                values=form.values(),
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request, _("Version %(n)d has been published.") % {"n": version.number}
            )
            return redirect(
                f"{reverse('catalog:item_detail', kwargs={'code': item.code})}?v={version.number}"
            )
    return render(
        request, "catalog/item_version_form.html", {"form": form, "item": item, "current": current}
    )
