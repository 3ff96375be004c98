"""The audit chain's canonical serialisation, written so that an outsider can re-implement it.

See docs/audit-chain.md: this module and that document must say the same thing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1
HASHED_FIELDS = (
    "action",
    "actor",
    "actor_id",
    "digest",
    "object_id",
    "object_type",
    "occurred_at",
    "prev_hash",
    "region",
    "seq",
    "source",
    "v",
)


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys, no insignificant white space, non-ASCII kept as is."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def format_time(moment: datetime) -> str:
    """UTC, microseconds always present: 2026-11-24T03:04:05.000006Z."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def changes_digest(changes: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(changes)).hexdigest()


def event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    region: str,
    source: str,
    digest: str,
    prev_hash: str,
) -> str:
    record = {
        "action": action,
        "actor": actor,
        "actor_id": actor_id,
        "digest": digest,
        "object_id": object_id,
        "object_type": object_type,
        "occurred_at": format_time(occurred_at),
        "prev_hash": prev_hash,
        "region": region,
        "seq": seq,
        "source": source,
        "v": FORMAT_VERSION,
    }
    return hashlib.sha256(canonical_json(record)).hexdigest()


def to_jsonable(value: Any) -> Any:
    """Turn a change payload into the JSON subset the chain hashes: no floats, no objects.

    Dates, decimals and other values become strings here, once, so that the stored payload and
    the digest agree on every database backend.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return format_time(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
