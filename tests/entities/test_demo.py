"""The demo data generator: deterministic, valid codes, plausible geography, import layout."""

from __future__ import annotations

import csv
import datetime
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from stdnum.cn import uscc

from anjian.entities.demo import (
    DEMO_TODAY,
    FILING_INDUSTRIES,
    INDUSTRY_LABELS,
    REGIONS_FILE,
    demo_entity_files_write,
    demo_entity_rows,
    org_code_check,
    uscc_check,
)
from anjian.entities.sectors import SUB_SECTORS

IMPORT_FORMAT = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"
COAL_CITIES = {"1402", "1404", "1405", "1406", "1411"}  # 大同, 长治, 晋城, 朔州, 吕梁
Rows = list[dict[str, str]]


def _read(path: Path) -> tuple[list[str], Rows]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _doc_tables() -> dict[str, list[str]]:
    """First column of each table in docs/import-format.md, by section title."""
    tables: dict[str, list[str]] = {}
    section = ""
    for line in IMPORT_FORMAT.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].split()[0]
        elif line.startswith("|") and section:
            first = line.split("|")[1].strip()
            if first not in {"Column", "Column (header)"} and not first.startswith("---"):
                tables.setdefault(section, []).append(first)
    return tables


def _doc_row(header: str) -> str:
    for line in IMPORT_FORMAT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1] == header:
            return line
    raise AssertionError(header)


def _doc_values(header: str) -> set[str]:
    """The comma-separated values listed in the last column of a header's row."""
    for line in IMPORT_FORMAT.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1] == header:
            listed = re.sub(r"\s*\([^)]*\)", "", cells[-2]).split(";")[0]  # drop aliases, notes
            return {v.strip() for v in listed.split(",")}
    raise AssertionError(header)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], Rows]]:
    paths = demo_entity_files_write(tmp_path_factory.mktemp("demo"), entities=5000, seed=7)
    assert set(paths) == {"entities", "licences", "filings"}
    return {kind: _read(path) for kind, path in paths.items()}


@pytest.fixture(scope="module")
def counties() -> dict[str, dict[str, str]]:
    with REGIONS_FILE.open(encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f) if r["level"] == "county"}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = demo_entity_files_write(tmp_path / "a", entities=1500, seed=1)
    b = demo_entity_files_write(tmp_path / "b", entities=1500, seed=1)
    c = demo_entity_files_write(tmp_path / "c", entities=1500, seed=2)
    for kind in ("entities", "licences", "filings"):
        assert a[kind].read_bytes() == b[kind].read_bytes()
        assert a[kind].read_bytes() != c[kind].read_bytes()
        assert a[kind].read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel


def test_a_small_run_is_a_prefix_of_a_larger_one() -> None:
    small = [row for row, _l, _f in demo_entity_rows(200, 3)]
    large = [row for row, _l, _f in demo_entity_rows(400, 3)]
    assert small == large[:200]


def test_headers_are_the_canonical_headers(demo: dict[str, tuple[list[str], Rows]]) -> None:
    tables = _doc_tables()
    assert demo["entities"][0] == tables["Entities"]
    assert demo["licences"][0] == tables["Licences"]
    assert demo["filings"][0] == tables["Filings"]


def test_credit_codes_are_valid_and_unique(demo: dict[str, tuple[list[str], Rows]]) -> None:
    codes = [r["统一社会信用代码"] for r in demo["entities"][1]]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert uscc.validate(code) == code
        assert code[:2] in {"91", "92"}
        assert org_code_check(code[8:16]) == code[16]
    assert Counter(c[:2] for c in codes)["92"] > 0  # some 个体工商户


def test_check_characters_match_the_standards() -> None:
    assert org_code_check("60003734") == "1"  # 91110000600037341L, stdnum's example
    rng = random.Random(0)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(2000):
        number = "".join(rng.choice("0123456789") for _ in range(8))
        number += "".join(rng.choice(alphabet) for _ in range(9))
        assert uscc_check(number) == uscc.calc_check_digit(number)


def test_names_are_unique(demo: dict[str, tuple[list[str], Rows]]) -> None:
    names = [r["企业名称"] for r in demo["entities"][1]]
    assert len(set(names)) == len(names)
    assert all(0 < len(n) <= 200 for n in names)
    former = [r["曾用名"] for r in demo["entities"][1] if r["曾用名"]]
    assert 0.03 < len(former) / len(names) < 0.08
    assert any("；" in f for f in former)


def test_regions_are_real_counties_matching_the_code(
    demo: dict[str, tuple[list[str], Rows]], counties: dict[str, dict[str, str]]
) -> None:
    for r in demo["entities"][1]:
        region = r["所属区县"]
        assert counties[region]["statistical_only"] == "0"
        assert r["统一社会信用代码"][2:8] == region
        assert r["注册地址"].startswith("山西省")


def test_every_city_and_most_counties_have_entities(
    demo: dict[str, tuple[list[str], Rows]], counties: dict[str, dict[str, str]]
) -> None:
    regions = Counter(r["所属区县"] for r in demo["entities"][1])
    assert {code[:4] for code in regions} == {c["parent_code"][:4] for c in counties.values()}
    assert len(regions) > 100  # of the 117 that are not statistics-only
    cities = Counter(code[:4] for code in regions.elements())
    assert cities.most_common(1)[0][0] == "1401"  # 太原 leads


def test_coal_mines_are_in_the_coal_cities(demo: dict[str, tuple[list[str], Rows]]) -> None:
    coal = [r for r in demo["entities"][1] if r["行业类别"] == "煤矿"]
    in_coal_cities = sum(r["所属区县"][:4] in COAL_CITIES for r in coal)
    assert in_coal_cities / len(coal) > 0.7
    assert all(r["重点监管"] == "是" for r in coal)


def test_industry_mix_is_plausible(demo: dict[str, tuple[list[str], Rows]]) -> None:
    rows = demo["entities"][1]
    share = {k: v / len(rows) for k, v in Counter(r["行业类别"] for r in rows).items()}
    assert set(share) == set(INDUSTRY_LABELS.values())
    assert 0.05 < share["煤矿"] < 0.09
    assert 0.12 < share["危险化学品"] < 0.18
    assert 0.01 < share["烟花爆竹"] < 0.05
    general = ("商贸", "轻工", "机械", "建材", "纺织", "烟草")
    assert 0.55 < sum(share[k] for k in general) < 0.68


def test_sub_sector_matches_industry(demo: dict[str, tuple[list[str], Rows]]) -> None:
    for r in demo["entities"][1]:
        assert INDUSTRY_LABELS[SUB_SECTORS[r["行业代码"]][1]] == r["行业类别"]


def test_names_read_like_shanxi_registrations(demo: dict[str, tuple[list[str], Rows]]) -> None:
    names = [r["企业名称"] for r in demo["entities"][1]]
    assert sum("焦煤" in n for n in names) > 10
    assert sum("化工" in n for n in names) > 50
    assert any(n.startswith("中国石化销售股份有限公司山西") for n in names)
    fireworks_shops = [
        r
        for r in demo["entities"][1]
        if r["统一社会信用代码"].startswith("92") and r["行业类别"] == "烟花爆竹"
    ]
    assert fireworks_shops
    assert all(r["企业名称"].endswith(("店", "经营部", "门市部")) for r in fireworks_shops)


def test_values_use_the_import_vocabulary(demo: dict[str, tuple[list[str], Rows]]) -> None:
    statuses, scales = _doc_values("经营状态"), _doc_values("企业规模")
    industries = _doc_values("行业类别")
    for r in demo["entities"][1]:
        assert r["行业类别"] in industries
        assert r["经营状态"] in statuses and r["企业规模"] in scales
        assert {r["重点监管"], r["新业态"], r["重大危险源"]} <= {"是", "否"}
        established = datetime.date.fromisoformat(r["成立日期"])
        assert datetime.date(1985, 1, 1) <= established <= datetime.date(2025, 12, 31)
        if r["新业态"] == "是":
            start = datetime.date.fromisoformat(r["观察期开始"])
            end = datetime.date.fromisoformat(r["观察期结束"])
            assert 2025 <= start.year <= 2026 and start < end
        else:
            assert r["观察期开始"] == r["观察期结束"] == ""
    assert Counter(r["经营状态"] for r in demo["entities"][1])["在营"] > 0.85 * 5000


def test_licences(demo: dict[str, tuple[list[str], Rows]]) -> None:
    founded = {r["统一社会信用代码"]: r["成立日期"] for r in demo["entities"][1]}
    codes = set(founded)
    licences = demo["licences"][1]
    types = _doc_values("许可证类型")
    assert {x["统一社会信用代码"] for x in licences} <= codes
    assert len({(x["许可证类型"], x["许可证编号"]) for x in licences}) == len(licences)
    days_left = []
    for x in licences:
        assert x["许可证类型"] in types
        assert x["许可证状态"] in {"有效", "暂扣", "吊销", "注销"}
        since = datetime.date.fromisoformat(x["有效期起"])
        until = datetime.date.fromisoformat(x["有效期至"])
        term = 1 if "零售" in x["许可证类型"] else 3
        leap_day = (until.month, until.day) == (2, 29)
        assert since == until.replace(year=until.year - term, day=28 if leap_day else until.day)
        assert since.isoformat() >= founded[x["统一社会信用代码"]]
        days_left.append((until - DEMO_TODAY).days)
    assert any(0 <= d <= 30 for d in days_left)
    assert any(d < 0 for d in days_left)
    assert sum(d > 90 for d in days_left) > 0.6 * len(days_left)
    safety = {x["统一社会信用代码"] for x in licences if x["许可证类型"] == "安全生产许可证"}
    operating_coal = [
        r for r in demo["entities"][1] if r["行业类别"] == "煤矿" and r["经营状态"] == "在营"
    ]
    assert all(r["统一社会信用代码"] in safety for r in operating_coal)


def test_some_operating_entities_have_not_filed(demo: dict[str, tuple[list[str], Rows]]) -> None:
    filings = demo["filings"][1]
    founded = {r["统一社会信用代码"]: r["成立日期"] for r in demo["entities"][1]}
    codes = set(founded)
    assert {f["统一社会信用代码"] for f in filings} <= codes
    assert {f["备案事项"] for f in filings} == _doc_values("备案事项")
    planned = {f["统一社会信用代码"] for f in filings if f["备案事项"] == "应急预案备案"}
    required = [
        r
        for r in demo["entities"][1]
        if r["行业类别"] in FILING_INDUSTRIES and r["经营状态"] == "在营"
    ]
    missing = [r for r in required if r["统一社会信用代码"] not in planned]
    assert 0.05 < len(missing) / len(required) < 0.3
    lapsed = 0
    for f in filings:
        filed = datetime.date.fromisoformat(f["备案日期"])
        assert founded[f["统一社会信用代码"]] <= f["备案日期"] <= DEMO_TODAY.isoformat()
        assert filed.year + 3 == int(f["有效期至"][:4])
        lapsed += f["有效期至"] < DEMO_TODAY.isoformat()
    assert 0 < lapsed < 0.25 * len(filings)  # some emergency plans have lapsed


def test_grades_and_risk_levels_are_plausible(demo: dict[str, tuple[list[str], Rows]]) -> None:
    rows = demo["entities"][1]
    grades = Counter(r["信用等级"] for r in rows)
    # A bureau's list carries the grade it once typed; the import ignores the column (credit
    # computes grades, docs/import-format.md), so the demo's files look like real ones.
    assert "Ignored" in _doc_row("信用等级")
    assert set(grades) <= {"A级", "B级", "C级", "D级", ""}
    assert grades["B级"] > 0.5 * len(rows)  # most B
    assert grades["B级"] > grades["A级"] > grades["D级"] and grades["C级"] > grades["D级"] > 0
    assert grades[""] < 0.05 * len(rows)  # a few too young to be graded
    assert {r["风险等级"] for r in rows} == _doc_values("风险等级")

    def high(selected: list[dict[str, str]]) -> float:
        return sum(r["风险等级"] in ("重大风险", "较大风险") for r in selected) / len(selected)

    coal = [r for r in rows if r["行业类别"] == "煤矿"]
    commerce = [r for r in rows if r["行业类别"] == "商贸"]
    key = [r for r in rows if r["重点监管"] == "是"]
    other = [r for r in rows if r["重点监管"] == "否"]
    assert high(coal) > 0.5 and high(key) > 2 * high(other)
    assert Counter(r["风险等级"] for r in commerce).most_common(1)[0][0] == "低风险"


def test_standardisation_grades_have_realistic_shares_and_parse() -> None:
    """Mines, chemicals and metal works mostly 三级, some 二级, 一级 rare, a third not rated;
    other industries mostly not rated; every form written is one the import reads."""
    from anjian.entities.validation import industry_parse, standardisation_grade_parse

    rows = [row for row, _l, _f in demo_entity_rows(4000, 1)]
    graded: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    for row in rows:
        industry = industry_parse(row["行业类别"])
        heavy = industry in {"coal_mine", "non_coal_mine", "hazardous_chemicals", "metallurgy",
                             "non_ferrous"}  # fmt: skip
        graded[heavy][standardisation_grade_parse(row["安全生产标准化等级"])] += 1
    heavy, light = graded[True], graded[False]
    total = sum(heavy.values())
    assert 0.4 < heavy["level_3"] / total < 0.6
    assert 0.1 < heavy["level_2"] / total < 0.25
    assert heavy["level_1"] / total < 0.04
    assert 0.2 < heavy[""] / total < 0.45
    assert light[""] / sum(light.values()) > 0.8
