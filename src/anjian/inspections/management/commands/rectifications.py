"""`anjian rectifications escalate`: escalate every correction order that is N working days
(ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS) past its deadline without a passed re-inspection,
and list them for the division heads and bureau leaders. Run it daily (cron or a systemd timer)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.core.services import SYSTEM_ACTOR, AuditSource
from anjian.inspections import selectors, services


class Command(BaseCommand):
    help = "Rectifications: `escalate` escalates the orders overdue past the grace period."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        escalate = sub.add_parser("escalate", help="escalate overdue correction orders")
        escalate.add_argument("--today", help="the day to count from (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("Give the day as YYYY-MM-DD.")) from None
        rows = selectors.rectifications_overdue(SYSTEM_ACTOR, today=today)
        day = today or timezone.localdate()
        done = 0
        for row in rows:
            if not row.escalatable(day):
                continue
            order = services.rectification_escalate(
                actor=SYSTEM_ACTOR, order=row.order, today=day, source=AuditSource.CLI
            )
            done += 1
            self.stdout.write(
                f"{order.record.bureau.name}\t{order.record.entity.name}\t{order.record.number}\t"
                f"{order.deadline.isoformat()}\t{row.working_days_late}"
            )
        self.stdout.write(self.style.SUCCESS(_("%(n)d orders escalated.") % {"n": done}))
