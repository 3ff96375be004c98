"""Reads of the catalog, which is public: no data scope applies (N2.1)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.catalog.models import (
    CheckPoint,
    DiscretionBenchmark,
    ItemVersion,
    Standard,
    SupervisionItem,
)


@dataclass(frozen=True)
class ItemRow:
    item: SupervisionItem
    version: ItemVersion  # the one in force on the day asked


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


def item_versions(*, item: SupervisionItem) -> QuerySet[ItemVersion]:
    return item.versions.order_by("-number").prefetch_related(
        Prefetch("check_points", queryset=CheckPoint.objects.order_by("order"))
    )


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


def standard_list(*, kind: str = "") -> QuerySet[Standard]:
    qs = Standard.objects.all()
    return qs.filter(kind=kind) if kind else qs


def benchmark_list_for_item(*, item: SupervisionItem) -> list[DiscretionBenchmark]:
    linked = set(item.benchmarks.values_list("code", flat=True))
    return [b for b in benchmark_list() if b.code in linked]
