"""`anjian rectifications escalate`: escalate every correction order that is N working days
(ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS) past its deadline without a passed re-inspection,
and list them for the division heads and bureau leaders. The background worker runs the same
every day (`inspections/jobs.py`, ADR 0012); the command is for a run by hand or a past day."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core.services import AuditSource
from anjian.inspections.jobs import rectifications_escalate_due


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
        done = rectifications_escalate_due(today=today, source=AuditSource.CLI)
        for order, late in done:
            self.stdout.write(
                f"{order.record.bureau.name}\t{order.record.entity.name}\t{order.record.number}\t"
                f"{order.deadline.isoformat()}\t{late}"
            )
        self.stdout.write(self.style.SUCCESS(_("%(n)d orders escalated.") % {"n": len(done)}))
