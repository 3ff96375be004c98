"""Photos, videos and recordings sent with a report: checked by their bytes with the evidence
app's allow-list (`evidence.filetypes.sniff`), stripped of the metadata a phone writes into
them (GPS position, serial number, owner: `complaints.metadata`), sealed with SM4-GCM and stored
under a random name in `MEDIA_ROOT/complaints` (or ANJIAN_COMPLAINT_FILES_DIR).

Not in the evidence store: evidence is kept plain under its SHA-256, which would let anyone
holding a copy of a photo confirm that it was reported. A report's file becomes evidence only
when an officer attaches it to an inspection or a case.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from anjian.complaints import metadata
from anjian.core import crypto
from anjian.core.errors import ServiceError
from anjian.evidence import filetypes
from anjian.evidence.services import REFUSED_KINDS, name_clean

# Photos, videos, recordings and scanned letters; no office documents from the public.
ACCEPTED = {
    t.content_type: t
    for t in (
        filetypes.JPEG, filetypes.PNG, filetypes.WEBP, filetypes.HEIC, filetypes.HEIF,
        filetypes.MP4, filetypes.MOV, filetypes.THREE_GP, filetypes.M4A, filetypes.MP3,
        filetypes.AMR, filetypes.WAV, filetypes.PDF,
    )
}  # fmt: skip
CONTEXT = "complaints.attachment"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes


def files_dir() -> Path:
    configured = os.environ.get("ANJIAN_COMPLAINT_FILES_DIR", "")
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "complaints"


def file_check(upload: Any, *, field: str = "files") -> CheckedFile:
    """Read and check one uploaded file; refuse with the field's name and the reason."""
    limit = int(settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES)
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise ServiceError.for_field(
            field,
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)},
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ServiceError.for_field(
            field,
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(limit)},
        )
    if not data:
        raise ServiceError.for_field(field, _("%(name)s is empty.") % {"name": upload.name})
    try:
        import io

        kind = filetypes.sniff(data[: filetypes.HEAD_BYTES], io.BytesIO(data))
    except filetypes.Refused as refused:
        what = REFUSED_KINDS.get(refused.kind)
        if what:
            reason = _("%(name)s is a %(what)s, which is not accepted.") % {
                "name": upload.name,
                "what": what,
            }
        else:
            reason = _("%(name)s is not a photo, video, recording or PDF.") % {"name": upload.name}
        raise ServiceError.for_field(field, reason) from None
    if kind.content_type not in ACCEPTED:
        raise ServiceError.for_field(
            field,
            _("%(name)s is not a photo, video, recording or PDF.") % {"name": upload.name},
        )
    try:
        data = metadata.strip(kind, data)
    except metadata.Unreadable:
        # Kept as it came, the file might carry the reporter's position: ask for it again.
        raise ServiceError.for_field(
            field,
            _("%(name)s could not be read as a whole; please send it again.")
            % {"name": upload.name},
        ) from None
    return CheckedFile(
        name=name_clean(upload.name, kind), content_type=kind.content_type, data=data
    )


def sealed_write(data: bytes) -> str:
    """Seal the bytes and write them under a new random name; answer the name."""
    name = secrets.token_hex(20)
    directory = files_dir() / name[:2]
    directory.mkdir(parents=True, exist_ok=True, mode=0o750)
    path = directory / name
    path.write_text(crypto.seal_bytes(data, context=f"{CONTEXT}:{name}"), encoding="ascii")
    path.chmod(0o640)
    return name


def sealed_read(name: str) -> bytes:
    path = files_dir() / name[:2] / name
    return crypto.open_bytes(path.read_text(encoding="ascii"), context=f"{CONTEXT}:{name}")
