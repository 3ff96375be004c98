"""Pages of the catalog. Public (N2.1: rules published to society, no login): items, their
checklists, guidelines and version history, the discretion benchmarks and their versions, the
standards register. Maintenance (the provincial department only): new items and versions, new
benchmarks and versions, standards and their check points. Declarations of standards by
entities (N2.2) are recorded by the bureaus that supervise the entities, within their scope.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.catalog import exemptions, responsibilities, selectors, services
from anjian.catalog.discretion import is_legacy
from anjian.catalog.forms import (
    BenchmarkForm,
    EntityFindForm,
    ExemptionForm,
    ExemptionWithdrawForm,
    ItemCreateForm,
    ItemVersionForm,
    ResponsibilityForm,
    StandardCheckPointsForm,
    StandardDeclarationForm,
    StandardForm,
)
from anjian.catalog.models import ActKind, CircumstanceLevel, PenaltyKind, StandardKind
from anjian.core.choices import Industry
from anjian.core.errors import ServiceError
from anjian.core.models import RegionLevel
from anjian.core.scope import get_visible_or_404
from anjian.core.web import capability_required, form_apply_service_error
from anjian.entities.models import Entity


def _day(request: HttpRequest) -> datetime.date:
    """The date the catalog is read as of (?on=YYYY-MM-DD), today by default."""
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _can_maintain(request: HttpRequest) -> bool:
    return request.user.is_authenticated and services.catalog_maintainer(request.user)


def maintainer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The catalog is the province's: the capability, and a province-level bureau (403
    otherwise, e.g. for a city's legal reviewer)."""

    @capability_required(Capability.CATALOG_MANAGE)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.catalog_maintainer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


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
    bureau = _bureau_shown(request)
    named = responsibilities.responsibilities_of_bureau(bureau)
    return render(
        request,
        "catalog/item_list.html",
        {
            "rows": [
                {"item": r.item, "version": r.version, "duty": named.get(r.item.pk)} for r in rows
            ],
            "bureau": bureau,
            "bureaus": responsibilities.bureaus_with_responsibilities(),
            "can_name": responsibilities.responsibility_editor(request.user, bureau),
            "day": day,
            "q": q,
            "industry": industry,
            "kind": act_kind,
            "industries": Industry.choices,
            "kinds": ActKind.choices,
            "industry_labels": dict(Industry.choices),
            "can_manage": _can_maintain(request),
        },
    )


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.item_get(code=code)
    versions = list(selectors.item_versions(item=item))
    wanted = request.GET.get("v", "")
    shown = next((v for v in versions if str(v.number) == wanted), None)
    if shown is None:
        shown = item.version_on(timezone.localdate()) or versions[-1]
        shown = next(v for v in versions if v.pk == shown.pk)  # the one with its prefetches
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
            "can_manage": _can_maintain(request),
            "duties": responsibilities.responsibilities_of_item(item),
            "own_bureau": _own_bureau(request),
            "can_name": responsibilities.responsibility_editor(request.user, _own_bureau(request)),
        },
    )


def _own_bureau(request: HttpRequest) -> Bureau | None:
    user = request.user
    return getattr(user, "bureau", None) if user.is_authenticated else None


def _bureau_shown(request: HttpRequest) -> Bureau | None:
    """Whose responsibilities the list shows: ?bureau=<id>, else the user's own bureau."""
    wanted = request.GET.get("bureau", "")
    if wanted.isdigit():
        return Bureau.objects.filter(pk=int(wanted), is_active=True).first()
    return _own_bureau(request)


def _benchmark_labels() -> dict[str, Any]:
    return {
        "level_labels": dict(CircumstanceLevel.choices),
        "penalty_labels": dict(PenaltyKind.choices),
    }


def benchmark_list(request: HttpRequest) -> HttpResponse:
    day = _day(request)
    upcoming = {b.code: b for b in selectors.benchmark_upcoming(on=day)}
    counts = selectors.benchmark_version_counts()
    benchmarks = selectors.benchmark_list(on=day)
    rows = [
        {"b": b, "next": upcoming.get(b.code), "versions": counts.get(b.code, 1)}
        for b in benchmarks
    ]
    in_force = {b.code for b in benchmarks}
    return render(
        request,
        "catalog/benchmark_list.html",
        {
            "rows": rows,
            "day": day,
            "not_yet_in_force": [b for code, b in upcoming.items() if code not in in_force],
            "can_manage": _can_maintain(request),
            **_benchmark_labels(),
        },
    )


def benchmark_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Every version of one benchmark: the one in force today, the later ones published, the
    earlier ones (a violation is judged by the version in force on the day it happened)."""
    versions = selectors.benchmark_versions(code=code)
    today = timezone.localdate()
    current = next((v for v in versions if v.effective_from <= today), None)
    rows = []
    for i, version in enumerate(versions):
        later = versions[i - 1] if i > 0 else None  # newest first: the one before is later
        if version.effective_from > today:
            status = "upcoming"
        elif current is not None and version.pk == current.pk:
            status = "in_force"
        else:
            status = "superseded"
        rows.append(
            {"b": version, "status": status, "until": later.effective_from if later else None}
        )
    return render(
        request,
        "catalog/benchmark_detail.html",
        {
            "code": code,
            "rows": rows,
            "current": current,
            "can_manage": _can_maintain(request),
            **_benchmark_labels(),
        },
    )


def standard_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    user = request.user
    return render(
        request,
        "catalog/standard_list.html",
        {
            "standards": selectors.standard_list(kind=kind if kind in StandardKind.values else ""),
            "kind": kind,
            "kinds": StandardKind.choices,
            "industry_labels": dict(Industry.choices),
            "can_manage": _can_maintain(request),
            "can_declare": user.is_authenticated and user.can(Capability.ENTITIES_MANAGE),
        },
    )


@maintainer_required
def item_version_new(request: HttpRequest, code: str) -> HttpResponse:
    """Change an item: the form starts from the latest version and makes a new version."""
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


@maintainer_required
def item_new(request: HttpRequest) -> HttpResponse:
    """A new supervision item (监管事项目录清单动态调整), published with its first version."""
    form = ItemCreateForm(request.POST or None, initial={"levels": ["province", "city", "county"]})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(
                actor=request.user,
                code=form.cleaned_data["code"],
                values=form.values(),
                effective_from=form.cleaned_data["effective_from"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("Item %(code)s has been published.") % {"code": item.code})
            return redirect("catalog:item_detail", code=item.code)
    return render(request, "catalog/item_form.html", {"form": form})


@maintainer_required
def benchmark_new(request: HttpRequest) -> HttpResponse:
    form = BenchmarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            benchmark = services.benchmark_create(
                actor=request.user, code=form.cleaned_data["code"], **form.benchmark_kwargs()
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request, _("Benchmark %(code)s has been published.") % {"code": benchmark.code}
            )
            return redirect("catalog:benchmark_detail", code=benchmark.code)
    return render(request, "catalog/benchmark_form.html", {"form": form, "current": None})


@maintainer_required
def benchmark_version_new(request: HttpRequest, code: str) -> HttpResponse:
    """Change a benchmark: the form starts from its latest version."""
    current = selectors.benchmark_versions(code=code)[0]
    if not is_legacy(current):
        # The table has the four older levels only; saving it would drop the lettered tiers
        # and the conditions they are chosen by.
        messages.error(
            request,
            _(
                "Benchmark %(code)s has tiers chosen by their conditions: publish its next "
                "version through the catalog data file, which carries the conditions."
            )
            % {"code": current.code},
        )
        return redirect("catalog:benchmark_detail", code=current.code)
    form = BenchmarkForm(
        request.POST or None, initial=BenchmarkForm.initial_from(current), versioned=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.benchmark_version_create(
                actor=request.user, code=current.code, **form.benchmark_kwargs()
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("A new version of benchmark %(code)s has been published.")
                % {"code": current.code},
            )
            return redirect("catalog:benchmark_detail", code=current.code)
    return render(request, "catalog/benchmark_form.html", {"form": form, "current": current})


@maintainer_required
def standard_new(request: HttpRequest) -> HttpResponse:
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(code)s has been added to the register. Now link it to the check points "
                    "it applies to."
                )
                % {"code": standard.code},
            )
            return redirect("catalog:standard_check_points", pk=standard.pk)
    return render(request, "catalog/standard_form.html", {"form": form})


@maintainer_required
def standard_check_points(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a standard to check points of the checklists in force or published for later. By
    default only the items of the standard's industries are offered (?all=1: every item)."""
    standard = selectors.standard_get(pk=pk)
    show_all = request.GET.get("all") == "1" or not standard.industries
    versions = [
        v
        for v in selectors.versions_current_and_upcoming()
        if show_all or set(v.industries) & set(standard.industries)
    ]
    linked = {str(pk) for pk in standard.check_points.values_list("pk", flat=True)}
    form = StandardCheckPointsForm(
        request.POST or None, versions=versions, initial={"check_points": sorted(linked)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.standard_check_points_set(
                actor=request.user,
                standard=standard,
                check_points=form.chosen(),
                among=list(form.offered.values()),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Check points linked: %(added)d added, %(removed)d removed.") % counts,
            )
            return redirect(f"{reverse('catalog:standard_list')}#std-{standard.pk}")
    chosen = set(form["check_points"].value() or [])
    return render(
        request,
        "catalog/standard_check_points.html",
        {
            "standard": standard,
            "form": form,
            "versions": versions,
            "chosen": chosen,
            "show_all": show_all,
            "industry_labels": dict(Industry.choices),
            "today": timezone.localdate(),
        },
    )


@capability_required(Capability.ENTITIES_MANAGE)
def declaration_find(request: HttpRequest) -> HttpResponse:
    """The way in to recording a declaration: the entity's credit code (the entity's profile
    is the other)."""
    form = EntityFindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        uscc = form.cleaned_data["uscc"]
        if Entity.objects.visible_to(request.user).filter(uscc=uscc).exists():
            return redirect("catalog:declaration_new", uscc=uscc)
        form.add_error("uscc", _("No entity with this code in your jurisdiction."))
    return render(request, "catalog/declaration_find.html", {"form": form})


@capability_required(Capability.ENTITIES_MANAGE)
def declaration_new(request: HttpRequest, uscc: str) -> HttpResponse:
    """Record that an entity declared a standard it applies (企业标准自我声明公开). An entity
    outside the user's jurisdiction is not found (404)."""
    entity = get_visible_or_404(Entity.objects, request.user, uscc=uscc.upper())
    declared = list(selectors.entity_standard_declarations(entity=entity))
    form = StandardDeclarationForm(
        request.POST or None,
        standards=list(selectors.standards_declarable(entity=entity)),
        initial={"declared_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            declaration = services.standard_declaration_record(
                actor=request.user,
                entity=entity,
                standard=form.chosen_standard(),
                new_code=d["new_code"],
                new_title=d["new_title"],
                declared_on=d["declared_on"],
                url=d["url"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Recorded: %(entity)s declared %(code)s.")
                % {"entity": entity.name, "code": declaration.standard.code},
            )
            return redirect("catalog:declaration_new", uscc=entity.uscc)
    return render(
        request,
        "catalog/declaration_form.html",
        {"form": form, "entity": entity, "declared": declared},
    )


@capability_required(Capability.CATALOG_MANAGE)
def item_responsibility(request: HttpRequest, code: str) -> HttpResponse:
    """The user's own bureau names its leader in charge, handling unit and officers for an
    item (N1.1). Another bureau's are not editable here: the page only ever edits the user's."""
    item = selectors.item_get(code=code)
    bureau = _own_bureau(request)
    if not responsibilities.responsibility_editor(request.user, bureau):
        raise PermissionDenied
    assert bureau is not None
    current = responsibilities.responsibilities_of_bureau(bureau).get(item.pk)
    initial = (
        {
            "leader": current.leader,
            "handling_unit": current.handling_unit,
            "officers": "、".join(current.officers),
        }
        if current
        else {}
    )
    form = ResponsibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            responsibilities.item_responsibility_set(
                actor=request.user, item=item, bureau=bureau, values=form.values()
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(bureau)s's responsibilities for %(code)s have been saved.")
                % {"bureau": bureau.name, "code": item.code},
            )
            return redirect(f"{reverse('catalog:item_list')}?bureau={bureau.pk}#item-{item.code}")
    version = item.version_for(timezone.localdate())
    return render(
        request,
        "catalog/responsibility_form.html",
        {"form": form, "item": item, "version": version, "bureau": bureau},
    )


def exemption_list(request: HttpRequest) -> HttpResponse:
    """The province's exemption list in force, and its history (public, N3.5)."""
    day = _day(request)
    return render(
        request,
        "catalog/exemption_list.html",
        {
            "rows": exemptions.exemptions_in_force(on=day),
            "history": exemptions.exemptions_history(),
            "day": day,
            "can_manage": _can_maintain(request),
        },
    )


@maintainer_required
def exemption_new(request: HttpRequest) -> HttpResponse:
    form = ExemptionForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            row = exemptions.exemption_add(actor=request.user, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s has been added to the exemption list.") % {"code": row.benchmark_code},
            )
            return redirect("catalog:exemption_list")
    return render(request, "catalog/exemption_form.html", {"form": form, "entry": None})


@maintainer_required
def exemption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = exemptions.exemption_get(pk=pk)
    except ServiceError as exc:
        raise Http404 from exc
    form = ExemptionWithdrawForm(
        request.POST or None, initial={"withdrawn_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            exemptions.exemption_withdraw(
                actor=request.user,
                entry=entry,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["withdrawn_reason"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s has been withdrawn from the exemption list.")
                % {"code": entry.benchmark_code},
            )
            return redirect("catalog:exemption_list")
    return render(request, "catalog/exemption_form.html", {"form": form, "entry": entry})
