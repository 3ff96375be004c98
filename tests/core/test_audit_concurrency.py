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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verify_during_parallel_writers_never_reports_a_false_break() -> None:
    """`audit verify` used to read the head row after its batches and call the chain broken
    ("head table says #4215 but the last event is #4214") while writers were active."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; .ci/run runs the suite against it")
    for i in range(50):  # something to walk before the writers start
        audit_record(actor=SYSTEM_ACTOR, action="test.seed", object_id=str(i), changes={})
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            i = 0
            while not stop.is_set():
                audit_record(
                    actor=SYSTEM_ACTOR, action="test.parallel", object_id=f"{n}-{i}", changes={}
                )
                i += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    try:
        results = [audit_chain_verify() for _ in range(10)]
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors
    assert [r.problem for r in results if not r.intact] == []
    assert results[-1].head_seq > 50  # the writers were writing while it verified
    assert audit_chain_verify().intact


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_verify_is_not_fooled_by_a_writer_committing_just_before_it_reads_the_head() -> None:
    """The worst timing, made to happen every time: whenever verify reads the chain head row,
    another connection has just appended and committed an event."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; .ci/run runs the suite against it")
    for i in range(5):
        audit_record(actor=SYSTEM_ACTOR, action="test.seed", object_id=str(i), changes={})

    def append_elsewhere() -> None:
        try:
            audit_record(actor=SYSTEM_ACTOR, action="test.sneaked_in", changes={})
        finally:
            connections.close_all()

    def writer_first(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "core_auditchainhead" in sql and sql.lstrip().upper().startswith("SELECT"):
            t = threading.Thread(target=append_elsewhere)
            t.start()
            t.join()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(writer_first):
        result = audit_chain_verify()
    assert result.intact, result.problem
    assert AuditEvent.objects.filter(action="test.sneaked_in").exists()
    assert audit_chain_verify().intact
