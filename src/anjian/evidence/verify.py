"""The evidence part of `anjian audit verify`: every stored file still holds the bytes its
SHA-256 names, and every attachment still points at the file its audit event recorded.

Three things are compared: the bytes in storage (hashed again, in chunks), the StoredFile row
(its primary key is the hash, with the size), and the `evidence.file.added` event of each
Evidence row (in the audit chain, whose own integrity the command checked first). A file altered
or removed in storage, or an Evidence row re-pointed at other bytes in the database, is named
with the evidence id(s) and file name(s) it concerns.
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
    recorded: dict[str, str] = {}
    for event_object_id, changes in (
        AuditEvent.objects.filter(action="evidence.file.added", object_type="evidence.evidence")
        .values_list("object_id", "changes")
        .iterator(chunk_size=2000)
    ):
        if isinstance(changes, dict):
            recorded[event_object_id] = str(changes.get("sha256", ""))
    problems: list[str] = []
    for pk, sha256, name in (
        Evidence.objects.order_by("pk")
        .values_list("pk", "stored_file_id", "original_name")
        .iterator(chunk_size=2000)
    ):
        attachments[sha256].append((pk, name))
        expected = recorded.get(str(pk))
        if expected is None:
            problems.append(f"evidence #{pk} {name}: no evidence.file.added event records it")
        elif expected != sha256:
            problems.append(
                f"evidence #{pk} {name}: points at {sha256}, but its audit event recorded "
                f"{expected}"
            )
    checked = 0
    for stored in StoredFile.objects.order_by("created_at", "sha256").iterator(chunk_size=500):
        checked += 1
        problem = _file_problem(stored, rehash=rehash)
        if problem:
            names = ", ".join(f"evidence #{pk} {name}" for pk, name in attachments[stored.sha256])
            problems.append(f"file {stored.sha256} ({names or 'not attached'}): {problem}")
    return CheckReport(title=gettext("Evidence files"), checked=checked, problems=problems)
