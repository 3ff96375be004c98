"""Writes of the verifiable log: grow the tree, sign checkpoints, accept cosignatures, witness.

Checkpoints and cosignatures are not audit events: each is itself a signed, published statement,
and recording it in the trail would add an event, so the log would never stand still. A fork a
witness detects *is* an audit event (`auditlog.fork.detected`) and opens a `ForkAlert`.
"""

from __future__ import annotations

import base64
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.auditlog import keys
from anjian.auditlog.models import (
    Checkpoint,
    Cosignature,
    ForkAlert,
    ForkReason,
    LogNode,
    WitnessState,
)
from anjian.auditlog.tree import LogError, StoredTree, event_leaf, tree_append
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, ServiceError
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR, AuditSource, audit_record
from anjian.core.verification import CheckReport
from anjian_verify import (
    VerifyError,
    check_cosignature,
    cosigned_message,
    hasher,
    open_checkpoint,
    parse_checkpoint_text,
    parse_note,
    parse_vkey,
    verify_consistency,
)

SYNC_BATCH = 5000


def algorithm() -> str:
    return str(settings.ANJIAN_LOG_HASH)


def log_sync(*, batch: int = SYNC_BATCH) -> int:
    """Add the committed events the tree does not hold yet; return the tree's size.

    Events are read in `seq` order from the tree's size on; a gap (an event missing from the
    chain) stops the sync with an error rather than shifting every later leaf."""
    alg = algorithm()
    tree = StoredTree(alg)
    size = tree.size()
    while True:
        events = list(AuditEvent.objects.filter(seq__gt=size).order_by("seq")[:batch])
        if not events:
            return size
        leaves = []
        for expected, event in enumerate(events, start=size + 1):
            if event.seq != expected:
                raise LogError(f"audit event #{expected} is missing; run `anjian audit verify`")
            leaves.append(event_leaf(alg, event))
        new_size = tree_append(alg, leaves)
        if new_size != size + len(leaves):  # another process appended meanwhile: start over
            size = tree.size()
            continue
        size = new_size


def _note_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def _signature_line(signer: keys.NoteSigner, signature: bytes) -> str:
    blob = base64.b64encode(keys.key_id_of(signer) + signature).decode()
    return f"\u2014 {signer.name} {blob}\n"


def checkpoint_create() -> Checkpoint:
    """Sync the tree and sign a checkpoint of its size; an unchanged tree returns the latest
    checkpoint instead of signing the same size twice."""
    signer = keys.log_signer()
    origin = settings.ANJIAN_LOG_ORIGIN
    if signer.name != origin:
        raise ImproperlyConfigured(
            f"the log key is named {signer.name!r}, but ANJIAN_LOG_ORIGIN is {origin!r}"
        )
    size = log_sync()
    alg = algorithm()
    with transaction.atomic():
        existing = Checkpoint.objects.filter(origin=origin, algorithm=alg, tree_size=size).first()
        if existing is not None:
            return existing
        root = StoredTree(alg).root(size)
        text = _note_text(origin, size, root)
        note = text + "\n" + _signature_line(signer, signer.sign(text.encode()))
        return Checkpoint.objects.create(
            origin=origin,
            algorithm=alg,
            tree_size=size,
            root_hash=root.hex(),
            note=note,
            key_name=signer.name,
            created_at=clock.now(),
        )


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """The checkpoint with every cosignature received, as one signed note."""
    lines = [c.line.rstrip("\n") + "\n" for c in checkpoint.cosignatures.order_by("witness")]
    return checkpoint.note + "".join(lines)


def cosignature_add(*, tree_size: int, line: str) -> Cosignature:
    """Attach a witness's cosignature line to the checkpoint of `tree_size`; the line must be a
    valid cosignature by a trusted witness, on exactly that checkpoint."""
    checkpoint = Checkpoint.objects.filter(
        origin=settings.ANJIAN_LOG_ORIGIN, algorithm=algorithm(), tree_size=tree_size
    ).first()
    if checkpoint is None:
        raise NotFound(_("There is no checkpoint of %(n)d events.") % {"n": tree_size})
    line = line.strip()
    for witness in keys.trusted_witnesses():
        if not line.startswith(f"\u2014 {witness.name} "):
            continue
        try:
            opened = open_checkpoint(
                checkpoint.note + line + "\n", keys.verifier_of(keys.log_signer())
            )
            when = check_cosignature(opened, witness)
        except VerifyError as exc:
            raise ServiceError.for_field("line", str(exc)) from None
        cosig, _created = Cosignature.objects.update_or_create(
            checkpoint=checkpoint,
            witness=witness.name,
            defaults={"line": line, "signed_at": datetime.fromtimestamp(when, tz=UTC)},
        )
        return cosig
    raise ServiceError.for_field("line", _("The line is not signed by a trusted witness."))


# --- witnessing ---------------------------------------------------------------------------------


class LogSource(Protocol):
    """Where a witness reads a log: this platform in-process, or another over HTTP."""

    def latest_note(self) -> str: ...

    def consistency(self, first: int, second: int) -> list[bytes]: ...

    def submit(self, tree_size: int, line: str) -> None: ...


class LocalSource:
    def latest_note(self) -> str:
        return checkpoint_note(checkpoint_create())

    def consistency(self, first: int, second: int) -> list[bytes]:
        return StoredTree(algorithm()).consistency(first, second)

    def submit(self, tree_size: int, line: str) -> None:
        cosignature_add(tree_size=tree_size, line=line)


@dataclass(frozen=True)
class WitnessOutcome:
    cosigned: bool
    origin: str
    tree_size: int
    message: str
    line: str = ""


class ForkDetected(Conflict):
    """The checkpoint contradicts what this witness cosigned before."""


def _fork(
    *, witness: str, state: WitnessState, size: int, root: bytes, note: str, reason: str
) -> ForkAlert:
    alert = ForkAlert.objects.create(
        origin=state.origin,
        witness=witness,
        known_size=state.tree_size,
        known_root=state.root_hash,
        offered_size=size,
        offered_root=root.hex(),
        reason=reason,
        note=note,
        detected_at=clock.now(),
    )
    audit_record(
        actor=SYSTEM_ACTOR,
        action="auditlog.fork.detected",
        obj=alert,
        source=AuditSource.SYSTEM,
        changes={
            "origin": state.origin,
            "witness": witness,
            "known": [state.tree_size, state.root_hash],
            "offered": [size, root.hex()],
            "reason": reason,
        },
    )
    return alert


def witness_run(
    source: LogSource, *, log_vkey: str, hash_name: str | None = None
) -> WitnessOutcome:
    """Fetch the log's latest checkpoint, check it extends the last one this witness cosigned,
    cosign it and hand the cosignature back. A checkpoint that does not extend it (a smaller
    size, the same size with another root, or a failing consistency proof) is a fork: refused,
    recorded as an audit event and raised as an alert for the administrator."""
    signer = keys.witness_signer()
    h = hasher(hash_name or algorithm())
    note = source.latest_note()
    try:
        checkpoint = open_checkpoint(note, parse_vkey(log_vkey))
    except VerifyError as exc:
        raise ServiceError(
            _("The log's checkpoint does not verify: %(reason)s") % {"reason": exc}
        ) from None
    size, root = checkpoint.size, checkpoint.root
    with transaction.atomic():
        state = (
            WitnessState.objects.select_for_update()
            .filter(witness=signer.name, origin=checkpoint.origin)
            .first()
        )
        reason = ""
        if state is not None:
            known_root = bytes.fromhex(state.root_hash)
            if size < state.tree_size:
                reason = ForkReason.ROLLBACK
            elif size == state.tree_size and root != known_root:
                reason = ForkReason.SPLIT
            elif size > state.tree_size:
                try:
                    proof = source.consistency(state.tree_size, size)
                except Exception:
                    reason = ForkReason.NO_PROOF
                else:
                    if not verify_consistency(h, state.tree_size, size, known_root, root, proof):
                        reason = ForkReason.INCONSISTENT
        if reason:
            assert state is not None
            _fork(witness=signer.name, state=state, size=size, root=root, note=note, reason=reason)
    if reason:
        # the alert and its audit event are committed; now refuse
        raise ForkDetected(_("Fork detected: %(reason)s") % {"reason": ForkReason(reason).label})
    with transaction.atomic():
        WitnessState.objects.update_or_create(
            witness=signer.name,
            origin=checkpoint.origin,
            defaults={"tree_size": size, "root_hash": root.hex()},
        )
    timestamp = int(time.time())
    signature = signer.sign(cosigned_message(checkpoint.note.text, timestamp))
    line = _signature_line(signer, struct.pack(">Q", timestamp) + signature).rstrip("\n")
    source.submit(size, line)
    return WitnessOutcome(True, checkpoint.origin, size, "cosigned", line)


# --- verification (registered with `anjian audit verify`) -------------------------------------


def tree_verify(*, rehash: bool = True) -> CheckReport:
    """Every stored event's leaf equals the leaf recomputed from the event row (purged events
    are skipped: their leaves stand for them), and every checkpoint's root is the tree's."""
    alg = algorithm()
    tree = StoredTree(alg)
    size = tree.size()
    problems: list[str] = []
    checked = 0
    start = 0
    while start < size:
        leaves = dict(
            LogNode.objects.filter(
                algorithm=alg, key__gte=start, key__lt=start + SYNC_BATCH
            ).values_list("key", "hash")
        )
        for event in AuditEvent.objects.filter(
            seq__gt=start, seq__lte=min(size, start + SYNC_BATCH)
        ):
            checked += 1
            stored = leaves.get(event.seq - 1)
            if stored is None or bytes(stored) != event_leaf(alg, event):
                problems.append(
                    _("event #%(seq)d no longer matches its leaf in the log") % {"seq": event.seq}
                )
        start += SYNC_BATCH
    for checkpoint in Checkpoint.objects.filter(algorithm=alg, tree_size__lte=size):
        try:
            if tree.root(checkpoint.tree_size).hex() != checkpoint.root_hash:
                raise LogError("root differs")
            _origin, cp_size, root, _ext = parse_checkpoint_text(parse_note(checkpoint.note).text)
            if cp_size != checkpoint.tree_size or root.hex() != checkpoint.root_hash:
                raise LogError("note differs")
        except (LogError, VerifyError):
            problems.append(
                _("checkpoint of %(n)d events does not match the stored tree")
                % {"n": checkpoint.tree_size}
            )
    return CheckReport(title=_("Verifiable log"), checked=checked, problems=problems[:20])


def fork_alert_close(*, actor: Any, alert: ForkAlert) -> ForkAlert:
    """An administrator has looked into a fork alert; the trail records who closed it."""
    with transaction.atomic():
        ForkAlert.objects.filter(pk=alert.pk).update(closed=True)
        alert.closed = True
        audit_record(
            actor=actor,
            action="auditlog.fork.closed",
            obj=alert,
            changes={"closed": [False, True]},
        )
    return alert
