"""`anjian changepassword USERNAME`: Django's command, through the password service.

Django's own command sets the password directly: no 等保 rules beyond the validators, no password
history, no 90-day clock and no audit event. This one asks twice, then calls
`user_password_change`, which does all four, and audits the change as done from the command line.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.accounts.models import User
from anjian.accounts.services import user_password_change
from anjian.core.errors import ServiceError
from anjian.core.services import SYSTEM_ACTOR, AuditSource


class Command(BaseCommand):
    help = "Change a user's password, with the platform's password rules, history and audit."
    requires_migrations_checks = True
    attempts = 3

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the user whose password is changed")

    def _ask(self, prompt: str) -> str:
        return getpass.getpass(prompt)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        for _attempt in range(self.attempts):
            first = self._ask(f"New password for {user.username}: ")
            if first != self._ask("Again: "):
                self.stderr.write("The two passwords differ.")
                continue
            try:
                user_password_change(
                    actor=SYSTEM_ACTOR, user=user, new_password=first, source=AuditSource.CLI
                )
            except ServiceError as exc:
                for messages in exc.fields.values():
                    for message in messages:
                        self.stderr.write(str(message))
                continue
            self.stdout.write(f"Password changed for {user.username}.")
            return
        raise CommandError("Too many attempts; the password was not changed.")
