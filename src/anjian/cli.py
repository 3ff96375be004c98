"""The `anjian` command: Django's manage.py plus the project's own subcommands.

anjian migrate | runserver | ...      Django's commands
anjian audit verify                    walk the audit chain
anjian demo-data [--entities N]        load the Shanxi demo data set
anjian token create USERNAME NAME      issue an API token
anjian import entities|licences|filings FILE   import a CSV or XLSX file
anjian draws verify DRAW_ID           re-run a draw from its published inputs
"""

from __future__ import annotations

import os
import sys

# Hyphenated names users type, and the management command each maps to.
ALIASES = {"demo-data": "demo_data"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    args[0] = "anjian"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
