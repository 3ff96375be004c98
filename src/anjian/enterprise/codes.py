"""Invitation codes (开通码) and the brakes on guessing them.

A code is 20 characters of Crockford's base-32 alphabet (100 bits from `secrets`), shown once
in groups of four and stored only as an Argon2id hash: `core.onetime`, the scheme the
complaints' receipt codes use too. The activation page
takes the entity's credit code and the invitation code: the credit code finds the entity's few
pending invitations, and the code is verified against each.

Wrong codes are counted in the cache (never in the database), per credit code and per client,
under keyed hashes (`core.onetime.rate_key`): after
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY wrong codes for one entity, or
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT from one client, further attempts are refused
unchecked for ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES.
"""

from __future__ import annotations

from django.conf import settings

from anjian.core.onetime import (
    CODE_LENGTH,
    client_of,
    code_hash,
    code_new,
    code_normalise,
    code_verify,
    count,
    limits_reached,
    rate_key,
)

__all__ = [
    "CODE_LENGTH",
    "attempt_failed",
    "attempts_blocked",
    "client_of",
    "code_hash",
    "code_new",
    "code_normalise",
    "code_verify",
]


def _keys(uscc: str, client: str) -> list[tuple[str, int]]:
    return [
        (
            rate_key("enterprise", "e", uscc),
            settings.ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY,
        ),
        (
            rate_key("enterprise", "c", client),
            settings.ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT,
        ),
    ]


def attempts_blocked(uscc: str, client: str) -> bool:
    return limits_reached(_keys(uscc, client))


def attempt_failed(uscc: str, client: str) -> None:
    timeout = settings.ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES * 60
    for key, _limit in _keys(uscc, client):
        count(key, timeout)
