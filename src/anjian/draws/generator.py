"""The random draw, version `anjian-draw-v1`: what sampling and assignment share.

Part of the pure algorithm of docs/algorithms/draw.md (the specification; section numbers in
the comments refer to it), split by concern: this module holds the constants, the input
refusals, the secret and its commitment (section 3), the seed and sub-streams (section 5) and
the generator (section 6); `draws.sampling` the directory, quotas and the draw (sections 4, 7
and 8); `draws.assignment` the inspector assignment (section 9). `draws.algorithm` re-exports
all three: import from there. No Django import.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

import numpy as np
import numpy.typing as npt

VERSION = "anjian-draw-v1"
GOLDEN = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
MASK64 = (1 << 64) - 1
MAX_WEIGHT = (1 << 32) - 1
INT64_MAX = (1 << 63) - 1
MAX_ID_LENGTH = 64
MAX_KEY_LENGTH = 200

# Section 9.6: the refusal reasons, in the order an excluded inspector is attributed to them.
RULES = ("specialty", "certificate", "own_county", "conflict", "last_inspector", "workload")

_ID_RE = re.compile(r"[\x21-\x7e]{1,64}")
_KEY_RE = re.compile(r"[^\x00-\x1f\x7f]{1,200}")
_SECRET_RE = re.compile(r"[0-9a-fA-F]{64}")

U64Array = npt.NDArray[np.uint64]
I64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class DrawInputError(ValueError):
    """An input the specification refuses (section 11); nothing is drawn."""


# --- section 3: secret and commitment ---------------------------------------------------------


def secret_new() -> str:
    """32 bytes from the operating system's secure source, as 64 hex digits."""
    return secrets.token_hex(32)


def _secret_bytes(secret: str) -> bytes:
    if not isinstance(secret, str) or not _SECRET_RE.fullmatch(secret):
        raise DrawInputError("the secret must be 64 hexadecimal digits")
    return bytes.fromhex(secret)


def secret_commitment(secret: str) -> str:
    """SHA-256 of the 32 raw secret bytes (not of the hex text), as hex."""
    return hashlib.sha256(_secret_bytes(secret)).hexdigest()


def commitment_check(secret: str, commitment: str) -> bool:
    """True if `secret` is the one the published `commitment` was made for."""
    try:
        return secrets.compare_digest(secret_commitment(secret), commitment.lower())
    except DrawInputError:
        return False


# --- section 6: the generator -----------------------------------------------------------------


def mix64(z: int) -> int:
    """The SplitMix64 finaliser on one u64."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * MIX_1) & MASK64
    z = ((z ^ (z >> 27)) * MIX_2) & MASK64
    return z ^ (z >> 31)


def stream_value(key: int, i: int) -> int:
    """value(key, i) = mix64(key + (i + 1) * GOLDEN mod 2^64)."""
    return mix64(key + (i + 1) * GOLDEN)


def stream_values_at(key: int, counters: npt.ArrayLike) -> U64Array:
    """value(key, i) for every i in `counters`, vectorised (uint64 arithmetic wraps mod 2^64)."""
    z = np.asarray(counters, dtype=np.uint64) + np.uint64(1)
    z *= np.uint64(GOLDEN)
    z += np.uint64(key & MASK64)
    z ^= z >> np.uint64(30)
    z *= np.uint64(MIX_1)
    z ^= z >> np.uint64(27)
    z *= np.uint64(MIX_2)
    z ^= z >> np.uint64(31)
    return z


def stream_values(key: int, start: int, count: int) -> U64Array:
    """value(key, start), …, value(key, start + count - 1)."""
    return stream_values_at(key, np.arange(start, start + count, dtype=np.uint64))


def _bound(m: int) -> int:
    """Section 6.2: values at or above this are rejected, so that `v mod m` is unbiased."""
    return (1 << 64) - ((1 << 64) % m)


def uniform_below(key: int, counter: int, m: int) -> tuple[int, int]:
    """Section 6.2: (a uniform integer in [0, m), the counter after the values it read)."""
    if m < 1:
        raise DrawInputError("uniform_below needs m >= 1")
    bound = _bound(m)
    while True:
        v = stream_value(key, counter)
        counter += 1
        if v < bound:
            return v % m, counter


class _Stream:
    """The `assign` stream read value by value, with values computed 4,096 at a time."""

    CHUNK = 4096

    def __init__(self, key: int) -> None:
        self.key = key
        self.pos = 0
        self._base = 0
        self._array: U64Array = stream_values(key, 0, self.CHUNK)
        self._list: list[int] = self._array.tolist()

    def _refill(self, at: int) -> None:
        self._base = at
        self._array = stream_values(self.key, at, self.CHUNK)
        self._list = self._array.tolist()

    def uniform(self, m: int, bound: int) -> int:
        while True:
            offset = self.pos - self._base
            if not 0 <= offset < len(self._list):
                self._refill(self.pos)
                offset = 0
            v = self._list[offset]
            self.pos += 1
            if v < bound:
                return v % m

    def first_hit(self, m: int, bound: int, mask: BoolArray) -> int:
        """Read values until one gives an r with mask[r]; return r (the same values, the same
        result as calling `uniform` until a hit, but vectorised for sparse masks)."""
        while True:
            offset = self.pos - self._base
            if not 0 <= offset < len(self._list):
                self._refill(self.pos)
                offset = 0
            values = self._array[offset:]
            r = values % np.uint64(m)
            hit = mask[r.astype(np.int64)]
            if bound <= MASK64:  # m is not a power of two: some values are rejected
                hit &= values < np.uint64(bound)
            if hit.any():
                t = int(np.argmax(hit))
                self.pos += t + 1
                return int(r[t])
            self.pos += len(values)


# --- section 5: seed and sub-streams ----------------------------------------------------------


def draw_seed(secret: str, directory_hash: str | bytes) -> bytes:
    """SHA-256("anjian-draw-v1" || secret bytes || directory hash bytes), 32 bytes."""
    digest = bytes.fromhex(directory_hash) if isinstance(directory_hash, str) else directory_hash
    if len(digest) != 32:
        raise DrawInputError("the directory hash must be 32 bytes")
    return hashlib.sha256(VERSION.encode() + _secret_bytes(secret) + digest).digest()


def substream_key(seed: bytes, label: str) -> int:
    """First 8 bytes (big-endian) of SHA-256(seed || UTF-8(label))."""
    return int.from_bytes(hashlib.sha256(seed + label.encode()).digest()[:8], "big")


def _check_key(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _KEY_RE.fullmatch(value):
        raise DrawInputError(
            f"{what} must be 1 to {MAX_KEY_LENGTH} characters without control characters: {value!r}"
        )
    return value


def _check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise DrawInputError(
            f"{what} must be 1 to {MAX_ID_LENGTH} printable ASCII characters: {value!r}"
        )
    return value


def _all_ids(joined: str, n: int) -> bool:
    """Whether `joined` is `n` (at least one) ids joined by newlines, each as `_check_id`
    accepts it: 1 to 64 printable ASCII characters. Byte by byte in NumPy, as one regular
    expression over a million ids took 0.4 s."""
    try:
        raw = joined.encode("ascii")
    except UnicodeEncodeError:
        return False
    codes = np.frombuffer(raw, dtype=np.uint8)
    newline = codes == 0x0A
    ends = np.flatnonzero(newline)
    if len(ends) != n - 1 or (((codes < 0x21) | (codes > 0x7E)) & ~newline).any():
        return False
    lengths = np.diff(ends, prepend=-1, append=len(codes)) - 1
    return bool(lengths.min() >= 1 and lengths.max() <= MAX_ID_LENGTH)


def _utf8_key(text: str) -> bytes:
    return text.encode()
