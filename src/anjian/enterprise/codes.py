"""Invitation codes (开通码) and the brakes on guessing them.

A code is 20 characters of Crockford's base-32 alphabet (100 bits from `secrets`), shown once
in groups of four and stored only as an Argon2id hash (the complaints' receipt codes use the
same scheme, complaints/receipts.py, and the same Argon2 cost settings). The activation page
takes the entity's credit code and the invitation code: the credit code finds the entity's few
pending invitations, and the code is verified against each.

Wrong codes are counted in the cache (never in the database), per credit code and per client,
under keyed hashes (HMAC-SHA256 with a key derived from SECRET_KEY): after
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY wrong codes for one entity, or
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT from one client, further attempts are refused
unchecked for ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES.
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
CODE_LENGTH = 20  # 20 × 5 = 100 bits (the brief asks for at least 80)
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_normalise(code: str) -> str:
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
    """Whether `code` opens `stored_hash`; with no hash a dummy is checked all the same, so an
    entity without invitations answers as slowly as one with."""
    if not _DUMMY:
        _DUMMY.append(code_hash(code_new()))
    try:
        return _hasher().verify(stored_hash or _DUMMY[0], code_normalise(code)) and bool(
            stored_hash
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _keyed(kind: str, value: str) -> str:
    key = hashlib.sha256(f"anjian.enterprise.ratelimit:{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"enterprise:rl:{kind}:{digest[:40]}"


def _keys(uscc: str, client: str) -> list[tuple[str, int]]:
    return [
        (_keyed("e", uscc), settings.ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY),
        (_keyed("c", client), settings.ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT),
    ]


def attempts_blocked(uscc: str, client: str) -> bool:
    return any(int(cache.get(key) or 0) >= limit for key, limit in _keys(uscc, client))


def attempt_failed(uscc: str, client: str) -> None:
    timeout = settings.ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES * 60
    for key, _limit in _keys(uscc, client):
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout)


def client_of(request: object) -> str:
    """The client's address, only ever used inside `_keyed` (never stored or logged)."""
    return str(getattr(request, "META", {}).get("REMOTE_ADDR", ""))
