"""One-time secret codes shown once and kept only as an Argon2id hash, and the brakes on
guessing them: the complaints' receipt codes (回执码) and the enterprise invitations (开通码).

A code is 20 characters of Crockford's base-32 alphabet (100 bits from `secrets`), shown in five
groups of four and read generously (case, spaces and dashes do not matter; O, I, L read as 0, 1,
1). Verifying against no hash checks a dummy all the same, so an unknown number or entity
answers as slowly as a known one.

Wrong attempts are counted in the cache, never in the database, under keyed hashes
(HMAC-SHA256 with a key derived from SECRET_KEY and the caller's namespace) of what they name
(a receipt number, a credit code, the client's address): the counters expire on their own and
a cache dump holds no address. Each caller names its keys and limits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.core.cache import cache

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 20  # 20 × 5 = 100 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def code_new() -> str:
    """A new code, as shown: five groups of four."""
    raw = random_text(CODE_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_normalise(code: str) -> str:
    """What was typed, read generously: case, spaces and dashes do not matter, and O, I, L
    read as 0, 1, 1."""
    text = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    return text.translate(_READ_AS)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=settings.ANJIAN_RECEIPT_ARGON2_TIME_COST,
        memory_cost=settings.ANJIAN_RECEIPT_ARGON2_MEMORY_KIB,
        parallelism=1,
    )


def code_hash(code: str) -> str:
    return _hasher().hash(code_normalise(code))


_DUMMY: list[str] = []


def code_verify(stored_hash: str | None, code: str) -> bool:
    """Whether `code` opens `stored_hash`; with no hash a dummy is checked all the same, so the
    answer takes as long either way."""
    if not _DUMMY:
        _DUMMY.append(code_hash(code_new()))
    try:
        return _hasher().verify(stored_hash or _DUMMY[0], code_normalise(code)) and bool(
            stored_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- rate limits --------------------------------------------------------------------------


def rate_key(namespace: str, kind: str, value: str) -> str:
    """The cache key counting attempts on `value`: a keyed hash, never the value itself."""
    key = hashlib.sha256(f"anjian.{namespace}.ratelimit:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{namespace}:rl:{kind}:{digest[:40]}"


def limits_reached(keys: Iterable[tuple[str, int]]) -> bool:
    """Whether any counter has reached its limit."""
    return any(int(cache.get(key) or 0) >= limit for key, limit in keys)


def count(key: str, timeout: int) -> int:
    """Add one to the counter (made, expiring after `timeout` seconds, by the first); answer
    the count."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def client_of(request: object) -> str:
    """The client's address, only ever used inside `rate_key` (never stored or logged)."""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR", ""))
