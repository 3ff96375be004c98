"""`anjian token create USERNAME NAME` / `anjian token revoke PREFIX`: API bearer tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import ApiToken, User
from anjian.accounts.services import api_token_create, api_token_revoke
from anjian.core.services import SYSTEM_ACTOR, AuditSource


class Command(BaseCommand):
    help = "Create or revoke API bearer tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("name", help="what will use the token, e.g. 'city data exchange'")
        create.add_argument("--days", type=int, default=365, help="validity; 0 for no expiry")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="the first 12 characters of the token")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no user {options['username']!r}")
            token, key = api_token_create(
                actor=SYSTEM_ACTOR,
                user=user,
                name=options["name"],
                valid_days=options["days"] or None,
                source=AuditSource.CLI,
            )
            self.stdout.write(key)
            self.stderr.write(
                f"token {token.prefix}… for {user.username}; shown once, keep it safe"
            )
        else:
            found = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"no token with prefix {options['prefix']!r}")
            api_token_revoke(actor=SYSTEM_ACTOR, token=found, source=AuditSource.CLI)
            self.stdout.write(f"revoked {found.prefix}…")
