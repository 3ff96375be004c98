"""`anjian db roles --owner OWNER --app APP`: the two PostgreSQL roles of a deployment."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anjian.core.db_roles import RoleError, roles_apply, roles_problems


class Command(BaseCommand):
    help = (
        "Database roles: `roles --owner OWNER --app APP` makes an owner role for migrations and "
        "an application role that cannot alter the audit trail (run as a superuser, again "
        "after every migration). `check` says what is wrong with the role connected now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        roles = sub.add_parser("roles", help="create or correct the owner and application roles")
        roles.add_argument("--owner", required=True, help="the role that owns and migrates")
        roles.add_argument("--app", required=True, help="the role the application serves as")
        roles.add_argument(
            "--owner-password-env",
            default="",
            help="name of an environment variable holding the owner's password",
        )
        roles.add_argument(
            "--app-password-env",
            default="",
            help="name of an environment variable holding the application role's password",
        )
        roles.add_argument("--database", default="default")
        sub.add_parser("check", help="what the connected role could do to the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            problems = roles_problems()
            for problem in problems:
                self.stderr.write(self.style.ERROR(f"✗ {problem}"))
            if problems:
                raise CommandError("the application's database role can alter the audit trail")
            self.stdout.write(self.style.SUCCESS("✓ the connected role cannot alter the trail"))
            return

        def password(var: str) -> str:
            if not var:
                return ""
            if var not in os.environ:
                raise CommandError(f"environment variable {var} is not set")
            return os.environ[var]

        try:
            report = roles_apply(
                owner=options["owner"],
                app=options["app"],
                owner_password=password(options["owner_password_env"]),
                app_password=password(options["app_password_env"]),
                using=options["database"],
            )
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] > 1:
            for sql in report.statements:
                self.stdout.write(sql)
        for name in report.created:
            self.stdout.write(f"created role {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"roles ready: migrate as {options['owner']}, serve as {options['app']} "
                f"({len(report.statements)} statements)"
            )
        )
