"""Reads for inspections: task lists and progress (planned / done / overdue) per plan, division
and region; on-site records and their sheets; correction orders and overdue rectifications."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from anjian.catalog.models import CheckPoint
from anjian.catalog.selectors import item_name_expression
from anjian.core.scope import get_visible_or_404
from anjian.core.services import Actor
from anjian.core.workdays import workdays_after, workdays_between
from anjian.inspections.models import (
    ANSWERS_NEEDING_FINDING,
    CheckAnswer,
    CorrectionOrder,
    Finding,
    InspectionOutcome,
    InspectionRecord,
    InspectionTask,
    OrderStatus,
    RecordStatus,
    TaskSource,
    TaskStatus,
)
from anjian.inspections.services import (
    escalation_due,
    publication_due,
    record_check_points,
)

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


def with_item_name(qs: QuerySet[Any], item_ref: str = "item") -> QuerySet[Any]:
    """Each row's supervision item by name (`item_name`), read in the same query: a list names
    the item, not only its 14-digit code."""
    return qs.annotate(item_name=item_name_expression(item_ref))


def task_list(
    viewer: Any,
    *,
    status: str = "",
    plan_id: int | None = None,
    overdue_only: bool = False,
    today: datetime.date | None = None,
    task_ids: list[int] | None = None,
    assigned_to: Any = None,
    due_this_week: bool = False,
) -> QuerySet[InspectionTask]:
    today = today or timezone.localdate()
    qs = with_item_name(
        InspectionTask.objects.visible_to(viewer).select_related(
            "entity", "item", "bureau", "division"
        )
    )
    if task_ids is not None:
        qs = qs.filter(pk__in=task_ids)
    if status:
        qs = qs.filter(status=status)
    if plan_id:
        qs = qs.filter(plan_line__plan_id=plan_id)
    if overdue_only:
        qs = qs.filter(status=TaskStatus.OPEN, due_on__lt=today)
    if assigned_to is not None:
        qs = qs.filter(inspectors=assigned_to)
    if due_this_week:
        qs = qs.filter(status=TaskStatus.OPEN, due_on__range=(today, week_end(today)))
    # An officer's work first: the open tasks, nearest due date first (the overdue ones lead), then
    # what is done, most recent first, then what was cancelled.
    rank = Case(
        When(status=TaskStatus.OPEN, then=Value(0)),
        When(status=TaskStatus.DONE, then=Value(1)),
        default=Value(2),
    )
    open_due = Case(When(status=TaskStatus.OPEN, then=F("due_on")))
    return qs.order_by(rank, open_due.asc(nulls_last=True), F("due_on").desc(), "id")


def week_end(day: datetime.date) -> datetime.date:
    """The Sunday of the day's week: "due this week" runs from today to it."""
    return day + datetime.timedelta(days=6 - day.weekday())


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


def tasks_with_team(task_ids: list[int]) -> set[int]:
    """Which of these tasks already have inspectors (for a page of the task list)."""
    through = InspectionTask.inspectors.through
    return set(
        through.objects.filter(inspectiontask_id__in=task_ids)
        .values_list("inspectiontask_id", flat=True)
        .distinct()
    )


@dataclass
class PendingPublication:
    task: InspectionTask
    due: datetime.date
    overdue: bool
    # What the task's submitted on-site record says, preselected for the officer; blank when the
    # task was recorded done without a record (the officer chooses).
    suggested: str = ""


def outcomes_from_records(task_ids: list[int]) -> dict[int, str]:
    """The published category each task's submitted record points to: a violation that went
    into a case → a case was opened; any hazard or violation → correction ordered; otherwise
    no problem found."""
    records = dict(
        InspectionRecord.objects.filter(
            task_id__in=task_ids, status=RecordStatus.SUBMITTED
        ).values_list("task_id", "pk")
    )
    found: dict[int, set[str]] = {}
    for record_id, kind, in_case in Finding.objects.filter(
        record_id__in=list(records.values())
    ).values_list("record_id", "kind", "cases"):
        found.setdefault(record_id, set()).add("case" if in_case else kind)
    out = {}
    for task_id, record_id in records.items():
        kinds = found.get(record_id, set())
        if "case" in kinds:
            out[task_id] = InspectionOutcome.CASE.value
        elif kinds:
            out[task_id] = InspectionOutcome.CORRECTED.value
        else:
            out[task_id] = InspectionOutcome.NO_PROBLEM.value
    return out


def _unpublished_results(viewer: Any) -> QuerySet[InspectionTask]:
    return InspectionTask.objects.visible_to(viewer).filter(
        source=TaskSource.DRAW,
        status=TaskStatus.DONE,
        published_on__isnull=True,
        done_on__isnull=False,
    )


def publications_pending(
    viewer: Any, *, today: datetime.date | None = None, overdue_only: bool = False
) -> list[PendingPublication]:
    """Done random inspections whose result is not yet published, most urgent first; overdue
    once the configured working days (default 20) have passed since the inspection."""
    today = today or timezone.localdate()
    rows = []
    for task in with_item_name(
        _unpublished_results(viewer)
        .select_related("entity", "item", "bureau", "draw")
        .order_by("done_on", "id")
    )[:2000]:
        due = publication_due(task)
        if due is not None and (today > due or not overdue_only):
            rows.append(PendingPublication(task=task, due=due, overdue=today > due))
    suggested = outcomes_from_records([r.task.pk for r in rows])
    for r in rows:
        r.suggested = suggested.get(r.task.pk, "")
    return sorted(rows, key=lambda r: (r.due, r.task.pk))


def publication_counts(viewer: Any, *, today: datetime.date | None = None) -> tuple[int, int]:
    """(results to publish, of which overdue) for a home page: one query grouped by the day
    of the inspection, since the due day (20 working days on) depends only on it."""
    today = today or timezone.localdate()
    total = overdue = 0
    days = _unpublished_results(viewer).order_by().values("done_on").annotate(n=Count("pk"))
    for row in days:
        done_on = row["done_on"]
        total += row["n"]
        if done_on is not None and today > workdays_after(
            done_on, settings.ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS
        ):
            overdue += row["n"]
    return total, overdue


# --- The on-site inspection and rectification (issue 6) -------------------------------------


def record_list(
    viewer: Any, *, status: str = "", team_member: Any = None
) -> QuerySet[InspectionRecord]:
    qs = with_item_name(
        InspectionRecord.objects.visible_to(viewer).select_related(
            "entity", "bureau", "task__item"
        ),
        "task__item",
    )
    if status:
        qs = qs.filter(status=status)
    if team_member is not None:
        # The records the officer is on the team of (the one who started it is on it too).
        qs = qs.filter(
            pk__in=InspectionRecord.objects.filter(
                Q(inspectors=team_member) | Q(created_by=team_member)
            ).values("pk")
        )
    return qs.order_by("-started_at", "-id")


def record_get(viewer: Any, pk: int) -> InspectionRecord:
    return get_visible_or_404(
        InspectionRecord.objects.select_related("entity", "bureau", "task__item", "created_by"),
        viewer,
        pk=pk,
    )


@dataclass
class SheetRow:
    """One check point on the record's sheet: its answer (or None) and its findings."""

    point: CheckPoint
    answer: CheckAnswer | None
    findings: list[Finding]

    @property
    def needs_finding(self) -> bool:
        if self.answer is None or self.answer.answer not in ANSWERS_NEEDING_FINDING:
            return False
        return not any(f.kind == self.answer.answer for f in self.findings)


def record_sheet(record: InspectionRecord) -> list[SheetRow]:
    answers = {a.check_point_id: a for a in record.answers.all()}
    by_point: dict[int | None, list[Finding]] = {}
    for f in record.findings.order_by("pk"):
        by_point.setdefault(f.check_point_id, []).append(f)
    return [
        SheetRow(point=p, answer=answers.get(p.pk), findings=by_point.get(p.pk, []))
        for p in record_check_points(record)
    ]


def record_loose_findings(record: InspectionRecord) -> list[Finding]:
    """Findings not tied to a check point (something seen outside the checklist)."""
    return list(record.findings.filter(check_point__isnull=True).order_by("pk"))


def order_get(viewer: Any, pk: int) -> CorrectionOrder:
    return get_visible_or_404(
        CorrectionOrder.objects.select_related("record__entity", "record__bureau", "issued_by"),
        viewer,
        pk=pk,
    )


def orders_for_record(record: InspectionRecord) -> QuerySet[CorrectionOrder]:
    return record.correction_orders.prefetch_related("findings").order_by("pk")


def finding_list(viewer: Any, *, entity: Any = None, kind: str = "") -> QuerySet[Finding]:
    """Findings in the viewer's jurisdiction, e.g. for a case to open from (cases app)."""
    qs = Finding.objects.visible_to(viewer).select_related("record__entity", "check_point")
    if entity is not None:
        qs = qs.filter(record__entity=entity)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-record__started_at", "pk")


@dataclass
class OverdueOrder:
    order: CorrectionOrder
    working_days_late: int
    escalation_due: datetime.date

    @property
    def escalated(self) -> bool:
        return self.order.status == OrderStatus.ESCALATED

    def escalatable(self, today: datetime.date) -> bool:
        return self.order.status == OrderStatus.OPEN and today >= self.escalation_due


def rectifications_overdue(user: Any, *, today: datetime.date | None = None) -> list[OverdueOrder]:
    """Correction orders past their deadline without a passed re-inspection, in the user's
    jurisdiction (or all, for the system), the longest overdue first; escalated ones included."""
    today = today or timezone.localdate()
    qs = (
        _orders_overdue(user, today)
        .select_related("record__entity", "record__bureau", "issued_by")
        .order_by("deadline", "pk")
    )
    return [
        OverdueOrder(
            order=o,
            working_days_late=workdays_between(o.deadline, today),
            escalation_due=escalation_due(o),
        )
        for o in qs[:5000]
    ]


def _orders_overdue(user: Any, today: datetime.date) -> QuerySet[CorrectionOrder]:
    base = CorrectionOrder.objects
    qs = base.all() if isinstance(user, Actor) else base.visible_to(user)
    return qs.filter(status__in=[OrderStatus.OPEN, OrderStatus.ESCALATED], deadline__lt=today)


def rectifications_overdue_count(user: Any, *, today: datetime.date | None = None) -> int:
    """How many rows `rectifications_overdue` lists, counted in the database."""
    return _orders_overdue(user, today or timezone.localdate()).count()
