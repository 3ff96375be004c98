"""The evidence part of `anjian audit verify`: every stored file still holds the bytes its
SHA-256 names, and every attachment still points at the file its audit event recorded.

Three things are compared: the bytes in storage (hashed again, in chunks), the StoredFile row
(its primary key is the hash, with the size), and the `evidence.file.added` and
`evidence.file.withdrawn` events (in the audit chain, whose own integrity the command checked
first). A file altered or removed in storage, an Evidence row re-pointed at other bytes, deleted
or un-withdrawn in the database, is named with the evidence id(s) and file name(s) it concerns.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.utils.translation import gettext

from anjian.core.models import AuditEvent
from anjian.core.verification import CheckReport
from anjian.evidence.models import Evidence, StoredFile
from anjian.evidence.storage import evidence_storage

CHUNK = 1 << 20


def _file_problem(stored: StoredFile, *, rehash: bool) -> str:
    storage = evidence_storage()
    try:
        if not storage.exists(stored.path):
            return "missing from storage"
        if not rehash:
            size = storage.size(stored.path)
            return "" if size == stored.size else f"size {size}, recorded {stored.size}"
        digest = hashlib.sha256()
        size = 0
        with storage.open(stored.path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        return f"unreadable ({exc.__class__.__name__})"
    if digest.hexdigest() != stored.sha256:
        return f"altered: its content now hashes to {digest.hexdigest()} ({size} bytes)"
    if size != stored.size:
        return f"size {size}, recorded {stored.size}"
    return ""


def evidence_files_verify(*, rehash: bool = True) -> CheckReport:
    attachments: dict[str, list[tuple[int, str]]] = defaultdict(list)
    recorded: dict[str, tuple[int, str, str]] = {}  # evidence id -> (event seq, sha256, name)
    withdrawn: dict[str, int] = {}  # evidence id -> seq of its withdrawal event
    for seq, action, object_id, changes in (
        AuditEvent.objects.filter(
            action__in=["evidence.file.added", "evidence.file.withdrawn"],
            object_type="evidence.evidence",
        )
        .order_by("seq")
        .values_list("seq", "action", "object_id", "changes")
        .iterator(chunk_size=2000)
    ):
        changes = changes if isinstance(changes, dict) else {}
        if action == "evidence.file.added":
            recorded[object_id] = (
                seq,
                str(changes.get("sha256", "")),
                str(changes.get("original_name", "")),
            )
        else:
            withdrawn[object_id] = seq
    problems: list[str] = []
    seen: set[str] = set()
    for pk, sha256, name, withdrawn_at in (
        Evidence.objects.order_by("pk")
        .values_list("pk", "stored_file_id", "original_name", "withdrawn_at")
        .iterator(chunk_size=2000)
    ):
        seen.add(str(pk))
        attachments[sha256].append((pk, name))
        event = recorded.get(str(pk))
        if event is None:
            problems.append(f"evidence #{pk} {name}: no evidence.file.added event records it")
        elif event[1] != sha256:
            problems.append(
                f"evidence #{pk} {name}: points at {sha256}, but its audit event "
                f"#{event[0]} recorded {event[1]}"
            )
        if withdrawn_at is None and str(pk) in withdrawn:
            problems.append(
                f"evidence #{pk} {name}: withdrawn by audit event #{withdrawn[str(pk)]}, "
                "but no longer marked withdrawn"
            )
    for object_id in sorted(set(recorded) - seen, key=lambda v: (len(v), v)):
        seq, sha256, name = recorded[object_id]
        problems.append(
            f"evidence #{object_id} {name}: added by audit event #{seq} ({sha256}), "
            "but its row was deleted"
        )
    checked = 0
    for stored in StoredFile.objects.order_by("created_at", "sha256").iterator(chunk_size=500):
        checked += 1
        problem = _file_problem(stored, rehash=rehash)
        if problem:
            names = ", ".join(f"evidence #{pk} {name}" for pk, name in attachments[stored.sha256])
            problems.append(f"file {stored.sha256} ({names or 'not attached'}): {problem}")
    return CheckReport(title=gettext("Evidence files"), checked=checked, problems=problems)
