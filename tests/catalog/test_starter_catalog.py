"""The starter catalog (facts of law) loads through the services and covers the industries."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from anjian.catalog.models import (
    LEVEL_ORDER,
    ActKind,
    DiscretionBenchmark,
    Standard,
    SupervisionItem,
)
from anjian.catalog.services import catalog_starter_load, starter_files
from anjian.core.choices import Industry


def _parts() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in starter_files()]


def _items() -> list[dict]:
    return [item for part in _parts() for item in part["items"]]


def test_the_starter_catalog_covers_the_main_industries() -> None:
    items = _items()
    assert len(items) >= 30
    codes = [i["code"] for i in items]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"\d{14}", c) for c in codes)
    per_industry = {i: sum(i in item["industries"] for item in items) for i in Industry.values}
    for industry in ("coal_mine", "non_coal_mine", "hazardous_chemicals", "fireworks"):
        assert per_industry[industry] >= 3, per_industry
    kinds = [item["act_kind"] for item in items]
    assert kinds.count(ActKind.PENALTY) >= 10 and kinds.count(ActKind.INSPECTION) >= 10
    assert all(kind in ActKind.values for kind in kinds)


def test_every_item_has_real_check_points_and_dated_legal_bases() -> None:
    for item in _items():
        assert len(item["checklist"]) >= 3, item["code"]
        assert all(p["method"] in ("onsite", "documents", "remote") for p in item["checklist"])
        for basis in item["legal_basis"]:
            # An article (第…条), an item of a judgement standard (第…项) or its section (一、…);
            # anything vaguer must be marked as not verified.
            precise = re.search(r"第.+[条项]|^[一二三四五六七八九十]+、", basis["article"])
            assert precise or basis.get("verified") is False, (item["code"], basis["article"])
        day = datetime.date.fromisoformat(item["effective_from"])
        if any(
            "安全生产法" in b["law"] and b.get("version") == "2021" for b in item["legal_basis"]
        ):
            assert day >= datetime.date(2021, 9, 1), item["code"]


def test_benchmark_levels_rise() -> None:
    benchmarks = [b for part in _parts() for b in part.get("benchmarks", [])]
    assert len(benchmarks) >= 10
    for b in benchmarks:
        names = [lv["level"] for lv in b["levels"]]
        assert [LEVEL_ORDER.index(n) for n in names] == sorted(LEVEL_ORDER.index(n) for n in names)
        for low, high in zip(b["levels"], b["levels"][1:], strict=False):
            assert high["fine_min"] >= low["fine_min"] and high["fine_max"] >= low["fine_max"]


@pytest.mark.django_db
def test_the_starter_catalog_loads_once_through_the_services() -> None:
    counts = catalog_starter_load()
    assert counts["items"] == len(_items()) == SupervisionItem.objects.count()
    assert DiscretionBenchmark.objects.count() == counts["benchmarks"] >= 10
    assert Standard.objects.count() == counts["standards"]
    assert all(b.items.exists() for b in DiscretionBenchmark.objects.all())
    assert catalog_starter_load() == {"items": 0, "benchmarks": 0, "standards": 0}
