"""Writes to the entity registry: entities, their licences and filings, and exports.

Every function checks the actor's role and jurisdiction, writes, keeps the search index in step
and appends the audit event, in one transaction. Pages, the API, the CLI and the import call
these. The bulk import lives in `importing.py` and uses the same checks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.choices import Industry, RiskLevel, StandardisationGrade
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.models import RegionLevel
from anjian.core.scope import ensure_visible
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record, model_changes
from anjian.entities.models import (
    BusinessStatus,
    Entity,
    EntityNameGram,
    Filing,
    FilingActivity,
    Licence,
    LicenceStatus,
    LicenceType,
    Scale,
)
from anjian.entities.search import grams_of, search_text_of
from anjian.entities.validation import (
    EntityValues,
    FieldInvalid,
    filing_period_error,
    licence_period_error,
    observation_check,
    sub_sector_clean,
    text_clean,
    uscc_clean,
)


def entity_values_check(values: EntityValues) -> None:
    """The rules every entity obeys whichever path wrote it."""
    errors: dict[str, Any] = {}
    try:
        values.uscc = uscc_clean(values.uscc)
    except FieldInvalid as exc:
        errors["uscc"] = exc.message
    for field, max_length, required in (
        ("name", 200, True),
        ("address", 300, False),
        ("legal_representative", 64, False),
    ):
        try:
            setattr(
                values,
                field,
                text_clean(getattr(values, field), max_length=max_length, required=required),
            )
        except FieldInvalid as exc:
            errors[field] = exc.message
    cleaned_former = []
    for former in values.former_names:
        try:
            cleaned_former.append(text_clean(former, max_length=200))
        except FieldInvalid as exc:
            errors["former_names"] = exc.message
    values.former_names = [n for n in cleaned_former if n and n != values.name]
    for field, choices in (
        ("industry", Industry.values),
        ("business_status", BusinessStatus.values),
        ("scale", ["", *Scale.values]),
        ("risk_level", ["", *RiskLevel.values]),
        ("standardisation_grade", StandardisationGrade.values),
    ):
        if getattr(values, field) not in choices:
            errors[field] = _("Choose one of the listed values.")
    if values.industry in Industry.values:
        try:
            values.sub_sector = sub_sector_clean(values.sub_sector, values.industry)
        except FieldInvalid as exc:
            errors["sub_sector"] = exc.message
    errors.update(
        observation_check(
            values.new_business_form, values.observation_start, values.observation_end
        )
    )
    if errors:
        raise ServiceError.for_fields(errors)


def _region_check(actor: Any, region_id: str) -> None:
    from anjian.core.models import Region

    region = Region.objects.filter(code=region_id).first()
    if region is None or region.level != RegionLevel.COUNTY:
        raise ServiceError.for_fields({"region": _("Choose a county-level region.")})
    actor_require_region(actor, region_id)


def entity_grams_write(entities: list[Entity]) -> None:
    """Write the bigram index rows of new entities (or of new names: `entity_grams_replace`).

    Plain executemany rather than bulk_create: an import writes about ten bigrams per entity,
    and building a model instance for each was most of an import's time.
    """
    rows = [(g, e.pk) for e in entities for g in grams_of(e.search_text)]
    if not rows:
        return
    table = connection.ops.quote_name(EntityNameGram._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (gram, entity_id) VALUES (%s, %s)",  # noqa: S608
            rows,
        )


def entity_grams_replace(entity: Entity, old_search_text: str) -> None:
    """Swap an entity's bigrams after a name change: delete the old ones by primary key."""
    old = grams_of(old_search_text)
    if old:
        EntityNameGram.objects.filter(entity_id=entity.pk, gram__in=old).delete()
    entity_grams_write([entity])


@transaction.atomic
def entity_create(
    *, actor: Any = SYSTEM_ACTOR, values: EntityValues, source: str = AuditSource.WEB
) -> Entity:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    entity_values_check(values)
    _region_check(actor, values.region_id)
    if Entity.objects.filter(uscc=values.uscc).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={"uscc": [_("An entity with this credit code is already registered.")]},
        )
    entity = Entity(uscc=values.uscc, **values.as_dict())
    entity.search_text = search_text_of(entity.name, entity.former_names)
    entity.save(force_insert=True)
    entity_grams_write([entity])
    audit_record(
        actor=actor,
        action="entities.entity.created",
        obj=entity,
        region=entity.region_id,
        changes=model_changes(None, {"uscc": entity.uscc, **values.as_dict()}),
        source=source,
    )
    if not isinstance(actor, Actor):
        ensure_visible(entity, actor)
    return entity


@transaction.atomic
def entity_update(
    *, actor: Any, entity: Entity, values: EntityValues, source: str = AuditSource.WEB
) -> Entity:
    """Change an entity's registered values. The credit code is its identity and never changes."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    locked = Entity.objects.select_for_update().get(pk=entity.pk)
    actor_require_region(actor, locked.region_id)
    values.uscc = locked.uscc
    entity_values_check(values)
    if values.region_id != locked.region_id:
        _region_check(actor, values.region_id)
    before = {f: getattr(locked, f) for f in EntityValues.FIELDS}
    after = values.as_dict()
    changes = model_changes(before, after)
    if not changes:
        return locked
    for field, value in after.items():
        setattr(locked, field, value)
    old_text = locked.search_text
    locked.search_text = search_text_of(locked.name, locked.former_names)
    locked.save()
    if locked.search_text != old_text:
        entity_grams_replace(locked, old_text)
    audit_record(
        actor=actor,
        action="entities.entity.updated",
        obj=locked,
        region=locked.region_id,
        changes=changes,
        source=source,
    )
    return locked


LICENCE_FIELDS = (
    "licence_type",
    "number",
    "issuing_authority",
    "scope",
    "valid_from",
    "valid_until",
    "status",
)


def _licence_check(values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for field, max_length, required in (
        ("number", 64, True),
        ("issuing_authority", 100, False),
        ("scope", 500, False),
    ):
        try:
            values[field] = text_clean(
                values.get(field, ""), max_length=max_length, required=required
            )
        except FieldInvalid as exc:
            errors[field] = exc.message
    if values.get("licence_type") not in LicenceType.values:
        errors["licence_type"] = _("Choose one of the listed values.")
    if values.get("status") not in LicenceStatus.values:
        errors["status"] = _("Choose one of the listed values.")
    if values.get("valid_until") is None:
        errors["valid_until"] = _("This value is required.")
    elif reason := licence_period_error(values.get("valid_from"), values["valid_until"]):
        errors["valid_until"] = reason
    if errors:
        raise ServiceError.for_fields(errors)


@transaction.atomic
def licence_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    entity: Entity,
    licence_type: str,
    number: str,
    valid_until: datetime.date | None,
    valid_from: datetime.date | None = None,
    issuing_authority: str = "",
    scope: str = "",
    status: str = "valid",
    source: str = AuditSource.WEB,
) -> Licence:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    actor_require_region(actor, entity.region_id)
    values: dict[str, Any] = {
        "licence_type": licence_type,
        "number": number,
        "issuing_authority": issuing_authority,
        "scope": scope,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "status": status,
    }
    _licence_check(values)
    if Licence.objects.filter(licence_type=licence_type, number=values["number"]).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={"number": [_("A licence of this type with this number is already recorded.")]},
        )
    licence = Licence.objects.create(entity=entity, **values)
    audit_record(
        actor=actor,
        action="entities.licence.created",
        obj=licence,
        region=entity.region_id,
        changes=model_changes(None, {"entity": entity.uscc, **values}),
        source=source,
    )
    return licence


@transaction.atomic
def licence_status_set(
    *, actor: Any, licence: Licence, status: str, source: str = AuditSource.WEB
) -> Licence:
    """Suspend, revoke, cancel or restore a licence (the approving side's decision, recorded)."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    locked = Licence.objects.select_related("entity").select_for_update().get(pk=licence.pk)
    actor_require_region(actor, locked.entity.region_id)
    if locked.status == status:
        return locked
    before = locked.status
    locked.status = status
    # Set by hand: no decision stands behind the new status any more.
    locked.status_reason, locked.status_changed_on = "", clock.today()
    locked.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
    audit_record(
        actor=actor,
        action="entities.licence.status_changed",
        obj=locked,
        region=locked.entity.region_id,
        changes={"status": [before, status]},
        source=source,
    )
    return locked


@transaction.atomic
def licences_decision_apply(
    *,
    actor: Any,
    entity: Entity,
    status: str,
    decision_number: str,
    decided_on: datetime.date,
    source: str = AuditSource.WEB,
) -> list[Licence]:
    """A penalty decision that suspends (责令停产停业整顿, 暂扣) or revokes (吊销) the entity's
    licences: each licence still in force takes `status`, with the decision's number and date
    as the reason the registry shows. Called by the deciding step (cases), which has checked
    that the actor may decide; here only the jurisdiction is checked again. Audited per licence."""
    actor_require_region(actor, entity.region_id)
    if status not in (LicenceStatus.SUSPENDED, LicenceStatus.REVOKED):
        raise ServiceError.for_field("status", _("Choose one of the listed values."))
    affected = [LicenceStatus.VALID]
    if status == LicenceStatus.REVOKED:
        affected.append(LicenceStatus.SUSPENDED)
    changed = []
    for licence in Licence.objects.select_for_update().filter(entity=entity, status__in=affected):
        before = licence.status
        licence.status = status
        licence.status_reason = decision_number[:200]
        licence.status_changed_on = decided_on
        licence.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
        audit_record(
            actor=actor,
            action="entities.licence.status_changed",
            obj=licence,
            region=entity.region_id,
            changes={
                "status": [before, status],
                "decision_number": decision_number,
                "decided_on": decided_on.isoformat(),
            },
            source=source,
        )
        changed.append(licence)
    return changed


@transaction.atomic
def filing_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    entity: Entity,
    activity: str,
    filed_on: datetime.date | None,
    number: str = "",
    authority: str = "",
    valid_until: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Filing:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    actor_require_region(actor, entity.region_id)
    errors: dict[str, Any] = {}
    if activity not in FilingActivity.values:
        errors["activity"] = _("Choose one of the listed values.")
    for field, value, max_length in (("number", number, 64), ("authority", authority, 100)):
        try:
            text_clean(value, max_length=max_length)
        except FieldInvalid as exc:
            errors[field] = exc.message
    if filed_on is None:
        errors["filed_on"] = _("This value is required.")
    elif reason := filing_period_error(filed_on, valid_until):
        errors["valid_until"] = reason
    if errors:
        raise ServiceError.for_fields(errors)
    assert filed_on is not None  # checked above
    filing = Filing.objects.create(
        entity=entity,
        activity=activity,
        filed_on=filed_on,
        number=number.strip(),
        authority=authority.strip(),
        valid_until=valid_until,
    )
    audit_record(
        actor=actor,
        action="entities.filing.created",
        obj=filing,
        region=entity.region_id,
        changes=model_changes(
            None,
            {
                "entity": entity.uscc,
                "activity": activity,
                "filed_on": filed_on,
                "number": filing.number,
                "valid_until": valid_until,
            },
        ),
        source=source,
    )
    return filing


def entity_export_record(
    *, actor: Any, file_format: str, rows: int, filters: dict[str, Any], source: str
) -> None:
    """Exports are audited (等保2.0: every export is recorded with who, when and what)."""
    actor_require(actor, Capability.ENTITIES_VIEW)
    audit_record(
        actor=actor,
        action="entities.entity.exported",
        object_type="entities.entity",
        region=getattr(actor, "scope_region_code", "") or "",
        changes={"format": file_format, "rows": rows, "filters": filters},
        source=source,
    )
