"""Audit retention: a purge deletes only events older than 184 days, from the start of the
chain; the chain still verifies from the purge anchor; the purge is itself an event; and the
database refuses to delete anything else (docs/security.md, docs/audit-chain.md)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, connection, transaction
from django.utils import timezone

from anjian.core import clock
from anjian.core.audit_retention import RetentionTooShort, audit_purge
from anjian.core.models import AuditEvent, AuditPurge
from anjian.core.selectors import audit_chain_verify
from anjian.core.services import SYSTEM_ACTOR, audit_record

# The purge deletes audit events: the application role may not (docs/security.md), the owner
# runs it, so on PostgreSQL these run in CI's owner pass.
pytestmark = [pytest.mark.django_db, pytest.mark.db_owner]
REFUSED = (IntegrityError, InternalError)


def _events_at(days_ago: int, n: int) -> list[AuditEvent]:
    with clock.story_time(timezone.now() - datetime.timedelta(days=days_ago)):
        return [
            audit_record(actor=SYSTEM_ACTOR, action="core.region.updated", changes={"n": i})
            for i in range(n)
        ]


@pytest.fixture
def chain() -> dict[str, list[AuditEvent]]:
    """A chain of 3 events 400 days old, 2 of 200 and 2 of 30. The events the migrations wrote
    (today) are cleared first, inside the test's transaction, which undoes it all afterwards."""
    from anjian.core import audit_triggers
    from anjian.core.models import GENESIS_HASH, AuditChainHead

    audit_triggers.uninstall(connection)
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.filter(pk=1).update(seq=0, hash=GENESIS_HASH)
    audit_triggers.install(connection)
    return {"old": _events_at(400, 3), "mid": _events_at(200, 2), "young": _events_at(30, 2)}


def test_a_purge_removes_only_old_events_and_the_chain_still_verifies(chain) -> None:
    before = audit_chain_verify()
    assert before.intact
    anchor = audit_purge(retention_days=300)
    assert anchor is not None
    last_old = chain["old"][-1]
    assert (anchor.upto_seq, anchor.upto_hash) == (last_old.seq, last_old.hash)
    kept = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert kept[0] == last_old.seq + 1
    assert all(not AuditEvent.objects.filter(seq=e.seq).exists() for e in chain["old"])
    # The purge is on the record, with its anchor, at the end of the chain.
    purged = AuditEvent.objects.order_by("-seq").first()
    assert purged.action == "core.audit.purged"
    assert purged.changes["upto_seq"] == last_old.seq and purged.changes["count"] == 3
    result = audit_chain_verify()
    assert result.intact, result.problem
    assert result.head_seq == purged.seq
    # A second purge at the minimum moves the anchor on; the chain still verifies.
    again = audit_purge(retention_days=184)
    assert again is not None and again.upto_seq == chain["mid"][-1].seq
    assert audit_chain_verify().intact
    call_command("audit", "verify", "--files", "skip")


def test_less_than_184_days_is_refused(chain) -> None:
    with pytest.raises(RetentionTooShort):
        audit_purge(retention_days=183)
    with pytest.raises(CommandError, match="184"):
        call_command("audit", "purge", "--days", "100", "--yes")
    assert AuditEvent.objects.count() == 7 and not AuditPurge.objects.exists()


def test_the_database_refuses_to_delete_young_events_or_events_past_the_anchor(chain) -> None:
    # No anchor yet: not even an old event can be deleted.
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(seq=chain["old"][0].seq).delete()
    # An anchor written by hand over a young event does not open it for deletion either.
    young = chain["young"][0]
    with transaction.atomic():
        AuditPurge.objects.create(
            upto_seq=young.seq,
            upto_hash=young.hash,
            count=0,
            cutoff=timezone.now(),
            retention_days=184,
        )
        with pytest.raises(REFUSED), transaction.atomic():
            AuditEvent.objects.filter(seq=young.seq).delete()
        transaction.set_rollback(True)
    # The anchors themselves cannot be changed or removed.
    anchor = audit_purge(retention_days=300)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditPurge.objects.filter(pk=anchor.pk).update(upto_seq=1)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditPurge.objects.filter(pk=anchor.pk).delete()


def test_a_hand_made_anchor_hiding_a_cut_start_is_reported(chain) -> None:
    """Someone lifts the triggers, deletes the first events and writes an anchor so the rest
    links up: without the purge event that records it, verification fails."""
    from anjian.core import audit_triggers

    cut = chain["old"][-1]
    audit_triggers.uninstall(connection)
    try:
        AuditEvent.objects.filter(seq__lte=cut.seq).delete()
        AuditPurge.objects.create(
            upto_seq=cut.seq, upto_hash=cut.hash, count=3, cutoff=timezone.now(), retention_days=184
        )
    finally:
        audit_triggers.install(connection)
    result = audit_chain_verify()
    assert not result.intact and "purge" in result.problem.reason


def test_a_head_published_before_the_purge_is_named_as_purged(chain) -> None:
    old = chain["old"][0]
    audit_purge(retention_days=300)
    result = audit_chain_verify(expect_seq=old.seq, expect_hash=old.hash)
    assert not result.intact and "purged" in result.problem.reason
    mid = chain["mid"][0]
    assert audit_chain_verify(expect_seq=mid.seq, expect_hash=mid.hash).intact
