"""Writes of enforcement documents: issue (number, render, store, hash, audit) and revoke.

Inspections and cases call `document_issue` from inside their own services, in their own
transaction: the number, the files' hashes and the audit event commit or roll back with the
step that issues the document.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.abbreviations import bureau_abbreviation
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.documents.kinds import DocumentHead, context_parse, context_plain, kind_spec
from anjian.documents.layout import Layout, Seal
from anjian.documents.models import DocumentCounter, DocumentStatus, OfficialDocument
from anjian.documents.render import render_docx, render_pdf
from anjian.documents.storage import document_storage

# Crockford's base32: no I, L, O, U, so a code read aloud or typed is not mistaken.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 random bits


def verification_code_new() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))


def verification_code_normalise(text: str) -> str:
    """A code as typed (any case, with spaces or hyphens, O for 0, I or L for 1) in canonical
    form; "" if it cannot be a code."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != CODE_LENGTH or any(ch not in CROCKFORD for ch in cleaned):
        return ""
    return cleaned


def document_number(bureau: Bureau, code: str, year: int, sequence: int) -> str:
    """（晋朔平）应急罚〔2026〕12号."""
    return f"（{bureau_abbreviation(bureau)}）{code}〔{year}〕{sequence}号"


def _sequence_next(bureau: Bureau, kind: str, year: int) -> int:
    """The next number of the bureau's kind and year. The counter row stays locked until the
    issuing transaction ends: a second issuer waits, and a rolled-back issue frees its number."""
    if not DocumentCounter.objects.filter(bureau=bureau, kind=kind, year=year).exists():
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(bureau=bureau, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another issuer created it first; lock theirs
    counter = DocumentCounter.objects.select_for_update().get(bureau=bureau, kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_number_reserve(bureau: Bureau, kind: str, year: int) -> tuple[int, str]:
    """Take the next number of `kind` now, for a record numbered when it is opened (the on-site
    inspection record carries its number from the first page): its document is issued later
    with `reserved=(year, sequence)` and prints the same number. A record abandoned as a draft
    leaves its number unused, as a voided paper form (作废) does."""
    spec = kind_spec(kind)
    sequence = _sequence_next(bureau, spec.kind, year)
    return sequence, document_number(bureau, spec.code, year, sequence)


NO_BASE_URL = _(
    "Documents cannot be issued: the public address of the document check page "
    "(ANJIAN_PUBLIC_BASE_URL) is not configured. Ask the system administrator to set it."
)


def check_url(code: str) -> str:
    """The public check page of a code, on ANJIAN_PUBLIC_BASE_URL. The address is printed under
    the QR code for good: without a base it would be a relative path that leads nowhere from
    paper, so issuing is refused instead."""
    base = settings.ANJIAN_PUBLIC_BASE_URL.rstrip("/")
    if not base:
        raise ServiceError(NO_BASE_URL, code="not_configured")
    return base + reverse("documents:portal_detail", kwargs={"code": code})


def _stamped(blocks: list[Any], seal_sha256: str) -> list[Any]:
    """The blocks with the seal image on the seal's place, when the document has one."""
    if not seal_sha256:
        return blocks
    from anjian.documents.seals import seal_image

    image = seal_image(seal_sha256)
    return [dataclasses.replace(b, image=image) if isinstance(b, Seal) else b for b in blocks]


def _layout(doc: OfficialDocument, parsed: Any) -> Layout:
    spec = kind_spec(doc.kind)
    head = DocumentHead(
        organ=doc.organ_name,
        number=doc.number,
        issued_on=doc.issued_on,
        code=doc.verification_code_display,
        url=doc.check_url,
    )
    return Layout(
        blocks=tuple(_stamped(spec.layout(parsed, head), doc.seal_sha256)),
        title=f"{spec.title} {doc.number}",
        meta={"organ": doc.organ_name, "identifier": doc.verification_code},
    )


def document_render(doc: OfficialDocument) -> tuple[bytes, bytes]:
    """The DOCX and the PDF of a document from what its row stores. Rendering is reproducible:
    for an intact document these bytes hash to `docx_sha256` and `pdf_sha256`."""
    layout = _layout(doc, context_parse(doc.kind, doc.context))
    return render_docx(layout, issued_on=doc.issued_on), render_pdf(layout, issued_on=doc.issued_on)


def document_layout(doc: OfficialDocument) -> Layout:
    return _layout(doc, context_parse(doc.kind, doc.context))


def _store(name: str, data: bytes) -> str:
    storage = document_storage()
    if storage.exists(name):
        return name  # content-addressed: the same bytes are already there
    return storage.save(name, ContentFile(data))


def _subject_key(subject: models.Model) -> tuple[ContentType, str]:
    if subject is None or subject.pk is None:
        raise ServiceError.for_field("subject", _("The document must be about a saved record."))
    return ContentType.objects.get_for_model(subject), str(subject.pk)


@transaction.atomic
def document_issue(
    actor: Any,
    *,
    kind: str,
    bureau: Bureau,
    subject: models.Model,
    context: dict[str, Any],
    issued_on: datetime.date | None = None,
    reserved: tuple[int, int] | None = None,
    team_member: bool = False,
    source: str = AuditSource.WEB,
) -> OfficialDocument:
    """Issue a document of `kind` in `bureau`'s name about `subject`.

    Validates `context` against the kind (kinds.py lists the keys; a refusal names each bad
    key), allocates the next number of the bureau, kind and year, renders the DOCX and the PDF
    from one layout, stores and hashes both, and records `documents.document.issued` with the
    hashes. The actor must belong to the bureau (a bureau issues its own documents), unless
    `team_member`: the calling step has checked that the actor is on the bureau's own team for
    `subject` (a county inspector drawn onto a province bureau's inspection), and the document
    is still the bureau's, in its name and its number series.
    """
    actor_require(actor, Capability.DOCUMENTS_ISSUE)
    if not team_member:
        if not isinstance(actor, Actor) and getattr(actor, "bureau_id", None) != bureau.pk:
            raise NotPermitted(_("A bureau issues its own documents."))
        actor_require_region(actor, bureau.region_id)
    spec = kind_spec(kind)
    parsed = context_parse(spec.kind, context)
    if not settings.ANJIAN_PUBLIC_BASE_URL:
        raise ServiceError(NO_BASE_URL, code="not_configured")  # before a number is taken
    subject_type, subject_id = _subject_key(subject)
    issued_on = issued_on or clock.today()

    if reserved is None:
        year, sequence = issued_on.year, _sequence_next(bureau, spec.kind, issued_on.year)
    else:
        year, sequence = reserved  # document_number_reserve; taken once (document_number_once)
        taken = DocumentCounter.objects.filter(
            bureau=bureau, kind=spec.kind, year=year, last__gte=sequence
        )
        if sequence < 1 or not taken.exists():
            raise ServiceError.for_field("number", _("This number was never reserved."))
    code = verification_code_new()
    while OfficialDocument.objects.filter(verification_code=code).exists():  # 2^-80, but still
        code = verification_code_new()
    from anjian.documents.seals import seal_current

    seal = seal_current(bureau)
    doc = OfficialDocument(
        kind=spec.kind,
        number=document_number(bureau, spec.code, year, sequence),
        year=year,
        sequence=sequence,
        bureau=bureau,
        region_id=bureau.region_id,
        subject_type=subject_type,
        subject_id=subject_id,
        organ_name=bureau.name,
        check_url=check_url(code),
        context=context_plain(parsed),
        verification_code=code,
        issued_on=issued_on,
        issued_by=None if isinstance(actor, Actor) else actor,
    )
    layout = _layout(doc, parsed)
    if seal is not None and any(isinstance(b, Seal) for b in layout.blocks):
        doc.seal_sha256 = seal.sha256
        layout = _layout(doc, parsed)
    docx = render_docx(layout, issued_on=issued_on)
    pdf = render_pdf(layout, issued_on=issued_on)
    doc.docx_sha256 = hashlib.sha256(docx).hexdigest()
    doc.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    doc.docx_size, doc.pdf_size = len(docx), len(pdf)
    # Files are named by their hash: an issue that rolls back leaves at most an unreferenced
    # file, never a wrong one.
    doc.docx_file = _store(f"{issued_on.year}/{doc.docx_sha256}.docx", docx)
    doc.pdf_file = _store(f"{issued_on.year}/{doc.pdf_sha256}.pdf", pdf)
    doc.save()
    audit_record(
        actor=actor,
        action="documents.document.issued",
        obj=doc,
        region=bureau.region_id,
        changes={
            "kind": spec.kind.value,
            "number": doc.number,
            "subject": f"{subject_type.app_label}.{subject_type.model}:{subject_id}",
            "issued_on": issued_on.isoformat(),
            "verification_code": code,
            "docx_sha256": doc.docx_sha256,
            "pdf_sha256": doc.pdf_sha256,
            "seal_sha256": doc.seal_sha256,
        },
        source=source,
    )
    if seal is not None and doc.seal_sha256:
        audit_record(  # every use of the seal, on the seal's own trail
            actor=actor,
            action="documents.seal.used",
            obj=seal,
            region=bureau.region_id,
            changes={"document": doc.number, "kind": spec.kind.value, "sha256": seal.sha256},
            source=source,
        )
    return doc


@transaction.atomic
def document_revoke(
    actor: Any, doc: OfficialDocument, reason: str, *, source: str = AuditSource.WEB
) -> OfficialDocument:
    """Revoke an issued document, with the reason the public check page shows. A correction
    is a revocation and a new document; nothing of the issued one changes but its status."""
    actor_require(actor, Capability.DOCUMENTS_REVOKE)
    locked = OfficialDocument.objects.select_for_update().get(pk=doc.pk)
    if not isinstance(actor, Actor) and getattr(actor, "bureau_id", None) != locked.bureau_id:
        actor_require_region(actor, locked.region_id)  # out of scope: not found
        raise NotPermitted(_("A bureau revokes its own documents."))
    actor_require_region(actor, locked.region_id)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the document is revoked."))
    if locked.status != DocumentStatus.VALID:
        raise Conflict(_("The document is already revoked."))
    locked.status = DocumentStatus.REVOKED
    locked.revoked_reason = reason.strip()[:500]
    locked.revoked_at = clock.now()
    locked.revoked_by = None if isinstance(actor, Actor) else actor
    locked.save(update_fields=["status", "revoked_reason", "revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="documents.document.revoked",
        obj=locked,
        region=locked.region_id,
        changes={"number": locked.number, "reason": locked.revoked_reason},
        source=source,
    )
    return locked
