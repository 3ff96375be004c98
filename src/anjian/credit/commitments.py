"""Credit commitments (信用承诺): an entity commits, for one supervision item and a period, from a
template (`TEMPLATES`); the commitment is checked against the entity's later credit records
(`commitments_check`, on every refresh of the entity and every night). A record of a breaking
kind within the period breaks it: the commitment is marked broken and a credit record of a
broken commitment (source `credit.commitment`) is written, with the breaking record named; the
period over without one, it is kept. Every step is audited (`credit.commitment.*`).

A commitment is made for one supervision item, and only a record of that item breaks it: the
records gathered from inspections carry their task's item, those from a case the item of its
findings (`CreditRecord.item`). A record of another item, or of none (a manual record, a case
not opened from an inspection), leaves it alone."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record
from anjian.credit.models import (
    Commitment,
    CommitmentStatus,
    CommitmentTemplate,
    CreditRecord,
    RecordKind,
    RecordStatus,
)
from anjian.credit.scoring import scoring

SOURCE = "credit.commitment"

TEMPLATES = {
    CommitmentTemplate.COMPLIANCE: "本单位承诺：自{made_on}至{until}，在“{item}”事项上依法依规开展"
    "生产经营活动，不发生违法行为，不存在未整改的重大事故隐患；违反承诺的，自愿接受相应的信用惩戒。",
    CommitmentTemplate.RECTIFICATION: "本单位承诺：自{made_on}至{until}，对“{item}”事项检查发现的"
    "问题和隐患按期整改到位，复查合格；违反承诺的，自愿接受相应的信用惩戒。",
}
BREAKING_KINDS = {
    CommitmentTemplate.COMPLIANCE: (
        RecordKind.PENALTY,
        RecordKind.JUDICIAL_TRANSFER,
        RecordKind.MAJOR_HAZARD,
        RecordKind.RECTIFICATION_ESCALATED,
    ),
    CommitmentTemplate.RECTIFICATION: (
        RecordKind.RECTIFIED_LATE,
        RecordKind.RECTIFICATION_ESCALATED,
        RecordKind.REINSPECTION_FAILED,
    ),
}


def _broken_title(c: Commitment, breaking: CreditRecord) -> str:
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # stored text: in the platform's language
        return _("Commitment on %(item)s of %(day)s broken: %(record)s") % {
            "item": item_name(c.item, c.made_on),
            "day": c.made_on.isoformat(),
            "record": breaking.title,
        }


def item_name(item: Any, day: datetime.date) -> str:
    version = item.version_on(day)
    return version.name if version is not None else item.code


def _cn(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def commitment_record(
    *,
    actor: Any,
    entity: Any,
    item: Any,
    template: str,
    made_on: datetime.date | None,
    until: datetime.date | None,
    source: str = AuditSource.WEB,
) -> Commitment:
    """Record the commitment the enterprise signed (by an officer until the enterprise side
    exists): the text from the template, for the item and the period."""
    actor_require(actor, Capability.CREDIT_MANAGE)
    actor_require_visible(actor, entity)
    errors: dict[str, Any] = {}
    if template not in CommitmentTemplate.values:
        errors["template"] = _("Choose one of the listed values.")
    if item is None:
        errors["item"] = _("Supervision item: give the code of an item of the catalog.")
    today = clock.today()
    if made_on is None:
        errors["made_on"] = _("This value is required.")
    elif made_on > today:
        errors["made_on"] = _("The date cannot be in the future.")
    if until is None:
        errors["until"] = _("This value is required.")
    elif made_on is not None and until <= made_on:
        errors["until"] = _("The commitment must end after the day it is made.")
    bureau = getattr(actor, "bureau", None) if not isinstance(actor, Actor) else None
    if bureau is None and not errors:
        errors["made_on"] = _("Only an officer of a bureau records a commitment.")
    if errors:
        raise ServiceError.for_fields(errors)
    assert made_on is not None and until is not None and bureau is not None
    text = TEMPLATES[CommitmentTemplate(template)].format(
        made_on=_cn(made_on), until=_cn(until), item=item_name(item, made_on)
    )
    row = Commitment.objects.create(
        entity=entity,
        region_id=entity.region_id,
        bureau=bureau,
        item=item,
        template=template,
        text=text,
        made_on=made_on,
        until=until,
        recorded_by=None if isinstance(actor, Actor) else actor,
    )
    audit_record(
        actor=actor,
        action="credit.commitment.recorded",
        obj=row,
        region=row.region_id,
        changes={"entity": entity.pk, "item": item.code, "template": template,
                 "made_on": made_on, "until": until},
        source=source,
    )  # fmt: skip
    commitments_check(entity_ids=[entity.pk], source=source)
    return row


def commitments_check(
    *,
    entity_ids: Iterable[int] | None = None,
    today: datetime.date | None = None,
    source: str = AuditSource.SYSTEM,
) -> set[int]:
    """Check the open commitments of `entity_ids` (None: all) against their records; the ids of
    the entities one of whose commitments was broken (their grade moves)."""
    day = today or clock.today()
    qs = Commitment.objects.filter(status=CommitmentStatus.OPEN).select_related("item")
    if entity_ids is not None:
        qs = qs.filter(entity_id__in=list(entity_ids))
    s = scoring()
    touched: set[int] = set()
    for c in qs:
        breaking = (
            CreditRecord.objects.filter(
                entity_id=c.entity_id,
                item_id=c.item_id,
                status=RecordStatus.ACTIVE,
                kind__in=BREAKING_KINDS[CommitmentTemplate(c.template)],
                occurred_on__gte=c.made_on,
                occurred_on__lte=min(c.until, day),
            )
            .order_by("occurred_on", "pk")
            .first()
        )
        if breaking is not None:
            kind = RecordKind.COMMITMENT_BROKEN
            record = CreditRecord.objects.create(
                entity_id=c.entity_id,
                region_id=c.region_id,
                bureau_id=c.bureau_id,
                kind=kind,
                title=_broken_title(c, breaking)[:300],
                occurred_on=breaking.occurred_on,
                weight=s.weights[kind],
                counts_until=s.counts_until(kind, breaking.occurred_on),
                source_type=SOURCE,
                source_id=str(c.pk),
                item_id=c.item_id,
                facts={"commitment": c.pk, "breaking_record": breaking.pk},
            )
            c.status, c.broken_by, c.checked_on = CommitmentStatus.BROKEN, breaking, day
            c.save(update_fields=["status", "broken_by", "checked_on"])
            audit_record(
                actor=SYSTEM_ACTOR, action="credit.commitment.broken", obj=c, region=c.region_id,
                changes={"breaking_record": breaking.pk, "credit_record": record.pk},
                source=source,
            )  # fmt: skip
            touched.add(c.entity_id)
        elif c.until < day:
            c.status, c.checked_on = CommitmentStatus.KEPT, day
            c.save(update_fields=["status", "checked_on"])
            audit_record(
                actor=SYSTEM_ACTOR, action="credit.commitment.kept", obj=c, region=c.region_id,
                changes={"until": c.until}, source=source,
            )  # fmt: skip
    return touched
