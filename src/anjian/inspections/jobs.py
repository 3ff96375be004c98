"""The inspections' daily job: escalate the correction orders overdue past the grace period
(the same as `anjian rectifications escalate`, run by the worker every day; ADR 0012)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.core import clock
from anjian.core.services import SYSTEM_ACTOR, AuditSource
from anjian.jobs.registry import periodic_job

if TYPE_CHECKING:
    from anjian.inspections.models import CorrectionOrder


def rectifications_escalate_due(
    *, today: datetime.date | None = None, source: str = AuditSource.SYSTEM
) -> list[tuple[CorrectionOrder, int]]:
    """Escalate every open order N working days past its deadline; the escalated orders with
    how many working days late each is. Each order is its own transaction: one refused order
    does not hold back the others."""
    from anjian.inspections import selectors, services

    day = today or clock.today()
    done: list[tuple[CorrectionOrder, int]] = []
    for row in selectors.rectifications_overdue(SYSTEM_ACTOR, today=day):
        if not row.escalatable(day):
            continue
        order = services.rectification_escalate(
            actor=SYSTEM_ACTOR, order=row.order, today=day, source=source
        )
        done.append((order, row.working_days_late))
    return done


@periodic_job(
    "inspections.rectifications_escalate",
    _("Escalate overdue rectifications"),
    at=settings.ANJIAN_JOBS_ESCALATE_AT,
)
def rectifications_escalate_daily() -> int:
    return len(rectifications_escalate_due())
