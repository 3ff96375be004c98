"""Reads of the verifiable log: checkpoints, proofs, proof files and exports.

Who sees what (docs/algorithms/audit-log.md, "What is public"): checkpoints, their cosignatures,
leaf hashes and proofs are hashes only and public. An event's record (who did what to which
object, when, where) is shown only to a user who may read that event in the audit trail
(capability `audit.view` and the event's region in the user's scope); its `changes` likewise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from anjian.accounts.roles import Capability
from anjian.auditlog.models import Checkpoint, ForkAlert, LogNode
from anjian.auditlog.tree import LogError, StoredTree, event_record
from anjian.core.errors import NotFound
from anjian.core.models import AuditEvent
from anjian.core.scope import ALL, visible_region_codes
from anjian.core.selectors import audit_event_list
from anjian_verify import EXPORT_FORMAT, PROOF_FORMAT

# Records whose `actor` may be whatever someone typed at the login form (possibly a password
# typed into the wrong field): exported as leaf hashes only, unless asked otherwise.
DEFAULT_REDACT = ("accounts.login.",)

# The objects whose event a proof can be asked for by kind (the model label the audit trail
# records as the event's object type, and the action that records it being made).
PROOF_KINDS = {
    "document": ("documents.officialdocument", "documents.document.issued"),
    "evidence": ("evidence.evidence", "evidence.file.added"),
    "draw": ("draws.draw", "draws.draw.drawn"),
}


def algorithm() -> str:
    return str(settings.ANJIAN_LOG_HASH)


def checkpoint_list() -> QuerySet[Checkpoint]:
    """This log's checkpoints, latest first."""
    return (
        Checkpoint.objects.filter(origin=settings.ANJIAN_LOG_ORIGIN, algorithm=algorithm())
        .prefetch_related("cosignatures")
        .order_by("-tree_size")
    )


def checkpoint_latest() -> Checkpoint | None:
    return checkpoint_list().first()


def checkpoint_get(tree_size: int) -> Checkpoint:
    checkpoint = checkpoint_list().filter(tree_size=tree_size).first()
    if checkpoint is None:
        raise NotFound()
    return checkpoint


def _signed_size(tree_size: int | None) -> int:
    """A proof is given against a signed tree: the latest checkpoint unless one is named."""
    if tree_size is None:
        latest = checkpoint_latest()
        if latest is None:
            raise NotFound()
        return int(latest.tree_size)
    return checkpoint_get(tree_size).tree_size


def inclusion_proof(*, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    size = _signed_size(tree_size)
    tree = StoredTree(algorithm())
    if not 1 <= seq <= size:
        raise NotFound()
    try:
        hashes = tree.inclusion(seq - 1, size)
        leaf = tree.leaf(seq - 1)
    except LogError:
        raise NotFound() from None
    return {
        "leaf_index": seq - 1,
        "tree_size": size,
        "leaf_hash": leaf.hex(),
        "hashes": [x.hex() for x in hashes],
    }


def consistency_proof(*, first: int, second: int) -> dict[str, Any]:
    """Between two sizes the log has signed (either may be 0 for the empty tree)."""
    for size in (first, second):
        if size:
            checkpoint_get(size)
    if first > second:
        raise NotFound()
    try:
        hashes = StoredTree(algorithm()).consistency(first, second)
    except LogError:
        raise NotFound() from None
    return {"first": first, "second": second, "hashes": [x.hex() for x in hashes]}


def event_visible(user: Any, seq: int) -> AuditEvent | None:
    """The event, if `user` may read it in the audit trail; else None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.can(Capability.AUDIT_VIEW):
        return None
    return audit_event_list(user=user).filter(seq=seq).first()


def object_event(user: Any, kind: str, object_id: str) -> AuditEvent:
    """The event that records an evidence file, a document or a draw being made, in scope."""
    if kind not in PROOF_KINDS or not user.can(Capability.AUDIT_VIEW):
        raise NotFound()
    object_type, action = PROOF_KINDS[kind]
    event = (
        audit_event_list(user=user)
        .filter(object_type=object_type, object_id=str(object_id), action=action)
        .order_by("seq")
        .first()
    )
    if event is None:
        raise NotFound()
    return event


def proof_file(
    event: AuditEvent, *, tree_size: int | None = None, with_changes: bool = False
) -> dict[str, Any]:
    """The proof file `anjian-verify --proof` reads (format anjian-log-proof/1)."""
    bundle: dict[str, Any] = {
        "format": PROOF_FORMAT,
        "origin": settings.ANJIAN_LOG_ORIGIN,
        "hash": algorithm(),
        "record": event_record(event),
        "inclusion": inclusion_proof(seq=event.seq, tree_size=tree_size),
    }
    if with_changes:
        bundle["changes"] = event.changes
    return bundle


def consistency_file(*, first: int, second: int) -> dict[str, Any]:
    return {
        "format": PROOF_FORMAT,
        "origin": settings.ANJIAN_LOG_ORIGIN,
        "hash": algorithm(),
        "consistency": consistency_proof(first=first, second=second),
    }


def export_lines(
    *, tree_size: int | None = None, redact: tuple[str, ...] = DEFAULT_REDACT, batch: int = 5000
) -> Iterator[str]:
    """The JSON-lines export: a header, then one line per event 1…size: its hashed record, or
    only its leaf hash when the event is redacted or its body was purged. Never `changes`."""
    checkpoint = checkpoint_latest() if tree_size is None else checkpoint_get(tree_size)
    if checkpoint is None:
        raise NotFound()
    size = int(checkpoint.tree_size)
    alg = algorithm()
    yield json.dumps(
        {
            "format": EXPORT_FORMAT,
            "origin": checkpoint.origin,
            "hash": alg,
            "tree_size": size,
            "checkpoint": checkpoint.note,
            "redacted": list(redact),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    for start in range(0, size, batch):
        end = min(size, start + batch)
        leaves = dict(
            LogNode.objects.filter(algorithm=alg, key__gte=start, key__lt=end).values_list(
                "key", "hash"
            )
        )
        events = {e.seq: e for e in AuditEvent.objects.filter(seq__gt=start, seq__lte=end)}
        for seq in range(start + 1, end + 1):
            event = events.get(seq)
            if event is not None and not event.action.startswith(redact):
                line: dict[str, Any] = {"seq": seq, "record": event_record(event)}
            else:
                line = {"seq": seq, "leaf_hash": bytes(leaves[seq - 1]).hex()}
            yield json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def may_see_fork_alerts(user: Any) -> bool:
    """Province-wide system or audit administrators: the log is the whole platform's."""
    if not (user.can(Capability.USERS_MANAGE) or user.can(Capability.AUDIT_VIEW)):
        return False
    return visible_region_codes(user) is ALL


def fork_alerts_open() -> QuerySet[ForkAlert]:
    return ForkAlert.objects.filter(closed=False)
