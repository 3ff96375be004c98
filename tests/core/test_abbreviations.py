"""Default document abbreviations: one for every Shanxi city and county, no two alike."""

from __future__ import annotations

import csv
from collections import Counter

from anjian.core.abbreviations import abbreviation_table
from anjian.core.services import REGIONS_FILE


def test_every_region_has_a_default_and_no_two_are_alike() -> None:
    with REGIONS_FILE.open(encoding="utf-8") as fh:
        regions = {row["code"]: row for row in csv.DictReader(fh)}
    table = abbreviation_table()
    assert set(table) == set(regions)
    levels = Counter(r["level"] for r in regions.values() if r["statistical_only"] == "0")
    assert levels == {"province": 1, "city": 11, "county": 117}
    shared = [value for value, n in Counter(table.values()).items() if n > 1]
    assert shared == []


def test_the_pairs_that_used_to_collide_are_apart() -> None:
    table = abbreviation_table()
    names = {"晋城": "140500", "晋中": "140700", "榆次": "140702", "榆社": "140721",
             "云冈": "140214", "云州": "140215", "潞州": "140403", "潞城": "140406",
             "沁县": "140430", "沁源": "140431", "五台": "140922", "五寨": "140928",
             "交城": "141122", "交口": "141130"}  # fmt: skip
    pairs = [("晋城", "晋中"), ("榆次", "榆社"), ("云冈", "云州"), ("潞州", "潞城"),
             ("沁县", "沁源"), ("五台", "五寨"), ("交城", "交口")]  # fmt: skip
    for a, b in pairs:
        assert table[names[a]] != table[names[b]], (a, b)
    assert table["140603"] == "晋朔平"  # 平鲁区, as its published decisions print it
