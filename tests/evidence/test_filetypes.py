"""Recognising accepted files by their first bytes (filetypes.sniff), without Django."""

from __future__ import annotations

import io
import zipfile

import pytest

from anjian.evidence import filetypes
from anjian.evidence.filetypes import Refused, sniff


def _zip(names: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe1\x00\x18Exif", filetypes.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", filetypes.PNG),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", filetypes.WEBP),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", filetypes.WAV),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", filetypes.HEIC),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic", filetypes.HEIF),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", filetypes.MOV),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00isommp42", filetypes.MP4),
        (b"\x00\x00\x00\x18ftyp3gp5\x00\x00\x00\x00isom3gp5", filetypes.THREE_GP),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom", filetypes.M4A),
        # an unknown major brand, known by a compatible one
        (b"\x00\x00\x00\x18ftypXYZ1\x00\x00\x00\x00isomXYZ1", filetypes.MP4),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", filetypes.MP3),
        (b"\xff\xfb\x90\x64\x00\x00", filetypes.MP3),
        (b"#!AMR\n\x3c", filetypes.AMR),
        (b"%PDF-1.4\n", filetypes.PDF),
    ],
)
def test_accepted_kinds(head: bytes, expected: filetypes.FileType) -> None:
    assert sniff(head) is expected


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"MZ\x90\x00", "exe"),
        (b"\x7fELF\x02\x01", "elf"),
        (b"\xcf\xfa\xed\xfe", "macho"),
        (b"#!/usr/bin/env python\n", "script"),
        (b"\xef\xbb\xbf<svg onload=alert(1)>", "svg"),
        (b"  \r\n<!DOCTYPE HTML><html>", "html"),
        (b"<\x00h\x00t\x00m\x00l\x00>\x00", "html"),  # UTF-16
        (b"<?xml version='1.0'?><x/>", "xml"),
        (b"GIF89a", ""),  # not on the list, though harmless
        (b"\xff\xd8", ""),  # too short to be a JPEG
        (b"\x00\x00\x00\x18ftypavif\x00\x00\x00\x00avifmif1", ""),  # AVIF: not on the list
    ],
)
def test_refused_kinds(head: bytes, kind: str) -> None:
    with pytest.raises(Refused) as caught:
        sniff(head)
    assert caught.value.kind == kind


def test_docx_and_xlsx_are_recognised_inside_the_zip() -> None:
    docx = _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w/>"})
    assert sniff(docx.getvalue()[:4096], docx) is filetypes.DOCX
    xlsx = _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<w/>"})
    assert sniff(xlsx.getvalue()[:4096], xlsx) is filetypes.XLSX


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "word/document.xml": b"",
                "word/vbaProject.bin": b"",
            },
            "macro",
        ),
        (
            {
                "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
                "word/document.xml": b"",
            },
            "macro",
        ),
        ({"payload.exe": b"MZ"}, "zip"),
        ({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b""}, "zip"),
    ],
)
def test_other_zips_and_macro_documents_are_refused(names: dict[str, bytes], kind: str) -> None:
    archive = _zip(names)
    with pytest.raises(Refused) as caught:
        sniff(archive.getvalue()[:4096], archive)
    assert caught.value.kind == kind


def _deflated(names: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def test_a_zip_bomb_dressed_as_a_document_is_refused_before_it_is_opened() -> None:
    """A DOCX whose document part unpacks about a thousand times (a ZIP bomb) used to be kept as
    evidence; the archive's own directory gives it away before anything is unpacked."""
    bomb = _deflated({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": bytes(64 << 20)})
    assert len(bomb.getvalue()) < 1 << 20
    with pytest.raises(Refused) as caught:
        sniff(bomb.getvalue()[:4096], bomb)
    assert caught.value.kind == "zip_bomb"


def test_a_real_sized_document_that_compresses_well_is_still_accepted() -> None:
    text = "".join(
        f"<w:p><w:r><w:t>第{i}项 检查要点{i % 97}：符合</w:t></w:r></w:p>" for i in range(60000)
    ).encode()
    docx = _deflated({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": text})
    assert sniff(docx.getvalue()[:4096], docx) is filetypes.DOCX
