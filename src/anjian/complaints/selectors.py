"""Reads of complaints and reports. Every query starts from `Report.objects.visible_to(user)`
(need to know: jurisdiction, then the bureau's desk or the assigned officer), except the
system's escalation sweep and the portal's anonymous monthly counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from anjian.accounts.models import User
from anjian.accounts.roles import Capability
from anjian.complaints.models import (
    OPEN_STATES,
    ExposureEntry,
    Report,
    ReportOutcome,
    ReportState,
    Reward,
    RewardState,
)
from anjian.core import clock, workdays
from anjian.core.scope import get_visible_or_404


@dataclass(frozen=True)
class ReportFilters:
    state: str = ""
    overdue: bool = False
    due_soon: bool = False
    mine: bool = False
    escalated: bool = False


def _overdue_q(day: datetime.date) -> Q:
    return Q(state=ReportState.RECEIVED, accept_due__lt=day) | Q(
        state__in=[ReportState.ACCEPTED, ReportState.HANDLING], handle_due__lt=day
    )


def _due_soon_q(day: datetime.date) -> Q:
    horizon = workdays.workdays_after(day, settings.ANJIAN_COMPLAINT_REMIND_WORKDAYS)
    return Q(state=ReportState.RECEIVED, accept_due__gte=day, accept_due__lte=horizon) | Q(
        state__in=[ReportState.ACCEPTED, ReportState.HANDLING],
        handle_due__gte=day,
        handle_due__lte=horizon,
    )


def report_list(user: Any, filters: ReportFilters | None = None) -> QuerySet[Report]:
    f = filters or ReportFilters()
    qs = Report.objects.visible_to(user).select_related("bureau", "region", "entity", "handler")
    day = clock.today()
    if f.state:
        qs = qs.filter(state=f.state)
    if f.overdue:
        qs = qs.filter(_overdue_q(day))
    if f.due_soon:
        qs = qs.filter(_due_soon_q(day))
    if f.mine:
        qs = qs.filter(handler=user.pk)
    if f.escalated:
        qs = qs.filter(escalated_to=getattr(user, "bureau_id", None), state__in=OPEN_STATES)
    return qs


def report_get(user: Any, pk: int) -> Report:
    return get_visible_or_404(
        Report.objects.select_related("bureau", "region", "entity", "handler", "duplicate_of"),
        user,
        pk=pk,
    )


def reports_overdue_all(*, today: datetime.date) -> QuerySet[Report]:
    """Every overdue open report, for the system's escalation sweep (no viewer)."""
    return Report.objects.filter(_overdue_q(today)).select_related("bureau")


def identity_shown(user: Any, report: Report) -> bool:
    """A named reporter's identity is shown only to the handling officer."""
    return not report.anonymous and report.handler_id is not None and report.handler_id == user.pk


def handlers_for(report: Report) -> list[User]:
    """The officers of the competent bureau who may handle it."""
    users = User.objects.filter(bureau_id=report.bureau_id, is_active=True).prefetch_related(
        "role_assignments"
    )
    return [u for u in users if u.can(Capability.COMPLAINTS_HANDLE)]


def officers_of(report: Report) -> list[User]:
    """The competent bureau's officers who inspect and handle cases (the team of a task or a
    case made from the report)."""
    users = User.objects.filter(bureau_id=report.bureau_id, is_active=True).prefetch_related(
        "role_assignments"
    )
    return [u for u in users if u.can(Capability.INSPECT)]


def report_messages(report: Report) -> list[Any]:
    """The follow-up as the reporter reads it: its own, and for a merged report the original's
    answers too."""
    messages = list(report.messages.all())
    return messages


def duplicates_of(user: Any, report: Report) -> QuerySet[Report]:
    return Report.objects.visible_to(user).filter(duplicate_of=report)


def reward_list(user: Any, state: str = "") -> QuerySet[Reward]:
    qs = Reward.objects.visible_to(user).select_related("report", "bureau")
    # Like reports: the desk and leadership of the bureau, and the committee of its region.
    if not getattr(user, "is_superuser", False) and not (
        user.can(Capability.REWARDS_APPROVE) or user.can(Capability.COMPLAINTS_RECEIVE)
    ):
        return qs.none()
    if state:
        qs = qs.filter(state=state)
    return qs


def reward_get(user: Any, pk: int) -> Reward:
    try:
        return reward_list(user).get(pk=pk)
    except Reward.DoesNotExist:
        from django.http import Http404

        raise Http404 from None


def rewards_waiting(user: Any) -> QuerySet[Reward]:
    return reward_list(user, RewardState.PROPOSED)


def exposure_public() -> QuerySet[ExposureEntry]:
    return ExposureEntry.objects.filter(withdrawn_at__isnull=True).select_related("bureau")


def exposure_list(user: Any) -> QuerySet[ExposureEntry]:
    return ExposureEntry.objects.visible_to(user).select_related("bureau", "case")


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date
    region: str
    industry: str
    outcome: str
    count: int


def monthly_counts(*, months: int | None = None, today: datetime.date | None = None) -> list[Any]:
    """Reports handled per month, region (city), industry and outcome, for the months that have
    ended (a month's figures are published once it is over). Counts only: no report is named."""
    day = today or clock.today()
    first_of_this = day.replace(day=1)
    n = months or settings.ANJIAN_COMPLAINT_STATISTICS_MONTHS
    start = first_of_this
    for _i in range(n):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    rows = (
        Report.objects.filter(
            closed_on__gte=start,
            closed_on__lt=first_of_this,
            state__in=[ReportState.HANDLED, ReportState.REJECTED],
        )
        .annotate(month=TruncMonth("closed_on"))
        .values(
            "month", "bureau__region_id", "bureau__region__name", "industry", "outcome", "state"
        )
        .annotate(count=Count("id"))
        .order_by("-month", "bureau__region_id", "industry", "outcome")
    )
    return list(rows)


OUTCOME_REJECTED = "rejected"


def outcome_label(row: dict[str, Any]) -> str:
    if row["state"] == ReportState.REJECTED:
        return str(ReportState.REJECTED.label)
    return str(dict(ReportOutcome.choices).get(row["outcome"], "—"))
