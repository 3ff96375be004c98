"""Reads of the platform core: regions, the audit trail and its verification."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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


def _iter_events(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
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


def audit_chain_verify(*, expect_seq: int | None = None, expect_hash: str = "") -> VerifyResult:
    """Walk the whole chain; stop at the first event that does not match.

    Checks, per event: sequence numbers run 1, 2, 3… without gaps; prev_hash equals the previous
    event's hash; the digest matches the stored changes; the hash matches the fields. Then the
    head table agrees with the last event, and, if given, a previously published head
    (expect_seq, expect_hash) is still in the chain. On failure the result's head is the last
    event that verified.
    """
    head_seq, head_hash = 0, GENESIS_HASH
    checked = 0
    seen_expected = expect_seq is None
    for event in _iter_events():
        problem = _event_problem(event, head_seq + 1, head_hash)
        if problem is not None:
            return VerifyResult(checked, head_seq, head_hash, problem)
        head_seq, head_hash = event.seq, event.hash
        if event.seq == expect_seq:
            if event.hash != expect_hash:
                problem = VerifyProblem(event.seq, "differs from the published head")
                return VerifyResult(checked, head_seq, head_hash, problem)
            seen_expected = True
        checked += 1
    if not seen_expected:
        problem = VerifyProblem(expect_seq or 0, "the published head is no longer in the chain")
        return VerifyResult(checked, head_seq, head_hash, problem)
    table = AuditChainHead.objects.filter(pk=1).first()
    if table is not None and (table.seq, table.hash) != (head_seq, head_hash):
        problem = VerifyProblem(
            table.seq,
            f"chain head table says #{table.seq} but the last event is #{head_seq}: "
            "events after it were removed or the head was rewritten",
        )
        return VerifyResult(checked, head_seq, head_hash, problem)
    return VerifyResult(checked, head_seq, head_hash, None)
