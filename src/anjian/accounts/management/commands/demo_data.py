"""`anjian demo-data`: load the deterministic Shanxi demo data set and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from anjian.demo import DEMO_PASSWORD, demo_organisations_load


class Command(BaseCommand):
    help = "Load the Shanxi demo data set (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_organisations_load(seed=options["seed"])
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.description}")
        self.stdout.write("")
