"""Reads for inspection tasks: lists, and progress (planned / done / overdue) per plan, division
and region."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
from anjian.inspections.services import publication_due

GROUPS = {
    "plan": ("plan_line__plan_id", "plan_line__plan__title"),
    "division": ("division_id", "division__name"),
    "region": ("bureau__region_id", "bureau__name"),
}


@dataclass
class ProgressRow:
    key: Any
    label: str
    planned: int  # open, not yet due
    done: int
    overdue: int  # open and past due
    late: int  # done, but after the due day

    @property
    def total(self) -> int:
        return self.planned + self.done + self.overdue

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def task_list(
    viewer: Any,
    *,
    status: str = "",
    plan_id: int | None = None,
    overdue_only: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[InspectionTask]:
    today = today or timezone.localdate()
    qs = InspectionTask.objects.visible_to(viewer).select_related(
        "entity", "item", "bureau", "division"
    )
    if status:
        qs = qs.filter(status=status)
    if plan_id:
        qs = qs.filter(plan_line__plan_id=plan_id)
    if overdue_only:
        qs = qs.filter(status=TaskStatus.OPEN, due_on__lt=today)
    return qs.order_by("due_on", "id")


def task_progress(
    viewer: Any,
    *,
    by: str,
    year: int | None = None,
    plan_id: int | None = None,
    today: datetime.date | None = None,
) -> list[ProgressRow]:
    key, label = GROUPS[by]
    today = today or timezone.localdate()
    qs = InspectionTask.objects.visible_to(viewer).exclude(status=TaskStatus.CANCELLED)
    if year:
        qs = qs.filter(due_on__year=year)
    if plan_id:
        qs = qs.filter(plan_line__plan_id=plan_id)
    is_open = Q(status=TaskStatus.OPEN)
    rows = (
        qs.values(key, label)
        .annotate(
            planned=Count("pk", filter=is_open & Q(due_on__gte=today)),
            overdue=Count("pk", filter=is_open & Q(due_on__lt=today)),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            late=Count("pk", filter=Q(status=TaskStatus.DONE, done_on__gt=F("due_on"))),
        )
        .order_by(key)
    )
    return [
        ProgressRow(
            key=r[key],
            label=r[label] or "—",
            planned=r["planned"],
            done=r["done"],
            overdue=r["overdue"],
            late=r["late"],
        )
        for r in rows
    ]


@dataclass
class PendingPublication:
    task: InspectionTask
    due: datetime.date
    overdue: bool


def publications_pending(
    viewer: Any, *, today: datetime.date | None = None
) -> list[PendingPublication]:
    """Done random inspections whose result is not yet published, most urgent first; overdue
    once 20 working days have passed since the inspection."""
    today = today or timezone.localdate()
    rows = []
    for task in (
        InspectionTask.objects.visible_to(viewer)
        .filter(source=TaskSource.DRAW, status=TaskStatus.DONE, published_on__isnull=True)
        .select_related("entity", "item", "bureau", "draw")
        .order_by("done_on", "id")[:2000]
    ):
        due = publication_due(task)
        if due is not None:
            rows.append(PendingPublication(task=task, due=due, overdue=today > due))
    return sorted(rows, key=lambda r: (r.due, r.task.pk))
