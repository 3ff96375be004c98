"""`anjian import entities|licences|filings FILE`: import a CSV or XLSX file.

The layout is docs/import-format.md.

Run by an operator, the import acts as the system with no jurisdiction limit; `--user NAME` acts
as that user instead, with their role and jurisdiction. Exit status 0 when every row was
accepted, 1 when some were rejected (the report lists them), 2 when the file could not be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from anjian.core.errors import ServiceError
from anjian.core.exporting import xlsx_bytes
from anjian.core.services import SYSTEM_ACTOR, AuditSource
from anjian.entities.importing import IMPORTERS, import_report_rows
from anjian.entities.models import ImportKind


class Command(BaseCommand):
    help = "Import market entities, licences or filings from a CSV or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--strict", action="store_true", help="write nothing if any row is rejected"
        )
        parser.add_argument("--user", help="act as this user (role and jurisdiction apply)")
        parser.add_argument("--report", type=Path, help="write the rejected rows to this .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        from anjian.accounts.models import User

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor: Any = SYSTEM_ACTOR
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": options["user"]})
        try:
            batch = IMPORTERS[options["kind"]](
                actor=actor,
                source_file=path,
                file_name=path.name,
                dry_run=options["dry_run"],
                strict=options["strict"],
                source=AuditSource.CLI,
            )
        except ServiceError as exc:
            self.stderr.write(str(exc.message))
            raise SystemExit(2) from None
        self.stdout.write(
            _(
                "%(file)s: %(total)d rows, %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged, %(rejected)d rejected%(note)s"
            )
            % {
                "file": path.name,
                "total": batch.rows_total,
                "created": batch.rows_created,
                "updated": batch.rows_updated,
                "unchanged": batch.rows_unchanged,
                "rejected": batch.rows_rejected,
                "note": _(" (nothing written)") if batch.dry_run else "",
            }
        )
        for item in batch.errors[:50]:
            self.stdout.write(
                _("  row %(row)s, %(column)s: %(reason)s")
                % {"row": item["row"], "column": item["column"], "reason": item["reason"]}
            )
        if len(batch.errors) > 50:
            self.stdout.write(_("  … %(n)d more") % {"n": len(batch.errors) - 50})
        if options["report"] and batch.errors:
            rows = list(import_report_rows(batch))
            options["report"].write_bytes(xlsx_bytes(rows[0], rows[1:]))
        if batch.rows_rejected:
            raise SystemExit(1)
