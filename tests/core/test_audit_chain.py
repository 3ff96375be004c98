"""The audit chain: recording, verification, tamper detection, append-only triggers."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from anjian.core import audit_triggers
from anjian.core.models import GENESIS_HASH, AuditChainHead, AuditEvent
from anjian.core.selectors import audit_chain_head, audit_chain_verify
from anjian.core.services import SYSTEM_ACTOR, AuditChainHeadMissing, audit_record

# Tampering lifts the triggers, which only the owner role may (CI runs these as the owner).
pytestmark = [pytest.mark.django_db, pytest.mark.db_owner]


def _record(n: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=SYSTEM_ACTOR,
            action="test.thing.changed",
            object_type="test.thing",
            object_id=str(i),
            region="140603",
            changes={"name": ["旧名称", f"新名称{i}"], "count": i},
        )
        for i in range(n)
    ]


def _outsider_hash(row: dict) -> str:
    """Re-implementation from docs/audit-chain.md alone, without the project's module."""
    digest = hashlib.sha256(
        json.dumps(
            row["changes"], ensure_ascii=False, sort_keys=True, separators=(",", ":")
        ).encode("utf-8")
    ).hexdigest()
    assert digest == row["digest"]
    record = {
        k: row[k]
        for k in (
            "action",
            "actor",
            "actor_id",
            "object_id",
            "object_type",
            "prev_hash",
            "region",
            "seq",
            "source",
        )
    }
    record["digest"] = digest
    record["occurred_at"] = row["occurred_at"].strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    record["v"] = 1
    return hashlib.sha256(
        json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
            "utf-8"
        )
    ).hexdigest()


def _tamper(sql: str, params: list) -> None:
    """Change audit rows behind the application's back: drop the triggers, write, restore."""
    audit_triggers.uninstall(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    audit_triggers.install(connection)


def test_it_links_each_event_to_the_previous_one() -> None:
    events = _record(5)
    first = AuditEvent.objects.order_by("seq").first()
    assert first is not None and first.prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    assert audit_chain_head().hash == events[-1].hash


def test_an_outsider_can_recompute_every_hash_from_the_documented_format() -> None:
    _record(3)
    from datetime import UTC

    for row in AuditEvent.objects.order_by("seq").values():
        row["occurred_at"] = row["occurred_at"].astimezone(UTC)
        assert _outsider_hash(row) == row["hash"], row["seq"]


def test_verify_reports_an_intact_chain() -> None:
    events = _record(4)
    result = audit_chain_verify()
    assert result.intact
    assert result.head_seq == events[-1].seq
    assert result.checked == events[-1].seq


def test_verify_points_at_a_row_whose_changes_were_altered() -> None:
    events = _record(6)
    target = events[3]
    _tamper(
        "UPDATE core_auditevent SET changes = %s WHERE seq = %s",
        [json.dumps({"name": ["旧名称", "被篡改"], "count": 3}), target.seq],
    )
    result = audit_chain_verify()
    assert not result.intact
    assert result.problem is not None
    assert result.problem.seq == target.seq
    assert "digest" in result.problem.reason


def test_verify_points_at_a_row_whose_fields_and_hash_were_recomputed() -> None:
    """A forger who rewrites a row and its own hash still breaks the next event's link."""
    events = _record(5)
    target = events[1]
    _tamper(
        "UPDATE core_auditevent SET actor = %s, hash = %s WHERE seq = %s",
        ["forger", "f" * 64, target.seq],
    )
    result = audit_chain_verify()
    assert result.problem is not None and result.problem.seq == target.seq


def test_verify_names_a_removed_event() -> None:
    events = _record(5)
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [events[2].seq])
    result = audit_chain_verify()
    assert result.problem is not None
    assert result.problem.seq == events[2].seq
    assert "missing" in result.problem.reason


def test_verify_notices_events_cut_off_the_end() -> None:
    events = _record(4)
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [events[-1].seq])
    result = audit_chain_verify()
    assert result.problem is not None
    assert "head" in result.problem.reason


def test_verify_checks_a_published_head() -> None:
    events = _record(3)
    published = (events[1].seq, events[1].hash)
    assert audit_chain_verify(expect_seq=published[0], expect_hash=published[1]).intact
    bad = audit_chain_verify(expect_seq=published[0], expect_hash="0" * 64)
    assert bad.problem is not None and bad.problem.seq == published[0]


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET actor = 'x' WHERE seq = %s",
        "DELETE FROM core_auditevent WHERE seq = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(sql: str) -> None:
    events = _record(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [events[0].seq])
    assert AuditEvent.objects.get(seq=events[0].seq).actor == "system"


def test_the_orm_cannot_update_or_delete_either() -> None:
    events = _record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=events[0].seq).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=events[0].seq).delete()


def test_a_failed_business_transaction_leaves_no_event() -> None:
    before = audit_chain_head().seq
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=SYSTEM_ACTOR, action="test.rolled_back", changes={})
        raise RuntimeError("the business change failed")
    assert audit_chain_head().seq == before
    assert audit_chain_verify().intact


def test_the_command_reports_intact_and_exits_nonzero_when_broken(capsys) -> None:
    events = _record(3)
    call_command("audit", "verify")
    assert f"#{events[-1].seq}" in capsys.readouterr().out
    _tamper("UPDATE core_auditevent SET action = 'forged' WHERE seq = %s", [events[0].seq])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"#{events[0].seq}" in capsys.readouterr().err


def test_floats_are_stored_as_text_so_every_backend_hashes_the_same() -> None:
    from decimal import Decimal

    event = audit_record(
        actor=SYSTEM_ACTOR, action="test.amounts", changes={"fine": Decimal("30000.50"), "r": 0.1}
    )
    event.refresh_from_db()
    assert event.changes == {"fine": "30000.50", "r": "0.1"}
    assert audit_chain_verify().intact


def test_a_deleted_head_row_is_itself_a_break_and_hides_no_truncation() -> None:
    """With the head row gone, cutting events off the end used to verify as intact."""
    events = _record(4)
    _tamper("DELETE FROM core_auditchainhead", [])
    result = audit_chain_verify()
    assert result.problem is not None and "head row is missing" in result.problem.reason
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [events[-1].seq])
    assert not audit_chain_verify().intact
    # Nor does the next write quietly rebuild the head from the cut chain.
    with pytest.raises(AuditChainHeadMissing):
        audit_record(actor=SYSTEM_ACTOR, action="test.after_cut", changes={})
    assert not audit_chain_verify().intact


def test_a_head_rewound_behind_the_last_event_is_a_break() -> None:
    events = _record(4)
    _tamper(
        "UPDATE core_auditchainhead SET seq = %s, hash = %s",
        [events[1].seq, events[1].hash],
    )
    result = audit_chain_verify()
    assert result.problem is not None and "head" in result.problem.reason


def test_a_published_head_given_in_capitals_is_the_same_head() -> None:
    events = _record(3)
    assert audit_chain_verify(expect_seq=events[1].seq, expect_hash=events[1].hash.upper()).intact
