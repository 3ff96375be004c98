"""Reads of the catalog, which is public: no data scope applies (N2.1)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Func, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from anjian.catalog.models import (
    CheckPoint,
    DiscretionBenchmark,
    ItemVersion,
    Standard,
    StandardDeclaration,
    SupervisionItem,
)


@dataclass(frozen=True)
class ItemRow:
    item: SupervisionItem
    version: ItemVersion  # the one in force on the day asked


def item_name_expression(item_ref: str = "item", *, on: datetime.date | None = None) -> Func:
    """The name of the item `item_ref` points at, as its version in force on `on` (default:
    today) has it, else its latest version's: for annotating a queryset, so that a list shows
    each row's item by name at no extra query per row."""
    day = on or timezone.localdate()
    versions = ItemVersion.objects.filter(item=OuterRef(item_ref))
    in_force = versions.filter(effective_from__lte=day).order_by("-effective_from")
    latest = versions.order_by("-effective_from")
    return Coalesce(Subquery(in_force.values("name")[:1]), Subquery(latest.values("name")[:1]))


def item_names(item_ids: Any, *, on: datetime.date | None = None) -> dict[int, str]:
    """{item id: name} for a set of items, in one query (see `item_name_expression`)."""
    rows = SupervisionItem.objects.filter(pk__in=set(item_ids)).annotate(
        name=item_name_expression("pk", on=on)
    )
    return {pk: name for pk, name in rows.values_list("pk", "name") if name}


def item_list(
    *, on: datetime.date | None = None, q: str = "", industry: str = "", act_kind: str = ""
) -> list[ItemRow]:
    """Items with the version in force on `on` (today by default); not-yet-effective items are
    left out. The filters apply to that version only, so an item never shows under a name or
    an industry it no longer has."""
    day = on or timezone.localdate()
    current: dict[int, ItemVersion] = {}
    versions = ItemVersion.objects.filter(effective_from__lte=day).select_related("item")
    for version in versions.order_by("item_id", "-effective_from"):
        current.setdefault(version.item_id, version)
    needle = q.casefold()
    rows = [
        ItemRow(item=v.item, version=v)
        for v in current.values()
        if (not needle or needle in v.name.casefold() or needle in v.item.code.casefold())
        and (not industry or industry in v.industries)
        and (not act_kind or v.act_kind == act_kind)
    ]
    return sorted(rows, key=lambda r: r.item.code)


def item_get(*, code: str) -> SupervisionItem:
    item = SupervisionItem.objects.filter(code=code).first()
    if item is None:
        raise Http404
    return item


def item_find(*, code: str) -> SupervisionItem | None:
    """The item of `code`, or None (a form then names the field)."""
    return SupervisionItem.objects.filter(code=code).first() if code else None


def item_versions(*, item: SupervisionItem) -> QuerySet[ItemVersion]:
    return item.versions.order_by("-number").prefetch_related(
        Prefetch(
            "check_points",
            queryset=CheckPoint.objects.order_by("order").prefetch_related(
                Prefetch("standards", queryset=Standard.objects.only("id", "code", "title"))
            ),
        )
    )


def item_choices() -> list[tuple[str, str]]:
    """Every item as (code, "code name"), named by its latest version (for choosing items)."""
    latest: dict[int, ItemVersion] = {}
    for version in ItemVersion.objects.select_related("item").order_by("item_id", "-number"):
        latest.setdefault(version.item_id, version)
    rows = sorted(latest.values(), key=lambda v: v.item.code)
    return [(v.item.code, f"{v.item.code} {v.name}") for v in rows]


def _versions_current_and_upcoming(day: datetime.date) -> list[ItemVersion]:
    keep: list[ItemVersion] = []
    seen: set[int] = set()
    versions = ItemVersion.objects.select_related("item").order_by("item__code", "-effective_from")
    for version in versions:
        if version.effective_from > day:
            keep.append(version)
        elif version.item_id not in seen:
            seen.add(version.item_id)
            keep.append(version)
    keep.sort(key=lambda v: (v.item.code, v.effective_from))
    return keep


def versions_current_and_upcoming(*, on: datetime.date | None = None) -> list[ItemVersion]:
    """For each item, the version in force on `on` and any published to take effect later,
    ordered by item code and date, each with its check points (`points`)."""
    keep = _versions_current_and_upcoming(on or timezone.localdate())
    points: dict[int, list[CheckPoint]] = {}
    for point in CheckPoint.objects.filter(version__in=[v.pk for v in keep]).order_by("order"):
        points.setdefault(point.version_id, []).append(point)
    for version in keep:
        version.points = points.get(version.pk, [])  # type: ignore[attr-defined]
    return keep


def item_version_diff(old: ItemVersion, new: ItemVersion) -> list[dict[str, Any]]:
    """What changed between two versions, field by field, check points by position."""
    from anjian.catalog.services import ItemValues

    rows: list[dict[str, Any]] = []
    for name in ItemValues.VERSION_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            label = getattr(ItemVersion._meta.get_field(name), "verbose_name", name)
            rows.append({"field": str(label), "old": before, "new": after})
    old_points = list(old.check_points.order_by("order"))
    new_points = list(new.check_points.order_by("order"))
    for i in range(max(len(old_points), len(new_points))):
        a = old_points[i] if i < len(old_points) else None
        b = new_points[i] if i < len(new_points) else None
        key = lambda p: (p.content, p.method, p.basis, p.handling) if p else None  # noqa: E731
        if key(a) != key(b):
            rows.append(
                {
                    "field": f"{CheckPoint._meta.verbose_name} {i + 1}",
                    "old": a.content if a else "",
                    "new": b.content if b else "",
                }
            )
    return rows


def benchmark_list(*, on: datetime.date | None = None) -> list[DiscretionBenchmark]:
    day = on or timezone.localdate()
    current: dict[str, DiscretionBenchmark] = {}
    for b in DiscretionBenchmark.objects.filter(effective_from__lte=day).order_by(
        "code", "-effective_from"
    ):
        current.setdefault(b.code, b)
    return list(current.values())


def benchmark_on(code: str, day: datetime.date) -> DiscretionBenchmark | None:
    return (
        DiscretionBenchmark.objects.filter(code=code, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def benchmark_upcoming(*, on: datetime.date | None = None) -> list[DiscretionBenchmark]:
    """Versions published to take effect after `on`, the earliest of each code first."""
    day = on or timezone.localdate()
    upcoming: dict[str, DiscretionBenchmark] = {}
    for b in DiscretionBenchmark.objects.filter(effective_from__gt=day).order_by(
        "code", "effective_from"
    ):
        upcoming.setdefault(b.code, b)
    return list(upcoming.values())


def benchmark_version_counts() -> dict[str, int]:
    """How many versions each benchmark code has."""
    rows = DiscretionBenchmark.objects.values("code").annotate(n=Count("id"))
    return {row["code"]: row["n"] for row in rows}


def benchmark_versions(*, code: str) -> list[DiscretionBenchmark]:
    """Every version of a benchmark, newest first, with its items; 404 if there is none."""
    versions = list(
        DiscretionBenchmark.objects.filter(code=code)
        .order_by("-effective_from")
        .prefetch_related(Prefetch("items", queryset=SupervisionItem.objects.order_by("code")))
    )
    if not versions:
        raise Http404
    return versions


def standard_list(*, kind: str = "", on: datetime.date | None = None) -> QuerySet[Standard]:
    """The register, each standard with the check points it is linked to in the checklists in
    force on `on` (`points_in_force`) and the entities that declared it (`declarations_shown`:
    the entity's name and the date, which are public; nothing personal)."""
    day = on or timezone.localdate()
    in_force = [v.pk for v in _versions_current_and_upcoming(day) if v.effective_from <= day]
    qs = Standard.objects.prefetch_related(
        Prefetch(
            "check_points",
            queryset=CheckPoint.objects.filter(version__in=in_force)
            .select_related("version", "version__item")
            .order_by("version__item__code", "order"),
            to_attr="points_in_force",
        ),
        Prefetch(
            "declarations",
            queryset=StandardDeclaration.objects.select_related("entity")
            .only("id", "standard_id", "declared_on", "url", "entity__id", "entity__name")
            .order_by("-declared_on", "-id"),
            to_attr="declarations_shown",
        ),
    )
    return qs.filter(kind=kind) if kind else qs


def standard_get(*, pk: int) -> Standard:
    standard = Standard.objects.filter(pk=pk).first()
    if standard is None:
        raise Http404
    return standard


def standards_declarable(*, entity: Any) -> QuerySet[Standard]:
    """The standards of the register the entity has not declared yet."""
    return Standard.objects.exclude(declarations__entity=entity).order_by("kind", "code")


def entity_standard_declarations(*, entity: Any) -> QuerySet[StandardDeclaration]:
    """The standards an entity declared, newest first (public data). On the profile they were
    prefetched with the entity (catalog/timeline.py, `_declarations`): the table and the
    timeline then read that one list instead of a query each."""
    if "standard_declarations" in getattr(entity, "_prefetched_objects_cache", {}):
        return entity.standard_declarations.all()
    return entity.standard_declarations.select_related("standard").order_by("-declared_on", "-id")


def benchmark_list_for_item(*, item: SupervisionItem) -> list[DiscretionBenchmark]:
    linked = set(item.benchmarks.values_list("code", flat=True))
    return [b for b in benchmark_list() if b.code in linked]
