"""The accident reports' part of what waits for an enterprise (/enterprise/): a report whose
supplement period (art. 13: 30 days, 7 for road traffic and fire) is still open."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.enterprise.waiting import Waiting, waiting_provider


@waiting_provider
def open_supplements(user: Any, today: datetime.date) -> Iterable[Waiting]:
    from django.conf import settings

    from anjian.accidents.models import AccidentReport
    from anjian.core import clock

    now = clock.now()
    # The longest period bounds the query; each report's own period decides.
    longest = max(
        settings.ANJIAN_ACCIDENT_SUPPLEMENT_DAYS, settings.ANJIAN_ACCIDENT_SUPPLEMENT_DAYS_SHORT
    )
    since = now - datetime.timedelta(days=longest)
    reports = (
        AccidentReport.objects.visible_to(user)
        .filter(occurred_at__gte=since)
        .order_by("occurred_at", "pk")[:50]
    )
    url = reverse("accidents:my_list")
    for report in reports:
        until = report.supplement_until()
        if until < now:
            continue
        yield Waiting(
            _("Accident report supplement"),
            _("Accident of %(day)s at %(place)s: report changes in casualties")
            % {
                "day": timezone.localtime(report.occurred_at).strftime("%Y-%m-%d"),
                "place": report.place,
            },
            reverse("accidents:my_detail", args=[report.pk]),
            timezone.localdate(until),
            url,
        )
