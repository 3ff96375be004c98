"""Writes of evidence: attach a file to a record, withdraw a mistaken attachment.

There is no removal: evidence is never deleted (行政执法全过程记录). `evidence_add` checks who may
attach (through the registry), the size and the type by the file's bytes, hashes while it reads
(a large video is never held in memory), stores the bytes once under their SHA-256, and writes
the hash into the audit event `evidence.file.added`.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.models import Region
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.evidence import filetypes
from anjian.evidence.filetypes import FileType, Refused
from anjian.evidence.models import Evidence, StoredFile
from anjian.evidence.registry import EvidenceSubject, evidence_subject_get, evidence_subject_of
from anjian.evidence.storage import evidence_storage, path_for

CHUNK = 1 << 20
NAME_MAX = 120  # characters kept of an uploaded file's name (a Chinese name fits easily)
# Characters that can disguise a name: controls, and the bidirectional overrides that make
# "photo\u202egpj.exe" read "photoexe.jpg".
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


REFUSED_KINDS = {
    "exe": _("Windows program (EXE/DLL)"),
    "elf": _("Linux program (ELF)"),
    "macho": _("macOS program (Mach-O)"),
    "script": _("script"),
    "svg": _("SVG image, which can carry scripts"),
    "html": _("web page (HTML)"),
    "xml": _("web page or XML document"),
    "zip": _("ZIP archive"),
    "zip_damaged": _("damaged ZIP archive"),
    "zip_bomb": _("ZIP bomb (an archive that unpacks to far more than any real document)"),
    "macro": _("Office document with macros"),
}


@dataclass(frozen=True)
class _Read:
    sha256: str
    size: int
    kind: FileType


def max_bytes() -> int:
    return int(settings.ANJIAN_EVIDENCE_MAX_BYTES)


def name_clean(name: str, kind: FileType) -> str:
    """The uploaded name, made safe to show and to offer as a download name: no directories, no
    control or direction characters, at most NAME_MAX characters, and an extension that matches
    the content (a JPEG called "x.html" is kept as "x.html.jpg")."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)
    stem, ext = os.path.splitext(name)
    if ext.lower() not in kind.extensions:
        stem, ext = name, kind.extension
    stem = stem[: NAME_MAX - len(ext)].strip() or "evidence"
    return stem + ext.lower()


def _display_name(upload: Any) -> str:
    return os.path.basename(str(getattr(upload, "name", "") or "")).strip() or "?"


def _refuse(upload: Any, message: Any) -> ServiceError:
    return ServiceError.for_field("upload", message % {"name": _display_name(upload)})


def _read(upload: Any) -> _Read:
    """Hash, measure and recognise the file in one pass over its chunks."""
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(upload, limit)
    file = upload if isinstance(upload, File) else File(upload)
    if file.seekable():
        file.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in file.chunks(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(upload, limit)
        if len(head) < filetypes.HEAD_BYTES:
            head += chunk[: filetypes.HEAD_BYTES - len(head)]
        digest.update(chunk)
    if size == 0:
        raise _refuse(upload, _("%(name)s is empty."))
    try:
        kind = filetypes.sniff(head, file if file.seekable() else None)
    except Refused as exc:
        if exc.kind:
            raise ServiceError.for_field(
                "upload",
                _(
                    "%(name)s is a %(kind)s; such files are never accepted as evidence, "
                    "whatever their name."
                )
                % {"name": _display_name(upload), "kind": REFUSED_KINDS.get(exc.kind, exc.kind)},
            ) from None
        raise ServiceError.for_field(
            "upload",
            _("%(name)s: this type of file is not accepted. Accepted: %(types)s.")
            % {"name": _display_name(upload), "types": filetypes.accepted_labels()},
        ) from None
    return _Read(sha256=digest.hexdigest(), size=size, kind=kind)


def _too_large(upload: Any, limit: int) -> ServiceError:
    return ServiceError.for_field(
        "upload",
        _("%(name)s is larger than %(limit)s, the most one file of evidence may be.")
        % {"name": _display_name(upload), "limit": filesizeformat(limit)},
    )


def _store(upload: Any, read: _Read) -> None:
    """Put the bytes under their content address unless they are there already."""
    storage = evidence_storage()
    path = path_for(read.sha256)
    if storage.exists(path):
        return
    file = upload if isinstance(upload, File) else File(upload)
    file.seek(0)
    saved = storage.save(path, file)
    if saved != path:  # a storage that renamed instead of writing the content address
        raise RuntimeError(f"evidence storage saved {path} as {saved}")


def _subject_check(actor: Any, subject: Any, region_code: str) -> EvidenceSubject:
    registration = evidence_subject_of(subject)
    if registration is None:
        raise ServiceError.for_field("subject", _("This kind of record does not take evidence."))
    if not isinstance(actor, Actor):
        # Staff, or an enterprise account on a record of its own entity that the subject's
        # registration lets it attach to (its rectification photos): may_attach decides.
        if not actor.can(Capability.ENTERPRISE_SELF):
            actor_require(actor, Capability.WORKSPACE)
        if not registration.is_visible(actor, subject):
            raise NotFound()
        if region_code != registration.region_of(subject):
            # Evidence lies where its record lies; anywhere else needs the actor's jurisdiction.
            actor_require_region(actor, region_code)
        if not registration.may_attach(actor, subject):
            raise NotPermitted(_("You may not add evidence to this record."))
    return registration


def evidence_add(
    actor: Any,
    *,
    upload: Any,
    subject: Any,
    region: Any,
    caption: str = "",
    source: str = AuditSource.WEB,
) -> Evidence:
    """Attach `upload` (a Django UploadedFile or File) to `subject`, a record of a registered
    model, in `region` (a Region or its code). The same bytes already attached to the same
    record (and not withdrawn) are not attached twice: the existing Evidence is returned and
    nothing is recorded."""
    region_code = region.pk if isinstance(region, Region) else str(region)
    registration = _subject_check(actor, subject, region_code)
    if not Region.objects.filter(pk=region_code).exists():
        raise ServiceError.for_field("region", _("Unknown region."))
    caption = _UNSAFE.sub("", str(caption or "")).strip()
    if len(caption) > 200:
        raise ServiceError.for_field("caption", _("At most 200 characters."))
    read = _read(upload)
    _store(upload, read)
    subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
    with transaction.atomic():
        stored, created = StoredFile.objects.get_or_create(
            sha256=read.sha256,
            defaults={"size": read.size, "content_type": read.kind.content_type},
        )
        existing = Evidence.objects.filter(
            stored_file=stored,
            subject_type=subject_type,
            subject_id=subject_id,
            withdrawn_at__isnull=True,
        ).first()
        if existing is not None:
            return existing
        user = None if isinstance(actor, Actor) else actor
        bureau = registration.bureau_of(subject) if registration.bureau_of else None
        if bureau is None and user is not None:
            bureau = user.bureau
        evidence = Evidence(
            stored_file=stored,
            subject_type=subject_type,
            subject_id=subject_id,
            region_id=region_code,
            bureau=bureau,
            original_name=name_clean(getattr(upload, "name", ""), read.kind),
            caption=caption,
            added_by=user,
            added_by_name=actor.name if user is None else (user.full_name or user.username),
            added_at=clock.now(),
        )
        try:
            with transaction.atomic():
                evidence.save(force_insert=True)
        except IntegrityError:
            # The same file on the same record, attached concurrently: theirs stands.
            return Evidence.objects.get(
                stored_file=stored,
                subject_type=subject_type,
                subject_id=subject_id,
                withdrawn_at__isnull=True,
            )
        audit_record(
            actor=actor,
            action="evidence.file.added",
            obj=evidence,
            region=region_code,
            changes={
                "sha256": read.sha256,
                "size": read.size,
                "content_type": read.kind.content_type,
                "original_name": evidence.original_name,
                "caption": caption,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "stored": "new" if created else "existing",
            },
            source=source,
        )
    return evidence


@transaction.atomic
def evidence_withdraw(
    actor: Any, *, evidence: Evidence, reason: str, source: str = AuditSource.WEB
) -> Evidence:
    """Mark a mistaken attachment withdrawn. The file and the row stay; lists strike it
    through with the reason. Whoever may attach to the record may withdraw."""
    reason = _UNSAFE.sub("", str(reason or "")).strip()
    if not reason:
        raise ServiceError.for_field("reason", _("Say why the evidence is withdrawn."))
    if len(reason) > 500:
        raise ServiceError.for_field("reason", _("At most 500 characters."))
    registration = evidence_subject_get(evidence.subject_type)
    if not isinstance(actor, Actor):
        actor_require(actor, Capability.WORKSPACE)
        from anjian.evidence.selectors import evidence_subject_visible

        record = evidence_subject_visible(actor, evidence)
        if record is None:
            raise NotFound()
        if not registration.may_attach(actor, record):  # type: ignore[union-attr]
            raise NotPermitted(_("You may not withdraw evidence of this record."))
    now = clock.now()
    user = None if isinstance(actor, Actor) else actor
    changed = Evidence.objects.filter(pk=evidence.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=user, withdrawn_reason=reason
    )
    if changed != 1:
        raise Conflict(_("The evidence was already withdrawn."))
    evidence.refresh_from_db()
    audit_record(
        actor=actor,
        action="evidence.file.withdrawn",
        obj=evidence,
        region=evidence.region_id,
        changes={"sha256": evidence.sha256, "reason": reason},
        source=source,
    )
    return evidence
