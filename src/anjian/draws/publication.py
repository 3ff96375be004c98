"""The files a draw publishes, stored by content hash (docs/algorithms/draw.md, section 16).

Each file is stored under the SHA-256 of its published bytes (`draws/sha256/ab/<hash>.gz`,
gzip-compressed), and the draw records that hash (`Draw.files`, kind -> hash). Two databases
sharing one ANJIAN_VAR_DIR therefore never overwrite each other's files: equal bytes share one
stored file, different bytes have different names. Every read re-hashes what it read, so a file
altered or swapped on disk is refused when served and named by `anjian draws verify`, never
handed out as if it were the published one.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from anjian.core.errors import Conflict

# Published kinds and their download names, in the order a verifier reads them.
FILES = {
    "directory": "directory.tsv",
    "probabilities": "probabilities.tsv",
    "inspectors": "inspectors.tsv",
    "assignment-inputs": "assignment-inputs.tsv",
    "selection": "selection.tsv",
    "result": "result.json",
}
# Public only once the results are (after the inspection window): they name the drawn entities.
WITH_RESULTS = frozenset({"assignment-inputs", "selection", "result"})
# Stored the same way but not published: the directory's columns for the run (NumPy .npz).
INTERNAL = "directory-columns"


class PublishedFileAltered(Conflict):
    """A stored file is missing, or its bytes no longer hash to what the draw recorded."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(
            _("The stored file %(name)s does not match its published hash: %(reason)s")
            % {"name": FILES.get(kind, kind), "reason": reason}
        )
        self.kind = kind
        self.reason = reason


def path_for(sha256: str, *, compressed: bool = True) -> str:
    return f"draws/sha256/{sha256[:2]}/{sha256}" + (".gz" if compressed else "")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store(data: bytes, *, compressed: bool = True) -> str:
    """Store `data` under its SHA-256 and return the hash. A stored file with that name whose
    bytes are not `data` (damaged, or planted) is replaced: the name says what it must hold."""
    sha = _digest(data)
    path = path_for(sha, compressed=compressed)
    if default_storage.exists(path):
        try:
            if _digest(_unpack(path, compressed)) == sha:
                return sha
        except (OSError, EOFError, gzip.BadGzipFile):
            pass
        default_storage.delete(path)
    body = gzip.compress(data, compresslevel=1, mtime=0) if compressed else data
    saved = default_storage.save(path, ContentFile(body))
    if saved != path:  # a storage that renamed instead of writing the content address
        raise RuntimeError(f"draw files: storage saved {path} as {saved}")
    return sha


def _unpack(path: str, compressed: bool) -> bytes:
    with default_storage.open(path, "rb") as fh:
        raw = fh.read()
    return gzip.decompress(raw) if compressed else raw


def _legacy_path(draw: Any, kind: str) -> str:
    """Where a draw committed before content addressing kept the file (under its id)."""
    if kind == "directory":
        return draw.directory_file or ""
    if kind == "inspectors":
        return draw.pool_file or ""
    key = {"probabilities": "probabilities_file", "assignment-inputs": "assignment_inputs_file"}
    return (draw.summary or {}).get(key.get(kind, ""), "")


def recorded(draw: Any, kind: str) -> str:
    """The hash the draw recorded for `kind` ('' if it has no such file). A draw from before
    content addressing has only its directory's, which is the directory hash itself."""
    sha = (draw.files or {}).get(kind, "")
    if not sha and kind == "directory" and draw.directory_file:
        sha = draw.directory_hash
    return str(sha)


def exists(draw: Any, kind: str) -> bool:
    return bool((draw.files or {}).get(kind) or _legacy_path(draw, kind))


def read(draw: Any, kind: str) -> bytes:
    """The published bytes of `kind`, checked against the recorded hash. Raises LookupError when
    the draw has no such file, PublishedFileAltered when it is missing or altered."""
    sha = (draw.files or {}).get(kind, "")
    compressed = kind != INTERNAL
    if sha:
        path = path_for(sha, compressed=compressed)
    else:
        path = _legacy_path(draw, kind)
        if not path:
            raise LookupError(kind)
        sha = recorded(draw, kind)
    try:
        data = _unpack(path, compressed)
    except FileNotFoundError:
        raise PublishedFileAltered(kind, "missing from the storage") from None
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise PublishedFileAltered(kind, f"unreadable ({type(exc).__name__})") from None
    if sha and _digest(data) != sha:
        raise PublishedFileAltered(kind, f"recorded {sha}, stored bytes hash to {_digest(data)}")
    return data


# --- cells of the published TSV files -------------------------------------------------------


def list_cell(values: Iterable[str]) -> str:
    """A set of strings in one TSV cell: a JSON array of the strings sorted by their UTF-8
    bytes, without spaces (`["u12","u7"]`; `[]` for none). The strings hold no control
    character, so neither a tab nor a line break can occur in the cell."""
    items = sorted(values)  # code point order is UTF-8 byte order
    if not items:
        return "[]"
    joined = '","'.join(items)
    if joined.isascii() and _PLAIN.fullmatch(joined):  # what JSON writes as it is (ids, codes)
        return f'["{joined}"]'
    items.sort(key=lambda v: v.encode())
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')


def list_parse(cell: str, *, legacy: bool = False) -> frozenset[str]:
    """The inverse of `list_cell`; `legacy`: the comma-joined cells of files written before."""
    if legacy:
        return frozenset(v for v in cell.split(",") if v)
    value = json.loads(cell)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"not a JSON array of strings: {cell[:80]!r}")
    return frozenset(value)


def canonical_json(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    ).encode()
