"""Writes to the catalog: items and their versions, benchmarks, standards, the starter content.

A published version is never edited: a change is a new version with the date it takes effect
and the reason (e.g. 《安全生产法》2021 revision). Every write is audited.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.catalog.models import (
    LEVEL_ORDER,
    ActKind,
    CheckMethod,
    CheckPoint,
    DiscretionBenchmark,
    ItemVersion,
    PenaltyKind,
    Standard,
    StandardKind,
    SupervisionItem,
)
from anjian.core.choices import Industry
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require
from anjian.core.models import RegionLevel
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record, model_changes

STARTER_DIR = Path(__file__).resolve().parent / "data"


def starter_files() -> list[Path]:
    """The starter catalog's part files (by industry group), in a stable order."""
    return sorted(STARTER_DIR.glob("starter_*.json"))


def _invalid(fields: dict[str, Any]) -> ServiceError:
    return ServiceError(
        _("Please correct the marked fields."), fields={k: [v] for k, v in fields.items()}
    )


def catalog_maintainer(actor: Any) -> bool:
    """Whether the actor may change the catalog (the pages ask before offering the form)."""
    try:
        _require_province(actor)
    except NotPermitted:
        return False
    return True


def _require_province(actor: Any) -> None:
    """The catalog is the province's: only its own staff (or the system) maintain it."""
    actor_require(actor, Capability.CATALOG_MANAGE)
    if isinstance(actor, Actor) or actor.is_superuser:
        return
    if getattr(actor, "scope_region_code", None) != settings.ANJIAN_PROVINCE_CODE:
        raise NotPermitted(_("Only the provincial department maintains the catalog."))


@dataclass
class ItemValues:
    name: str
    act_kind: str
    industries: list[str]
    scope: str = ""
    levels: list[str] = field(default_factory=lambda: ["province", "city", "county"])
    division: str = ""
    responsible_leader: str = ""
    handling_officer: str = ""
    legal_basis: list[dict[str, Any]] = field(default_factory=list)
    guideline: dict[str, str] = field(default_factory=dict)
    check_points: list[dict[str, str]] = field(default_factory=list)

    VERSION_FIELDS = (
        "name",
        "act_kind",
        "industries",
        "scope",
        "levels",
        "division",
        "responsible_leader",
        "handling_officer",
        "legal_basis",
        "guideline",
    )

    def version_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.VERSION_FIELDS}


def _item_values_check(values: ItemValues) -> None:
    errors: dict[str, Any] = {}
    if not values.name.strip():
        errors["name"] = _("This value is required.")
    if values.act_kind not in ActKind.values:
        errors["act_kind"] = _("Choose one of the listed values.")
    if not values.industries or any(i not in Industry.values for i in values.industries):
        errors["industries"] = _("Choose at least one industry from the list.")
    if not values.levels or any(lv not in RegionLevel.values for lv in values.levels):
        errors["levels"] = _("Choose at least one level.")
    if not values.legal_basis or any(
        not (b.get("law") and b.get("article")) for b in values.legal_basis
    ):
        errors["legal_basis"] = _("Each legal basis names a law and an article.")
    for point in values.check_points:
        if not point.get("content", "").strip() or point.get("method") not in CheckMethod.values:
            errors["check_points"] = _("Each check point needs its content and a method.")
    if errors:
        raise _invalid(errors)


def _version_write(
    item: SupervisionItem,
    number: int,
    values: ItemValues,
    effective_from: datetime.date,
    reason: str,
    actor: Any,
) -> ItemVersion:
    who = actor.name if isinstance(actor, Actor) else actor.get_username()
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        effective_from=effective_from,
        reason=reason,
        created_by=who,
        **values.version_dict(),
    )
    CheckPoint.objects.bulk_create(
        [
            CheckPoint(
                version=version,
                order=i,
                content=p["content"].strip(),
                method=p["method"],
                basis=p.get("basis", ""),
                handling=p.get("handling", ""),
            )
            for i, p in enumerate(values.check_points, start=1)
        ]
    )
    return version


@transaction.atomic
def item_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    code: str,
    values: ItemValues,
    effective_from: datetime.date,
    source: str = AuditSource.WEB,
) -> SupervisionItem:
    _require_province(actor)
    _item_values_check(values)
    code = code.strip()
    if not code:
        raise _invalid({"code": _("This value is required.")})
    if SupervisionItem.objects.filter(code=code).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={"code": [_("An item with this code already exists.")]},
        )
    item = SupervisionItem.objects.create(code=code)
    version = _version_write(item, 1, values, effective_from, "", actor)
    audit_record(
        actor=actor,
        action="catalog.item.created",
        obj=item,
        changes={"code": code, "version": 1, "effective_from": effective_from, "name": values.name},
        source=source,
    )
    return version.item


@transaction.atomic
def item_version_create(
    *,
    actor: Any,
    item: SupervisionItem,
    values: ItemValues,
    effective_from: datetime.date,
    reason: str,
    source: str = AuditSource.WEB,
) -> ItemVersion:
    """Change an item: a new version from `effective_from`, for `reason`. Versions already in
    use stay as they were; acts dated before `effective_from` keep following the old one."""
    _require_province(actor)
    _item_values_check(values)
    if not reason.strip():
        raise _invalid({"reason": _("Say why the item changes (e.g. the law was amended).")})
    locked = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    last = locked.versions.order_by("-number").first()
    assert last is not None  # every item is created with its first version
    if effective_from <= last.effective_from:
        raise _invalid(
            {
                "effective_from": _("A new version must take effect after %(date)s.")
                % {"date": last.effective_from.isoformat()}
            }
        )
    version = _version_write(locked, last.number + 1, values, effective_from, reason, actor)
    before = {f: getattr(last, f) for f in ItemValues.VERSION_FIELDS}
    audit_record(
        actor=actor,
        action="catalog.item.version_created",
        obj=locked,
        changes={
            **model_changes(before, values.version_dict()),
            "version": [last.number, version.number],
            "effective_from": effective_from,
            "reason": reason,
        },
        source=source,
    )
    return version


def levels_check(levels: list[dict[str, Any]]) -> None:
    """Circumstance levels in order, each range valid and not below the one before it."""
    errors: dict[str, Any] = {}
    names = [str(lv.get("level", "")) for lv in levels]
    if len(levels) < 2 or any(n not in LEVEL_ORDER for n in names):
        errors["levels"] = _("Give at least two circumstance levels from minor to grave.")
    elif [LEVEL_ORDER.index(n) for n in names] != sorted({LEVEL_ORDER.index(n) for n in names}):
        errors["levels"] = _("The levels must run from minor to grave, each once.")
    else:
        previous: dict[str, Any] | None = None
        for level in levels:
            low, high = level.get("fine_min", 0), level.get("fine_max", 0)
            kinds = level.get("penalty_kinds", [])
            if not isinstance(low, int) or not isinstance(high, int) or low < 0 or low > high:
                errors["levels"] = _("A fine range runs from a lower to a higher amount.")
                break
            if not kinds or any(k not in PenaltyKind.values for k in kinds):
                errors["levels"] = _("Each level allows at least one known kind of penalty.")
                break
            if previous is not None and (low < previous["fine_min"] or high < previous["fine_max"]):
                errors["levels"] = _(
                    "Fines must not fall from one level to the next (%(a)s → %(b)s)."
                ) % {"a": previous["level"], "b": level["level"]}
                break
            previous = level
    if errors:
        raise _invalid(errors)


@transaction.atomic
def benchmark_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    code: str,
    violation: str,
    legal_provision: str,
    penalty_basis: str,
    levels: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    effective_from: datetime.date,
    items: list[SupervisionItem],
    reason: str = "",
    source: str = AuditSource.WEB,
) -> DiscretionBenchmark:
    _require_province(actor)
    levels_check(levels)
    if any(f.get("effect") not in ("aggravating", "mitigating") for f in factors):
        raise _invalid({"factors": _("A factor is either aggravating or mitigating.")})
    if DiscretionBenchmark.objects.filter(code=code, effective_from=effective_from).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={"effective_from": [_("This benchmark already has a version from that date.")]},
        )
    benchmark = DiscretionBenchmark.objects.create(
        code=code,
        violation=violation,
        legal_provision=legal_provision,
        penalty_basis=penalty_basis,
        levels=levels,
        factors=factors,
        effective_from=effective_from,
        reason=reason,
    )
    benchmark.items.set(items)
    audit_record(
        actor=actor,
        action="catalog.benchmark.created",
        obj=benchmark,
        changes={"code": code, "effective_from": effective_from, "levels": levels},
        source=source,
    )
    return benchmark


@transaction.atomic
def catalog_starter_load(
    *,
    actor: Any = SYSTEM_ACTOR,
    paths: list[Path] | None = None,
    source: str = AuditSource.SYSTEM,
) -> dict[str, int]:
    """Load the starter catalog (facts of law, written from the instruments themselves), every
    entry through the same checks as a hand-made one. Idempotent: items, benchmarks and
    standards already present are left as they are."""
    counts = {"items": 0, "benchmarks": 0, "standards": 0}
    for path in paths if paths is not None else starter_files():
        _starter_part_load(json.loads(path.read_text(encoding="utf-8")), actor, source, counts)
    standards_link_check_points()
    if counts["standards"]:
        audit_record(
            actor=actor,
            action="catalog.standards.loaded",
            object_type="catalog.standard",
            changes={"count": counts["standards"]},
            source=source,
        )
    return counts


def standards_link_check_points() -> None:
    """Link each standard to the check points whose basis cites it (by its number, with or
    without the year: "GB 30871-2022" and "GB 30871")."""
    for standard in Standard.objects.all():
        number = standard.code.split("-")[0].strip()
        points = CheckPoint.objects.filter(basis__contains=number)
        if points.exists():
            standard.check_points.add(*points)


def _starter_part_load(
    data: dict[str, Any], actor: Any, source: str, counts: dict[str, int]
) -> None:
    for entry in data["items"]:
        if SupervisionItem.objects.filter(code=entry["code"]).exists():
            continue
        item_create(
            actor=actor,
            code=entry["code"],
            values=ItemValues(
                name=entry["name"],
                act_kind=entry["act_kind"],
                industries=entry["industries"],
                scope=entry.get("scope", ""),
                levels=entry.get("levels", ["province", "city", "county"]),
                division=entry.get("division", ""),
                legal_basis=entry["legal_basis"],
                guideline=entry.get("guideline", {}),
                check_points=entry.get("checklist", []),
            ),
            effective_from=datetime.date.fromisoformat(entry["effective_from"]),
            source=source,
        )
        counts["items"] += 1
    for entry in data.get("benchmarks", []):
        day = datetime.date.fromisoformat(entry["effective_from"])
        if DiscretionBenchmark.objects.filter(code=entry["code"], effective_from=day).exists():
            continue
        benchmark_create(
            actor=actor,
            code=entry["code"],
            violation=entry["violation"],
            legal_provision=entry["legal_provision"],
            penalty_basis=entry["penalty_basis"],
            levels=entry["levels"],
            factors=entry.get("factors", []),
            effective_from=day,
            items=list(SupervisionItem.objects.filter(code__in=entry.get("item_codes", []))),
            source=source,
        )
        counts["benchmarks"] += 1
    for entry in data.get("standards", []):
        if Standard.objects.filter(code=entry["code"]).exists():
            continue
        kind = entry.get("kind", "national")
        Standard.objects.create(
            code=entry["code"],
            title=entry["title"],
            kind=kind if kind in StandardKind.values else StandardKind.NATIONAL,
            issued_by=entry.get("issued_by", ""),
            effective_from=(
                datetime.date.fromisoformat(entry["effective_from"])
                if entry.get("effective_from")
                else None
            ),
            industries=entry.get("industries", []),
        )
        counts["standards"] += 1
