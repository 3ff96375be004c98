"""Database triggers that make core_auditevent append-only, on SQLite and PostgreSQL.

Installed by migration 0002. The application's own database role should additionally be denied
UPDATE and DELETE on the table in production (docs/security.md); the triggers refuse changes
even from a role that owns it, unless someone deliberately drops them, which is exactly what
`anjian audit verify` exists to catch.
"""

from __future__ import annotations

from typing import Any

TABLE = "core_auditevent"
MESSAGE = "core_auditevent is append-only"

_SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;",
]
_SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]
_PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$;""",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();",
    f"CREATE OR REPLACE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();",
]
_PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE};",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
]


def triggers_run(
    connection: Any, statements: dict[str, tuple[list[str], list[str]]], *, install: bool
) -> None:
    """Run the install (or uninstall) statements of `connection`'s vendor; `statements` maps a
    vendor to (install, uninstall). Used by every module that guards a table with triggers."""
    if connection.vendor not in statements:
        raise NotImplementedError(f"no triggers for database vendor {connection.vendor!r}")
    with connection.cursor() as cursor:
        for sql in statements[connection.vendor][0 if install else 1]:
            cursor.execute(sql)


_STATEMENTS = {
    "sqlite": (_SQLITE_INSTALL, _SQLITE_UNINSTALL),
    "postgresql": (_PG_INSTALL, _PG_UNINSTALL),
}


def install(connection: Any) -> None:
    triggers_run(connection, _STATEMENTS, install=True)


def uninstall(connection: Any) -> None:
    triggers_run(connection, _STATEMENTS, install=False)
