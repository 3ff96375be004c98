"""`anjian complaints escalate`: escalate to the bureau above every open report past its
acceptance or handling deadline by more than ANJIAN_COMPLAINT_ESCALATE_WORKDAYS working days.
Run it daily (cron or a systemd timer); the home pages show what is due soon and overdue."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.complaints.services import reports_escalate


class Command(BaseCommand):
    help = "Complaints: `escalate` escalates overdue reports to the bureau above."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        escalate = sub.add_parser("escalate", help="escalate overdue reports")
        escalate.add_argument("--today", help="the day to count from (YYYY-MM-DD); default today")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        today = None
        if options.get("today"):
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("Give the day as YYYY-MM-DD.")) from None
        done = reports_escalate(today=today)
        self.stdout.write(_("%(count)s reports escalated.") % {"count": done})
