"""The Merkle tree over the audit events, kept as its complete subtrees (RFC 6962 / RFC 9162).

Leaf i (0-based) is event seq = i + 1: leaf hash = H(0x00 ‖ canonical JSON of the event's hashed
record), the same bytes whose SHA-256 is the event's chain hash (docs/audit-chain.md).

`LogNode (level, index)` holds MTH of the 2^level leaves from leaf index·2^level. Appending a
leaf stores it and every node it completes, so appending n leaves writes < 2n rows and reads only
the ≤ 64 nodes of the right edge once. Any root, inclusion proof or consistency proof of any size
up to the stored size is a fold of O(log n) stored nodes: nothing is recomputed from events.

Proof generation here follows RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (SUBPROOF); the checks are
`anjian_verify.verify_inclusion` / `verify_consistency`, the same functions outsiders run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from anjian.auditlog.models import LogNode, LogState, node_key
from anjian.core import audit_chain
from anjian_verify import hasher, largest_power_of_two_below, leaf_hash, node_hash

NodeGetter = Callable[[int, int], bytes]


class LogError(Exception):
    """The tree cannot answer: a size beyond what is stored, a gap in the events."""


def event_record(event: Any) -> dict[str, Any]:
    """The hashed record of an AuditEvent row (docs/audit-chain.md, "The hashes")."""
    return {
        "action": event.action,
        "actor": event.actor,
        "actor_id": event.actor_id,
        "digest": event.digest,
        "object_id": event.object_id,
        "object_type": event.object_type,
        "occurred_at": audit_chain.format_time(event.occurred_at),
        "prev_hash": event.prev_hash,
        "region": event.region,
        "seq": event.seq,
        "source": event.source,
        "v": audit_chain.FORMAT_VERSION,
    }


def event_leaf(algorithm: str, event: Any) -> bytes:
    return leaf_hash(hasher(algorithm), audit_chain.canonical_json(event_record(event)))


# --- pure folds over a node getter (also used with an in-memory getter in tests) -------------


def range_hash(h: Callable[[bytes], bytes], node: NodeGetter, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for the ranges RFC 6962's recursion produces (start aligned)."""
    n = end - start
    if n == 0:
        return h(b"")
    if n & (n - 1) == 0 and start % n == 0:
        return node(n.bit_length() - 1, start // n)
    k = largest_power_of_two_below(n)
    return node_hash(h, range_hash(h, node, start, start + k), range_hash(h, node, start + k, end))


def inclusion_path(
    h: Callable[[bytes], bytes], node: NodeGetter, index: int, start: int, end: int
) -> list[bytes]:
    n = end - start
    if n <= 1:
        return []
    k = largest_power_of_two_below(n)
    if index < k:
        return [
            *inclusion_path(h, node, index, start, start + k),
            range_hash(h, node, start + k, end),
        ]
    return [
        *inclusion_path(h, node, index - k, start + k, end),
        range_hash(h, node, start, start + k),
    ]


def consistency_path(
    h: Callable[[bytes], bytes], node: NodeGetter, m: int, start: int, end: int, whole: bool
) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [range_hash(h, node, start, end)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return [
            *consistency_path(h, node, m, start, start + k, whole),
            range_hash(h, node, start + k, end),
        ]
    return [
        *consistency_path(h, node, m - k, start + k, end, False),
        range_hash(h, node, start, start + k),
    ]


# --- the stored tree ----------------------------------------------------------------------------


class StoredTree:
    """Reads of the stored tree of one algorithm. Each query first works out which nodes it
    needs (a dry run of the same fold), then reads them in one round trip."""

    def __init__(self, algorithm: str) -> None:
        self.algorithm = algorithm
        self.h = hasher(algorithm)

    def size(self) -> int:
        state = LogState.objects.filter(algorithm=self.algorithm).first()
        return state.size if state else 0

    def _run(self, fold: Callable[[NodeGetter], Any]) -> Any:
        wanted: set[tuple[int, int]] = set()

        def record(level: int, index: int) -> bytes:
            wanted.add((level, index))
            return bytes(32)

        fold(record)
        found = self._fetch(wanted)
        missing = wanted - set(found)
        if missing:
            raise LogError(f"the stored tree lacks {len(missing)} node(s), e.g. {min(missing)}")
        return fold(lambda level, index: found[(level, index)])

    def _fetch(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        wanted = [node_key(level, index) for level, index in keys]
        if not wanted:
            return {}
        rows = LogNode.objects.filter(algorithm=self.algorithm, key__in=wanted).values_list(
            "level", "index", "hash"
        )
        return {(level, index): bytes(value) for level, index, value in rows}

    def _check(self, size: int) -> None:
        if size < 0 or size > self.size():
            raise LogError(f"the log holds {self.size()} events, not {size}")

    def root(self, size: int) -> bytes:
        self._check(size)
        return self._run(lambda node: range_hash(self.h, node, 0, size))

    def leaf(self, index: int) -> bytes:
        return self._run(lambda node: node(0, index))

    def inclusion(self, index: int, size: int) -> list[bytes]:
        self._check(size)
        if not 0 <= index < size:
            raise LogError(f"event #{index + 1} is not among the first {size} events")
        return self._run(lambda node: inclusion_path(self.h, node, index, 0, size))

    def consistency(self, first: int, second: int) -> list[bytes]:
        self._check(second)
        if not 0 <= first <= second:
            raise LogError(f"no consistency proof from {first} to {second} events")
        if first == 0 or first == second:
            return []
        return self._run(lambda node: consistency_path(self.h, node, first, 0, second, True))


def frontier_keys(size: int) -> list[tuple[int, int]]:
    """The complete subtrees on the right edge of a tree of `size` leaves (one per set bit)."""
    return [(level, (size >> level) - 1) for level in range(size.bit_length()) if size >> level & 1]


def _node(algorithm: str, level: int, index: int, value: bytes) -> LogNode:
    return LogNode(
        algorithm=algorithm, key=node_key(level, index), level=level, index=index, hash=value
    )


def tree_append(algorithm: str, leaves: list[bytes]) -> int:
    """Append leaf hashes to the stored tree, in the caller's transaction; return the new size.
    The state row is locked, so two appenders queue rather than write the same nodes."""
    h = hasher(algorithm)
    with transaction.atomic():
        state, _ = LogState.objects.select_for_update().get_or_create(algorithm=algorithm)
        size = state.size
        edge = StoredTree(algorithm)._fetch(frontier_keys(size))
        rows = []
        for leaf in leaves:
            index, level, cur = size, 0, leaf
            rows.append(_node(algorithm, 0, index, cur))
            while index & 1:
                left = edge.pop((level, index - 1))
                cur = node_hash(h, left, cur)
                index >>= 1
                level += 1
                rows.append(_node(algorithm, level, index, cur))
            edge[(level, index)] = cur
            size += 1
        LogNode.objects.bulk_create(rows, batch_size=2000)
        state.size = size
        state.save(update_fields=["size"])
    return size
