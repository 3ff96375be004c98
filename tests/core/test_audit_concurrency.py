"""Concurrent writers must not fork the chain (PostgreSQL, real parallel connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from anjian.core.models import AuditEvent
from anjian.core.selectors import audit_chain_verify
from anjian.core.services import SYSTEM_ACTOR, audit_record

WRITERS = 8
EACH = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_extend_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; .ci/run runs the suite against it")
    start = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                audit_record(
                    actor=SYSTEM_ACTOR,
                    action="test.parallel",
                    object_id=f"{n}-{i}",
                    changes={"writer": n, "i": i},
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert AuditEvent.objects.count() == start + WRITERS * EACH
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEvent.objects.values("prev_hash").distinct().count() == len(seqs)
    assert audit_chain_verify().intact


@pytest.mark.django_db(transaction=True)
def test_sequential_writers_in_separate_transactions_stay_linked() -> None:
    """The same property on any backend, without threads (SQLite serialises writers)."""
    for i in range(20):
        audit_record(actor=SYSTEM_ACTOR, action="test.serial", object_id=str(i), changes={})
    assert audit_chain_verify().intact
