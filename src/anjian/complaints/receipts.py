"""Receipt codes (回执码): how an anonymous reporter follows up a report, and the brakes on
guessing them.

A report gets two things when it arrives. The receipt number (`JB-XXXXX-XXXXX`, 50 random bits)
is not secret: it names the report, like a parcel number. The receipt code (20 characters of
Crockford's base-32 alphabet: 100 bits from `secrets`) is the secret; it is shown once, grouped
in fives of four (`7KQ2-…`), and stored only as an Argon2id hash. Following up takes both: the
number finds the one row, and one Argon2 verification checks the code, so verification never
scans other reports' hashes.

Wrong codes are counted in the cache (never in the database), per receipt number and per
client, under keyed hashes (HMAC-SHA256 with a key derived from SECRET_KEY) of the number and
the client's address: the counters expire on their own, and a cache dump holds no address.
After ANJIAN_RECEIPT_FAILURES_PER_RECEIPT wrong codes for one number, or
ANJIAN_RECEIPT_FAILURES_PER_CLIENT from one client, further attempts are refused unchecked for
ANJIAN_RECEIPT_LOCK_MINUTES. With 100 bits and five tries a quarter hour, guessing is hopeless.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.core.cache import cache

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 20  # 20 × 5 = 100 bits
RECEIPT_LENGTH = 10  # 50 bits: unique, not secret
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def receipt_id_new() -> str:
    raw = _random(RECEIPT_LENGTH)
    return f"JB-{raw[:5]}-{raw[5:]}"


def receipt_code_new() -> str:
    """A new code, as shown to the reporter: five groups of four."""
    raw = _random(CODE_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_normalise(code: str) -> str:
    """What the reporter typed, read generously: case, spaces and dashes do not matter, and
    O, I, L read as 0, 1, 1."""
    text = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    return text.translate(_READ_AS)


def receipt_id_normalise(value: str) -> str:
    text = code_normalise(value)
    if text.startswith("JB"):
        text = text[2:]
    if len(text) != RECEIPT_LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return f"JB-{text[:5]}-{text[5:]}"


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
    """Whether `code` opens `stored_hash`; with no hash (an unknown number) a dummy hash is
    checked all the same, so the answer takes as long either way."""
    if not _DUMMY:
        _DUMMY.append(code_hash(receipt_code_new()))
    try:
        return _hasher().verify(stored_hash or _DUMMY[0], code_normalise(code)) and bool(
            stored_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- rate limits --------------------------------------------------------------------------


def _keyed(kind: str, value: str) -> str:
    key = hashlib.sha256(f"anjian.complaints.ratelimit:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"complaints:rl:{kind}:{digest[:40]}"


def _keys(receipt_id: str, client: str) -> list[tuple[str, int]]:
    return [
        (_keyed("r", receipt_id), settings.ANJIAN_RECEIPT_FAILURES_PER_RECEIPT),
        (_keyed("c", client), settings.ANJIAN_RECEIPT_FAILURES_PER_CLIENT),
    ]


def attempts_blocked(receipt_id: str, client: str) -> bool:
    """Whether the number or the client has used up its wrong codes for now."""
    return any(int(cache.get(key) or 0) >= limit for key, limit in _keys(receipt_id, client))


def attempt_failed(receipt_id: str, client: str) -> None:
    timeout = settings.ANJIAN_RECEIPT_LOCK_MINUTES * 60
    for key, _limit in _keys(receipt_id, client):
        if not cache.add(key, 1, timeout):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout)


def intake_allowed(client: str) -> bool:
    """Count one report sent from `client`; False past ANJIAN_COMPLAINT_INTAKE_PER_HOUR in the
    hour (a flood of reports, each of which costs an Argon2 hash, is refused unrecorded)."""
    key = _keyed("i", client)
    if cache.add(key, 1, 3600):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, 3600)
        return True
    return int(count) <= settings.ANJIAN_COMPLAINT_INTAKE_PER_HOUR


def client_of(request: object) -> str:
    """The client's address, only ever used inside `_keyed` (never stored or logged)."""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR", ""))
