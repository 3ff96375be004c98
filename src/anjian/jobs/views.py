"""The jobs page (后台任务): the periodic jobs with their last runs, a button to run one now,
and the failed runs with their error, to run again or mark dealt with. Province administrators
only (a job serves every bureau); anyone else gets 404 as for a record outside their scope."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import ServiceError
from anjian.core.web import capability_required, message_service_error, paginate
from anjian.jobs import selectors, services


@capability_required(Capability.JOBS_MANAGE)
def job_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.job_rows(request.user)
    failures = selectors.label_runs(selectors.failures_open(request.user)[:200])
    resolved = paginate(request, selectors.failures_resolved(request.user), 20)
    resolved.object_list = selectors.label_runs(resolved.object_list)
    return render(
        request,
        "jobs/job_list.html",
        {"rows": rows, "failures": failures, "resolved": resolved},
    )


@capability_required(Capability.JOBS_MANAGE)
def failure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.failure_get(request.user, pk)
    return render(request, "jobs/failure_detail.html", {"run": run})


@require_POST
@capability_required(Capability.JOBS_MANAGE)
def job_start(request: HttpRequest, name: str) -> HttpResponse:
    selectors.job_rows(request.user)  # 404 outside the province
    try:
        services.job_start(actor=request.user, name=name)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The job is queued; it runs within seconds."))
    return redirect("jobs:job_list")


@require_POST
@capability_required(Capability.JOBS_MANAGE)
def failure_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.failure_get(request.user, pk)
    try:
        services.job_run_requeue(actor=request.user, run=run)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The job is queued again with the same arguments."))
    return redirect("jobs:job_list")


@require_POST
@capability_required(Capability.JOBS_MANAGE)
def failure_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.failure_get(request.user, pk)
    try:
        services.job_run_resolve(actor=request.user, run=run, note=request.POST.get("note", ""))
    except ServiceError as exc:
        message_service_error(request, exc)
        return redirect("jobs:failure_detail", pk=run.pk)
    messages.success(request, _("The failure is marked as dealt with."))
    return redirect("jobs:job_list")
