"""`anjian jobs list` (the registered jobs), `anjian jobs run NAME` (run a periodic job here and
now, outside the worker), `anjian jobs failures` (the open failures). The worker itself is
`anjian run_huey` (Huey's command; `make demo` starts it beside the web server)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core.services import SYSTEM_ACTOR
from anjian.jobs import selectors
from anjian.jobs.registry import job_spec, jobs_registered


class Command(BaseCommand):
    help = "Background jobs: list, run NAME, failures."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the registered jobs")
        run = sub.add_parser("run", help="run a periodic job now, in this process")
        run.add_argument("name")
        sub.add_parser("failures", help="failed runs nobody has dealt with")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        action = options["action"]
        if action == "list":
            for spec in jobs_registered():
                when = spec.at or (f"*/{spec.every}" if spec.every else "-")
                self.stdout.write(f"{spec.name}\t{when}\t{spec.label}")
        elif action == "run":
            found = job_spec(options["name"])
            if found is None or not found.periodic:
                raise CommandError(_("No such periodic job."))
            found.wrapper.call_local()
            self.stdout.write(self.style.SUCCESS(_("Done.")))
        else:
            for run in selectors.label_runs(selectors.failures_open(SYSTEM_ACTOR)):
                self.stdout.write(
                    f"{run.pk}\t{run.finished_at:%Y-%m-%d %H:%M}\t{run.name}\t{run.error}"
                )
