"""The daily reminder of correction orders whose deadline is near (ANJIAN_NOTIFY_DEADLINE_DAYS):
the unit's enterprise accounts and the inspector who issued the order are told once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from anjian.jobs.registry import periodic_job


@periodic_job(
    "notifications.deadlines",
    _("Remind of rectification deadlines"),
    at=settings.ANJIAN_JOBS_NOTIFY_AT,
)
def deadlines_job() -> dict[str, Any]:
    from anjian.notifications.reminders import deadlines_remind

    return {"notified": deadlines_remind()}
