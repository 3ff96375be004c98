"""Audit retention: purge the oldest events of the chain, never one younger than 184 days.

网络安全法 art. 21 and 等保 level 3 ask that logs be kept at least six months; 184 days covers
the longest six calendar months. `audit_purge` deletes the longest prefix of the chain whose
events are all older than the retention period, and keeps the chain verifiable:

1. it writes a purge anchor (`AuditPurge`: sequence number and hash of the last purged event);
2. it deletes the events up to the anchor. The database triggers allow a DELETE only for an
   event at or before the newest anchor AND older than 184 days by the database's own clock, so
   neither this code nor anyone with the application's connection can delete a younger event;
3. it appends `core.audit.purged` to the chain, with the anchor's values.

`audit_chain_verify` starts from the newest anchor (the first kept event's `prev_hash` must be
the anchor's hash) and requires the purge event that recorded it. See docs/audit-chain.md.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from anjian.core import clock
from anjian.core.audit_triggers import MIN_RETENTION_DAYS
from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent, AuditPurge
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, _lock_head, audit_record

PURGED = "core.audit.purged"


class RetentionTooShort(ServiceError):
    """The retention asked for is shorter than the legal minimum."""


def audit_purge(
    *, retention_days: int, actor: Any = SYSTEM_ACTOR, source: str = AuditSource.CLI
) -> AuditPurge | None:
    """Delete the events older than `retention_days` (at least 184) from the start of the chain.

    Returns the anchor written, or None when no event is old enough. The events deleted are the
    longest prefix (seq 1, 2, …) that is entirely older than the cut-off: an old event after a
    younger one (the clock was set back) stays, and so does everything after it."""
    if retention_days < MIN_RETENTION_DAYS:
        raise RetentionTooShort(
            f"audit events are kept at least {MIN_RETENTION_DAYS} days; "
            f"{retention_days} days were asked for",
            fields={"retention_days": [f"at least {MIN_RETENTION_DAYS}"]},
        )
    who = actor if isinstance(actor, Actor) else Actor.of(actor)
    with transaction.atomic():
        _lock_head()  # no append while the start of the chain moves
        cutoff = clock.now() - datetime.timedelta(days=retention_days)
        first_young = (
            AuditEvent.objects.filter(occurred_at__gte=cutoff)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        older = AuditEvent.objects.filter(occurred_at__lt=cutoff)
        if first_young is not None:
            older = older.filter(seq__lt=first_young)
        last = older.order_by("-seq").only("seq", "hash").first()
        if last is None:
            return None
        count = AuditEvent.objects.filter(seq__lte=last.seq).count()
        anchor = AuditPurge.objects.create(
            upto_seq=last.seq,
            upto_hash=last.hash,
            count=count,
            cutoff=cutoff,
            retention_days=retention_days,
            actor=who.name,
        )
        AuditEvent.objects.filter(seq__lte=last.seq).delete()
        audit_record(
            actor=who,
            action=PURGED,
            obj=anchor,
            changes={
                "upto_seq": last.seq,
                "upto_hash": last.hash,
                "count": count,
                "cutoff": cutoff,
                "retention_days": retention_days,
            },
            source=source,
        )
    return anchor


def purge_anchor() -> AuditPurge | None:
    """The newest purge anchor, from which the chain verifies; None if nothing was purged."""
    return AuditPurge.objects.order_by("-upto_seq").first()
