"""The application's PostgreSQL role cannot alter the audit trail (docs/security.md, "Database
roles"): `anjian db roles` makes an owner role and an application role; connected as the
latter, UPDATE, DELETE and TRUNCATE of audit events, DELETE of the chain head, disabling or
dropping the triggers and `SET session_replication_role` all fail, while the application's own
writer still appends. `check --deploy` warns when the application connects as a superuser or as
the owner.

Two ways to run: connected as a superuser (`make test-pg` on a developer's server), the test
makes throw-away roles with the command and reconnects as them; connected as a role that is
not one (CI's PostgreSQL pass runs as the application role, .ci/run), it tests that role."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from anjian.core.db_roles import roles_check, roles_problems
from anjian.core.models import AuditChainHead, AuditEvent
from anjian.core.selectors import audit_chain_verify
from anjian.core.services import AuditSource, audit_record

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles: PostgreSQL"),
]

REFUSED = [
    ("UPDATE core_auditevent SET actor = 'x'", "permission denied"),
    ("DELETE FROM core_auditevent", "permission denied"),
    ("TRUNCATE core_auditevent", "permission denied"),
    ("DELETE FROM core_auditchainhead", "permission denied"),
    ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER core_auditevent_no_change ON core_auditevent", "must be owner"),
    ("SET session_replication_role = replica", "permission denied"),
    ("CREATE TABLE public.anjian_smuggled (x int)", "permission denied"),
]


def _superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


@contextlib.contextmanager
def _connected_as(user: str) -> Iterator[None]:
    saved = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = user
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = saved


def _refusals() -> dict[str, str]:
    """Each forbidden statement and what the server answered ('' if it was allowed)."""
    out = {}
    for sql, _expected in REFUSED:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
                out[sql] = ""
                raise _Undo
        except _Undo:
            pass
        except DatabaseError as exc:
            out[sql] = str(exc)
    return out


class _Undo(Exception):
    """Roll back a statement that should not have been allowed."""


def _the_app_role_is_limited(events_before: int) -> None:
    refusals = _refusals()
    for sql, expected in REFUSED:
        assert expected in refusals[sql], f"{sql!r} was not refused: {refusals[sql]!r}"
    # Its own writer still appends, and the chain holds.
    audit_record(
        actor=None, action="core.region.updated", obj=None, region="", changes={"probe": 1},
        source=AuditSource.SYSTEM,
    )  # fmt: skip
    assert AuditEvent.objects.count() == events_before + 1
    assert AuditChainHead.objects.get(pk=1).seq == events_before + 1
    assert audit_chain_verify().intact
    assert roles_problems() == []
    assert [m.id for m in roles_check()] == []


@pytest.fixture
def throwaway_roles(transactional_db: Any) -> Iterator[tuple[str, str]]:
    suffix = secrets.token_hex(4)
    owner, app = f"anjian_test_owner_{suffix}", f"anjian_test_app_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        me = cursor.fetchone()[0]
    try:
        yield owner, app
    finally:
        connection.close()
        with connection.cursor() as cursor:
            for role in (owner, app):
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone():
                    cursor.execute(f'REASSIGN OWNED BY "{role}" TO "{me}"')
                    cursor.execute(f'DROP OWNED BY "{role}"')
                    cursor.execute(f'DROP ROLE "{role}"')


def test_the_application_role_cannot_alter_the_trail(
    request: pytest.FixtureRequest, transactional_db: Any
) -> None:
    if not _superuser():
        # CI: the suite itself runs as the application role made by `anjian db roles`.
        audit_record(
            actor=None, action="core.region.updated", obj=None, region="",
            changes={"first": 1}, source=AuditSource.SYSTEM,
        )  # fmt: skip
        _the_app_role_is_limited(AuditEvent.objects.count())
        return
    owner, app = request.getfixturevalue("throwaway_roles")
    audit_record(
        actor=None, action="core.region.updated", obj=None, region="", changes={"first": 1},
        source=AuditSource.SYSTEM,
    )  # fmt: skip
    # As the superuser: the check warns, and the command makes the roles.
    assert [m.id for m in roles_check()] == ["anjian.core.W001"]
    assert "superuser" in roles_check()[0].msg
    call_command("db", "roles", "--owner", owner, "--app", app, verbosity=0)
    call_command("db", "roles", "--owner", owner, "--app", app, verbosity=0)  # idempotent
    events = AuditEvent.objects.count()
    with _connected_as(owner):
        # The owner may lift the triggers: the check says so, and names the table.
        messages = [m.msg for m in roles_check()]
        assert any("owns core_auditevent" in m for m in messages), messages
    with _connected_as(app):
        _the_app_role_is_limited(events)


def test_the_command_refuses_an_application_role_that_is_the_owner(transactional_db) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("db", "roles", "--owner", "same_role", "--app", "same_role")
    with pytest.raises(CommandError, match="role name"):
        call_command("db", "roles", "--owner", "Owner; DROP", "--app", "x")
