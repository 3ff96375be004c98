"""Electronic seals (电子印章, issue 19): each bureau's administrator uploads the image of the
bureau's seal; `document_issue` stamps it over the organ's name on every document with a seal
and records the use in the audit chain. Without an uploaded seal the documents keep the printed
placeholder "（印章）". The public check page remains the proof of a document; the image is its
face (a GB/T 38540 signature can come later).

Upload checks: the bytes must be a PNG by their content (signature and a full decode by Pillow,
not the name or the declared type), at most `MAX_BYTES`, between `MIN_SIDE` and `MAX_SIDE`
pixels a side and roughly square (a seal is round or square). The stored image is re-encoded
from the decoded pixels (RGBA), which drops any metadata or trailing bytes of the upload.
Only the bureau's own administrator changes its seal: not an administrator above it, not
another bureau's.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.core.errors import NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.documents.models import BureauSeal
from anjian.documents.storage import document_storage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 1024 * 1024
MIN_SIDE, MAX_SIDE = 200, 2000
MAX_RATIO = 1.25  # longer side / shorter side


def _own_administrator(actor: Any, bureau: Bureau) -> None:
    actor_require(actor, Capability.USERS_MANAGE)
    actor_require_region(actor, bureau.region_id)  # out of scope: not found
    if isinstance(actor, Actor) or getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("Only the bureau's own administrator changes its seal."))


def seal_image_check(data: bytes) -> Image.Image:
    """The decoded image, or ServiceError on `image` saying what is wrong with the upload."""
    if len(data) > MAX_BYTES:
        raise ServiceError.for_field(
            "image", _("The seal image is larger than %(max)s KB.") % {"max": MAX_BYTES // 1024}
        )
    if not data.startswith(PNG_SIGNATURE):
        raise ServiceError.for_field("image", _("The seal image must be a PNG file."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # checks the chunks' CRCs without decoding the pixels
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise ServiceError.for_field("image", _("The seal image must be a PNG file."))
        w, h = image.size
        if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
            raise ServiceError.for_field(
                "image",
                _(
                    "The seal image must be %(min)s to %(max)s pixels on each side; "
                    "it is %(w)s×%(h)s."
                )
                % {"min": MIN_SIDE, "max": MAX_SIDE, "w": w, "h": h},
            )
        if max(w, h) > MAX_RATIO * min(w, h):
            raise ServiceError.for_field(
                "image", _("A seal is round or square: the image must be about as wide as high.")
            )
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ServiceError.for_field("image", _("The PNG file is damaged.")) from exc
    return image


def _reencoded(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGBA").save(out, format="PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def seal_upload(
    actor: Any, bureau: Bureau, data: bytes, *, source: str = AuditSource.WEB
) -> BureauSeal:
    """Make `data` the bureau's seal from now on; documents issued before keep theirs."""
    _own_administrator(actor, bureau)
    image = seal_image_check(data)
    png = _reencoded(image)
    digest = hashlib.sha256(png).hexdigest()
    name = f"seals/{digest}.png"
    storage = document_storage()
    if not storage.exists(name):
        name = storage.save(name, ContentFile(png))
    BureauSeal.objects.filter(bureau=bureau, active=True).update(active=False)
    seal = BureauSeal.objects.create(
        bureau=bureau,
        region_id=bureau.region_id,
        sha256=digest,
        file=name,
        width=image.size[0],
        height=image.size[1],
        size=len(png),
        uploaded_by=None if isinstance(actor, Actor) else actor,
    )
    audit_record(
        actor=actor,
        action="documents.seal.uploaded",
        obj=seal,
        region=bureau.region_id,
        changes={"bureau": bureau.name, "sha256": digest, "size": [image.size[0], image.size[1]]},
        source=source,
    )
    return seal


@transaction.atomic
def seal_remove(actor: Any, bureau: Bureau, *, source: str = AuditSource.WEB) -> None:
    """Stop stamping the seal: documents issued from now print the placeholder again."""
    _own_administrator(actor, bureau)
    current = seal_current(bureau)
    if current is None:
        raise ServiceError(_("The bureau has no seal to remove."))
    BureauSeal.objects.filter(bureau=bureau, active=True).update(active=False)
    audit_record(
        actor=actor,
        action="documents.seal.removed",
        obj=current,
        region=bureau.region_id,
        changes={"bureau": bureau.name, "sha256": current.sha256},
        source=source,
    )


def seal_current(bureau: Bureau) -> BureauSeal | None:
    return BureauSeal.objects.filter(bureau=bureau, active=True).order_by("-id").first()


def seal_image(sha256: str) -> bytes:
    """The stored image of a seal by its hash; refused if the bytes no longer match."""
    with document_storage().open(f"seals/{sha256}.png", "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServiceError(_("The stored seal image does not match its hash."))
    return data
