"""`anjian draws verify DRAW_ID`: re-run a draw from its published inputs and compare;
`anjian draws verify --files DIR`: the same from the files downloaded from the portal, with no
database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.draws.verify import Verification, draw_verify, files_verify


class Command(BaseCommand):
    help = (
        "Random draws: `verify DRAW_ID` re-runs a draw from what was published; "
        "`verify --files DIR` does it from downloaded files alone (record.json and the TSV "
        "files), without the database."
    )
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="re-run a draw and compare with the record")
        verify.add_argument("draw_id", type=int, nargs="?")
        verify.add_argument(
            "--files",
            default="",
            help="a directory holding the draw's downloaded record.json and files; no database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if options["files"]:
            folder = Path(options["files"])
            if not folder.is_dir():
                raise CommandError(_("Not a directory: %(path)s") % {"path": folder})
            result = files_verify(folder)
        elif options["draw_id"] is None:
            raise CommandError(_("Give a draw number, or --files DIR."))
        else:
            from anjian.draws.models import Draw

            draw = Draw.objects.filter(pk=options["draw_id"]).first()
            if draw is None:
                raise CommandError(_("No draw has this number."))
            result = draw_verify(draw)
        self._report(result)

    def _report(self, result: Verification) -> None:
        for name, passed in result.checks:
            mark = self.style.SUCCESS("✓") if passed else self.style.ERROR("✗")
            reason = result.reasons.get(name)
            self.stdout.write(f"{mark} {name}" + (f": {reason}" if reason else ""))
        if not result.ok:
            raise CommandError(_("Draw %(id)d does not verify.") % {"id": result.draw_id})
        self.stdout.write(self.style.SUCCESS(_("Draw %(id)d verifies.") % {"id": result.draw_id}))
