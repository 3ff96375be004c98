"""Reads of the platform core: regions, the audit trail and its verification."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import Http404

from anjian.core import audit_chain
from anjian.core.models import GENESIS_HASH, AuditChainHead, AuditEvent, Region
from anjian.core.scope import ALL, visible_region_codes


def region_list(*, level: str | None = None, parent: str | None = None) -> QuerySet[Region]:
    """Regions are public reference data (GB/T 2260): not scoped."""
    qs = Region.objects.select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs


def audit_event_list(*, user: Any) -> QuerySet[AuditEvent]:
    """Events in the user's scope. Events with no region (platform-wide) only for ALL-scope."""
    codes = visible_region_codes(user)
    qs = AuditEvent.objects.all()
    if codes is ALL:
        return qs
    if not codes:
        return qs.none()
    return qs.filter(region__in=codes)


def audit_event_get(*, user: Any, seq: int) -> AuditEvent:
    event = audit_event_list(user=user).filter(seq=seq).first()
    if event is None:
        raise Http404
    return event


@dataclass(frozen=True)
class ChainHead:
    seq: int
    hash: str
    occurred_at: Any


def audit_chain_head() -> ChainHead:
    """The chain head as the events themselves show it (the last event), for publication."""
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash", "occurred_at").first()
    if last is None:
        return ChainHead(seq=0, hash=GENESIS_HASH, occurred_at=None)
    return ChainHead(seq=last.seq, hash=last.hash, occurred_at=last.occurred_at)


@dataclass(frozen=True)
class VerifyProblem:
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    problem: VerifyProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def _iter_events(*, after: int, upto: int, batch: int = 5000) -> Iterator[AuditEvent]:
    last = after
    while last < upto:
        chunk = list(AuditEvent.objects.filter(seq__gt=last, seq__lte=upto).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def _event_problem(
    event: AuditEvent, expected_seq: int, expected_prev: str
) -> VerifyProblem | None:
    """The first check one event fails, given the event that should precede it."""
    if event.seq != expected_seq:
        return VerifyProblem(expected_seq, f"event missing (next stored is #{event.seq})")
    if event.prev_hash != expected_prev:
        return VerifyProblem(event.seq, "prev_hash does not match the previous event's hash")
    if audit_chain.changes_digest(event.changes) != event.digest:
        return VerifyProblem(event.seq, "changes do not match their digest")
    computed = audit_chain.event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        region=event.region,
        source=event.source,
        digest=event.digest,
        prev_hash=event.prev_hash,
    )
    if computed != event.hash:
        return VerifyProblem(event.seq, f"hash mismatch: stored {event.hash}, computed {computed}")
    return None


def _head_row() -> AuditChainHead | None:
    return AuditChainHead.objects.filter(pk=1).first()


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view of the chain head and the last events, for the final check.

    On PostgreSQL a read-only REPEATABLE READ transaction; on SQLite a transaction (the project
    opens them IMMEDIATE, which also holds writers off for the few queries it lasts)."""
    outermost = not connection.in_atomic_block  # a caller's transaction keeps its own level
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


class _ChainWalk:
    """Where a verification has got to: the last event that verified, and how many did."""

    def __init__(self, *, expect_seq: int | None, expect_hash: str) -> None:
        self.seq, self.hash, self.checked = 0, GENESIS_HASH, 0
        self.expect_seq, self.expect_hash = expect_seq, expect_hash
        self.seen_expected = expect_seq is None

    def to(self, upto: int) -> VerifyProblem | None:
        """Verify the events after the last one verified, up to `upto`, which must exist."""
        for event in _iter_events(after=self.seq, upto=upto):
            problem = _event_problem(event, self.seq + 1, self.hash)
            if problem is not None:
                return problem
            self.seq, self.hash = event.seq, event.hash
            if event.seq == self.expect_seq:
                if event.hash != self.expect_hash:
                    return VerifyProblem(event.seq, "differs from the published head")
                self.seen_expected = True
            self.checked += 1
        if self.seq < upto:
            return VerifyProblem(
                self.seq + 1,
                f"event missing: the chain head row says #{upto} but the last event is "
                f"#{self.seq}; events were removed from the end",
            )
        return None

    def result(self, problem: VerifyProblem | None) -> VerifyResult:
        return VerifyResult(self.checked, self.seq, self.hash, problem)


def audit_chain_verify(*, expect_seq: int | None = None, expect_hash: str = "") -> VerifyResult:
    """Walk the whole chain; stop at the first event that does not match.

    Checks, per event: sequence numbers run 1, 2, 3… without gaps; prev_hash equals the previous
    event's hash; the digest matches the stored changes; the hash matches the fields. Then the
    head table agrees with the last event, and, if given, a previously published head
    (expect_seq, expect_hash) is still in the chain. On failure the result's head is the last
    event that verified.

    Writers may append while this runs. The walk goes up to the head row read before it starts
    (every event up to that head was committed with it); a short snapshot at the end reads the
    head row and the last sequence number together and walks what was appended meanwhile. So
    concurrent appends never look like a break, while a head row that is missing, rewritten or
    behind the last event always does.
    """
    walk = _ChainWalk(expect_seq=expect_seq, expect_hash=expect_hash.strip().lower())
    anchor = _purge_anchor()
    if anchor is not None:
        # The oldest events were purged (core/audit_retention.py): the chain starts after the
        # anchor, whose hash the first kept event must name as its predecessor.
        walk.seq, walk.hash = anchor.upto_seq, anchor.upto_hash
        if expect_seq is not None and expect_seq <= anchor.upto_seq:
            if expect_seq == anchor.upto_seq and anchor.upto_hash == walk.expect_hash:
                walk.seen_expected = True
            else:
                return walk.result(
                    VerifyProblem(
                        expect_seq,
                        f"the published head was purged (the chain now starts after "
                        f"#{anchor.upto_seq}); check a head noted after the purge",
                    )
                )
    first = _head_row()
    if first is not None:
        problem = walk.to(first.seq)
        if problem is not None:
            return walk.result(problem)
    with _snapshot():
        table = _head_row()
        if table is None:
            # The migration creates the row and no writer may delete it: without it a cut-off
            # end of the chain would go unnoticed.
            return walk.result(VerifyProblem(walk.seq + 1, "the chain head row is missing"))
        problem = walk.to(table.seq)
        if problem is not None:
            return walk.result(problem)
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        if last != table.seq or table.hash != walk.hash:
            return walk.result(
                VerifyProblem(
                    table.seq,
                    f"chain head table says #{table.seq} but the last event is #{last}: "
                    "events after it were removed or the head was rewritten",
                )
            )
    if not walk.seen_expected:
        return walk.result(
            VerifyProblem(expect_seq or 0, "the published head is no longer in the chain")
        )
    if anchor is not None and not _purge_recorded(anchor):
        return walk.result(
            VerifyProblem(
                anchor.upto_seq + 1,
                f"the purge anchor #{anchor.upto_seq} is not recorded by a purge event in the "
                "chain: events were removed from its start",
            )
        )
    return walk.result(None)


def _purge_anchor() -> Any:
    from anjian.core.audit_retention import purge_anchor

    return purge_anchor()


def _purge_recorded(anchor: Any) -> bool:
    """The newest anchor must be named by a `core.audit.purged` event after it, with its values:
    an anchor row written by hand, to hide a cut-off start, has none."""
    from anjian.core.audit_retention import PURGED

    events = AuditEvent.objects.filter(action=PURGED, seq__gt=anchor.upto_seq)
    return any(
        e.changes.get("upto_seq") == anchor.upto_seq
        and e.changes.get("upto_hash") == anchor.upto_hash
        for e in events.only("seq", "changes")
    )
