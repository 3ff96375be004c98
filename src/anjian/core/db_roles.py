"""PostgreSQL roles: an owner that migrates, and an application role that serves and cannot alter
the audit trail (docs/security.md, "Database roles").

The owner of a table can drop or disable its triggers, and a superuser can also switch them off
for a session (`SET session_replication_role = replica`); so the append-only triggers protect the
trail only from a role that is neither. `roles_apply` makes that role:

- the owner role owns the database, the schema `public` and every table, sequence and function
  in it (migrations run as the owner);
- the application role logs in, is not a superuser, cannot create databases or roles, is not a
  member of the owner role, and has per table only the privileges listed below.

Which tables are special is said by the model (no list to keep in step): a model class attribute
`db_app_privileges` of `APPEND_ONLY` (SELECT, INSERT) or `NO_DELETE` (SELECT, INSERT, UPDATE).
Every other table gets SELECT, INSERT, UPDATE, DELETE; no table gets TRUNCATE, REFERENCES or
TRIGGER. Run it again after every migration (it is idempotent; `check --deploy` warns when the
application role can update an append-only table, which is what a forgotten run looks like).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connections

APPEND_ONLY = "append_only"
NO_DELETE = "no_delete"
PRIVILEGES = {
    APPEND_ONLY: "SELECT, INSERT",
    NO_DELETE: "SELECT, INSERT, UPDATE",
    "": "SELECT, INSERT, UPDATE, DELETE",
}
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(RuntimeError):
    """A role cannot be made what it must be (bad name, the app role is the owner, ...)."""


def table_rules() -> dict[str, str]:
    """Each Django table with a rule other than full DML: table name -> APPEND_ONLY / NO_DELETE."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        rule = getattr(model, "db_app_privileges", "")
        if rule:
            if rule not in PRIVILEGES:
                raise RoleError(f"{model.__name__}.db_app_privileges: unknown rule {rule!r}")
            out[model._meta.db_table] = rule
    return out


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise RoleError(
            f"role name {name!r}: use lower-case letters, digits and _ (at most 63), "
            "beginning with a letter or _"
        )
    return f'"{name}"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class RolesReport:
    created: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)


def roles_apply(
    *,
    owner: str,
    app: str,
    owner_password: str = "",
    app_password: str = "",
    using: str = "default",
) -> RolesReport:
    """Create (or correct) the two roles and set ownership and privileges in the database of
    `using`, whose connection must be a superuser's (or a role with CREATEROLE that can take
    ownership of every object). Idempotent."""
    if owner == app:
        raise RoleError("the application role must not be the owner role")
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("database roles are for PostgreSQL; SQLite has none")
    o, a = _ident(owner), _ident(app)
    report = RolesReport()
    with connection.cursor() as cursor:

        def run(sql: str) -> None:
            report.statements.append(sql)
            cursor.execute(sql)

        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0]
        db = '"' + database.replace('"', '""') + '"'
        for name, quoted, password in ((owner, o, owner_password), (app, a, app_password)):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cursor.fetchone() is None:
                run(f"CREATE ROLE {quoted} LOGIN")
                report.created.append(name)
            if password:
                cursor.execute(f"ALTER ROLE {quoted} PASSWORD {_literal(password)}")
                report.statements.append(f"ALTER ROLE {quoted} PASSWORD '…'")
        # The owner may create in its database; it needs no power over the cluster.
        run(f"ALTER ROLE {o} LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS")
        # The application role: nothing beyond logging in, and no role it could SET ROLE to.
        run(f"ALTER ROLE {a} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
        cursor.execute(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
            [app],
        )
        for (granted,) in cursor.fetchall():
            run(f'REVOKE "{granted}" FROM {a}')
        # Ownership: the database, the schema, and every object in it.
        run(f"ALTER DATABASE {db} OWNER TO {o}")
        run(f"ALTER SCHEMA public OWNER TO {o}")
        # Tables first: a sequence that belongs to a table's column follows its table.
        for kinds in (["r", "p", "v", "m", "f"], ["S"]):
            cursor.execute(
                "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                "AND c.relkind::text = ANY(%s) AND pg_get_userbyid(c.relowner) <> %s",
                [kinds, owner],
            )
            for relname, relkind in cursor.fetchall():
                what = {
                    "S": "SEQUENCE",
                    "v": "VIEW",
                    "m": "MATERIALIZED VIEW",
                    "f": "FOREIGN TABLE",
                }.get(relkind, "TABLE")
                run(f'ALTER {what} public."{relname}" OWNER TO {o}')
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
            "AND pg_get_userbyid(p.proowner) <> %s",
            [owner],
        )
        for (signature,) in cursor.fetchall():
            run(f"ALTER ROUTINE {signature} OWNER TO {o}")
        # Nobody but the owner creates in the schema (PostgreSQL 15 already revokes it).
        run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        run(f"REVOKE ALL ON SCHEMA public FROM {a}")
        run(f"GRANT USAGE ON SCHEMA public TO {a}")
        run(f"REVOKE ALL ON DATABASE {db} FROM {a}")
        run(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {a}")
        # Tables: revoke everything, then grant by rule.
        rules = table_rules()
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1"
        )
        for (table,) in cursor.fetchall():
            t = f'public."{table}"'
            run(f"REVOKE ALL ON {t} FROM {a}")
            run(f"GRANT {PRIVILEGES[rules.get(table, '')]} ON {t} TO {a}")
        run(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {a}")
        run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}")
        # What later migrations create until this runs again: ordinary tables' rights. An
        # append-only table created later is caught by `check --deploy` (roles_problems).
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}"
        )
        run(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {a}"
        )
    return report


def roles_problems(using: str = "default") -> list[str]:
    """What is wrong with the role the application connects as (empty on SQLite or when all is
    well): a superuser, the owner (or a member of the owner's role) of an append-only table, or
    a role that may change or delete rows of one."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    problems = []
    rules = table_rules()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        user, superuser = cursor.fetchone()
        if superuser:
            problems.append(
                f"the application connects as {user}, a superuser: it can switch the audit "
                "trail's triggers off (SET session_replication_role = replica) and rewrite it"
            )
        for table, rule in sorted(rules.items()):
            cursor.execute(
                "SELECT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = %s",
                [table],
            )
            row = cursor.fetchone()
            if row is None:
                continue  # not migrated yet
            if superuser:
                continue
            cursor.execute("SELECT pg_has_role(current_user, %s, 'USAGE')", [row[0]])
            if cursor.fetchone()[0]:
                problems.append(
                    f"the application connects as {user}, which owns {table} (or may act as "
                    f"its owner {row[0]}): it can disable the table's triggers and rewrite it"
                )
                continue
            denied = ["DELETE", "TRUNCATE"] + (["UPDATE"] if rule == APPEND_ONLY else [])
            for privilege in denied:
                cursor.execute("SELECT has_table_privilege(%s, %s)", [table, privilege])
                if cursor.fetchone()[0]:
                    problems.append(
                        f"the application's role {user} may {privilege} {table}: "
                        "run `anjian db roles` again as the superuser"
                    )
    return problems


def roles_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """`anjian check --deploy`: warn when the application could rewrite its audit trail."""
    from django.core import checks
    from django.db import DatabaseError

    try:
        problems = roles_problems()
    except DatabaseError as exc:  # no database to ask: nothing to say about its roles
        return [
            checks.Warning(
                f"could not check the database role: {exc}".strip(),
                id="anjian.core.W002",
            )
        ]
    return [
        checks.Warning(
            problem,
            hint="Migrate as an owner role and serve as an application role made by "
            "`anjian db roles --owner OWNER --app APP` (docs/security.md).",
            id="anjian.core.W001",
        )
        for problem in problems
    ]
