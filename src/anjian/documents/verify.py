"""The check `anjian audit verify` runs on issued documents: each stored DOCX and PDF is still
there, of the recorded size and (with rehash) of the recorded SHA-256, and the hashes on the
row are the ones the `documents.document.issued` event recorded in the chain."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext

from anjian.core.models import AuditEvent
from anjian.core.verification import CheckReport
from anjian.documents.models import OfficialDocument
from anjian.documents.storage import document_storage


def _file_problem(name: str, size: int, sha256: str, *, rehash: bool) -> str:
    storage = document_storage()
    if not name or not storage.exists(name):
        return "file missing"
    if storage.size(name) != size:
        return f"size {storage.size(name)}, recorded {size}"
    if rehash:
        digest = hashlib.sha256()
        with storage.open(name, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            return f"SHA-256 {digest.hexdigest()}, recorded {sha256}"
    return ""


def documents_files_verify(*, rehash: bool = True) -> CheckReport:
    recorded: dict[str, dict[str, str]] = {}
    for object_id, changes in AuditEvent.objects.filter(
        action="documents.document.issued"
    ).values_list("object_id", "changes"):
        if isinstance(changes, dict):
            recorded[object_id] = changes
    problems: list[str] = []
    checked = 0
    for doc in OfficialDocument.objects.order_by("pk").iterator(chunk_size=500):
        checked += 1
        label = f"document #{doc.pk} {doc.number}"
        event = recorded.get(str(doc.pk))
        if event is None:
            problems.append(f"{label}: no documents.document.issued event records it")
        for ext, name, size, sha in (
            ("docx", doc.docx_file, doc.docx_size, doc.docx_sha256),
            ("pdf", doc.pdf_file, doc.pdf_size, doc.pdf_sha256),
        ):
            if event is not None and event.get(f"{ext}_sha256") != sha:
                problems.append(
                    f"{label}: {ext} hash {sha}, but its audit event recorded "
                    f"{event.get(f'{ext}_sha256')}"
                )
            problem = _file_problem(name, size, sha, rehash=rehash)
            if problem:
                problems.append(f"{label} {ext}: {problem}")
    return CheckReport(title=gettext("Enforcement documents"), checked=checked, problems=problems)
