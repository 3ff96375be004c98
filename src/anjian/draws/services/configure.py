"""Writes for random inspections, configuration: a draw's draft (made and given up), the
random-check list, declared conflicts, and the audit of exports. Callers import from
`anjian.draws.services`, which re-exports this module, `commit` and `run`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, User
from anjian.accounts.roles import Capability
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.scope import region_codes_under
from anjian.core.services import AuditSource, audit_record
from anjian.draws.models import Draw, InspectorConflict, RandomCheckItem
from anjian.draws.states import DrawStatus, StrataBy
from anjian.entities.models import Entity
from anjian.entities.validation import FieldInvalid, uscc_clean

RATIO_SCALE = 10_000  # ratios are parts per ten thousand
FACTOR_SCALE = 100  # the recently-inspected factor is a percentage


def ratio_key(grade: str, level: str) -> str:
    return f"{grade}|{level}"


@dataclass
class DrawValues:
    title: str
    items: list[RandomCheckItem]
    inspection_from: datetime.date
    inspection_until: datetime.date
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    key_supervision_only: bool = False
    major_hazard_only: bool = False
    strata_by: str = StrataBy.INDUSTRY
    default_ratio: int = 500
    ratios: dict[str, int] = field(default_factory=dict)  # "grade|level" -> per ten thousand
    recent_months: int = 0
    recent_factor: int = 100
    forced: list[str] = field(default_factory=list)
    inspectors_per_entity: int = 2
    avoid_own_county: bool = True
    max_per_inspector: int = 20


def _values_check(bureau: Bureau, v: DrawValues) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = defaultdict(list)
    if not v.title.strip():
        errors["title"].append(_("This value is required."))
    if not v.items:
        errors["items"].append(_("Choose at least one random-check item."))
    elif any(i.bureau_id != bureau.pk for i in v.items):
        errors["items"].append(_("Choose items of the draw's own bureau."))
    if v.inspection_until < v.inspection_from:
        errors["inspection_until"].append(_("The inspections cannot end before they start."))
    if any(i not in Industry.values for i in v.industries):
        errors["industries"].append(_("Choose one of the listed values."))
    below = set(region_codes_under(bureau.region_id))
    if any(r not in below for r in v.regions):
        errors["regions"].append(_("Choose regions within the bureau's jurisdiction."))
    if v.strata_by not in StrataBy.values:
        errors["strata_by"].append(_("Choose one of the listed values."))
    if not 0 < v.default_ratio <= RATIO_SCALE:
        errors["default_ratio"].append(_("A ratio is from 1 to 10000 per ten thousand."))
    for key, ratio in v.ratios.items():
        grade, _sep, level = key.partition("|")
        if grade not in ("", *CreditGrade.values) or level not in ("", *RiskLevel.values):
            errors["ratios"].append(_("Unknown grade or level: %(key)s") % {"key": key})
        elif not isinstance(ratio, int) or not 0 <= ratio <= RATIO_SCALE:
            errors["ratios"].append(_("A ratio is from 0 to 10000 per ten thousand."))
    if not 0 <= v.recent_factor <= FACTOR_SCALE:
        errors["recent_factor"].append(_("Give a percentage from 0 to 100."))
    if v.recent_months > 120:
        errors["recent_months"].append(_("At most 120 months."))
    if v.inspectors_per_entity < 2:
        # 行政处罚法 第四十二条: 执法人员不得少于两人.
        errors["inspectors_per_entity"].append(_("At least two inspectors per entity."))
    if v.max_per_inspector < 1:
        errors["max_per_inspector"].append(_("At least one."))
    # The form cleans pasted codes first; the API hands them over as they came. A code with a
    # wrong check character would otherwise surface at the commit as "not in the directory".
    for code in filter(str.strip, v.forced):
        try:
            uscc_clean(code)
        except FieldInvalid as exc:
            errors["forced"].append(f"{code}：{exc.message}")
    return {k: v for k, v in errors.items() if v}


def _draw_fields(v: DrawValues) -> dict[str, Any]:
    return {
        "title": v.title.strip(),
        "inspection_from": v.inspection_from,
        "inspection_until": v.inspection_until,
        "filters": {
            "industries": sorted(set(v.industries)),
            "regions": sorted(set(v.regions)),
            "key_supervision_only": v.key_supervision_only,
            "major_hazard_only": v.major_hazard_only,
        },
        "strata_by": v.strata_by,
        "default_ratio": v.default_ratio,
        "ratios": dict(sorted(v.ratios.items())),
        "recent_months": v.recent_months,
        "recent_factor": v.recent_factor,
        "forced": sorted({uscc_clean(u) for u in v.forced if u.strip()}),
        "inspectors_per_entity": v.inspectors_per_entity,
        "avoid_own_county": v.avoid_own_county,
        "max_per_inspector": v.max_per_inspector,
    }


def _own_bureau(actor: Any, bureau: Bureau | None) -> Bureau:
    actor_require(actor, Capability.DRAWS_MANAGE)
    if bureau is None or getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("A bureau runs its own draws."))
    actor_require_region(actor, bureau.region_id)
    return bureau


@transaction.atomic
def draw_create(
    *,
    actor: Any,
    bureau: Bureau | None,
    values: DrawValues,
    redo_of: Draw | None = None,
    redo_reason: str = "",
    source: str = AuditSource.WEB,
) -> Draw:
    bureau = _own_bureau(actor, bureau)
    errors = _values_check(bureau, values)
    if redo_of is not None:
        redo_of = Draw.objects.get(pk=redo_of.pk)
        if redo_of.bureau_id != bureau.pk or redo_of.status not in (
            DrawStatus.COMMITTED,
            DrawStatus.DRAWN,
        ):
            errors.setdefault("redo_of", []).append(_("Only a committed or drawn draw is redone."))
        if not redo_reason.strip():
            errors.setdefault("redo_reason", []).append(_("Say why the draw is redone."))
    if errors:
        raise ServiceError.for_fields(errors)
    fields = _draw_fields(values)
    draw = Draw.objects.create(
        bureau=bureau,
        created_by=actor,
        redo_of=redo_of,
        redo_reason=redo_reason.strip(),
        **fields,
    )
    draw.items.set(values.items)
    audit_record(
        actor=actor,
        action="draws.draw.created",
        obj=draw,
        region=bureau.region_id,
        changes={
            **{k: v for k, v in fields.items() if not isinstance(v, datetime.date)},
            "items": [i.item.code for i in values.items],
            "redo_of": redo_of.pk if redo_of else None,
            "redo_reason": redo_reason.strip(),
        },
        source=source,
    )
    return draw


def _locked(draw: Draw, status: str) -> Draw:
    locked = Draw.objects.select_for_update().select_related("bureau").get(pk=draw.pk)
    if locked.status != status:
        raise Conflict(
            _("The draw is %(status)s; this step needs it %(needed)s.")
            % {"status": DrawStatus(locked.status).label, "needed": DrawStatus(status).label}
        )
    return locked


@transaction.atomic
def draw_abandon(*, actor: Any, draw: Draw, reason: str, source: str = AuditSource.WEB) -> Draw:
    """A draft that was never committed may be given up; a committed draw never is."""
    locked = _locked(draw, DrawStatus.DRAFT)
    _own_bureau(actor, locked.bureau)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the draw is given up."))
    Draw.objects.filter(pk=locked.pk).update(status=DrawStatus.ABANDONED)
    audit_record(
        actor=actor,
        action="draws.draw.abandoned",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"reason": reason.strip()},
        source=source,
    )
    locked.status = DrawStatus.ABANDONED
    return locked


def draw_export_record(*, actor: Any, draw: Draw, rows: int, source: str) -> None:
    """Exports are audited (等保2.0: who exported what, when)."""
    actor_require(actor, Capability.WORKSPACE)
    audit_record(
        actor=actor,
        action="draws.draw.exported",
        obj=draw,
        region=draw.bureau.region_id,
        changes={"format": "xlsx", "rows": rows},
        source=source,
    )


@transaction.atomic
def conflict_declare(
    *, actor: Any, inspector: User, entity: Entity, reason: str, source: str = AuditSource.WEB
) -> InspectorConflict:
    """回避: an inspector declares a conflict with an entity (or their division head does)."""
    actor_require(actor, Capability.CONFLICTS_DECLARE)
    actor_require_region(actor, entity.region_id)
    if inspector.pk != getattr(actor, "pk", None) and not actor.can(Capability.DRAWS_MANAGE):
        raise NotPermitted(_("Inspectors declare their own conflicts."))
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say what the conflict is."))
    conflict, created = InspectorConflict.objects.get_or_create(
        inspector=inspector, entity=entity, defaults={"reason": reason.strip()}
    )
    if not created:
        raise Conflict(_("This conflict is already declared."))
    audit_record(
        actor=actor,
        action="draws.conflict.declared",
        obj=conflict,
        region=entity.region_id,
        changes={"inspector": inspector.username, "entity": entity.uscc, "reason": reason.strip()},
        source=source,
    )
    return conflict


def random_check_item_add(
    *, actor: Any, bureau: Bureau | None, item: Any, division: Any = None,
    source: str = AuditSource.WEB,
) -> RandomCheckItem:  # fmt: skip
    bureau = _own_bureau(actor, bureau)
    if division is not None and division.bureau_id != bureau.pk:
        raise ServiceError.for_field("division", _("Choose a division of the plan's bureau."))
    rc, created = RandomCheckItem.objects.get_or_create(
        bureau=bureau, item=item, defaults={"division": division}
    )
    if not created:
        raise Conflict(_("This item is already on the random-check list."))
    audit_record(
        actor=actor,
        action="draws.item.added",
        obj=rc,
        region=bureau.region_id,
        changes={"item": item.code, "division": division.name if division else ""},
        source=source,
    )
    return rc
