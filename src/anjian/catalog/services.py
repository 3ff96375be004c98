"""Writes to the catalog: items and their versions, benchmarks, standards, the starter content.

A published version is never edited: a change is a new version with the date it takes effect
and the reason (e.g. 《安全生产法》2021 revision). Every write is audited.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.catalog.discretion import questions_check
from anjian.catalog.models import (
    LEVEL_ORDER,
    ActKind,
    CheckMethod,
    CheckPoint,
    DiscretionBenchmark,
    ItemVersion,
    PenaltyKind,
    Standard,
    StandardDeclaration,
    StandardKind,
    SupervisionItem,
    level_label,
)
from anjian.core import clock
from anjian.core.choices import Industry
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.models import RegionLevel
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record, model_changes
from anjian.entities.models import Entity

STARTER_DIR = Path(__file__).resolve().parent / "data"


def starter_files() -> list[Path]:
    """The starter catalog's part files (by industry group), in a stable order."""
    return sorted(STARTER_DIR.glob("starter_*.json"))


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


def _item_values_errors(values: ItemValues) -> dict[str, Any]:
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
    return errors


def _item_values_check(values: ItemValues) -> None:
    errors = _item_values_errors(values)
    if errors:
        raise ServiceError.for_fields(errors)


def _version_write(
    item: SupervisionItem,
    number: int,
    values: ItemValues,
    effective_from: datetime.date,
    reason: str,
    actor: Any,
) -> ItemVersion:
    version = ItemVersion.objects.create(
        item=item,
        number=number,
        effective_from=effective_from,
        reason=reason,
        created_by=_actor_name(actor),
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


def _actor_name(actor: Any) -> str:
    return str(actor.name if isinstance(actor, Actor) else actor.get_username())


# The province's item codes (监管事项编码), as the starter catalog has them: 14 digits that begin
# with the province's region code, then the group and a serial (14000000100001).
ITEM_CODE = re.compile(r"\d{14}")


def item_code_error(code: str) -> Any:
    """Why `code` cannot be an item code, or None."""
    if not code:
        return _("This value is required.")
    if not ITEM_CODE.fullmatch(code) or not code.startswith(settings.ANJIAN_PROVINCE_CODE):
        return _(
            "An item code is 14 digits and begins with the province's code %(province)s, "
            "e.g. 14000000100001."
        ) % {"province": settings.ANJIAN_PROVINCE_CODE}
    return None


@transaction.atomic
def item_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    code: str,
    values: ItemValues,
    effective_from: datetime.date,
    source: str = AuditSource.WEB,
) -> SupervisionItem:
    """A new supervision item, published with its first version from `effective_from`."""
    _require_province(actor)
    code = code.strip()
    errors = _item_values_errors(values)
    code_error = item_code_error(code)
    if code_error:
        errors["code"] = code_error
    if errors:
        raise ServiceError.for_fields(errors)
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
    use stay as they were; acts dated before `effective_from` keep following the old one.
    A check point that stays word for word keeps the standards linked to it."""
    _require_province(actor)
    _item_values_check(values)
    if not reason.strip():
        raise ServiceError.for_fields(
            {"reason": _("Say why the item changes (e.g. the law was amended).")}
        )
    locked = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    last = locked.versions.order_by("-number").first()
    assert last is not None  # every item is created with its first version
    if effective_from <= last.effective_from:
        raise ServiceError.for_fields(
            {
                "effective_from": _("A new version must take effect after %(date)s.")
                % {"date": last.effective_from.isoformat()}
            }
        )
    version = _version_write(locked, last.number + 1, values, effective_from, reason, actor)
    _standards_carry_over(last, version)
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


def _standards_carry_over(old: ItemVersion, new: ItemVersion) -> None:
    link = Standard.check_points.through
    by_content: dict[str, list[int]] = {}
    for point_content, standard_id in link.objects.filter(checkpoint__version=old).values_list(
        "checkpoint__content", "standard_id"
    ):
        by_content.setdefault(point_content, []).append(standard_id)
    link.objects.bulk_create(
        [
            link(checkpoint_id=point.pk, standard_id=standard_id)
            for point in new.check_points.all()
            for standard_id in by_content.get(point.content, [])
        ]
    )


# --- Discretion benchmarks (自由裁量基准, N5.1) ------------------------------------------------

# Benchmark codes as the starter catalog has them: capitals and digits in parts joined by
# hyphens, after the law and the article (AQF-97-3: 安全生产法 第九十七条第三项).
BENCHMARK_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _level_label(level: dict[str, Any]) -> str:
    return level_label(level)


def levels_check(
    levels: list[dict[str, Any]], questions: list[dict[str, Any]] | None = None
) -> None:
    """Tiers in order, lightest first, each range valid and not below the one before it. A
    tier is named as the benchmark writes it (minor … grave, or A, B, C …); the older four
    names keep their order. Conditions given as data must name the benchmark's questions. A
    refusal names the tier it is about."""
    errors: dict[str, Any] = {}
    names = [str(lv.get("level", "")).strip() for lv in levels]
    legacy = all(n in LEVEL_ORDER for n in names)
    if len(levels) < 2 or (legacy and any(n not in LEVEL_ORDER for n in names)):
        errors["levels"] = _("Give at least two circumstance levels from minor to grave.")
    elif not all(names) or any(len(n) > 16 for n in names) or len(set(names)) != len(names):
        errors["levels"] = _(
            "Each tier has a name of its own (e.g. A, B, C), at most 16 characters."
        )
    elif legacy and [LEVEL_ORDER.index(n) for n in names] != sorted(
        {LEVEL_ORDER.index(n) for n in names}
    ):
        errors["levels"] = _("The levels must run from minor to grave, each once.")
    else:
        previous: dict[str, Any] | None = None
        for level in levels:
            low, high = level.get("fine_min", 0), level.get("fine_max", 0)
            kinds = level.get("penalty_kinds", [])
            label = {"level": _level_label(level)}
            if not isinstance(low, int) or not isinstance(high, int) or low < 0 or low > high:
                errors["levels"] = (
                    _("%(level)s: the fine range runs from a lower to a higher amount.") % label
                )
                break
            if not kinds or any(k not in PenaltyKind.values for k in kinds):
                errors["levels"] = _("%(level)s: allow at least one known kind of penalty.") % label
                break
            if (PenaltyKind.FINE in kinds) != (high > 0):
                errors["levels"] = (
                    _(
                        "%(level)s: a level that allows a fine gives its range, and only such "
                        "a level."
                    )
                    % label
                )
                break
            if previous is not None and (low < previous["fine_min"] or high < previous["fine_max"]):
                errors["levels"] = _(
                    "Fines must not fall from one level to the next (%(a)s → %(b)s)."
                ) % {"a": _level_label(previous), "b": label["level"]}
                break
            previous = level
        else:
            problem = questions_check(questions or [], levels) or _minor_problem(levels)
            if problem:
                errors["questions" if questions else "levels"] = problem
    if errors:
        raise ServiceError.for_fields(errors)


def _minor_problem(levels: list[dict[str, Any]]) -> Any:
    """The tier's `minor` flag (情节轻微, observation.tier_is_minor): true or absent, on the
    lightest tiers only, never on the heaviest."""
    for level in levels:
        if "minor" in level and not isinstance(level["minor"], bool):
            return _("%(level)s: minor circumstances is yes or no.") % {
                "level": _level_label(level)
            }
    minor = [lv.get("minor") is True or lv.get("level") == LEVEL_ORDER[0] for lv in levels]
    if minor and minor[-1]:
        return _("%(level)s: the heaviest level is not one of minor circumstances.") % {
            "level": _level_label(levels[-1])
        }
    for before, after, level in zip(minor, minor[1:], levels[1:], strict=False):
        if after and not before:
            return _(
                "%(level)s: only the lightest levels are of minor circumstances, each level "
                "before it too."
            ) % {"level": _level_label(level)}
    return None


def _benchmark_errors(
    *,
    code: str,
    violation: str,
    legal_provision: str,
    penalty_basis: str,
    levels: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    items: list[SupervisionItem],
    questions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not BENCHMARK_CODE.fullmatch(code) or len(code) > 30:
        errors["code"] = _(
            "A benchmark code is capital letters and digits joined by hyphens, e.g. AQF-97-3."
        )
    for name, value in (
        ("violation", violation),
        ("legal_provision", legal_provision),
        ("penalty_basis", penalty_basis),
    ):
        if not value.strip():
            errors[name] = _("This value is required.")
    if not items:
        errors["items"] = _("Link at least one supervision item.")
    names = [str(f.get("name", "")).strip() for f in factors]
    if any(f.get("effect") not in ("aggravating", "mitigating") for f in factors):
        errors["factors"] = _("A factor is either aggravating or mitigating.")
    elif not all(names) or len(set(names)) != len(names):
        errors["factors"] = _("Each factor has a name of its own.")
    elif any(
        not isinstance(f.get("steps", 1), int) or not 1 <= f.get("steps", 1) <= 3 for f in factors
    ):
        errors["factors"] = _("A factor moves the tier by one to three steps.")
    try:
        levels_check(levels, questions)
    except ServiceError as exc:
        errors.update({k: v[0] for k, v in exc.fields.items()})
    return errors


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
    questions: list[dict[str, Any]] | None = None,
    unlicensed_operation: bool = False,
    source: str = AuditSource.WEB,
) -> DiscretionBenchmark:
    """A new benchmark: its first version, in force from `effective_from`. A change to an
    existing one is `benchmark_version_create`."""
    _require_province(actor)
    code = code.strip().upper()
    errors = _benchmark_errors(
        code=code,
        violation=violation,
        legal_provision=legal_provision,
        penalty_basis=penalty_basis,
        levels=levels,
        factors=factors,
        items=items,
        questions=questions,
    )
    if errors:
        raise ServiceError.for_fields(errors)
    if DiscretionBenchmark.objects.filter(code=code).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={
                "code": [
                    _("A benchmark with this code already exists: publish a new version of it.")
                ]
            },
        )
    benchmark = DiscretionBenchmark.objects.create(
        code=code,
        violation=violation.strip(),
        legal_provision=legal_provision.strip(),
        penalty_basis=penalty_basis.strip(),
        levels=levels,
        factors=factors,
        questions=questions or [],
        unlicensed_operation=unlicensed_operation,
        effective_from=effective_from,
        reason=reason,
    )
    benchmark.items.set(items)
    audit_record(
        actor=actor,
        action="catalog.benchmark.created",
        obj=benchmark,
        changes={
            "code": code,
            "effective_from": effective_from,
            "unlicensed_operation": unlicensed_operation,
            "levels": levels,
            "items": sorted(i.code for i in items),
        },
        source=source,
    )
    return benchmark


BENCHMARK_VERSION_FIELDS = (
    "violation",
    "legal_provision",
    "penalty_basis",
    "levels",
    "factors",
    "questions",
    "unlicensed_operation",
)


@transaction.atomic
def benchmark_version_create(
    *,
    actor: Any,
    code: str,
    violation: str,
    legal_provision: str,
    penalty_basis: str,
    levels: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    effective_from: datetime.date,
    items: list[SupervisionItem],
    reason: str,
    questions: list[dict[str, Any]] | None = None,
    unlicensed_operation: bool | None = None,
    source: str = AuditSource.WEB,
) -> DiscretionBenchmark:
    """Change a benchmark: a new version from `effective_from`, for `reason`. The older
    versions stay, and a violation is judged by the version in force on the day it happened."""
    _require_province(actor)
    last = (
        DiscretionBenchmark.objects.select_for_update()
        .filter(code=code)
        .order_by("-effective_from")
        .first()
    )
    if last is None:
        raise NotFound()
    errors = _benchmark_errors(
        code=code,
        violation=violation,
        legal_provision=legal_provision,
        penalty_basis=penalty_basis,
        levels=levels,
        factors=factors,
        items=items,
        questions=questions,
    )
    if not reason.strip():
        errors["reason"] = _("Say why the benchmark changes (e.g. the law was amended).")
    if effective_from <= last.effective_from:
        errors["effective_from"] = _("A new version must take effect after %(date)s.") % {
            "date": last.effective_from.isoformat()
        }
    if errors:
        raise ServiceError.for_fields(errors)
    benchmark = DiscretionBenchmark.objects.create(
        code=code,
        violation=violation.strip(),
        legal_provision=legal_provision.strip(),
        penalty_basis=penalty_basis.strip(),
        levels=levels,
        factors=factors,
        questions=questions or [],
        # Unsaid: as before (the form does not ask; the data file does).
        unlicensed_operation=(
            last.unlicensed_operation if unlicensed_operation is None else unlicensed_operation
        ),
        effective_from=effective_from,
        reason=reason.strip(),
    )
    benchmark.items.set(items)
    before = {f: getattr(last, f) for f in BENCHMARK_VERSION_FIELDS}
    after = {f: getattr(benchmark, f) for f in BENCHMARK_VERSION_FIELDS}
    old_items = sorted(last.items.values_list("code", flat=True))
    new_items = sorted(i.code for i in items)
    audit_record(
        actor=actor,
        action="catalog.benchmark.version_created",
        obj=benchmark,
        changes={
            **model_changes(before, after),
            **({"items": [old_items, new_items]} if old_items != new_items else {}),
            "code": code,
            "effective_from": [last.effective_from, effective_from],
            "reason": reason.strip(),
        },
        source=source,
    )
    return benchmark


# --- Standards register (标准体系, N2.2) ------------------------------------------------------


@dataclass
class StandardValues:
    code: str
    title: str
    kind: str
    issued_by: str = ""
    issued_on: datetime.date | None = None
    effective_from: datetime.date | None = None
    industries: list[str] = field(default_factory=list)

    FIELDS = ("code", "title", "kind", "issued_by", "issued_on", "effective_from", "industries")

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.FIELDS}


def standard_code_normal(code: str) -> str:
    """A standard's number as written in the standard itself: half-width, single spaces,
    capitals ("gb／t  33000-2016" is "GB/T 33000-2016")."""
    return " ".join(unicodedata.normalize("NFKC", code).split()).upper()


# The prefix a standard's number has for its kind (GB/T 1.1 and the rules for local and
# enterprise standards): GB national, DB local (DB14 for Shanxi), Q/ enterprise; an industry
# standard has its sector's letters (AQ safety, MT coal, …).
_KIND_PREFIX = {
    StandardKind.NATIONAL: "GB",
    StandardKind.LOCAL: "DB",
    StandardKind.ENTERPRISE: "Q/",
}


def _standard_errors(values: StandardValues) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    code = values.code
    if not code:
        errors["code"] = _("This value is required.")
    elif values.kind == StandardKind.NATIONAL and not code.startswith("GB"):
        errors["code"] = _("A national standard's number begins with GB, e.g. GB/T 33000-2016.")
    elif values.kind == StandardKind.LOCAL and not code.startswith("DB"):
        errors["code"] = _("A local standard's number begins with DB, e.g. DB14/T 1234-2020.")
    elif values.kind == StandardKind.ENTERPRISE and not code.startswith("Q/"):
        errors["code"] = _("An enterprise standard's number begins with Q/, e.g. Q/JM 001-2023.")
    elif values.kind == StandardKind.INDUSTRY and (
        not re.match(r"[A-Z]{2}", code) or code.startswith(tuple(_KIND_PREFIX.values()))
    ):
        errors["code"] = _(
            "An industry standard's number begins with its sector's letters, e.g. AQ 1029-2019."
        )
    if len(code) > 50:
        errors["code"] = _("At most %(n)d characters.") % {"n": 50}
    if not values.title.strip():
        errors["title"] = _("This value is required.")
    if values.kind not in StandardKind.values:
        errors["kind"] = _("Choose one of the listed values.")
    if any(i not in Industry.values for i in values.industries):
        errors["industries"] = _("Choose the industries from the list.")
    if values.issued_on and values.effective_from and values.effective_from < values.issued_on:
        errors["effective_from"] = _("A standard takes effect on or after the day it is issued.")
    return errors


def _standard_write(values: StandardValues, actor: Any, source: str) -> Standard:
    if Standard.objects.filter(code=values.code).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={"code": [_("This standard is already in the register.")]},
        )
    standard = Standard.objects.create(
        code=values.code,
        title=values.title.strip(),
        kind=values.kind,
        issued_by=values.issued_by.strip(),
        issued_on=values.issued_on,
        effective_from=values.effective_from,
        industries=values.industries,
    )
    audit_record(
        actor=actor,
        action="catalog.standard.created",
        obj=standard,
        changes=model_changes(None, values.as_dict()),
        source=source,
    )
    return standard


@transaction.atomic
def standard_create(
    *, actor: Any, values: StandardValues, source: str = AuditSource.WEB
) -> Standard:
    """Add a national, industry, local or enterprise standard to the register (the province)."""
    _require_province(actor)
    values.code = standard_code_normal(values.code)
    errors = _standard_errors(values)
    if errors:
        raise ServiceError.for_fields(errors)
    return _standard_write(values, actor, source)


def _point_label(point: CheckPoint) -> str:
    return f"{point.version.item.code} v{point.version.number} #{point.order}"


@transaction.atomic
def standard_check_points_set(
    *,
    actor: Any,
    standard: Standard,
    check_points: list[CheckPoint],
    among: list[CheckPoint],
    source: str = AuditSource.WEB,
) -> dict[str, int]:
    """Link `standard` to exactly `check_points` out of the points offered (`among`, e.g. the
    checklists in force and those published for later). Links to points outside `among`, such
    as those of versions no longer in force, stay as they were: those versions are history."""
    _require_province(actor)
    offered = {p.pk: p for p in among}
    if any(p.pk not in offered for p in check_points):
        raise ServiceError.for_fields({"check_points": _("Choose the check points from the list.")})
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    linked = set(locked.check_points.filter(pk__in=offered).values_list("pk", flat=True))
    wanted = {p.pk for p in check_points}
    added, removed = wanted - linked, linked - wanted
    if added:
        locked.check_points.add(*added)
    if removed:
        locked.check_points.remove(*removed)
    if added or removed:
        audit_record(
            actor=actor,
            action="catalog.standard.check_points_set",
            obj=locked,
            changes={
                "code": locked.code,
                "added": sorted(_point_label(offered[pk]) for pk in added),
                "removed": sorted(_point_label(offered[pk]) for pk in removed),
            },
            source=source,
        )
    return {"added": len(added), "removed": len(removed)}


@transaction.atomic
def standard_declaration_record(
    *,
    actor: Any,
    entity: Entity,
    declared_on: datetime.date,
    standard: Standard | None = None,
    new_code: str = "",
    new_title: str = "",
    url: str = "",
    source: str = AuditSource.WEB,
) -> StandardDeclaration:
    """Record that `entity` declared publicly that it applies a standard (企业标准自我声明公开):
    one from the register, or its own enterprise standard (`new_code`, `new_title`), which is
    then added to the register. The entity's own bureau, or one above it, records it; or the
    enterprise publishes it itself through its account (N2.2; its own entity only)."""
    if not isinstance(actor, Actor) and actor.can(Capability.ENTERPRISE_SELF):
        from anjian.core.errors import NotFound

        if not Entity.objects.visible_to(actor).filter(pk=entity.pk).exists():
            raise NotFound()
    else:
        actor_require(actor, Capability.ENTITIES_MANAGE)
        actor_require_region(actor, entity.region_id)
    errors: dict[str, Any] = {}
    new_code = standard_code_normal(new_code)
    values: StandardValues | None = None
    if (standard is None) == (not new_code):
        errors["standard"] = _(
            "Choose a standard from the register, or give the number and title of the "
            "enterprise's own standard."
        )
    elif standard is None:
        values = StandardValues(
            code=new_code, title=new_title, kind=StandardKind.ENTERPRISE, issued_by=entity.name
        )
        for key, message in _standard_errors(values).items():
            errors[f"new_{key}" if key in ("code", "title") else "standard"] = message
        existing = Standard.objects.filter(code=new_code).first()
        if existing is not None and "new_code" not in errors:
            errors["new_code"] = _(
                "This standard is already in the register: choose it from the list."
            )
    if declared_on > clock.today():
        errors["declared_on"] = _("A declaration cannot be dated in the future.")
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _("Enter the web address where the declaration is published.")
    if errors:
        raise ServiceError.for_fields(errors)
    if values is not None:
        standard = _standard_write(values, actor, source)
    assert standard is not None
    if StandardDeclaration.objects.filter(standard=standard, entity=entity).exists():
        raise Conflict(
            _("Please correct the marked fields."),
            fields={
                "standard": [_("This entity's declaration of this standard is already recorded.")]
            },
        )
    declaration = StandardDeclaration.objects.create(
        standard=standard,
        entity=entity,
        declared_on=declared_on,
        url=url,
        recorded_by=_actor_name(actor),
    )
    audit_record(
        actor=actor,
        action="catalog.standard.declared",
        obj=declaration,
        region=entity.region_id,
        changes={
            "entity": entity.uscc,
            "standard": standard.code,
            "declared_on": declared_on,
            "url": url,
        },
        source=source,
    )
    return declaration


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
    if paths is None:
        # The province's exemption list names benchmarks: loaded after them (N3.5).
        from anjian.catalog.exemptions import exemptions_load

        counts["exemptions"] = exemptions_load(actor=actor, source=source)
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
        # A code already there gets a new version (which needs its reason in the file).
        publish = (
            benchmark_version_create
            if DiscretionBenchmark.objects.filter(code=entry["code"]).exists()
            else benchmark_create
        )
        publish(
            actor=actor,
            code=entry["code"],
            violation=entry["violation"],
            legal_provision=entry["legal_provision"],
            penalty_basis=entry["penalty_basis"],
            levels=entry["levels"],
            factors=entry.get("factors", []),
            effective_from=day,
            items=list(SupervisionItem.objects.filter(code__in=entry.get("item_codes", []))),
            reason=entry.get("reason", ""),
            questions=entry.get("questions", []),
            unlicensed_operation=bool(entry.get("unlicensed_operation", False)),
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
            issued_on=(
                datetime.date.fromisoformat(entry["issued_on"]) if entry.get("issued_on") else None
            ),
            effective_from=(
                datetime.date.fromisoformat(entry["effective_from"])
                if entry.get("effective_from")
                else None
            ),
            industries=entry.get("industries", []),
        )
        counts["standards"] += 1
