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
    ExemptionEntry,
    Standard,
    SupervisionItem,
)
from anjian.catalog.selectors import benchmark_on
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
        if all(n in LEVEL_ORDER for n in names):
            assert [LEVEL_ORDER.index(n) for n in names] == sorted(
                LEVEL_ORDER.index(n) for n in names
            )
        else:  # 应急〔2024〕90号 letters its tiers A, B, C …
            assert names == sorted(names) and len(set(names)) == len(names), b["code"]
        for low, high in zip(b["levels"], b["levels"][1:], strict=False):
            assert high["fine_min"] >= low["fine_min"] and high["fine_max"] >= low["fine_max"]


@pytest.mark.django_db
def test_the_starter_catalog_loads_once_through_the_services() -> None:
    counts = catalog_starter_load()
    assert counts["items"] == len(_items()) == SupervisionItem.objects.count()
    assert DiscretionBenchmark.objects.count() == counts["benchmarks"] >= 10
    assert Standard.objects.count() == counts["standards"]
    assert all(b.items.exists() for b in DiscretionBenchmark.objects.all())
    assert counts["exemptions"] == ExemptionEntry.objects.count() >= 3
    assert catalog_starter_load() == {
        "items": 0,
        "benchmarks": 0,
        "standards": 0,
        "exemptions": 0,
    }


def test_no_benchmark_starts_later_or_earlier_than_the_rule_it_implements() -> None:
    """A benchmark applies the rule it names from the day that rule takes effect: not before
    (the rule did not exist) and not later (acts in between would be judged by a repealed
    standard)."""
    for part in _parts():
        rules = {name: datetime.date.fromisoformat(day) for name, day in part["rules"].items()}
        for b in part["benchmarks"]:
            assert b["rule"] in rules, b["code"]
            assert datetime.date.fromisoformat(b["effective_from"]) == rules[b["rule"]], (
                b["code"],
                b["effective_from"],
                b["rule"],
            )


def test_acts_from_november_2024_are_judged_by_the_90_benchmark() -> None:
    """应急〔2024〕90号 from 2024-11-01 (REFERENCE.md): the older versions stay for earlier
    acts; the new ones carry their conditions as data and say what is not verified."""
    benchmarks = [b for part in _parts() for b in part["benchmarks"]]
    newer = [b for b in benchmarks if "90号" in b["rule"]]
    assert {b["code"] for b in newer} >= {"AQF-97-3", "AQF-97-7-MK"}
    for b in newer:
        assert b["effective_from"] == "2024-11-01" and b["questions"], b["code"]
        assert b["levels"][0]["level"] == "A"
        assert "核对" in b["reason"] and b.get("verified") is False
        older = [o for o in benchmarks if o["code"] == b["code"] and o is not b]
        assert older and all(o["effective_from"] < "2024-11-01" for o in older), b["code"]
    item26 = next(b for b in newer if b["code"] == "AQF-97-7-MK")
    tiers = {lv["level"]: lv for lv in item26["levels"]}
    assert (tiers["A"]["fine_min"], tiers["A"]["fine_max"]) == (0, 30_000)
    assert (tiers["D"]["fine_min"], tiers["D"]["fine_max"]) == (100_000, 130_000)


NINETY = "应急管理行政处罚裁量权基准（应急〔2024〕90号）"


def _short(law: str) -> str:
    """A rule's name as a citation writes it: 中华人民共和国安全生产法（2021年修正） is cited
    as 安全生产法."""
    return re.sub(r"（.*?）$", "", law).removeprefix("中华人民共和国")


def test_every_starter_benchmark_has_its_90_version_and_keeps_the_older_one() -> None:
    """Issue 19: every starter benchmark follows 应急〔2024〕90号 for acts from its effective
    date (REFERENCE.md: 2024-11-01), lettered A, B, C … with conditions the officer answers,
    and the older version stays for earlier acts."""
    benchmarks = [b for part in _parts() for b in part["benchmarks"]]
    codes = {b["code"] for b in benchmarks}
    for code in codes:
        versions = sorted(
            (b for b in benchmarks if b["code"] == code), key=lambda b: b["effective_from"]
        )
        newest = versions[-1]
        assert newest["rule"] == NINETY and newest["effective_from"] == "2024-11-01", code
        assert len(versions) >= 2 and versions[0]["effective_from"] < "2024-11-01", code
        letters = [lv["level"] for lv in newest["levels"]]
        assert letters == [chr(ord("A") + i) for i in range(len(letters))], code
        asked = {q["key"] for q in newest["questions"]}
        tested = {t["q"] for lv in newest["levels"] for alt in lv.get("when", []) for t in alt}
        assert tested and tested <= asked, code  # every condition is a question answered
        assert newest.get("verified") is False and "核对" in newest["reason"], code


def test_no_starter_benchmark_starts_before_a_rule_it_cites() -> None:
    """A benchmark cannot take effect before the law it applies (the rule it names and every
    rule of the part's list that its basis or provision cites), checked on the data file and
    on what the loader publishes."""
    for part in _parts():
        rules = {name: datetime.date.fromisoformat(day) for name, day in part["rules"].items()}
        for b in part["benchmarks"]:
            start = datetime.date.fromisoformat(b["effective_from"])
            assert start >= rules[b["rule"]], (b["code"], b["rule"])
            cited = b["penalty_basis"] + b["legal_provision"]
            for name, day in rules.items():
                if _short(name) in cited:
                    assert start >= day, (b["code"], b["effective_from"], name)


@pytest.mark.django_db
def test_acts_either_side_of_90_are_judged_by_their_own_version() -> None:
    catalog_starter_load()
    for code in DiscretionBenchmark.objects.values_list("code", flat=True).distinct():
        before = benchmark_on(code, datetime.date(2024, 10, 31))
        after = benchmark_on(code, datetime.date(2024, 11, 1))
        assert before is not None and after is not None, code
        assert before.pk != after.pk and after.levels[0]["level"] == "A", code
        assert before.levels[0]["level"] != "A", code
    unlicensed = set(
        DiscretionBenchmark.objects.filter(unlicensed_operation=True).values_list("code", flat=True)
    )
    assert unlicensed == {"XKZ-19-FM", "WHP-77-3", "YHBZ-36-1"}
