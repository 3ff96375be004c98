"""The draw's secret is sealed at rest: a dump of the database before the draw shows only
ciphertext, and commit-reveal still verifies after the draw (docs/security.md)."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from anjian.core import crypto
from anjian.draws import services
from anjian.draws.verify import draw_verify
from tests.draws.test_services import setup, values  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _raw_secret(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM draws_draw WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_stored_secret_is_ciphertext_and_the_reveal_still_verifies(setup) -> None:  # noqa: F811
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    draw.refresh_from_db()
    secret = str(draw.secret)
    assert (
        len(secret) == 64 and draw.commitment == hashlib.sha256(bytes.fromhex(secret)).hexdigest()
    )

    raw = _raw_secret(draw.pk)
    assert raw.startswith("sm4gcm:") and secret not in raw
    # Nor is it anywhere else in the database's text columns of the draw.
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM draws_draw WHERE id = %s", [draw.pk])
        assert all(secret not in str(column) for column in cursor.fetchone())
    # The ciphertext opens only as this column's value.
    assert crypto.open_text(raw, context="draws.draw.secret") == secret
    with pytest.raises(crypto.DecryptionError):
        crypto.open_text(raw, context="cases.case.party_id_number")

    services.draw_run(actor=head, draw=draw)
    draw.refresh_from_db()
    assert draw.secret == secret and _raw_secret(draw.pk).startswith("sm4gcm:")
    assert draw_verify(draw).ok


@pytest.mark.db_owner  # runs a migration (ALTER TABLE): the owner only
@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_a_secret_stored_in_clear(setup) -> None:  # noqa: F811
    from django.db.migrations.executor import MigrationExecutor

    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    draw.refresh_from_db()
    secret = str(draw.secret)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("draws", "0003_drawselection_team")])
        assert _raw_secret(draw.pk) == secret  # unsealed again by the way back
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    raw = _raw_secret(draw.pk)
    assert raw.startswith("sm4gcm:") and secret not in raw
    draw.refresh_from_db()
    assert draw.secret == secret
