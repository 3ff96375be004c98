"""What a reporter's phone writes into a file besides the picture or the sound: the GPS position,
the phone's make and serial number, the owner's name, editing software. A report's file keeps
none of it (docs/complaints.md, "Protection").

Each format is cleaned the way its structure allows:
- JPEG: the APPn segments other than JFIF and the colour profile, and comments, are dropped.
- PNG and WebP: the text, EXIF and XMP chunks are dropped (the file is rewritten chunk by chunk).
- The ISO media family (HEIC/HEIF photos, MP4/MOV/3GP videos, M4A recordings): the metadata is
  blanked in place, so no offset inside the file moves (a HEIC's image data is found through
  absolute offsets): a video's or recording's `udta` and `meta` boxes become `free` boxes filled
  with zeros; a HEIC's EXIF and XMP items keep their place and are overwritten with zeros.
- MP3: the ID3 tags at the start and the end are dropped. WAV: the LIST and id3 chunks.
- PDF: rewritten without its document information and XMP metadata.
AMR recordings carry no metadata. A file whose structure does not parse is refused rather than
kept with what it may carry: the reporter is asked to send the picture again.
"""

from __future__ import annotations

import io
import struct

from anjian.evidence import filetypes


class Unreadable(ValueError):
    """The file's structure could not be followed, so its metadata could not be removed."""


def strip(kind: filetypes.FileType, data: bytes) -> bytes:
    """The file without the metadata its format can carry."""
    cleaner = _CLEANERS.get(kind.content_type)
    return cleaner(data) if cleaner is not None else data


# --- JPEG ------------------------------------------------------------------------------------


def jpeg(data: bytes) -> bytes:
    """Drop the APPn segments other than APP0 (JFIF) and APP2 (ICC profile), and comments: EXIF
    (APP1) carries the GPS position and the serial number. Stops at the start of scan."""
    if not data.startswith(b"\xff\xd8"):
        raise Unreadable("jpeg")
    out = bytearray(b"\xff\xd8")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise Unreadable("jpeg")
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            raise Unreadable("jpeg")
        drop = (0xE1 <= marker <= 0xEF and marker != 0xE2) or marker == 0xFE
        if not drop:
            out += data[i : i + 2 + length]
        i += 2 + length
    raise Unreadable("jpeg")


# --- PNG and WebP -----------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Text (tEXt, zTXt, iTXt: author, comment, XMP), EXIF (eXIf) and the time of last change.
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise Unreadable("png")
    out = bytearray(_PNG_SIGNATURE)
    i = len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise Unreadable("png")
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise Unreadable("png")


_WEBP_DROP = {b"EXIF", b"XMP "}


def webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise Unreadable("webp")
    chunks = bytearray()
    i = 12
    while i + 8 <= len(data):
        kind = data[i : i + 4]
        (size,) = struct.unpack("<I", data[i + 4 : i + 8])
        end = i + 8 + size + (size & 1)  # chunks are padded to an even size
        if end > len(data) + 1:
            raise Unreadable("webp")
        chunk = bytearray(data[i:end])
        if kind == b"VP8X" and len(chunk) >= 9:
            chunk[8] &= ~(0x08 | 0x04) & 0xFF  # the flags no longer announce EXIF and XMP
        if kind not in _WEBP_DROP:
            chunks += chunk
        i = end
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + bytes(chunks)


# --- the ISO base media file family ------------------------------------------------------------


def _boxes(data: bytearray | bytes, start: int, end: int) -> list[tuple[bytes, int, int, int]]:
    """The boxes between `start` and `end`: (type, box start, payload start, box end)."""
    out = []
    i = start
    while i + 8 <= end:
        (size,) = struct.unpack(">I", data[i : i + 4])
        kind = bytes(data[i + 4 : i + 8])
        header = 8
        if size == 1:
            if i + 16 > end:
                raise Unreadable("bmff")
            (size,) = struct.unpack(">Q", data[i + 8 : i + 16])
            header = 16
        elif size == 0:
            size = end - i
        if size < header or i + size > end:
            raise Unreadable("bmff")
        out.append((kind, i, i + header, i + size))
        i += size
    return out


def _blank(buf: bytearray, box_start: int, payload: int, box_end: int) -> None:
    """Make the box a `free` box of the same size, its content zeros."""
    buf[box_start + 4 : box_start + 8] = b"free"
    buf[payload:box_end] = bytes(box_end - payload)


# Boxes whose children may hold user data: the movie, its tracks, and the media inside them.
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"edts"}
# User data (©xyz is the position, ©mak/©mod the phone) and Apple's metadata (keys, ilst).
_USER_DATA = {b"udta", b"meta", b"uuid", b"XMP_"}


def _media_walk(buf: bytearray, start: int, end: int) -> None:
    for kind, box_start, payload, box_end in _boxes(buf, start, end):
        if kind in _USER_DATA:
            _blank(buf, box_start, payload, box_end)
        elif kind in _CONTAINERS:
            _media_walk(buf, payload, box_end)


def media(data: bytes) -> bytes:
    """A video's or recording's user data blanked in place."""
    buf = bytearray(data)
    _media_walk(buf, 0, len(buf))
    return bytes(buf)


def _full_box(buf: bytearray, payload: int) -> tuple[int, int]:
    """(version, position after the version and flags)."""
    return buf[payload], payload + 4


def _uint(buf: bytearray, at: int, size: int) -> int:
    if size == 0:
        return 0
    return int.from_bytes(buf[at : at + size], "big")


def heif(data: bytes) -> bytes:
    """A HEIC/HEIF photo with its EXIF and XMP items overwritten with zeros, in place."""
    buf = bytearray(data)
    top = _boxes(buf, 0, len(buf))
    meta = next((b for b in top if b[0] == b"meta"), None)
    if meta is None:
        raise Unreadable("heif")
    _v, inner = _full_box(buf, meta[2])
    children = {kind: (s, p, e) for kind, s, p, e in _boxes(buf, inner, meta[3])}
    if b"iinf" not in children or b"iloc" not in children:
        raise Unreadable("heif")
    secret = _heif_metadata_items(buf, children[b"iinf"])
    idat = children.get(b"idat")
    for item_id, method, extents in _heif_locations(buf, children[b"iloc"]):
        if item_id not in secret:
            continue
        for offset, length in extents:
            if method == 1:  # offsets into the idat box's data
                if idat is None:
                    raise Unreadable("heif")
                offset += idat[1]
            elif method != 0:
                raise Unreadable("heif")
            if length == 0 or offset + length > len(buf):
                raise Unreadable("heif")
            buf[offset : offset + length] = bytes(length)
    for kind, box_start, payload, box_end in top:
        if kind in (b"uuid", b"XMP_"):  # XMP some writers put at the top level
            _blank(buf, box_start, payload, box_end)
        elif kind == b"moov":  # an image sequence (live photo) carries a movie's user data too
            _media_walk(buf, payload, box_end)
    return bytes(buf)


def _heif_metadata_items(buf: bytearray, iinf: tuple[int, int, int]) -> set[int]:
    """The ids of the EXIF items and the XMP (`mime`) items."""
    _start, payload, end = iinf
    version, at = _full_box(buf, payload)
    at += 2 if version == 0 else 4  # entry count; the boxes that follow say it again
    found: set[int] = set()
    for kind, _s, p, _e in _boxes(buf, at, end):
        if kind != b"infe":
            continue
        v, at2 = _full_box(buf, p)
        if v < 2:
            continue  # version 0 and 1 entries name no item type
        id_size = 2 if v == 2 else 4
        item_id = _uint(buf, at2, id_size)
        item_type = bytes(buf[at2 + id_size + 2 : at2 + id_size + 6])
        if item_type in (b"Exif", b"mime"):
            found.add(item_id)
    return found


def _heif_locations(
    buf: bytearray, iloc: tuple[int, int, int]
) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(item id, construction method, [(offset, length)]) of each item."""
    _start, payload, end = iloc
    version, at = _full_box(buf, payload)
    sizes = _uint(buf, at, 2)
    at += 2
    offset_size, length_size = sizes >> 12, (sizes >> 8) & 0xF
    base_offset_size, index_size = (sizes >> 4) & 0xF, sizes & 0xF
    if version < 1:
        index_size = 0
    count_size = 4 if version == 2 else 2
    count = _uint(buf, at, count_size)
    at += count_size
    out = []
    for _n in range(count):
        if at > end:
            raise Unreadable("heif")
        item_id = _uint(buf, at, 4 if version == 2 else 2)
        at += 4 if version == 2 else 2
        method = 0
        if version in (1, 2):
            method = _uint(buf, at, 2) & 0xF
            at += 2
        at += 2  # data reference index
        base = _uint(buf, at, base_offset_size)
        at += base_offset_size
        extent_count = _uint(buf, at, 2)
        at += 2
        extents = []
        for _m in range(extent_count):
            at += index_size
            offset = _uint(buf, at, offset_size)
            at += offset_size
            length = _uint(buf, at, length_size)
            at += length_size
            extents.append((base + offset, length))
        out.append((item_id, method, extents))
    return out


# --- MP3, WAV, PDF -----------------------------------------------------------------------------


def mp3(data: bytes) -> bytes:
    """Without the ID3v2 tag at the start (title, artist, comments, pictures) and the ID3v1 tag
    at the end."""
    start = 0
    while data[start : start + 3] == b"ID3" and len(data) >= start + 10:
        flags = data[start + 5]
        size = 0
        for byte in data[start + 6 : start + 10]:
            size = (size << 7) | (byte & 0x7F)  # syncsafe: seven bits a byte
        start += 10 + size + (10 if flags & 0x10 else 0)  # a footer repeats the header
    end = len(data)
    if end - start >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128
    if start >= end:
        raise Unreadable("mp3")
    return data[start:end]


def wav(data: bytes) -> bytes:
    """Without the LIST (INFO: artist, comment, software) and id3 chunks."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise Unreadable("wav")
    chunks = bytearray()
    i = 12
    while i + 8 <= len(data):
        kind = data[i : i + 4]
        (size,) = struct.unpack("<I", data[i + 4 : i + 8])
        end = min(i + 8 + size + (size & 1), len(data))
        if kind not in (b"LIST", b"id3 ", b"ID3 "):
            chunks += data[i:end]
        i = end
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + bytes(chunks)


def pdf(data: bytes) -> bytes:
    """Rewritten without the document information (author, creator, producer) and XMP."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        # pypdf writes a Producer entry of its own into a new writer's information: remove it.
        writer._info = None
        out = io.BytesIO()
        writer.write(out)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise Unreadable("pdf") from error
    return out.getvalue()


_CLEANERS = {
    filetypes.JPEG.content_type: jpeg,
    filetypes.PNG.content_type: png,
    filetypes.WEBP.content_type: webp,
    filetypes.HEIC.content_type: heif,
    filetypes.HEIF.content_type: heif,
    filetypes.MP4.content_type: media,
    filetypes.MOV.content_type: media,
    filetypes.THREE_GP.content_type: media,
    filetypes.M4A.content_type: media,
    filetypes.MP3.content_type: mp3,
    filetypes.WAV.content_type: wav,
    filetypes.PDF.content_type: pdf,
}
