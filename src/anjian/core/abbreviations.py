"""The short names (简称) that head document and case numbers: （晋朔平）应急罚〔2026〕1号.

A region's default comes from `data/document_abbreviations_140000.csv`: the province's
one-character abbreviation, the city's customary character (太原 并, 大同 同, 晋城 城, 晋中 中 …)
and the county's, chosen so that no two regions share one (云冈 冈 / 云州 云, 潞州 潞 / 潞城 城,
沁县 沁 / 沁源 源, 榆次 榆 / 榆社 社, 五台 台 / 五寨 寨, 交城 交 / 交口 口). A bureau may set
its own (`Bureau.document_abbreviation`); the database refuses one another bureau uses.
Regions outside the table fall back to the first characters of the province, city and county.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from anjian.core.models import RegionLevel

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "document_abbreviations_140000.csv"

# Province abbreviations by the first two digits of the region code (GB/T 2260).
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}  # fmt: skip


@cache
def abbreviation_table() -> dict[str, str]:
    """Region code -> the default abbreviation, from the data file."""
    with ABBREVIATIONS_FILE.open(encoding="utf-8") as fh:
        return {row["code"]: row["abbreviation"] for row in csv.DictReader(fh)}


def region_abbreviation(region: Any) -> str:
    """The default abbreviation of a region (a `core.Region`)."""
    known = abbreviation_table().get(region.code)
    if known:
        return known
    province = PROVINCE_ABBREVIATIONS.get(region.code[:2], "")
    if region.level == RegionLevel.PROVINCE:
        return province
    if region.level == RegionLevel.CITY:
        return province + region.name[:1]
    city = region.parent.name[:1] if region.parent else ""
    return province + city + region.name[:1]


def bureau_abbreviation(bureau: Any) -> str:
    """The bureau's part of its document and case numbers: its own `document_abbreviation`,
    else its region's default."""
    return bureau.document_abbreviation or region_abbreviation(bureau.region)
