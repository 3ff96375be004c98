"""Which files are accepted as evidence, recognised by their bytes, never by their name.

An allow-list: photos (JPEG, PNG, WebP, HEIC/HEIF as iPhones and many Android phones take them),
PDF, video (MP4, MOV, 3GP), audio recordings (MP3, M4A, AMR, WAV), and Word/Excel documents
(DOCX, XLSX, without macros). Anything else is refused, and programs, web pages, SVG and other
XML (which can carry scripts) are named as such in the refusal. See docs/evidence.md.

No Django here: `sniff(head, file)` takes the first bytes and, for ZIP-based documents, the
seekable file itself (only the ZIP directory is read, nothing is unpacked beyond the small
`[Content_Types].xml`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from anjian.core.archives import ArchiveTooLarge, archive_bounds_check

HEAD_BYTES = 4096  # enough for every signature below, ftyp boxes included


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # short name shown to users: "JPEG", "MP4"
    extensions: tuple[str, ...]  # the first is used when the uploaded name's does not fit
    inline: bool = False  # the browser may show it in the page (plain raster images only)

    @property
    def extension(self) -> str:
        return self.extensions[0]


JPEG = FileType("image/jpeg", "JPEG", (".jpg", ".jpeg", ".jpe"), inline=True)
PNG = FileType("image/png", "PNG", (".png",), inline=True)
WEBP = FileType("image/webp", "WebP", (".webp",), inline=True)
HEIC = FileType("image/heic", "HEIC", (".heic",))
HEIF = FileType("image/heif", "HEIF", (".heif", ".heic"))
PDF = FileType("application/pdf", "PDF", (".pdf",))
MP4 = FileType("video/mp4", "MP4", (".mp4", ".m4v"))
MOV = FileType("video/quicktime", "MOV", (".mov", ".qt"))
THREE_GP = FileType("video/3gpp", "3GP", (".3gp", ".3g2"))
M4A = FileType("audio/mp4", "M4A", (".m4a", ".m4b"))
MP3 = FileType("audio/mpeg", "MP3", (".mp3",))
AMR = FileType("audio/amr", "AMR", (".amr",))
WAV = FileType("audio/wav", "WAV", (".wav",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", (".docx",)
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", (".xlsx",)
)

ACCEPTED: tuple[FileType, ...] = (
    JPEG, PNG, WEBP, HEIC, HEIF, PDF, MP4, MOV, THREE_GP, M4A, MP3, AMR, WAV, DOCX, XLSX,
)  # fmt: skip
BY_CONTENT_TYPE = {t.content_type: t for t in ACCEPTED}

# ISO base media files (MP4 family, HEIF) name their kind in the `ftyp` box's brands.
_FTYP_BRANDS: dict[bytes, FileType] = {
    **dict.fromkeys([b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"], HEIC),
    **dict.fromkeys([b"mif1", b"msf1"], HEIF),
    **dict.fromkeys([b"M4A ", b"M4B "], M4A),
    b"qt  ": MOV,
    **dict.fromkeys([b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3g2a", b"3g2b", b"3g2c"], THREE_GP),
    **dict.fromkeys(
        [b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
         b"M4VP", b"mmp4", b"MSNV", b"dash", b"f4v "],
        MP4,
    ),
}  # fmt: skip


KNOWN_REFUSALS = (
    "exe",
    "elf",
    "macho",
    "script",
    "svg",
    "html",
    "xml",
    "zip",
    "zip_damaged",
    "zip_bomb",
    "macro",
)
# A DOCX or XLSX kept as evidence unpacks to at most this (a document with photos inside is a
# few tens of MiB); more, or a bomb's compression ratio, is refused before it is opened.
MAX_OFFICE_UNPACKED = 256 * 1024 * 1024


class Refused(Exception):
    """The bytes are not an accepted type; `kind` is what they look like, if known: one of
    KNOWN_REFUSALS."""

    def __init__(self, kind: str = "") -> None:
        self.kind = kind
        super().__init__(kind or "unrecognised")


def _ftyp(head: bytes) -> FileType | None:
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    if major in (b"avif", b"avis"):  # AVIF also lists mif1; not on the list
        return None
    if major in _FTYP_BRANDS:
        return _FTYP_BRANDS[major]
    # An unknown major brand: look at the compatible brands (after the 4-byte minor version).
    end = min(box_size, len(head)) if box_size >= 16 else 0
    for i in range(16, end - 3, 4):
        brand = head[i : i + 4]
        if brand in _FTYP_BRANDS:
            return _FTYP_BRANDS[brand]
    return None


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio frame header at the start (files without an ID3 tag)."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate not in (0b0000, 0b1111) and rate != 0b11


def _dangerous(head: bytes) -> str:
    """What a refused file looks like when it is something that can run: for the message."""
    if head.startswith(b"MZ"):
        return "exe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):  # fmt: skip
        return "macho"
    if head.startswith(b"#!"):
        return "script"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    text = text.replace(b"\x00", b"")  # UTF-16 text
    if text.startswith(b"<"):
        if b"<svg" in text:
            return "svg"
        if b"<html" in text or b"<!doctype html" in text or b"<script" in text:
            return "html"
        return "xml"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


def _office(file: IO[bytes]) -> FileType:
    """DOCX or XLSX, refusing macro-enabled documents and any other ZIP."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            archive_bounds_check(archive, max_unpacked=MAX_OFFICE_UNPACKED)
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise Refused("zip")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise Refused("macro")
            with archive.open("[Content_Types].xml") as fh:
                types = fh.read(1 << 20).lower()
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        raise Refused("zip_damaged") from None
    except ArchiveTooLarge:
        raise Refused("zip_bomb") from None
    finally:
        file.seek(0)
    if b"macroenabled" in types:
        raise Refused("macro")
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    raise Refused("zip")


def sniff(head: bytes, file: IO[bytes] | None = None) -> FileType:
    """The accepted type of a file whose first bytes are `head`, or raise `Refused`.

    `file` (seekable, positioned anywhere; left at 0) is needed only for ZIP-based documents.
    """
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return AMR
    if head.startswith(b"ID3") or _mp3_frame(head):
        return MP3
    kind = _ftyp(head)
    if kind is not None:
        return kind
    if head.startswith(b"PK\x03\x04") and file is not None:
        return _office(file)
    raise Refused(_dangerous(head))


def accepted_labels() -> str:
    return ", ".join(t.label for t in ACCEPTED)
