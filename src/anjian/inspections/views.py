"""Pages of inspections: the task list with overdue ones first to hand, progress per plan,
division and region, recording a task as done; the on-site record (one card per check point,
made for a phone), correction orders, rectification reports, re-inspections and the list of
overdue rectifications."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    htmx_partial,
    message_service_error,
    paginate,
)
from anjian.core.workdays import workdays_after
from anjian.entities.selectors import EntityFilters, entity_get, entity_list
from anjian.inspections import selectors, services
from anjian.inspections.forms import (
    CorrectionOrderForm,
    FindingForm,
    RecordStartForm,
    RecordSubmitForm,
    RectificationReportForm,
    ReinspectionForm,
    TaskAdHocForm,
    TaskAssignForm,
    TaskDoneForm,
)
from anjian.inspections.models import (
    Answer,
    Finding,
    FindingKind,
    HazardSeverity,
    InspectionOutcome,
    InspectionRecord,
    InspectionTask,
    OrderStatus,
    RecordStatus,
    TaskStatus,
)

BY_LABELS = {
    "plan": gettext_lazy("By plan"),
    "division": gettext_lazy("By division"),
    "region": gettext_lazy("By region"),
}


@capability_required(Capability.WORKSPACE)
def task_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    try:
        plan_id = int(request.GET.get("plan", "")) or None
    except ValueError:
        plan_id = None
    by = request.GET.get("by", "region")
    by = by if by in selectors.GROUPS else "region"
    task_ids = _task_ids(request.GET.get("ids", "").split(",")) or None
    today = timezone.localdate()
    # The home page's counts open this list with `mine=1` (tasks I am assigned to) and
    # `due=week` (open, due from today to Sunday).
    mine = request.GET.get("mine") == "1"
    due_week = request.GET.get("due") == "week"
    qs = selectors.task_list(
        request.user,
        status=status if status in TaskStatus.values else "",
        plan_id=plan_id,
        overdue_only=overdue,
        today=today,
        task_ids=task_ids,
        assigned_to=request.user if mine else None,
        due_this_week=due_week,
    )
    home_filter = [
        str(label)
        for on, label in (
            (mine, _("assigned to me")),
            (due_week, _("due this week")),
            (overdue, _("overdue")),
        )
        if on
    ]
    page = paginate(request, qs, 50, count_cap=100_000)
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": page,
            "with_team": selectors.tasks_with_team([t.pk for t in page]),
            "task_ids": ",".join(map(str, task_ids or [])),
            "can_assign": request.user.can(Capability.TASKS_ASSIGN),  # type: ignore[union-attr]
            "progress": selectors.task_progress(request.user, by=by, plan_id=plan_id, today=today),
            "by": by,
            "bys": [(k, BY_LABELS[k]) for k in selectors.GROUPS],
            "status": status,
            "statuses": TaskStatus.choices,
            "overdue": overdue,
            "plan_id": plan_id or "",
            "today": today,
            "can_record": request.user.can(Capability.TASKS_RECORD),  # type: ignore[union-attr]
            "can_inspect": request.user.can(Capability.INSPECT),  # type: ignore[union-attr]
            "home_filter": "、".join(home_filter) if (mine or due_week) else "",
        },
    )


def _task_ids(values: list[str]) -> list[int]:
    """Task ids from a query or a form (at most a page's worth; anything else ignored)."""
    return sorted({int(v) for v in values if v.strip().isdigit()})[:200]


@capability_required(Capability.TASKS_ASSIGN)
def task_new(request: HttpRequest) -> HttpResponse:
    """An ad hoc inspection: find the entity (name or credit code, in the user's scope), then
    its items, the team, the due date and the reason. One task per item."""
    user: Any = request.user
    if user.bureau is None:
        raise PermissionDenied
    uscc = (request.POST.get("entity") or request.GET.get("entity", "")).strip()[:18]
    if not uscc:
        q = request.GET.get("q", "").strip()[:100]
        found = (
            list(entity_list(user=user, filters=EntityFilters(q=q)).select_related("region")[:20])
            if q
            else []
        )
        template = (
            "inspections/_entity_choices.html"
            if htmx_partial(request)
            else "inspections/task_new.html"
        )
        return render(request, template, {"q": q, "found": found, "entity": None})
    entity = entity_get(user=user, uscc=uscc)
    today = timezone.localdate()
    form = TaskAdHocForm(
        request.POST or None,
        entity=entity,
        bureau=user.bureau,
        day=today,
        initial={"due_on": workdays_after(today, 10)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tasks = services.task_create_ad_hoc(
                actor=user,
                bureau=user.bureau,
                entity=entity,
                items=list(data["items"]),
                inspectors=list(data["inspectors"]),
                due_on=data["due_on"],
                reason=data["reason"],
                over_limit_reason=data.get("over_limit_reason", ""),
            )
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(n)d ad hoc task is made.", "%(n)d ad hoc tasks are made.", len(tasks))
                % {"n": len(tasks)},
            )
            ids = ",".join(str(t.pk) for t in tasks)
            return redirect(f"{reverse('inspections:task_list')}?ids={ids}")
    return render(
        request, "inspections/task_new.html", {"entity": entity, "form": form, "today": today}
    )


@capability_required(Capability.TASKS_ASSIGN)
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one task (a plan's, usually) its team of inspectors."""
    task = get_visible_or_404(
        selectors.with_item_name(InspectionTask.objects.select_related("entity", "item", "bureau")),
        request.user,
        pk=pk,
    )
    day = max(timezone.localdate(), task.period_start)
    form = TaskAssignForm(
        request.POST or None,
        bureau=task.bureau,
        day=day,
        initial={"inspectors": list(task.inspectors.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.task_assign_inspectors(
                actor=request.user, task=task, inspectors=list(form.cleaned_data["inspectors"])
            )
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The inspectors are assigned."))
            return redirect(f"{reverse('inspections:task_list')}?ids={task.pk}")
    return render(
        request,
        "inspections/task_assign.html",
        {"form": form, "tasks": [task], "day": day, "bulk": False},
    )


@capability_required(Capability.TASKS_ASSIGN)
def task_assign_bulk(request: HttpRequest) -> HttpResponse:
    """One team for several open tasks chosen on the task list: all of them or none."""
    source = request.POST if request.method == "POST" else request.GET
    ids = _task_ids(source.getlist("task"))
    tasks = list(
        selectors.with_item_name(InspectionTask.objects.visible_to(request.user))
        .filter(pk__in=ids)
        .select_related("entity", "item", "bureau")
        .order_by("due_on", "pk")
    )
    if len(tasks) != len(ids):  # another county's task, or none that exists
        raise Http404
    if not tasks:
        messages.error(request, _("Choose the tasks to assign on the list first."))
        return redirect("inspections:task_list")
    bureau = min((t.bureau for t in tasks), key=lambda b: len(b.region_id.rstrip("0")))
    day = timezone.localdate()
    form = TaskAssignForm(request.POST or None, bureau=bureau, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            services.tasks_assign_inspectors(
                actor=request.user, tasks=tasks, inspectors=list(form.cleaned_data["inspectors"])
            )
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The inspectors are assigned to %(n)d task.",
                    "The inspectors are assigned to %(n)d tasks.",
                    len(tasks),
                )
                % {"n": len(tasks)},
            )
            ids_text = ",".join(str(t.pk) for t in tasks)
            return redirect(f"{reverse('inspections:task_list')}?ids={ids_text}")
    return render(
        request,
        "inspections/task_assign.html",
        {"form": form, "tasks": tasks, "day": day, "bulk": True},
    )


@capability_required(Capability.TASKS_RECORD)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        selectors.with_item_name(InspectionTask.objects.select_related("entity", "item", "bureau")),
        request.user,
        pk=pk,
    )
    form = TaskDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The task is recorded as done."))
            return redirect("inspections:task_list")
    return render(request, "inspections/task_done.html", {"form": form, "task": task})


@capability_required(Capability.TASKS_RECORD)
def publication_list(request: HttpRequest) -> HttpResponse:
    """Random inspections done and awaiting the publication of their result (N working days,
    ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS)."""
    overdue = request.GET.get("overdue") == "1"
    return render(
        request,
        "inspections/publication_list.html",
        {
            "days": settings.ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS,
            "rows": selectors.publications_pending(request.user, overdue_only=overdue),
            "outcomes": InspectionOutcome.choices,
            "home_filter": _("overdue") if overdue else "",
        },
    )


@require_POST
@capability_required(Capability.TASKS_RECORD)
def task_publish(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(InspectionTask.objects.all(), request.user, pk=pk)
    try:
        services.task_result_publish(
            actor=request.user, task=task, outcome=request.POST.get("outcome", "")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The result is published on the portal."))
    return redirect("inspections:publication_list")


# --- The on-site inspection (issue 6) -------------------------------------------------------


def _evidence_enabled() -> bool:
    return apps.is_installed("anjian.evidence")


def _with_evidence(request: HttpRequest, objects: list[Any]) -> None:
    """Give each record or finding its evidence and upload address, when the evidence app is
    installed (the pages work without it)."""
    if not _evidence_enabled():
        return
    from anjian.evidence.registry import evidence_subject_of
    from anjian.evidence.selectors import evidence_for

    for obj in objects:
        subject = evidence_subject_of(obj)
        obj.evidence_items = list(evidence_for(obj))
        obj.evidence_can_attach = bool(subject and subject.may_attach(request.user, obj))
        obj.evidence_list_id = f"evidence-{obj._meta.model_name}-{obj.pk}"
        obj.upload_url = reverse(
            "evidence:evidence_upload",
            kwargs={"subject_type": obj._meta.label_lower, "subject_id": str(obj.pk)},
        )


def _with_case_links(request: HttpRequest, record: InspectionRecord, findings: list[Any]) -> None:
    """Give each violation of a submitted record its case (`f.case_link`, one the user may see
    and not refused or withdrawn), or `f.can_open_case` when the user may open one (立案)."""
    for f in findings:
        f.case_link, f.can_open_case = None, False
    if not apps.is_installed("anjian.cases"):
        return
    from anjian.cases.models import Case

    violations = [f for f in findings if f.kind == FindingKind.VIOLATION]
    if record.status != RecordStatus.SUBMITTED or not violations:
        return
    cases = (
        Case.objects.visible_to(request.user)
        .filter(findings__in=violations)
        .exclude(state__in=["not_filed", "withdrawn"])
        .values_list("findings", "pk", "number")
        .order_by("pk")
    )
    linked = {finding: (pk, number) for finding, pk, number in cases}  # the newest wins
    may_open = request.user.can(Capability.CASES_HANDLE)  # type: ignore[union-attr]
    for f in violations:
        if f.pk in linked:
            pk, number = linked[f.pk]
            f.case_link = {"pk": pk, "number": number}
        else:
            f.can_open_case = may_open


def _on_team(user: Any, record: InspectionRecord) -> bool:
    return bool(
        record.status == RecordStatus.DRAFT
        and user.can(Capability.INSPECT)
        and record.inspectors.filter(pk=user.pk).exists()
    )


def _row_context(request: HttpRequest, record: InspectionRecord, row: Any, **extra: Any) -> dict:
    _with_evidence(request, row.findings)
    _with_case_links(request, record, row.findings)
    return {
        "record": record,
        "row": row,
        "can_edit": _on_team(request.user, record),
        "answers": Answer.choices,
        "finding_kinds": FindingKind.choices,
        "severities": HazardSeverity.choices,
        "evidence_enabled": _evidence_enabled(),
        **extra,
    }


@capability_required(Capability.INSPECT)
def record_start(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        selectors.with_item_name(InspectionTask.objects.select_related("entity", "item", "bureau")),
        request.user,
        pk=pk,
    )
    # nosemgrep: anjian-view-query-bypasses-scope (the record of a task reached in scope above)
    existing = InspectionRecord.objects.filter(task=task).first()
    if existing is not None:
        return redirect("inspections:record_detail", existing.pk)
    initial = {"inspectors": list(task.inspectors.all()), "place": task.entity.address}
    form = RecordStartForm(request.POST or None, bureau=task.bureau, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_start(
                actor=request.user,
                task=task,
                place=form.cleaned_data["place"],
                present_name=form.cleaned_data["present_name"],
                present_post=form.cleaned_data["present_post"],
                inspectors=list(form.cleaned_data["inspectors"]),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The inspection record is open."))
            return redirect("inspections:record_detail", record.pk)
    return render(request, "inspections/record_start.html", {"form": form, "task": task})


@capability_required(Capability.WORKSPACE)
def record_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    qs = selectors.record_list(
        request.user,
        status=status if status in RecordStatus.values else "",
        team_member=request.user if mine else None,
    )
    return render(
        request,
        "inspections/record_list.html",
        {
            "page": paginate(request, qs, 50),
            "status": status,
            "statuses": RecordStatus.choices,
            "home_filter": _("records I am on the team of") if mine else "",
        },
    )


@capability_required(Capability.WORKSPACE)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    sheet = selectors.record_sheet(record)
    loose = selectors.record_loose_findings(record)
    _with_evidence(request, [record, *loose, *(f for row in sheet for f in row.findings)])
    _with_case_links(request, record, [*loose, *(f for row in sheet for f in row.findings)])
    can_edit = _on_team(request.user, record)
    orders = list(selectors.orders_for_record(record))
    # The point to work on next: the page opens at it (app.js), on a phone too.
    unanswered = [row.point.pk for row in sheet if row.answer is None]
    return render(
        request,
        "inspections/record_detail.html",
        {
            "record": record,
            "sheet": sheet,
            "answered": len(sheet) - len(unanswered),
            "current": unanswered[0] if can_edit and unanswered else None,
            "loose": loose,
            "can_edit": can_edit,
            "can_order": record.status == RecordStatus.SUBMITTED
            and request.user.can(Capability.INSPECT)  # type: ignore[union-attr]
            and record.findings.exists(),
            "answers": Answer.choices,
            "finding_kinds": FindingKind.choices,
            "severities": HazardSeverity.choices,
            "orders": orders,
            "inspectors": list(record.inspectors.all()),
            "item_versions": list(record.item_versions.select_related("item")),
            "submit_form": RecordSubmitForm(),
            "loose_form": FindingForm(),
            "evidence_enabled": _evidence_enabled(),
        },
    )


def _form_errors_message(request: HttpRequest, form: Any) -> None:
    """A form posted from a page section that does not re-render it: its errors as a message."""
    reasons = [
        str(e) if field == "__all__" else f"{form.fields[field].label}：{e}"
        for field, errors in form.errors.items()
        for e in errors
    ]
    messages.error(request, "；".join(reasons))


def _back_to_point(request: HttpRequest, record: InspectionRecord, point_id: Any) -> HttpResponse:
    url = reverse("inspections:record_detail", args=[record.pk])
    return redirect(f"{url}#cp-{point_id}" if point_id else url)


def _point_card(
    request: HttpRequest, record: InspectionRecord, point_id: int, **extra: Any
) -> HttpResponse:
    row = next(r for r in selectors.record_sheet(record) if r.point.pk == point_id)
    return render(
        request, "inspections/_point_card.html", _row_context(request, record, row, **extra)
    )


@require_POST
@capability_required(Capability.INSPECT)
def record_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one answer. HTMX swaps the check point's card; without JavaScript the page reloads
    at the card."""
    record = selectors.record_get(request.user, pk)
    try:
        point_id = int(request.POST.get("check_point", ""))
    except ValueError:
        point_id = 0
    error = None
    try:
        services.record_answer(
            actor=request.user,
            record=record,
            check_point=point_id,
            answer=request.POST.get("answer", ""),
            note=request.POST.get("note", "")[:2000],
        )
    except ServiceError as exc:
        if isinstance(exc, NotPermitted):
            raise PermissionDenied from None
        if isinstance(exc, NotFound):
            raise Http404 from None
        if "check_point" in exc.fields:
            raise Http404 from None
        error = "；".join(str(m) for ms in exc.fields.values() for m in ms) or str(exc.message)
    if htmx_partial(request):
        return _point_card(request, record, point_id, error=error)
    if error:
        messages.error(request, error)
    return _back_to_point(request, record, point_id)


@require_POST
@capability_required(Capability.INSPECT)
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    form = FindingForm(request.POST)
    point_id = None
    if form.is_valid():
        point_id = form.cleaned_data["check_point"]
        try:
            services.finding_add(
                actor=request.user,
                record=record,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                check_point=point_id,
                legal_basis=form.cleaned_data["legal_basis"],
                severity=form.cleaned_data["severity"],
            )
        except (NotPermitted, NotFound):
            raise PermissionDenied from None
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            form = FindingForm()
            if not htmx_partial(request):
                messages.success(request, _("The finding is recorded."))
                return _back_to_point(request, record, point_id)
    if htmx_partial(request) and point_id:
        return _point_card(request, record, point_id, finding_form=form)
    _form_errors_message(request, form)
    return _back_to_point(request, record, point_id)


@require_POST
@capability_required(Capability.INSPECT)
def finding_remove(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    finding = get_object_or_404(Finding, pk=finding_pk, record=record)
    try:
        services.finding_remove(actor=request.user, finding=finding)
    except NotPermitted:
        raise PermissionDenied from None
    except ServiceError as exc:
        message_service_error(request, exc)
    return _back_to_point(request, record, finding.check_point_id)


@require_POST
@capability_required(Capability.INSPECT)
def record_submit(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    form = RecordSubmitForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        services.record_submit(actor=request.user, record=record, summary=summary)
    except NotPermitted:
        raise PermissionDenied from None
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The record is submitted and the task is done."))
    return redirect("inspections:record_detail", record.pk)


@capability_required(Capability.INSPECT)
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    today = timezone.localdate()
    open_findings = record.findings.exclude(
        correction_orders__status__in=[OrderStatus.OPEN, OrderStatus.ESCALATED]
    )
    form = CorrectionOrderForm(
        request.POST or None,
        record=record,
        initial={
            "issued_on": today,
            "deadline": services.deadline_suggest(today),
            "findings": list(open_findings.filter(kind="hazard")),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = services.correction_order_issue(
                actor=request.user,
                record=record,
                findings=list(form.cleaned_data["findings"]),
                deadline=form.cleaned_data["deadline"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The correction order is issued."))
            return redirect("inspections:order_detail", order.pk)
    return render(
        request,
        "inspections/order_issue.html",
        {
            "form": form,
            "record": record,
            "working_days": settings.ANJIAN_RECTIFICATION_WORKING_DAYS,
        },
    )


@capability_required(Capability.WORKSPACE)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    _with_evidence(request, [order])
    user: Any = request.user
    can_act = user.can(Capability.INSPECT) and order.status != OrderStatus.RECTIFIED
    today = timezone.localdate()
    due = services.escalation_due(order)
    return render(
        request,
        "inspections/order_detail.html",
        {
            "order": order,
            "record": order.record,
            "findings": list(order.findings.order_by("pk")),
            "reports": list(order.reports.select_related("submitted_by")),
            "reinspections": list(order.reinspections.prefetch_related("inspectors")),
            "overdue": order.status != OrderStatus.RECTIFIED and order.deadline < today,
            "escalation_due": due,
            "can_act": can_act,
            "can_escalate": user.can(Capability.RECTIFICATIONS_ESCALATE)
            and order.status == OrderStatus.OPEN
            and today >= due,
            "evidence_enabled": _evidence_enabled(),
            "report_form": RectificationReportForm(),
            "reinspection_form": ReinspectionForm(
                bureau=order.record.bureau,
                initial={"inspectors": list(order.record.inspectors.all())},
            ),
        },
    )


@require_POST
@capability_required(Capability.INSPECT)
def order_report(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    form = RectificationReportForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_report(actor=request.user, order=order, **form.cleaned_data)
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The rectification report is recorded."))
    else:
        _form_errors_message(request, form)
    return redirect("inspections:order_detail", order.pk)


@require_POST
@capability_required(Capability.INSPECT)
def order_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    form = ReinspectionForm(request.POST, bureau=order.record.bureau)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reinspection_record(
                actor=request.user,
                order=order,
                on=data["on"],
                inspectors=list(data["inspectors"]),
                result=data["result"],
                opinion=data["opinion"],
            )
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The re-inspection is recorded."))
    else:
        _form_errors_message(request, form)
    return redirect("inspections:order_detail", order.pk)


@require_POST
@capability_required(Capability.RECTIFICATIONS_ESCALATE)
def order_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(request.user, pk)
    try:
        services.rectification_escalate(actor=request.user, order=order)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The order is escalated."))
    return redirect("inspections:order_detail", order.pk)


@capability_required(Capability.WORKSPACE)
def rectification_overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.rectifications_overdue(request.user, today=today)
    return render(
        request,
        "inspections/rectification_overdue.html",
        {
            "rows": [(r, r.escalatable(today)) for r in rows],
            "today": today,
            "grace": settings.ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS,
            "can_escalate": request.user.can(Capability.RECTIFICATIONS_ESCALATE),  # type: ignore[union-attr]
        },
    )
