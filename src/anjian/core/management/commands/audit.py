"""`anjian audit verify`: walk the audit chain and name the first event that does not match;
then run the checks other apps registered (core/verification.py), such as the evidence files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core.selectors import audit_chain_verify
from anjian.core.verification import audit_checks_run


class Command(BaseCommand):
    help = "Audit trail tools: `verify` checks every event's hash and link."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the whole chain")
        verify.add_argument(
            "--head",
            default="",
            help="a previously published head as SEQ:HASH; verification fails if the chain "
            "no longer contains it",
        )
        verify.add_argument(
            "--files",
            choices=["hash", "exists", "skip"],
            default="hash",
            help="stored files (evidence): hash = re-read and hash every file (default), "
            "exists = only check each is present with its size, skip = leave files out",
        )

        purge = sub.add_parser(
            "purge",
            help="delete the events older than the retention period (at least 184 days) from "
            "the start of the chain; the chain still verifies from the purge anchor",
        )
        purge.add_argument(
            "--days", type=int, required=True, help="retention in days (184 or more)"
        )
        purge.add_argument(
            "--yes", action="store_true", help="really purge (without it: only say what would go)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if options["action"] == "purge":
            self._purge(days=options["days"], really=options["yes"])
            return
        expect_seq, expect_hash = None, ""
        if options["head"]:
            try:
                seq_text, expect_hash = options["head"].split(":", 1)
                expect_seq = int(seq_text)
            except ValueError:
                raise CommandError(_("--head must look like 1234:<64 hex digits>")) from None
        result = audit_chain_verify(expect_seq=expect_seq, expect_hash=expect_hash.strip())
        broken = not result.intact
        if result.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Audit chain intact: %(n)d events verified; head #%(seq)d %(hash)s")
                    % {"n": result.checked, "seq": result.head_seq, "hash": result.head_hash}
                )
            )
        else:
            problem = result.problem
            assert problem is not None
            self.stderr.write(
                self.style.ERROR(
                    _(
                        "Audit chain BROKEN at event #%(seq)d: %(reason)s (%(n)d events before it verified)"  # noqa: E501
                    )
                    % {"seq": problem.seq, "reason": problem.reason, "n": result.checked}
                )
            )
        for report in audit_checks_run(files=options["files"]):
            if report.intact:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(title)s intact: %(n)d verified")
                        % {"title": report.title, "n": report.checked}
                    )
                )
                continue
            broken = True
            self.stderr.write(
                self.style.ERROR(
                    _("%(title)s: %(count)d problem(s) among %(n)d")
                    % {"title": report.title, "count": len(report.problems), "n": report.checked}
                )
            )
            for line in report.problems:
                self.stderr.write(self.style.ERROR(f"  {line}"))
        if broken:
            raise SystemExit(1)

    def _purge(self, *, days: int, really: bool) -> None:
        import datetime

        from anjian.core import clock
        from anjian.core.audit_retention import RetentionTooShort, audit_purge
        from anjian.core.audit_triggers import MIN_RETENTION_DAYS
        from anjian.core.models import AuditEvent

        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                _("Audit events are kept at least %(min)d days; %(days)d days were asked for.")
                % {"min": MIN_RETENTION_DAYS, "days": days}
            )
        if not really:
            cutoff = clock.now() - datetime.timedelta(days=days)
            older = AuditEvent.objects.filter(occurred_at__lt=cutoff).count()
            self.stdout.write(
                _("%(n)d events are older than %(days)d days; run again with --yes to purge.")
                % {"n": older, "days": days}
            )
            return
        try:
            anchor = audit_purge(retention_days=days)
        except RetentionTooShort as error:
            raise CommandError(str(error.message)) from None
        if anchor is None:
            self.stdout.write(_("No audit event is older than %(days)d days.") % {"days": days})
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Purged %(n)d events up to #%(seq)d; the chain now verifies from %(hash)s.")
                % {"n": anchor.count, "seq": anchor.upto_seq, "hash": anchor.upto_hash}
            )
        )
