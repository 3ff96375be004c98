"""The bureau's electronic seal (issue 19): its own administrator uploads a PNG checked by
content, size and dimensions; every document issued afterwards carries the image over the
organ's name (PDF and DOCX), re-renders with it byte for byte, and each use is audited; without
a seal the placeholder stays; nobody else changes a bureau's seal."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from pypdf import PdfReader

from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.documents import seals, services
from anjian.documents.models import BureauSeal, DocumentKind
from anjian.documents.storage import document_storage

pytestmark = pytest.mark.django_db


def png(size: tuple[int, int] = (400, 400), fmt: str = "PNG") -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 4, size[1] - 4), outline=(220, 0, 0, 255),
                                  width=12)  # fmt: skip
    out = io.BytesIO()
    image.convert("RGB" if fmt == "JPEG" else "RGBA").save(out, format=fmt)
    return out.getvalue()


def stored(name: str) -> bytes:
    with document_storage().open(name, "rb") as fh:
        return fh.read()


def pdf_images(data: bytes) -> int:
    """Distinct raster images (the QR code is vector; pages share their resources)."""
    reader = PdfReader(io.BytesIO(data))
    return len({image.name for page in reader.pages for image in page.images})


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(p.extract_text() for p in reader.pages).split())


def test_without_a_seal_the_placeholder_is_printed(issue: Callable) -> None:
    doc = issue(DocumentKind.PENALTY_DECISION)
    assert doc.seal_sha256 == ""
    assert "（印章）" in pdf_text(stored(doc.pdf_file))
    assert pdf_images(stored(doc.pdf_file)) == 0


def test_the_uploaded_seal_is_stamped_audited_and_reproducible(
    issue: Callable, org: dict[str, Any]
) -> None:
    admin = org["county_admin"]
    seal = seals.seal_upload(admin, admin.bureau, png())
    assert (seal.width, seal.height) == (400, 400)
    doc = issue(DocumentKind.PENALTY_DECISION)
    assert doc.seal_sha256 == seal.sha256
    pdf = stored(doc.pdf_file)
    assert pdf_images(pdf) == 1 and "（印章）" not in pdf_text(pdf)
    assert doc.organ_name in pdf_text(pdf)
    with zipfile.ZipFile(io.BytesIO(stored(doc.docx_file))) as z:
        body = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "wp:anchor" in body and "（印章）" not in body
    assert len(media) == 2  # the seal and the QR code
    # The row names the seal by hash, so the document re-renders to the same bytes even after
    # the bureau changes its seal.
    seals.seal_upload(admin, admin.bureau, png((500, 480)))
    docx_bytes, pdf_bytes = services.document_render(doc)
    assert pdf_bytes == pdf and docx_bytes == stored(doc.docx_file)
    used = AuditEvent.objects.get(action="documents.seal.used", object_id=str(seal.pk))
    assert used.changes["document"] == doc.number
    issued = AuditEvent.objects.get(action="documents.document.issued", object_id=str(doc.pk))
    assert issued.changes["seal_sha256"] == seal.sha256
    assert AuditEvent.objects.filter(action="documents.seal.uploaded").count() == 2


def test_a_document_without_a_seal_place_records_no_use(
    issue: Callable, org: dict[str, Any]
) -> None:
    admin = org["county_admin"]
    seals.seal_upload(admin, admin.bureau, png())
    record = issue(DocumentKind.INSPECTION_RECORD)  # signed on site, no seal
    assert record.seal_sha256 == ""
    assert not AuditEvent.objects.filter(action="documents.seal.used").exists()


def test_removing_the_seal_brings_back_the_placeholder(issue: Callable, org) -> None:
    admin = org["county_admin"]
    seals.seal_upload(admin, admin.bureau, png())
    seals.seal_remove(admin, admin.bureau)
    assert seals.seal_current(admin.bureau) is None
    doc = issue(DocumentKind.PENALTY_DECISION)
    assert doc.seal_sha256 == "" and "（印章）" in pdf_text(stored(doc.pdf_file))
    assert AuditEvent.objects.filter(action="documents.seal.removed").count() == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png(fmt="JPEG"), "PNG"),  # a JPEG, whatever its name says
        (b"GIF89a" + b"\x00" * 100, "PNG"),
        (png()[:200], "损坏"),  # truncated
        (png((100, 100)), "像素"),
        (png((2400, 2400)), "像素"),
        (png((400, 200)), "宽和高"),
        (png() + b"\x00" * (seals.MAX_BYTES), "KB"),
    ],
    ids=["jpeg", "gif", "truncated", "small", "large", "not-square", "too-big"],
)
def test_uploads_are_checked_by_content_size_and_dimensions(
    org: dict[str, Any], data: bytes, reason: str
) -> None:
    admin = org["county_admin"]
    with pytest.raises(ServiceError) as refused:
        seals.seal_upload(admin, admin.bureau, data)
    assert reason in str(refused.value.fields["image"][0])
    assert not BureauSeal.objects.exists()


def test_the_stored_image_is_re_encoded_without_trailing_bytes(org: dict[str, Any]) -> None:
    admin = org["county_admin"]
    upload = png() + b"<script>alert(1)</script>"
    seal = seals.seal_upload(admin, admin.bureau, upload)
    kept = seals.seal_image(seal.sha256)
    assert b"<script>" not in kept and kept.startswith(seals.PNG_SIGNATURE)


def test_only_the_bureaus_own_administrator_changes_its_seal(org: dict[str, Any]) -> None:
    bureau = org["county_admin"].bureau
    with pytest.raises(NotFound):  # another county's administrator: out of scope
        seals.seal_upload(org["other_county_admin"], bureau, png())
    with pytest.raises(NotPermitted):  # the city's administrator, above it: not its seal
        seals.seal_upload(org["city_admin"], bureau, png())
    with pytest.raises(NotPermitted):  # an inspector of the bureau
        seals.seal_upload(org["county_inspector"], bureau, png())
    seals.seal_upload(org["county_admin"], bureau, png())
    with pytest.raises(NotPermitted):
        seals.seal_remove(org["city_admin"], bureau)
    assert BureauSeal.objects.filter(bureau=bureau, active=True).count() == 1


def test_the_seal_page(org: dict[str, Any], login: Callable) -> None:
    url = reverse("documents:seal")
    assert login(org["county_inspector"]).get(url).status_code == 403
    client = login(org["county_admin"])
    page = client.get(url).content.decode()
    assert "电子印章" in page and "尚未上传印章" in page
    bad = client.post(url, {"image": io.BytesIO(png(fmt="JPEG"))})
    assert bad.status_code == 400 and "印章图片必须是PNG文件" in bad.content.decode()
    upload = io.BytesIO(png())
    upload.name = "seal.png"
    assert client.post(url, {"image": upload}).status_code == 302
    page = client.get(url).content.decode()
    assert "data:image/png;base64," in page
    assert seals.seal_current(org["county_admin"].bureau) is not None
    bureau_page = client.get(
        reverse("accounts:bureau_detail", args=[org["county_admin"].bureau_id])
    ).content.decode()
    assert url in bureau_page
