"""Bounds on ZIP-based uploads (XLSX, DOCX), checked before anything is unpacked.

A ZIP's directory declares each member's compressed and unpacked size, and Python's zipfile never
reads more than the declared size of a member. So the directory alone tells, before parsing,
how much a file would unpack to and how well it is compressed. Real spreadsheets and documents
compress 3 to 30 times (a sheet of repeated values up to about 60); a ZIP bomb compresses
near deflate's limit of about a thousand times. One rule for every archive-based upload: the
registry import, evidence and anything later.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

# No member and no archive may unpack to more than MAX_RATIO times its compressed size. Small
# members (under RATIO_FLOOR bytes unpacked) are left out of the ratio: a tiny XML part of
# repeated blanks compresses very well and is harmless.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class ArchiveTooLarge(Exception):
    """`reason` is "size" (unpacks to more than the limit) or "ratio" (compressed like a bomb)."""

    reason: str
    unpacked: int
    compressed: int

    def __str__(self) -> str:
        return f"archive refused ({self.reason}): {self.unpacked} bytes from {self.compressed}"


def archive_bounds_check(archive: zipfile.ZipFile, *, max_unpacked: int) -> int:
    """Raise ArchiveTooLarge unless the archive unpacks to at most `max_unpacked` bytes, at a
    ratio a real office file has. Returns the unpacked size."""
    unpacked = compressed = 0
    for info in archive.infolist():
        unpacked += info.file_size
        compressed += info.compress_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ArchiveTooLarge("ratio", info.file_size, info.compress_size)
    if unpacked > max_unpacked:
        raise ArchiveTooLarge("size", unpacked, compressed)
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(1, compressed):
        raise ArchiveTooLarge("ratio", unpacked, compressed)
    return unpacked
