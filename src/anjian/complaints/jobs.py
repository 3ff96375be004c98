"""The complaints' daily job: escalate the reports overdue past the grace period to the bureau
above (the same as `anjian complaints escalate`, run by the worker every day; ADR 0012)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.core.services import AuditSource
from anjian.jobs.registry import periodic_job


@periodic_job(
    "complaints.reports_escalate",
    _("Escalate overdue reports"),
    at=settings.ANJIAN_JOBS_ESCALATE_AT,
)
def reports_escalate_daily() -> int:
    from anjian.complaints.services import reports_escalate

    return reports_escalate(source=AuditSource.SYSTEM)
