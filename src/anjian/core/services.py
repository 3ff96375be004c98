"""Writes of the platform core: the audit trail and the region register."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from anjian.core import audit_chain, clock
from anjian.core.events import audit_published
from anjian.core.models import GENESIS_HASH, AuditChainHead, AuditEvent, Region
from anjian.core.scope import clear_region_cache

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions_140000.csv"


class AuditSource(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    ADMIN = "admin", _("Administration site")
    SYSTEM = "system", _("System")


@dataclass(frozen=True)
class Actor:
    """Who did it, as the audit trail records it. Any user object with id/username fits."""

    id: int | None
    name: str

    @classmethod
    def of(cls, user: Any) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(id=None, name="")
        return cls(id=user.pk, name=user.get_username())


SYSTEM_ACTOR = Actor(id=None, name="system")


class AuditChainHeadMissing(RuntimeError):
    """The chain head row is gone while events exist: appending would rebuild it from whatever
    the last event now is and hide a cut-off end of the chain, so nothing is appended."""


def _lock_head() -> AuditChainHead:
    """Lock the chain head row. An empty chain (a new or flushed database) gets its row; a
    chain with events never does: its row was deleted, which `audit verify` reports."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    if AuditEvent.objects.exists():
        raise AuditChainHeadMissing(
            "the audit chain head row is missing while events exist; run `anjian audit verify`"
        )
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
    except IntegrityError:
        pass  # another writer created it first; lock theirs
    return AuditChainHead.objects.select_for_update().get(pk=1)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region: str = "",
    changes: dict[str, Any] | None = None,
    source: str = AuditSource.WEB,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    `action` is a stable dotted code (`accounts.user.created`). Call it from the service that
    makes the change, inside the same transaction, so the step and its record commit together.
    """
    who = actor if isinstance(actor, Actor) else Actor.of(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    payload = audit_chain.to_jsonable(changes or {})
    with transaction.atomic():
        head = _lock_head()
        seq = head.seq + 1
        occurred_at = clock.now()
        digest = audit_chain.changes_digest(payload)
        event = AuditEvent(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=who.id,
            actor=who.name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            region=region or "",
            source=str(source),
            changes=payload,
            digest=digest,
            prev_hash=head.hash,
        )
        event.hash = audit_chain.event_hash(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=who.id,
            actor=who.name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            region=event.region,
            source=event.source,
            digest=digest,
            prev_hash=head.hash,
        )
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=event.hash)
    audit_published(event)  # later stages that subscribed to this code (core/events.py)
    return event


def model_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """The fields that differ between two snapshots, as {"field": [old, new]}."""
    before = before or {}
    after = after or {}
    out: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            out[key] = [before.get(key), after.get(key)]
    return out


@transaction.atomic
def regions_load(*, actor: Any = SYSTEM_ACTOR, source: str = AuditSource.SYSTEM) -> int:
    """Load or refresh the Shanxi division register from the data file shipped with the code.

    Idempotent: an unchanged file writes nothing and records nothing.
    """
    with REGIONS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    existing = {r.code: r for r in Region.objects.all()}
    changed = 0
    for row in rows:  # the file lists parents before children
        values = {
            "name": row["name"],
            "level": row["level"],
            "parent_id": row["parent_code"] or None,
            "statistical_only": row["statistical_only"] == "1",
        }
        current = existing.get(row["code"])
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            continue
        before = {k: getattr(current, k) for k in values} if current is not None else None
        Region.objects.update_or_create(code=row["code"], defaults=values)
        audit_record(
            actor=actor,
            action="core.region.updated" if current else "core.region.created",
            object_type="core.region",
            object_id=row["code"],
            region=row["code"],
            changes=model_changes(before, values),
            source=source,
        )
        changed += 1
    if changed:
        transaction.on_commit(clear_region_cache)
    return changed
