"""Receipt codes (回执码): how an anonymous reporter follows up a report, and the brakes on
guessing them.

A report gets two things when it arrives. The receipt number (`JB-XXXXX-XXXXX`, 50 random bits)
is not secret: it names the report, like a parcel number. The receipt code (20 characters of
Crockford's base-32 alphabet: 100 bits from `secrets`) is the secret; it is shown once, grouped
in fives of four (`7KQ2-…`), and stored only as an Argon2id hash. Following up takes both: the
number finds the one row, and one Argon2 verification checks the code, so verification never
scans other reports' hashes.

Codes, hashes and counters are `core.onetime`'s (shared with the enterprise invitations).
Wrong codes are counted per receipt number and per client. After
ANJIAN_RECEIPT_FAILURES_PER_RECEIPT wrong codes for one number, or
ANJIAN_RECEIPT_FAILURES_PER_CLIENT from one client, further attempts are refused unchecked for
ANJIAN_RECEIPT_LOCK_MINUTES. With 100 bits and five tries a quarter hour, guessing is hopeless.
"""

from __future__ import annotations

from django.conf import settings

from anjian.core.onetime import (
    ALPHABET,
    CODE_LENGTH,
    client_of,
    code_hash,
    code_new,
    code_normalise,
    code_verify,
    count,
    limits_reached,
    random_text,
    rate_key,
)

__all__ = [
    "ALPHABET",
    "CODE_LENGTH",
    "attempt_failed",
    "attempts_blocked",
    "client_of",
    "code_hash",
    "code_normalise",
    "code_verify",
    "intake_allowed",
    "receipt_code_new",
    "receipt_id_new",
    "receipt_id_normalise",
]

RECEIPT_LENGTH = 10  # 50 bits: unique, not secret


def receipt_id_new() -> str:
    raw = random_text(RECEIPT_LENGTH)
    return f"JB-{raw[:5]}-{raw[5:]}"


def receipt_code_new() -> str:
    """A new code, as shown to the reporter: five groups of four."""
    return code_new()


def receipt_id_normalise(value: str) -> str:
    text = code_normalise(value)
    if text.startswith("JB"):
        text = text[2:]
    if len(text) != RECEIPT_LENGTH or any(ch not in ALPHABET for ch in text):
        return ""
    return f"JB-{text[:5]}-{text[5:]}"


# --- rate limits --------------------------------------------------------------------------


def _keyed(kind: str, value: str) -> str:
    return rate_key("complaints", kind, value)


def _keys(receipt_id: str, client: str) -> list[tuple[str, int]]:
    return [
        (_keyed("r", receipt_id), settings.ANJIAN_RECEIPT_FAILURES_PER_RECEIPT),
        (_keyed("c", client), settings.ANJIAN_RECEIPT_FAILURES_PER_CLIENT),
    ]


def attempts_blocked(receipt_id: str, client: str) -> bool:
    """Whether the number or the client has used up its wrong codes for now."""
    return limits_reached(_keys(receipt_id, client))


def attempt_failed(receipt_id: str, client: str) -> None:
    timeout = settings.ANJIAN_RECEIPT_LOCK_MINUTES * 60
    for key, _limit in _keys(receipt_id, client):
        count(key, timeout)


def intake_allowed(client: str) -> bool:
    """Count one report sent from `client`; False past ANJIAN_COMPLAINT_INTAKE_PER_HOUR in the
    hour (a flood of reports, each of which costs an Argon2 hash, is refused unrecorded)."""
    return count(_keyed("i", client), 3600) <= settings.ANJIAN_COMPLAINT_INTAKE_PER_HOUR
