"""`anjian draws verify DRAW_ID`: re-run a draw from its published inputs and compare."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.draws.models import Draw
from anjian.draws.verify import draw_verify


class Command(BaseCommand):
    help = "Random draws: `verify DRAW_ID` re-runs a draw from what was published."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="re-run a draw and compare with the record")
        verify.add_argument("draw_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        draw = Draw.objects.filter(pk=options["draw_id"]).first()
        if draw is None:
            raise CommandError(_("No draw has this number."))
        result = draw_verify(draw)
        for name, passed in result.checks:
            mark = self.style.SUCCESS("✓") if passed else self.style.ERROR("✗")
            reason = result.reasons.get(name)
            self.stdout.write(f"{mark} {name}" + (f": {reason}" if reason else ""))
        if not result.ok:
            raise CommandError(_("Draw %(id)d does not verify.") % {"id": draw.pk})
        self.stdout.write(self.style.SUCCESS(_("Draw %(id)d verifies.") % {"id": draw.pk}))
