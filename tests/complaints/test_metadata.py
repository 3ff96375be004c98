"""A reporter's file keeps no position, phone or owner: each format a phone sends is cleaned
(src/anjian/complaints/metadata.py), the picture or sound stays, and a file whose structure does
not parse is refused rather than stored with what it may carry."""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from anjian.complaints import attachments, metadata
from anjian.core.errors import ServiceError

POSITION = b"+39.8812+112.1834/"  # where the reporter stood (ISO 6709, as phones write it)
OWNER = "张举报人"


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _full(kind: bytes, version: int, payload: bytes) -> bytes:
    return _box(kind, bytes([version, 0, 0, 0]) + payload)


def _checked(name: str, data: bytes) -> attachments.CheckedFile:
    return attachments.file_check(SimpleUploadedFile(name, data))


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = "Zhang"  # Artist
    exif[0x0110] = "PhoneModel-Serial-9F3A"  # Model
    return exif.tobytes()


def test_png_loses_its_text_and_exif_and_still_opens() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", OWNER, zip=False)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 39.88,112.18</x:xmpmeta>")
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG", pnginfo=info, exif=_exif())
    raw = buf.getvalue()
    assert OWNER.encode() in raw and b"PhoneModel" in raw
    clean = _checked("photo.png", raw).data
    assert OWNER.encode() not in clean and b"PhoneModel" not in clean and b"GPS" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (8, 8) and image.getpixel((0, 0)) == (255, 0, 0)


def test_webp_loses_its_exif_and_still_opens() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "WEBP", exif=_exif(), lossless=True)
    raw = buf.getvalue()
    assert b"PhoneModel" in raw
    clean = _checked("photo.webp", raw).data
    assert b"PhoneModel" not in clean and b"EXIF" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (8, 8)
        assert "exif" not in image.info or not image.info["exif"]


def _heic(exif_payload: bytes, *, method: int = 0) -> tuple[bytes, bytes]:
    """A minimal HEIC: an image item (hvc1) and an EXIF item, both located by iloc offsets
    into mdat (construction method 0) or, for EXIF, into idat (method 1)."""
    image_payload = b"HEVC-IMAGE-DATA-" * 4
    ftyp = _box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")

    def infe(item_id: int, item_type: bytes) -> bytes:
        return _full(b"infe", 2, struct.pack(">HH", item_id, 0) + item_type + b"\x00")

    iinf = _full(b"iinf", 0, struct.pack(">H", 2) + infe(1, b"hvc1") + infe(2, b"Exif"))
    hdlr = _full(b"hdlr", 0, b"\x00" * 4 + b"pict" + b"\x00" * 12 + b"\x00")
    idat = _box(b"idat", exif_payload) if method == 1 else b""

    def meta_with(offsets: tuple[int, int]) -> bytes:
        # iloc version 1: offset_size 4, length_size 4, base_offset_size 0, index_size 0.
        entries = b""
        for item_id, (offset, length), how in (
            (1, (offsets[0], len(image_payload)), 0),
            (2, (offsets[1], len(exif_payload)), method),
        ):
            entries += struct.pack(">HHH", item_id, how, 0)  # id, construction method, dref
            entries += struct.pack(">H", 1) + struct.pack(">II", offset, length)
        iloc = _full(b"iloc", 1, bytes([0x44, 0x00]) + struct.pack(">H", 2) + entries)
        return _full(b"meta", 0, hdlr + iinf + iloc + idat)

    draft = ftyp + meta_with((0, 0))
    mdat_start = len(draft) + 8
    exif_offset = 0 if method == 1 else mdat_start + len(image_payload)
    mdat = _box(b"mdat", image_payload + (b"" if method == 1 else exif_payload))
    data = ftyp + meta_with((mdat_start, exif_offset)) + mdat
    return data, image_payload


@pytest.mark.parametrize("method", [0, 1])
def test_heic_exif_item_is_blanked_in_place_and_the_image_kept(method: int) -> None:
    exif_payload = b"\x00\x00\x00\x06Exif\x00\x00MM\x00*GPS" + POSITION + b"iPhone-SN-C39X"
    raw, image_payload = _heic(exif_payload, method=method)
    assert POSITION in raw
    checked = _checked("IMG_0001.HEIC", raw)
    assert checked.content_type == "image/heic"
    clean = checked.data
    assert len(clean) == len(raw)  # nothing moved: the image's offsets still hold
    assert POSITION not in clean and b"iPhone-SN" not in clean
    assert image_payload in clean and clean.find(image_payload) == raw.find(image_payload)


def _mp4() -> bytes:
    ftyp = _box(b"ftyp", b"mp42" + b"\x00\x00\x00\x00" + b"mp42isom")
    mvhd = _full(b"mvhd", 0, b"\x00" * 96)
    udta = _box(b"udta", _box(b"\xa9xyz", struct.pack(">HH", len(POSITION), 0) + POSITION))
    keys = _box(b"meta", b"\x00" * 4 + _box(b"keys", b"com.apple.quicktime.make iPhone 15 SN-77A"))
    trak = _box(b"trak", _box(b"tkhd", b"\x00" * 84) + _box(b"udta", _box(b"name", b"Zhang")))
    moov = _box(b"moov", mvhd + trak + udta + keys)
    mdat = _box(b"mdat", b"VIDEO-FRAMES" * 8)
    return ftyp + moov + mdat


def test_video_user_data_becomes_free_space_of_the_same_size() -> None:
    raw = _mp4()
    assert POSITION in raw and b"iPhone" in raw
    clean = _checked("VID_0001.mp4", raw).data
    assert len(clean) == len(raw)
    assert POSITION not in clean and b"iPhone" not in clean and b"Zhang" not in clean
    assert b"VIDEO-FRAMES" * 8 in clean and b"mvhd" in clean and b"tkhd" in clean
    # Still a well-formed box tree: the movie box and its track parse to the same sizes.
    top = metadata._boxes(clean, 0, len(clean))
    assert [kind for kind, *_ in top] == [b"ftyp", b"moov", b"mdat"]
    moov = top[1]
    inner = [kind for kind, *_ in metadata._boxes(clean, moov[2], moov[3])]
    assert inner == [b"mvhd", b"trak", b"free", b"free"]


def test_mp3_loses_its_id3_tags_and_keeps_its_frames() -> None:
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    text = b"\x03" + OWNER.encode()
    tag_body = b"TPE1" + struct.pack(">I", len(text)) + b"\x00\x00" + text
    size = len(tag_body)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    id3v2 = b"ID3\x03\x00\x00" + syncsafe + tag_body
    id3v1 = b"TAG" + b"Recorder-SN-22".ljust(125, b"\x00")
    clean = _checked("recording.mp3", id3v2 + frame * 3 + id3v1).data
    assert clean == frame * 3


def test_wav_loses_its_info_list() -> None:
    fmt = _riff_chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16))
    info = _riff_chunk(b"LIST", b"INFO" + _riff_chunk(b"IART", OWNER.encode() + b"\x00"))
    data = _riff_chunk(b"data", b"\x01\x02" * 100)
    body = b"WAVE" + fmt + info + data
    raw = b"RIFF" + struct.pack("<I", len(body)) + body
    clean = _checked("call.wav", raw).data
    assert OWNER.encode() not in clean and b"LIST" not in clean
    assert clean.endswith(data) and struct.unpack("<I", clean[4:8])[0] == len(clean) - 8


def _riff_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) & 1 else b"")


def test_pdf_loses_its_author() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": OWNER, "/Creator": "WPS Office SN-1"})
    buf = io.BytesIO()
    writer.write(buf)
    clean = _checked("letter.pdf", buf.getvalue()).data
    reader = PdfReader(io.BytesIO(clean))
    assert len(reader.pages) == 1
    assert not reader.metadata or "/Author" not in reader.metadata
    assert b"WPS" not in clean


def test_a_file_whose_structure_breaks_off_is_refused_naming_the_field() -> None:
    raw, _image = _heic(b"Exif" + POSITION)
    broken = raw[: len(raw) - 40]  # the mdat box claims more than is there
    with pytest.raises(ServiceError) as refused:
        _checked("IMG_0002.HEIC", broken)
    assert "files" in refused.value.fields
    truncated_jpeg = b"\xff\xd8\xff\xe1\x00\x40Exif\x00\x00GPS"
    with pytest.raises(ServiceError):
        _checked("photo.jpg", truncated_jpeg)
