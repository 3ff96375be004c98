"""Pages of annual plans: the list, drafting, lines, the workflow steps, coordination
(duplicates, gaps, coverage) and the lists behind its figures."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.catalog.selectors import item_name_expression
from anjian.core.choices import Industry
from anjian.core.errors import ServiceError
from anjian.core.exporting import XLSX_CONTENT_TYPE, xlsx_workbook_bytes
from anjian.core.models import Region
from anjian.core.scope import region_ancestors, visible_region_codes
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.inspections.selectors import task_progress
from anjian.plans import coordination, selectors, services
from anjian.plans.forms import LineForm, PlanForm
from anjian.plans.models import PlanLine
from anjian.plans.states import PlanStatus


def _year(request: HttpRequest, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default or timezone.localdate().year
    return year if 2000 <= year <= 2100 else (default or timezone.localdate().year)


@capability_required(Capability.WORKSPACE)
def plan_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    awaiting = request.GET.get("awaiting") == "1"
    own = request.GET.get("own") == "1"
    year_text = request.GET.get("year", "")
    year = _year(request) if year_text else None
    qs = selectors.plan_list(
        request.user,
        year=year,
        status=status if status in PlanStatus.values else "",
        awaiting_me=awaiting,
        own_bureau=own,
    )
    return render(
        request,
        "plans/plan_list.html",
        {
            "page": paginate(request, qs, 30),
            "status": status,
            "year": year_text,
            "awaiting": awaiting,
            "home_filter": _("plans of my bureau") if own else "",
            "statuses": PlanStatus.choices,
            "can_draft": request.user.can(Capability.PLANS_MANAGE),  # type: ignore[union-attr]
            "can_approve": request.user.can(Capability.PLANS_APPROVE),  # type: ignore[union-attr]
        },
    )


@capability_required(Capability.PLANS_MANAGE)
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user,
                bureau=request.user.bureau,  # type: ignore[union-attr]
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The plan has been drafted; now add its lines."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form})


@capability_required(Capability.WORKSPACE)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    lines = selectors.plan_lines(plan)
    rows = [
        {
            "line": ln,
            "rule": selectors.line_rule_text(ln),
            "entities": selectors.line_entity_count(ln),
            "period": ln.period(plan.year),
            "frequency": selectors.frequency_label(ln.frequency),
            "name": (ln.item.version_on(ln.period(plan.year)[1]) or ln.item.versions.first()),
        }
        for ln in lines
    ]
    mine = getattr(request.user, "bureau_id", None) == plan.bureau_id
    check = None
    if lines and plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        # What this plan would duplicate, before it is issued: the approver's question.
        check = coordination.coordination_check(
            year=plan.year, region_id=plan.bureau.region_id, extra_plan=plan
        )
        ids = {ln.pk for ln in lines}
        check.duplicates = [p for p in check.duplicates if p.a.line_id in ids or p.b.line_id in ids]
    progress = (
        task_progress(request.user, by="plan", plan_id=plan.pk)
        if plan.status in (PlanStatus.ISSUED, PlanStatus.FILED)
        else []
    )
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "events": plan.events.select_related("actor").order_by("id"),
            "actions": selectors.actions_for(request.user, plan),
            "can_edit": mine
            and plan.status == PlanStatus.DRAFT
            and request.user.can(Capability.PLANS_MANAGE),  # type: ignore[union-attr]
            "check": check,
            "progress": progress[0] if progress else None,
        },
    )


@capability_required(Capability.PLANS_MANAGE)
def line_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    if getattr(request.user, "bureau_id", None) != plan.bureau_id:
        raise PermissionDenied
    form = LineForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_line_add(actor=request.user, plan=plan, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The line has been added."))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/line_form.html", {"form": form, "plan": plan})


@require_POST
@capability_required(Capability.PLANS_MANAGE)
def line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    line = get_object_or_404(PlanLine, pk=line_id, plan=plan)
    try:
        services.plan_line_remove(actor=request.user, line=line)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The line has been removed."))
    return redirect("plans:plan_detail", pk=plan.pk)


@require_POST
@capability_required(Capability.WORKSPACE)
def plan_step(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(request.user, pk)
    action = request.POST.get("action", "")
    try:
        services.plan_transition(
            actor=request.user,
            plan=plan,
            action=action,
            comment=request.POST.get("comment", ""),
            over_limit_reason=request.POST.get("over_limit_reason", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("plans:plan_detail", pk=plan.pk)


def _scope_region(request: HttpRequest) -> str:
    """The region whose coordination is shown: the viewer's own by default, or one below it."""
    codes = visible_region_codes(request.user)
    bureau = getattr(request.user, "bureau", None)
    own = bureau.region_id if bureau else "140000"
    wanted = request.GET.get("region", "") or own
    if codes is not None and wanted not in codes:
        raise Http404
    if not Region.objects.filter(code=wanted).exists():
        raise Http404
    return wanted


@capability_required(Capability.WORKSPACE)
def coordination_view(request: HttpRequest) -> HttpResponse:
    # From October on, bureaus are drafting next year's plans: show next year by default.
    today = timezone.localdate()
    year = _year(request, today.year + 1 if today.month >= 10 else today.year)
    region = _scope_region(request)
    result = coordination.coordination_check(year=year, region_id=region)
    labels: dict[str, Any] = {coordination.KEY: _("Key-supervision list"), **dict(Industry.choices)}
    coverage = [
        {
            "category": cat,
            "label": labels.get(cat, cat),
            "eligible": eligible,
            "covered": covered,
            "percent": round(100 * covered / eligible, 1) if eligible else None,
        }
        for cat, (eligible, covered) in result.coverage.items()
    ]
    if request.GET.get("export") == "xlsx":
        return _coordination_xlsx(result, year, region, labels, coverage)
    return render(
        request,
        "plans/coordination.html",
        {
            "result": result,
            "year": year,
            "region": Region.objects.get(code=region),
            "regions": coordination.region_choices_for(request.user),
            "coverage": coverage,
            "labels": labels,
            "duplicates": result.duplicates[:200],
            "gaps": result.gaps[:300],
        },
    )


def _coordination_xlsx(
    result: Any, year: int, region: str, labels: dict[str, Any], coverage: list[dict[str, Any]]
) -> HttpResponse:
    names = dict(Region.objects.values_list("code", "name"))
    duplicates = [
        [
            p.a.item_code,
            p.a.item_name,
            p.a.bureau_name,
            p.a.division_name,
            p.a.plan_title,
            p.b.bureau_name,
            p.b.division_name,
            p.b.plan_title,
            p.overlap[0],
            p.overlap[1],
            str(_("two levels") if p.kind == "levels" else _("two divisions")),
            p.entities,
        ]
        for p in result.duplicates
    ]
    gaps = [
        [g.region_id, names.get(g.region_id, ""), str(labels[g.category]), g.eligible, g.uncovered]
        for g in result.gaps
    ]
    body = xlsx_workbook_bytes(
        [
            (
                str(_("Duplicates")),
                [
                    str(h)
                    for h in (
                        _("item code"),
                        _("supervision item"),
                        _("planned by"),
                        _("division"),
                        _("plan"),
                        _("and by"),
                        _("division"),
                        _("plan"),
                        _("from"),
                        _("until"),
                        _("category"),
                        _("entities"),
                    )
                ],
                duplicates,
            ),
            (
                str(_("Gaps")),
                [
                    str(h)
                    for h in (
                        _("region code"),
                        _("region"),
                        _("category"),
                        _("entities"),
                        _("not covered"),
                    )
                ],
                gaps,
            ),
            (
                str(_("Coverage")),
                [str(h) for h in (_("category"), _("entities"), _("covered"), "%")],
                [[str(c["label"]), c["eligible"], c["covered"], c["percent"]] for c in coverage],
            ),
        ]
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    filename = quote(f"计划统筹_{year}_{names.get(region, region)}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _reaches(line: PlanLine, viewer: Any, codes: list[str]) -> bool:
    """A viewer may see a line of a plan in their jurisdiction or of a bureau above them (whose
    plans reach down into it), not of a neighbouring county."""
    region = line.plan.bureau.region_id
    return region in codes or region in region_ancestors(viewer.bureau.region_id)


@capability_required(Capability.WORKSPACE)
def duplicate_entities(request: HttpRequest, a: int, b: int) -> HttpResponse:
    lines = {
        ln.pk: ln
        # nosemgrep: anjian-view-query-bypasses-scope (each line is checked by _reaches below)
        for ln in PlanLine.objects.filter(pk__in=[a, b])
        .select_related("plan__bureau", "item", "division")
        .annotate(item_name=item_name_expression("item"))
    }
    if len(lines) != 2:
        raise Http404
    codes = visible_region_codes(request.user)
    if codes is not None and not all(_reaches(ln, request.user, codes) for ln in lines.values()):
        raise Http404
    qs = coordination.duplicate_entities(lines[a], lines[b])
    if codes is not None:
        qs = qs.filter(region_id__in=codes)
    return render(
        request,
        "plans/coordination_entities.html",
        {
            "page": paginate(request, qs.select_related("region"), 50),
            "title": _("Planned twice"),
            "lines": [lines[a], lines[b]],
        },
    )


@capability_required(Capability.WORKSPACE)
def gap_entities(request: HttpRequest, region: str, category: str) -> HttpResponse:
    codes = visible_region_codes(request.user)
    if codes is not None and region not in codes:
        raise Http404
    if category != coordination.KEY and category not in Industry.values:
        raise Http404
    year = _year(request)
    qs = coordination.gap_entities(year=year, region_id=region, category=category)
    labels: dict[str, Any] = {coordination.KEY: _("Key-supervision list"), **dict(Industry.choices)}
    return render(
        request,
        "plans/coordination_entities.html",
        {
            "page": paginate(request, qs.select_related("region"), 50),
            "title": _("Not covered by any issued plan of %(year)d: %(what)s")
            % {"year": year, "what": labels[category]},
            "lines": [],
            "year": year,
        },
    )
