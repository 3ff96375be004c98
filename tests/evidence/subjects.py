"""A test registration: market entities take evidence in these tests only (the real subjects,
inspection records, findings and cases, are registered by their own apps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.accounts.roles import Capability
from anjian.entities.models import Entity
from anjian.evidence.registry import evidence_subject_register, evidence_subject_unregister

# The first bytes of real files of each kind (what the type check reads), padded.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 600
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/me')</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    """An uploaded file as a browser sends it; the declared type is deliberately not trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def entity_subject_register() -> Callable[[], None]:
    """Let entities take evidence (attach: whoever may manage entities); returns the undo."""
    evidence_subject_register(
        Entity,
        may_attach=lambda user, entity: user.can(Capability.ENTITIES_MANAGE),
        region_of=lambda entity: entity.region_id,
    )
    return lambda: evidence_subject_unregister(Entity)
