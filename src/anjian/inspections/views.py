"""Pages of inspection tasks: the list with overdue ones first to hand, progress per plan,
division and region, and recording a task as done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.inspections import selectors, services
from anjian.inspections.forms import TaskDoneForm
from anjian.inspections.models import InspectionOutcome, InspectionTask, TaskStatus

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
    today = timezone.localdate()
    qs = selectors.task_list(
        request.user,
        status=status if status in TaskStatus.values else "",
        plan_id=plan_id,
        overdue_only=overdue,
        today=today,
    )
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": paginate(request, qs, 50, count_cap=100_000),
            "progress": selectors.task_progress(request.user, by=by, plan_id=plan_id, today=today),
            "by": by,
            "bys": [(k, BY_LABELS[k]) for k in selectors.GROUPS],
            "status": status,
            "statuses": TaskStatus.choices,
            "overdue": overdue,
            "plan_id": plan_id or "",
            "today": today,
            "can_record": request.user.can(Capability.TASKS_RECORD),  # type: ignore[union-attr]
        },
    )


@capability_required(Capability.TASKS_RECORD)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        InspectionTask.objects.select_related("entity", "item", "bureau"), request.user, pk=pk
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
    """Random inspections done and awaiting the publication of their result (20 working days)."""
    return render(
        request,
        "inspections/publication_list.html",
        {
            "rows": selectors.publications_pending(request.user),
            "outcomes": InspectionOutcome.choices,
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
