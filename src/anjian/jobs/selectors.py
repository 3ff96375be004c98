"""Reads of the jobs page: the registered jobs with their last runs, and the open failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from anjian.jobs.models import JobRun, RunStatus
from anjian.jobs.registry import JobSpec, job_label, jobs_registered
from anjian.jobs.services import jobs_may_manage


@dataclass
class JobRow:
    spec: JobSpec
    last_success: JobRun | None
    last_failure: JobRun | None


def _require(user: Any) -> None:
    if not jobs_may_manage(user):
        raise Http404


def job_rows(user: Any) -> list[JobRow]:
    _require(user)
    rows = []
    for spec in jobs_registered():
        runs = JobRun.objects.filter(name=spec.name)
        rows.append(
            JobRow(
                spec=spec,
                last_success=runs.filter(status=RunStatus.SUCCEEDED).first(),
                last_failure=runs.exclude(status=RunStatus.SUCCEEDED).first(),
            )
        )
    return rows


def failures_open(user: Any) -> QuerySet[JobRun]:
    """Failed runs nobody has dealt with yet, newest first (retrying ones too)."""
    _require(user)
    return JobRun.objects.exclude(status=RunStatus.SUCCEEDED).filter(resolved_at__isnull=True)


def failures_resolved(user: Any) -> QuerySet[JobRun]:
    _require(user)
    return (
        JobRun.objects.exclude(status=RunStatus.SUCCEEDED)
        .filter(resolved_at__isnull=False)
        .select_related("resolved_by")
    )


def failure_get(user: Any, pk: int) -> JobRun:
    _require(user)
    run = JobRun.objects.filter(pk=pk).exclude(status=RunStatus.SUCCEEDED).first()
    if run is None:
        raise Http404
    run.label = job_label(run.name)  # type: ignore[attr-defined]
    return run


def label_runs(runs: Any) -> list[JobRun]:
    out = list(runs)
    for run in out:
        run.label = job_label(run.name)
    return out
