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


# Since migration core.0003 (audit retention): a DELETE is allowed only for an event at or before
# the newest purge anchor (core_auditpurge, written first by `audit_purge`) AND older than
# MIN_RETENTION_DAYS by the database's own clock; the anchors themselves never change.
MIN_RETENTION_DAYS = 184
PURGE_TABLE = "core_auditpurge"
PURGE_MESSAGE = "core_auditpurge is append-only"
_ANCHOR = f"(SELECT COALESCE(MAX(upto_seq), 0) FROM {PURGE_TABLE})"  # noqa: S608 (constants)
_SQLITE_INSTALL_V2 = [
    _SQLITE_INSTALL[0],
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"WHEN OLD.seq > {_ANCHOR} OR OLD.occurred_at >= "
    f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-{MIN_RETENTION_DAYS} days') "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {PURGE_TABLE}_no_update BEFORE UPDATE ON {PURGE_TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{PURGE_MESSAGE}: UPDATE refused'); END;",
    f"CREATE TRIGGER IF NOT EXISTS {PURGE_TABLE}_no_delete BEFORE DELETE ON {PURGE_TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{PURGE_MESSAGE}: DELETE refused'); END;",
]
_SQLITE_UNINSTALL_V2 = [
    *_SQLITE_UNINSTALL,
    f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_no_delete;",
]
_PG_INSTALL_V2 = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.seq <= {_ANCHOR}
       AND OLD.occurred_at < now() - interval '{MIN_RETENTION_DAYS} days' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END $$;""",
    _PG_INSTALL[1],
    _PG_INSTALL[2],
    f"""CREATE OR REPLACE FUNCTION {PURGE_TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{PURGE_MESSAGE}: % refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;""",
    f"CREATE OR REPLACE TRIGGER {PURGE_TABLE}_no_change BEFORE UPDATE OR DELETE ON {PURGE_TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {PURGE_TABLE}_refuse();",
    f"CREATE OR REPLACE TRIGGER {PURGE_TABLE}_no_truncate BEFORE TRUNCATE ON {PURGE_TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PURGE_TABLE}_refuse();",
]
_PG_UNINSTALL_V2 = [
    *_PG_UNINSTALL,
    f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_no_change ON {PURGE_TABLE};",
    f"DROP TRIGGER IF EXISTS {PURGE_TABLE}_no_truncate ON {PURGE_TABLE};",
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


_STATEMENTS_V2 = {
    "sqlite": (_SQLITE_INSTALL_V2, _SQLITE_UNINSTALL_V2),
    "postgresql": (_PG_INSTALL_V2, _PG_UNINSTALL_V2),
}


def _statements(connection: Any) -> dict[str, tuple[list[str], list[str]]]:
    """Before migration core.0003 there is no purge table, and no DELETE at all is allowed."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return _STATEMENTS_V2 if PURGE_TABLE in tables else _STATEMENTS


def install(connection: Any) -> None:
    triggers_run(connection, _statements(connection), install=True)


def uninstall(connection: Any) -> None:
    triggers_run(connection, _statements(connection), install=False)
