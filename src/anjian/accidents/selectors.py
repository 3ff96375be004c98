"""Reads of accident reports, always from `AccidentReport.objects.visible_to(user)`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from anjian.accidents.models import AccidentReport, ChainLevel, ChainStep
from anjian.core import clock
from anjian.core.scope import get_visible_or_404


@dataclass(frozen=True)
class Filters:
    new: bool = False  # not yet opened by my bureau
    waiting: bool = False  # my bureau still has to forward it
    overdue: bool = False  # some level forwarded it late or has not yet, past its due time
    late: bool = False  # reported late by the unit


def report_list(user: Any, filters: Filters = Filters()) -> Any:
    qs = AccidentReport.objects.visible_to(user).select_related("entity", "region")
    bureau: Any = getattr(user, "bureau_id", None)
    if filters.new:
        qs = qs.filter(
            Exists(
                ChainStep.objects.filter(
                    report=OuterRef("pk"), bureau_id=bureau, opened_at__isnull=True
                )
            )
        )
    if filters.waiting:
        qs = qs.filter(
            Exists(
                ChainStep.objects.filter(
                    report=OuterRef("pk"),
                    bureau_id=bureau,
                    forwarded_at__isnull=True,
                    due_at__isnull=False,
                )
            )
        )
    if filters.overdue:
        qs = qs.filter(
            Exists(overdue_steps().filter(report=OuterRef("pk")))
            | Exists(ChainStep.objects.filter(report=OuterRef("pk"), late=True))
        )
    if filters.late:
        qs = qs.filter(late=True)
    return qs


def overdue_steps(now: datetime.datetime | None = None) -> Any:
    """Levels past their due time without having forwarded."""
    return ChainStep.objects.filter(
        forwarded_at__isnull=True, due_at__isnull=False, due_at__lt=now or clock.now()
    )


def overdue_list(user: Any) -> Any:
    """The steps overdue in the reports the user sees, oldest due first."""
    visible = AccidentReport.objects.visible_to(user).values("pk")
    return (
        overdue_steps()
        .filter(report_id__in=visible)
        .select_related("report", "report__entity", "bureau")
        .order_by("due_at")
    )


def report_get(user: Any, pk: int) -> AccidentReport:
    return get_visible_or_404(
        AccidentReport.objects.select_related("entity", "region", "recorded_by"), user, pk=pk
    )


@dataclass(frozen=True)
class ChainRow:
    step: ChainStep
    late: bool
    overdue: bool  # not forwarded and past its due time
    to_ministry: bool = False  # the province's step: its forwarding is the report to the Ministry


def chain(report: AccidentReport) -> list[ChainRow]:
    now = clock.now()
    rows = []
    for step in report.steps.select_related("bureau", "forwarded_by").order_by("received_at"):
        rows.append(
            ChainRow(
                step=step,
                late=step.late if step.forwarded_at else step.late_at(now),
                overdue=step.forwarded_at is None and step.due_at is not None and now > step.due_at,
                to_ministry=step.level == ChainLevel.PROVINCE and step.due_at is not None,
            )
        )
    return rows
