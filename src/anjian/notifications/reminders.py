"""Reminders a job makes (no event says "a deadline is near")."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core import clock
from anjian.notifications import services
from anjian.notifications.models import Kind


def deadlines_remind(today: datetime.date | None = None) -> int:
    """Tell the unit and the issuing inspector of every open order due within the next days."""
    if not apps.is_installed("anjian.inspections"):
        return 0
    from anjian.inspections.models import CorrectionOrder, OrderStatus

    day = today or clock.today()
    until = day + datetime.timedelta(days=settings.ANJIAN_NOTIFY_DEADLINE_DAYS)
    orders = CorrectionOrder.objects.filter(
        status=OrderStatus.OPEN, deadline__gte=day, deadline__lte=until
    ).select_related("record", "record__entity", "issued_by")
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        for order in orders:
            text = _("Rectification of %(unit)s (inspection %(number)s) is due on %(day)s.") % {
                "unit": order.record.entity.name,
                "number": order.record.number,
                "day": order.deadline.isoformat(),
            }
            subject = f"inspections.correctionorder:{order.pk}:{order.deadline.isoformat()}"
            made += len(
                services.notify(
                    services.enterprise_users(order.record.entity_id),
                    kind=Kind.DEADLINE_NEAR,
                    text=text,
                    subject=subject,
                    sms=True,
                )
            )
            made += len(
                services.notify(
                    [order.issued_by],
                    kind=Kind.DEADLINE_NEAR,
                    text=text,
                    subject=subject,
                    link=reverse("inspections:record_detail", kwargs={"pk": order.record_id}),
                )
            )
    return made
