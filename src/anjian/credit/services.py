"""Writes of credit supervision: records gathered from the platform (`records_sync`), manual
records proposed and approved, grades recomputed (`credit_refresh` for some entities at once,
`credit_nightly` for all), grade overrides proposed, approved and ended. Every write is
checked, scoped and audited (`credit.*`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.choices import CreditGrade
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record
from anjian.credit import collectors, grading
from anjian.credit.models import (
    MANUAL_KINDS,
    CreditRecord,
    EntityCredit,
    GradeOverride,
    OverrideStatus,
    RecordKind,
    RecordStatus,
)
from anjian.credit.scoring import scoring
from anjian.entities.models import Entity

_SYNCED = (
    "title",
    "occurred_on",
    "weight",
    "counts_until",
    "public",
    "facts",
    "bureau_id",
    "item_id",
)


def _user(actor: Any) -> Any:
    return None if isinstance(actor, Actor) else actor


# --- records gathered from the platform ------------------------------------------------------


def records_sync(
    *, entity_ids: Iterable[int] | None = None, source: str = AuditSource.SYSTEM
) -> set[int]:
    """Bring the gathered records of `entity_ids` (None: all) in line with their sources: add
    what is new, correct what changed, void what the source no longer says. The ids of the
    entities whose records changed. Manual records are left alone."""
    ids = None if entity_ids is None else sorted(set(entity_ids))
    wanted = {c.key: c for c in collectors.candidates(ids)}
    # Broken commitments are written by `commitments.commitments_check`, not gathered here.
    stored_qs = CreditRecord.objects.exclude(source_type="").exclude(
        source_type="credit.commitment"
    )
    if ids is not None:
        stored_qs = stored_qs.filter(entity_id__in=ids)
    stored = {(r.source_type, r.source_id, r.kind): r for r in stored_qs}
    touched: set[int] = set()
    for key, c in wanted.items():
        row = stored.get(key)
        if row is None:
            row = CreditRecord.objects.create(
                entity_id=c.entity_id,
                region_id=c.region_id,
                bureau_id=c.bureau_id,
                kind=c.kind,
                title=c.title[:300],
                occurred_on=c.occurred_on,
                weight=c.weight,
                counts_until=c.counts_until,
                public=c.public,
                source_type=c.source_type,
                source_id=c.source_id,
                facts=c.facts,
                item_id=c.item_id,
            )
            _audit_record(row, "credit.record.gathered", source)
            touched.add(c.entity_id)
            continue
        if row.status == RecordStatus.WITHDRAWN:
            continue  # an objection was granted: the source's word no longer rules it
        changes = {}
        for name in _SYNCED:
            if name == "public" and row.repaired_on is not None:
                continue  # repaired: out of public view for good
            new = getattr(c, name) if name != "title" else c.title[:300]
            if getattr(row, name) != new:
                changes[name] = [getattr(row, name), new]
                setattr(row, name, new)
        if row.status == RecordStatus.VOID:
            changes["status"] = [row.status, RecordStatus.ACTIVE]
            row.status = RecordStatus.ACTIVE
        if changes:
            row.save()
            _audit_record(row, "credit.record.corrected", source, changes)
            touched.add(row.entity_id)
    for key, row in stored.items():
        if key not in wanted and row.status == RecordStatus.ACTIVE:
            row.status = RecordStatus.VOID
            row.save(update_fields=["status"])
            _audit_record(row, "credit.record.voided", source)
            touched.add(row.entity_id)
    return touched


def _audit_record(
    row: CreditRecord, action: str, source: str, changes: dict[str, Any] | None = None
) -> None:
    audit_record(
        actor=SYSTEM_ACTOR,
        action=action,
        obj=row,
        region=row.region_id,
        changes=changes
        or {
            "entity": row.entity_id,
            "kind": row.kind,
            "occurred_on": row.occurred_on,
            "weight": row.weight,
            "counts_until": row.counts_until,
            "source": f"{row.source_type}:{row.source_id}",
        },
        source=source,
    )


# --- grades -----------------------------------------------------------------------------------


def grades_recompute(
    *,
    entity_ids: Iterable[int],
    today: datetime.date | None = None,
    source: str = AuditSource.SYSTEM,
) -> dict[int, tuple[str, str]]:
    """Recompute the grades of `entity_ids` now; each entity whose grade in force changed, with
    (old, new), is audited with its score and the records counted."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    before = dict(Entity.objects.filter(pk__in=ids).values_list("pk", "credit_grade"))
    grading.recompute(entity_ids=ids, today=today)
    changed = {}
    for credit in EntityCredit.objects.filter(pk__in=ids):
        old = before.get(credit.entity_id, "")
        if old != credit.grade:
            changed[credit.entity_id] = (old, credit.grade)
            audit_record(
                actor=SYSTEM_ACTOR,
                action="credit.grade.changed",
                object_type="entities.entity",
                object_id=str(credit.entity_id),
                region=credit.region_id,
                changes={
                    "credit_grade": [old, credit.grade],
                    "score": credit.score,
                    "computed_grade": credit.computed_grade,
                    "records_counted": credit.records_counted,
                },
                source=source,
            )
    return changed


@transaction.atomic
def credit_refresh(
    *,
    entity_ids: Iterable[int],
    today: datetime.date | None = None,
    source: str = AuditSource.SYSTEM,
) -> dict[int, tuple[str, str]]:
    """Gather the records of these entities from their sources and recompute their grades:
    what runs the moment a decision, an inspection or a re-inspection is committed."""
    ids = sorted(set(entity_ids))
    records_sync(entity_ids=ids, source=source)
    from anjian.credit.dishonesty import listings_detect

    listings_detect(entity_ids=ids, source=source)
    from anjian.credit.commitments import commitments_check

    commitments_check(entity_ids=ids, today=today, source=source)
    return grades_recompute(entity_ids=ids, today=today, source=source)


@transaction.atomic
def credit_nightly(*, today: datetime.date | None = None) -> dict[str, int]:
    """Every night (a job): gather all records, then score and grade every entity for the day
    (records stop counting, overrides end). One audit event with the counts."""
    day = today or clock.today()
    touched = records_sync(entity_ids=None)
    from anjian.credit.commitments import commitments_check

    broken = commitments_check(entity_ids=None, today=day)
    changed = grading.recompute(entity_ids=None, today=day)
    from anjian.credit.dishonesty import listings_detect, listings_expire

    proposed = len(listings_detect(entity_ids=None))
    expired = listings_expire(today=day)
    summary = {
        "commitments_broken": len(broken),
        "listings_proposed": proposed,
        "listings_expired": expired,
        "entities_with_new_records": len(touched),
        "grades_changed": changed,
        "entities": EntityCredit.objects.count(),
    }
    from django.conf import settings

    audit_record(
        actor=SYSTEM_ACTOR,
        action="credit.grades.recomputed",
        region=settings.ANJIAN_PROVINCE_CODE,
        changes={"day": day, **summary},
        source=AuditSource.SYSTEM,
    )
    return summary


# --- manual records ---------------------------------------------------------------------------


def _entity_checked(actor: Any, entity: Entity) -> Entity:
    actor_require_visible(actor, entity)
    return entity


@transaction.atomic
def record_propose(
    *,
    actor: Any,
    entity: Entity,
    kind: str,
    title: str,
    occurred_on: datetime.date | None,
    reason: str,
    weight: int | None = None,
    public: bool = False,
    source: str = AuditSource.WEB,
) -> CreditRecord:
    """A record the platform does not hold (an accident, a broken commitment, a commendation,
    another fact), proposed with its reason; it counts once a leader approves it."""
    actor_require(actor, Capability.CREDIT_MANAGE)
    _entity_checked(actor, entity)
    s = scoring()
    errors: dict[str, Any] = {}
    if kind not in MANUAL_KINDS:
        errors["kind"] = _("Choose one of the listed values.")
    if not title.strip():
        errors["title"] = _("This value is required.")
    if not reason.strip():
        errors["reason"] = _("Say why the record is entered by hand.")
    today = clock.today()
    if occurred_on is None:
        errors["occurred_on"] = _("This value is required.")
    elif occurred_on > today:
        errors["occurred_on"] = _("The date cannot be in the future.")
    if kind == RecordKind.OTHER:
        if weight is None:
            errors["weight"] = _("This value is required.")
        elif not s.manual_min <= weight <= s.manual_max:
            errors["weight"] = _("Give between %(low)s and %(high)s points.") % {
                "low": s.manual_min,
                "high": s.manual_max,
            }
    elif kind in MANUAL_KINDS:
        weight = s.weights[kind]
    if errors:
        raise ServiceError.for_fields(errors)
    assert occurred_on is not None and weight is not None
    user = _user(actor)
    row = CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        bureau=getattr(user, "bureau", None),
        kind=kind,
        title=title.strip()[:300],
        occurred_on=occurred_on,
        weight=weight,
        counts_until=s.counts_until(kind, occurred_on),
        status=RecordStatus.PROPOSED,
        public=public,
        reason=reason.strip(),
        proposed_by=user,
    )
    audit_record(
        actor=actor,
        action="credit.record.proposed",
        obj=row,
        region=row.region_id,
        changes={
            "entity": entity.pk,
            "kind": kind,
            "title": row.title,
            "occurred_on": occurred_on,
            "weight": weight,
            "reason": row.reason,
        },
        source=source,
    )
    return row


@transaction.atomic
def record_decide(
    *,
    actor: Any,
    record: CreditRecord,
    approve: bool,
    note: str = "",
    source: str = AuditSource.WEB,
) -> CreditRecord:
    """A leader approves (it counts from now on; the grade moves at once) or refuses a manual
    record. The proposer cannot approve their own."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, record)
    row = CreditRecord.objects.select_for_update().get(pk=record.pk)
    if row.status != RecordStatus.PROPOSED:
        raise Conflict(_("Only a proposed record can be approved or refused."))
    user = _user(actor)
    if user is not None and row.proposed_by_id == user.pk:
        raise NotPermitted(_("The proposer cannot approve their own record."))
    if not approve and not note.strip():
        raise ServiceError.for_fields({"note": _("Say why the record is refused.")})
    row.status = RecordStatus.ACTIVE if approve else RecordStatus.REJECTED
    row.decided_by = user
    row.decided_at = clock.now()
    row.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="credit.record.approved" if approve else "credit.record.rejected",
        obj=row,
        region=row.region_id,
        changes={"status": [RecordStatus.PROPOSED, row.status], "note": note.strip()},
        source=source,
    )
    if approve:
        grades_recompute(entity_ids=[row.entity_id], source=source)
        from anjian.credit.dishonesty import listings_detect

        listings_detect(entity_ids=[row.entity_id], source=source)
    return row


# --- grade overrides --------------------------------------------------------------------------


@transaction.atomic
def override_propose(
    *,
    actor: Any,
    entity: Entity,
    grade: str,
    reason: str,
    ends_on: datetime.date | None,
    source: str = AuditSource.WEB,
) -> GradeOverride:
    """A grade set by hand: proposed with a reason and an end date (at most a year ahead)."""
    actor_require(actor, Capability.CREDIT_MANAGE)
    _entity_checked(actor, entity)
    today = clock.today()
    errors: dict[str, Any] = {}
    if grade not in CreditGrade.values:
        errors["grade"] = _("Choose one of the listed values.")
    if not reason.strip():
        errors["reason"] = _("Say why the grade is set by hand.")
    if ends_on is None:
        errors["ends_on"] = _("This value is required.")
    elif ends_on < today:
        errors["ends_on"] = _("The end cannot be in the past.")
    elif ends_on > today + datetime.timedelta(days=366):
        errors["ends_on"] = _("An override lasts at most a year.")
    if errors:
        raise ServiceError.for_fields(errors)
    assert ends_on is not None
    row = GradeOverride.objects.create(
        entity=entity,
        region_id=entity.region_id,
        grade=grade,
        reason=reason.strip(),
        ends_on=ends_on,
        proposed_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="credit.override.proposed",
        obj=row,
        region=row.region_id,
        changes={"entity": entity.pk, "grade": grade, "reason": row.reason, "ends_on": ends_on},
        source=source,
    )
    return row


@transaction.atomic
def override_decide(
    *,
    actor: Any,
    override: GradeOverride,
    approve: bool,
    note: str = "",
    source: str = AuditSource.WEB,
) -> GradeOverride:
    """A leader approves (the grade is in force at once, replacing an earlier override) or
    refuses. The proposer cannot approve their own."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, override)
    row = GradeOverride.objects.select_for_update().get(pk=override.pk)
    if row.status != OverrideStatus.PROPOSED:
        raise Conflict(_("Only a proposed override can be approved or refused."))
    user = _user(actor)
    if user is not None and row.proposed_by_id == user.pk:
        raise NotPermitted(_("The proposer cannot approve their own override."))
    if not approve and not note.strip():
        raise ServiceError.for_fields({"note": _("Say why the override is refused.")})
    if approve:
        for earlier in GradeOverride.objects.select_for_update().filter(
            entity_id=row.entity_id, status=OverrideStatus.APPROVED
        ):
            earlier.status = OverrideStatus.ENDED
            earlier.decision_note = _("Replaced by a later override.")
            earlier.save(update_fields=["status", "decision_note"])
    row.status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    row.decided_by = user
    row.decided_at = clock.now()
    row.decision_note = note.strip()
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="credit.override.approved" if approve else "credit.override.rejected",
        obj=row,
        region=row.region_id,
        changes={"status": [OverrideStatus.PROPOSED, row.status], "note": row.decision_note},
        source=source,
    )
    if approve:
        grades_recompute(entity_ids=[row.entity_id], source=source)
    return row


@transaction.atomic
def override_end(
    *, actor: Any, override: GradeOverride, reason: str, source: str = AuditSource.WEB
) -> GradeOverride:
    """End an approved override before its date: the computed grade is in force again."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, override)
    row = GradeOverride.objects.select_for_update().get(pk=override.pk)
    if row.status != OverrideStatus.APPROVED:
        raise Conflict(_("Only an approved override can be ended."))
    if not reason.strip():
        raise ServiceError.for_fields({"reason": _("Say why the override ends early.")})
    row.status = OverrideStatus.ENDED
    row.decision_note = reason.strip()
    row.save(update_fields=["status", "decision_note"])
    audit_record(
        actor=actor,
        action="credit.override.ended",
        obj=row,
        region=row.region_id,
        changes={"status": [OverrideStatus.APPROVED, row.status], "reason": row.decision_note},
        source=source,
    )
    grades_recompute(entity_ids=[row.entity_id], source=source)
    return row
