"""The draw algorithm (docs/algorithms/draw.md): vectors, a second implementation, fairness.

- the Python module reproduces docs/algorithms/draw-vectors.json, and so does the JavaScript
  implementation written from the specification alone (tests/draws/reference/draw.mjs); the two
  also agree on random directories and random inspector pools;
- fairness: over 10,000 seeded draws each entity's inclusion frequency matches its declared π,
  and inspector teams are uniform among the eligible inspectors;
- the rules: avoidance, refusals with reasons, determinism, the secret's influence, overflow,
  limits, and property tests with hypothesis.

The vector file is written by this module: `.venv/bin/python -m tests.draws.test_algorithm
--write-vectors` (then check the diff: a changed expected value means a changed algorithm, which
needs a new version string).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import random
import shutil
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.draws import algorithm as alg

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "docs" / "algorithms" / "draw-vectors.json"
REFERENCE = Path(__file__).resolve().parent / "reference" / "draw.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the JavaScript reference cannot run"
)
ON = datetime.date(2027, 3, 1)


# --- the vector format (section 14) -----------------------------------------------------------


def _secret(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def _rows_json(rows: list[tuple[str, str, int, bool]]) -> list[dict[str, Any]]:
    return [{"uscc": u, "stratum": s, "weight": w, "forced": f} for u, s, w, f in rows]


def draw_output(result: alg.DrawResult, quotas: dict[str, int]) -> dict[str, Any]:
    """A Python draw in the shape of the vector file's expected outputs."""
    directory = result.directory
    return {
        "commitment": result.commitment,
        "directory_serialisation": directory.serialisation().decode(),
        "directory_hash": result.directory_hash,
        "seed": result.seed.hex(),
        "keys": {label: str(key) for label, key in result.keys.items()},
        "order_values": [
            str(v) for v in alg.stream_values(result.keys["order"], 0, min(8, len(directory)))
        ],
        "quotas": quotas,
        "strata": [
            {
                "stratum": s.stratum,
                "size": s.size,
                "quota": s.quota,
                "total_weight": str(s.total_weight),
                "forced": s.forced,
                "overflow": s.overflow,
                "certainties": s.certainties,
                "systematic_quota": s.systematic_quota,
                "systematic_weight": str(s.systematic_weight),
                "start": None if s.start is None else str(s.start),
                "selected": s.selected,
            }
            for s in result.strata
        ],
        "selection": result.selected,
        "probabilities": result.probability_texts(),
        "overflow": result.overflow,
    }


def draw_case_run(case: dict[str, Any]) -> dict[str, Any]:
    """Run a draw case (vector or random) with the Python module; {"error": …} if refused."""
    try:
        directory = alg.Directory.from_rows(
            (r["uscc"], r["stratum"], r["weight"], r["forced"]) for r in case["directory"]
        )
        if "quotas" in case:
            quotas = case["quotas"]
        else:
            quotas = alg.quotas_from_weights(directory, case["total"])
        result = alg.draw_entities(directory, quotas, secret=case["secret"])
    except alg.DrawInputError as exc:
        return {"error": str(exc)}
    return draw_output(result, quotas)


def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


def assign_case_run(case: dict[str, Any]) -> dict[str, Any]:
    try:
        inspectors = [
            alg.Inspector(
                id=i["id"],
                county=i["county"],
                specialties=frozenset(i["specialties"]),
                valid_from=_date(i["valid_from"]),
                valid_until=_date(i["valid_until"]),
                load=i["load"],
            )
            for i in case["inspectors"]
        ]
        entities = [
            alg.AssignmentEntity(
                uscc=e["uscc"],
                county=e["county"],
                specialties=frozenset(e["specialties"]),
                conflicts=frozenset(e["conflicts"]),
                last_inspectors=frozenset(e["last_inspectors"]),
            )
            for e in case["entities"]
        ]
        rules = alg.AssignmentRules(**case["rules"])
        on = datetime.date.fromisoformat(case["on"])
        digest = alg.pool_hash(inspectors, on=on, rules=rules)
        result = alg.assign_inspectors(
            entities, inspectors, on=on, rules=rules, seed=bytes.fromhex(case["seed"])
        )
    except alg.DrawInputError as exc:
        return {"error": str(exc)}
    return {
        "pool_hash": digest,
        "teams": {u: list(team) for u, team in result.teams.items()},
        "refusals": [
            {"uscc": r.uscc, "needed": r.needed, "eligible": r.eligible, "excluded": r.excluded}
            for r in result.refusals
        ],
        "loads": result.loads,
        "counter_end": result.counter_end,
    }


def quotas_case_run(case: dict[str, Any]) -> dict[str, Any]:
    try:
        directory = alg.Directory.from_rows(
            (r["uscc"], r["stratum"], r["weight"], r["forced"]) for r in case["directory"]
        )
        return {"quotas": alg.quotas_from_weights(directory, case["total"])}
    except alg.DrawInputError as exc:
        return {"error": str(exc)}


def case_run(case: dict[str, Any]) -> dict[str, Any]:
    runner = {"draw": draw_case_run, "assign": assign_case_run, "quotas": quotas_case_run}
    return runner[case["kind"]](case)


# --- the vectors ------------------------------------------------------------------------------

WORKED_EXAMPLE = [
    ("91140603MA0L000011", "coal_mine|140603", 300, False),
    ("91140603MA0L000022", "coal_mine|140603", 300, False),
    ("91140603MA0L000033", "coal_mine|140603", 1200, False),
    ("91140603MA0L000044", "coal_mine|140603", 600, False),
    ("91140603MA0L000055", "coal_mine|140603", 300, True),
    ("91140602MA0H000066", "hazardous_chemicals|140602", 500, False),
    ("91140602MA0H000077", "hazardous_chemicals|140602", 1500, False),
    ("91140602MA0H000088", "hazardous_chemicals|140602", 2000, False),
]
WORKED_QUOTAS = {"coal_mine|140603": 3, "hazardous_chemicals|140602": 1}
WORKED_SECRET = bytes(range(32)).hex()


def _pool_json(
    ident: str,
    county: str,
    specialties: list[str],
    valid_from: str | None = "2024-01-01",
    valid_until: str | None = "2029-12-31",
    load: int = 0,
) -> dict[str, Any]:
    return {
        "id": ident,
        "county": county,
        "specialties": specialties,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "load": load,
    }


def _entity_json(
    uscc: str,
    county: str,
    specialties: list[str],
    conflicts: list[str] | None = None,
    last: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "uscc": uscc,
        "county": county,
        "specialties": specialties,
        "conflicts": conflicts or [],
        "last_inspectors": last or [],
    }


WORKED_POOL = [
    _pool_json("I-0001", "140603", ["coal_mine"]),
    _pool_json("I-0002", "140602", ["coal_mine", "hazardous_chemicals"]),
    _pool_json("I-0003", "140621", ["coal_mine"]),
    _pool_json("I-0004", "140602", ["hazardous_chemicals"], valid_until="2026-12-31"),
    _pool_json("I-0005", "140622", ["hazardous_chemicals"]),
    _pool_json("I-0006", "140600", ["coal_mine", "hazardous_chemicals"], load=1),
    _pool_json("I-0007", "140621", ["hazardous_chemicals"]),
]


def _worked_assignment_entities(selection: list[str]) -> list[dict[str, Any]]:
    by_uscc = {u: (s, "140603" if "140603" in s else "140602") for u, s, _, _ in WORKED_EXAMPLE}
    out = []
    for uscc in selection:
        stratum, county = by_uscc[uscc]
        specialty = stratum.split("|")[0]
        conflicts = ["I-0003"] if uscc.endswith("33") else []
        out.append(_entity_json(uscc, county, [specialty], conflicts, ["I-0006"]))
    return out


def _random_directory(rng: random.Random, size: int, strata: int) -> list[tuple[Any, ...]]:
    keys = [f"s{h}|14{rng.randrange(10000):04d}" for h in range(strata)]
    rows = []
    for i in rng.sample(range(10**6), size):
        weight = rng.choice([1, 2, 3, 10, 100, 500, 2000, rng.randrange(1, 2**32)])
        rows.append((f"9114{i:014d}", rng.choice(keys), weight, rng.random() < 0.08))
    return rows


def build_vectors() -> dict[str, Any]:
    """The content of docs/algorithms/draw-vectors.json, computed by the Python module."""
    keys = [0, 1, alg.GOLDEN, alg.MASK64, 0x0123456789ABCDEF]
    vectors: dict[str, Any] = {"version": alg.VERSION}
    vectors["mix64"] = [
        {"in": str(z), "out": str(alg.mix64(z))} for z in [0, 1, 2, alg.GOLDEN, alg.MASK64]
    ]
    vectors["streams"] = [
        {"key": str(k), "values": [str(v) for v in alg.stream_values(k, 0, 6)]} for k in keys
    ]
    uniform = []
    for stream, m in [(0, 1), (1, 2), (2, 3), (3, 10), (4, 5000), (5, 2**63 + 1), (6, 2**64 - 1)]:
        counter, results = 0, []
        for _ in range(8):
            r, counter = alg.uniform_below(stream, counter, m)
            results.append(str(r))
        uniform.append(
            {"key": str(stream), "m": str(m), "results": results, "counter_end": counter}
        )
    vectors["uniform_below"] = uniform

    quota_cases = [
        ("proportional", [("a", 10, 100), ("b", 10, 300), ("c", 10, 600)], 10),
        ("ties-by-key", [("b", 5, 5), ("a", 5, 5), ("c", 5, 5)], 4),
        ("capped-then-tied", [("big", 2, 1000), ("small", 50, 60), ("mid", 50, 180)], 12),
        ("unicode-keys", [("煤矿|140603", 4, 7), ("\U00020000", 4, 7), ("\uff5e", 4, 7)], 2),
        ("zero", [("a", 3, 5), ("b", 3, 5)], 0),
    ]
    vectors["quotas"] = []
    for name, strata, total in quota_cases:
        rows = []
        for number, (key, size, weight) in enumerate(strata):
            rows += [(f"{name}-{number}-{i}", key, 1, False) for i in range(size - 1)]
            rows.append((f"{name}-{number}-last", key, weight - (size - 1), False))
        directory = alg.Directory.from_rows(rows)
        vectors["quotas"].append(
            {
                "name": name,
                "strata": [{"stratum": k, "size": n, "weight": str(w)} for k, n, w in strata],
                "total": total,
                "quotas": alg.quotas_from_weights(directory, total),
            }
        )

    rng = random.Random(20261125)
    draw_cases: list[dict[str, Any]] = [
        {
            "name": "worked-example",
            "secret": WORKED_SECRET,
            "directory": _rows_json(WORKED_EXAMPLE),
            "quotas": WORKED_QUOTAS,
        },
        {
            "name": "quotas-from-total",
            "secret": _secret("quotas-from-total"),
            "directory": _rows_json(_random_directory(rng, 24, 3)),
            "total": 7,
        },
        {
            "name": "forced-overflow",
            "secret": _secret("forced-overflow"),
            "directory": _rows_json(
                [(f"9114000000000000{i:02d}", "fireworks|140603", 10 + i, i < 4) for i in range(9)]
                + [(f"9114000000000001{i:02d}", "metallurgy|140602", 5, i == 0) for i in range(5)]
            ),
            "quotas": {"fireworks|140603": 2, "metallurgy|140602": 1},
        },
        {
            "name": "certainty-cascade",
            "secret": _secret("certainty-cascade"),
            "directory": _rows_json(
                [
                    (f"91140000000000{i:04d}", "coal_mine|140211", w, False)
                    for i, w in enumerate([1000, 400, 60, 50, 40, 30, 20, 10, 5, 5])
                ]
            ),
            "quotas": {"coal_mine|140211": 4},
        },
        {
            "name": "utf8-order",
            "secret": _secret("utf8-order"),
            "directory": _rows_json(
                [(f"A{i:03d}", "\U00020000", 1 + i % 3, False) for i in range(6)]
                + [(f"B{i:03d}", "\uff5e", 2, False) for i in range(6)]
                + [(f"C{i:03d}", "煤矿|140603", 1 + i, False) for i in range(6)]
                + [("a-lower", "\uff5e", 9, False), ("Z~", "煤矿|140603", 3, True)]
            ),
            "quotas": {"\U00020000": 2, "\uff5e": 3, "煤矿|140603": 0},
        },
        {
            "name": "everything-selected",
            "secret": _secret("everything"),
            "directory": _rows_json([(f"E{i}", "all", 1 + 7 * i, i == 2) for i in range(5)]),
            "quotas": {"all": 5},
        },
        {"name": "empty-directory", "secret": _secret("empty"), "directory": [], "quotas": {}},
        {
            "name": "random-60",
            "secret": _secret("random-60"),
            "directory": _rows_json(_random_directory(rng, 60, 4)),
            "total": 15,
        },
    ]
    vectors["draws"] = []
    for case in draw_cases:
        expected = draw_case_run({"kind": "draw", **case})
        if len(case["directory"]) > 30:
            del expected["directory_serialisation"]
        vectors["draws"].append({**case, "expected": expected})

    worked_selection = draw_case_run({"kind": "draw", **draw_cases[0]})["selection"]
    worked_seed = draw_case_run({"kind": "draw", **draw_cases[0]})["seed"]
    sparse_pool = [
        _pool_json(f"P{i:03d}", "140603" if i % 20 else "140211", ["general"]) for i in range(32)
    ]
    assign_cases: list[dict[str, Any]] = [
        {
            "name": "worked-example",
            "seed": worked_seed,
            "on": "2027-03-01",
            "rules": {"per_entity": 2, "avoid_own_county": True, "max_per_inspector": 2},
            "inspectors": WORKED_POOL,
            "entities": _worked_assignment_entities(worked_selection),
        },
        {
            "name": "refusals-with-reasons",
            "seed": _secret("refusals"),
            "on": "2027-03-01",
            "rules": {"per_entity": 3, "avoid_own_county": True, "max_per_inspector": 1},
            "inspectors": [
                _pool_json("A1", "140603", ["coal_mine"]),
                _pool_json("A2", "140211", ["coal_mine"]),
                _pool_json("A3", "140211", ["coal_mine"], valid_from="2027-03-02"),
                _pool_json("A4", "140212", ["coal_mine", "fireworks"]),
                _pool_json("A5", "140213", ["coal_mine"]),
                _pool_json("A6", "140214", ["fireworks"]),
                _pool_json("A7", "140215", ["coal_mine"], load=1),
            ],
            "entities": [
                _entity_json("X1", "140211", ["coal_mine"], ["A4"]),
                _entity_json("X2", "140603", ["coal_mine"], [], ["A5"]),
                _entity_json("X3", "140603", ["coal_mine"]),
                _entity_json("X4", "140603", ["fireworks"]),
            ],
        },
        {
            "name": "rejection-heavy",
            "seed": _secret("rejection-heavy"),
            "on": "2027-03-01",
            "rules": {"per_entity": 2, "avoid_own_county": True, "max_per_inspector": None},
            "inspectors": sparse_pool,
            "entities": [
                _entity_json(f"R{i}", "140603", ["general"], ["P000"] if i == 1 else [])
                for i in range(4)
            ],
        },
        {
            "name": "no-avoidance-no-limit",
            "seed": _secret("open"),
            "on": "2027-03-01",
            "rules": {"per_entity": 4, "avoid_own_county": False, "max_per_inspector": None},
            "inspectors": [
                _pool_json(f"Q{i}", "140603", [], valid_from=None, valid_until=None)
                for i in range(9)
            ],
            "entities": [_entity_json(f"S{i}", "140603", []) for i in range(5)],
        },
    ]
    vectors["assignments"] = [{**case, "expected": assign_case_run(case)} for case in assign_cases]

    good = _rows_json([("U1", "a", 1, False), ("U2", "a", 2, False)])
    errors: list[dict[str, Any]] = [
        {"name": "duplicate-uscc", "directory": [*good, good[0]], "quotas": {"a": 1}},
        {"name": "weight-zero", "directory": [{**good[0], "weight": 0}], "quotas": {}},
        {"name": "weight-2^32", "directory": [{**good[0], "weight": 2**32}], "quotas": {}},
        {"name": "uscc-with-space", "directory": [{**good[0], "uscc": "U 1"}], "quotas": {}},
        {"name": "stratum-with-tab", "directory": [{**good[0], "stratum": "a\tb"}], "quotas": {}},
        {"name": "quota-above-size", "directory": good, "quotas": {"a": 3}},
        {"name": "negative-quota", "directory": good, "quotas": {"a": -1}},
        {"name": "unknown-stratum", "directory": good, "quotas": {"b": 0}},
        {"name": "short-secret", "directory": good, "quotas": {"a": 1}, "secret": "ab" * 31},
        {"name": "total-above-size", "directory": good, "total": 3},
    ]
    for case in errors:
        case.setdefault("secret", WORKED_SECRET)
        case["kind"] = "draw"
    base = vectors["assignments"][0]
    assign_errors: list[dict[str, Any]] = [
        {"name": "one-inspector-per-entity", "rules": {**base["rules"], "per_entity": 1}},
        {"name": "max-zero", "rules": {**base["rules"], "max_per_inspector": 0}},
        {"name": "duplicate-inspector", "inspectors": [*WORKED_POOL, WORKED_POOL[0]]},
        {"name": "negative-load", "inspectors": [{**WORKED_POOL[0], "load": -1}]},
        {"name": "comma-in-specialty", "inspectors": [{**WORKED_POOL[0], "specialties": ["a,b"]}]},
    ]
    for change in assign_errors:
        errors.append(
            {
                "kind": "assign",
                **{k: base[k] for k in ("seed", "on", "rules", "inspectors", "entities")},
                **change,
            }
        )
    vectors["errors"] = errors
    return vectors


def vectors_write() -> None:
    text = json.dumps(build_vectors(), ensure_ascii=False, indent=1) + "\n"
    VECTORS.write_text(text, encoding="utf-8")


def _load_vectors() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return data


# --- the Python module against the vectors ----------------------------------------------------


def test_splitmix64_is_the_classic_generator() -> None:
    # The first outputs of SplitMix64 seeded with 0 (Steele, Lea and Flood; Vigna's C code).
    assert alg.stream_value(0, 0) == 0xE220A8397B1DCDAF
    assert alg.stream_value(0, 1) == 0x6E789E6AA1B965F4
    assert alg.stream_value(0, 2) == 0x06C45D188009454F
    assert alg.stream_values(0, 0, 3).tolist() == [alg.stream_value(0, i) for i in range(3)]
    big = alg.stream_values_at(alg.MASK64, np.array([0, 10**6, 2**40], dtype=np.uint64))
    assert big.tolist() == [alg.stream_value(alg.MASK64, i) for i in (0, 10**6, 2**40)]


def test_python_reproduces_every_vector() -> None:
    vectors = _load_vectors()
    assert vectors == build_vectors(), "rewrite with --write-vectors and review the diff"
    for case in vectors["draws"]:
        got = draw_case_run({"kind": "draw", **case})
        for field, want in case["expected"].items():
            assert got[field] == want, (case["name"], field)
    for case in vectors["errors"]:
        assert "error" in case_run(case), case["name"]


def test_the_worked_example_in_the_document_is_the_vector() -> None:
    text = (ROOT / "docs" / "algorithms" / "draw.md").read_text(encoding="utf-8")
    case = _load_vectors()["draws"][0]
    assert case["name"] == "worked-example"
    expected = case["expected"]
    for value in (
        expected["directory_hash"],
        expected["seed"],
        expected["commitment"],
        expected["keys"]["order"],
        *expected["selection"],
    ):
        assert value in text


# --- the second implementation ----------------------------------------------------------------


def _node(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(  # noqa: S603 (a fixed program and file of this repository)
        [NODE, str(REFERENCE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@needs_node
def test_javascript_reproduces_every_vector() -> None:
    done = _node("vectors", str(VECTORS))
    report = json.loads(done.stdout)
    assert done.returncode == 0 and not report["failures"], report["failures"][:3]
    assert report["passed"] > 100


def _random_draw_case(rng: random.Random) -> dict[str, Any]:
    size = rng.choice([1, 2, 5, 20, 80, 300])
    rows = _random_directory(rng, size, rng.randint(1, 5))
    case: dict[str, Any] = {
        "kind": "draw",
        "secret": "".join(rng.choice("0123456789abcdef") for _ in range(64)),
        "directory": _rows_json(rows),
    }
    if rng.random() < 0.5:
        case["total"] = rng.randint(0, size)
    else:
        sizes = Counter(r[1] for r in rows)
        case["quotas"] = {k: rng.choice([0, rng.randint(0, n), n]) for k, n in sizes.items()}
    return case


def _random_assign_case(rng: random.Random) -> dict[str, Any]:
    counties = ["140211", "140212", "140603", "140602"]
    specialties = ["coal_mine", "fireworks", "general"]
    n_inspectors = rng.choice([2, 5, 12, 40])
    inspectors = []
    for i in range(n_inspectors):
        inspectors.append(
            _pool_json(
                f"J{i:03d}",
                rng.choice(counties),
                rng.sample(specialties, rng.randint(0, 3)),
                rng.choice([None, "2026-01-01", "2027-03-01", "2027-03-02"]),
                rng.choice([None, "2027-02-28", "2027-03-01", "2030-01-01"]),
                rng.choice([0, 0, 1, 3]),
            )
        )
    ids = [i["id"] for i in inspectors] + ["GONE"]
    entities = [
        _entity_json(
            f"E{rng.randrange(10**6):06d}-{e}",
            rng.choice(counties),
            rng.sample(specialties, rng.choice([0, 1, 1, 2])),
            rng.sample(ids, rng.randint(0, 2)),
            rng.sample(ids, rng.randint(0, 3)),
        )
        for e in range(rng.choice([1, 5, 30, 120]))
    ]
    return {
        "kind": "assign",
        "seed": _secret(str(rng.random())),
        "on": "2027-03-01",
        "rules": {
            "per_entity": rng.choice([2, 2, 3]),
            "avoid_own_county": rng.random() < 0.7,
            "max_per_inspector": rng.choice([None, 1, 2, 5, 30]),
        },
        "inspectors": inspectors,
        "entities": entities,
    }


@needs_node
def test_javascript_and_python_agree_on_random_inputs() -> None:
    rng = random.Random(8)
    cases = [_random_draw_case(rng) for _ in range(150)]
    cases += [_random_assign_case(rng) for _ in range(150)]
    done = _node("run", stdin=json.dumps({"cases": cases}))
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["results"]
    refused = 0
    for case, theirs in zip(cases, results, strict=True):
        ours = case_run(case)
        if "error" in ours or "error" in theirs:
            refused += 1
            assert "error" in ours and "error" in theirs, (case, ours, theirs)
            continue
        assert ours == theirs, json.dumps(case)[:2000]
    assert refused < 10
    teams = sum(len(r.get("teams", {})) for r in results)
    refusals = sum(len(r.get("refusals", [])) for r in results)
    assert teams > 500 and refusals > 200  # both paths are exercised


# --- fairness (section 15) --------------------------------------------------------------------

FAIRNESS_DRAWS = 10_000


def fairness_directory() -> tuple[alg.Directory, dict[str, int]]:
    """40 entities in 2 strata, mixed weights, one forced and one certainty."""
    weights_a = [60, 1, 2, 3, 5, 8, 13, 21, 1, 2, 3, 5, 8, 13, 21, 4, 4, 4, 4, 6, 6, 6, 9, 9, 9]
    weights_b = [50, 50, 100, 100, 200, 200, 300, 300, 400, 400, 10, 10, 20, 20, 500]
    rows = [(f"A{i:02d}", "coal_mine|140603", w, i == 3) for i, w in enumerate(weights_a)]
    rows += [(f"B{i:02d}", "hazardous_chemicals|140602", w, False) for i, w in enumerate(weights_b)]
    directory = alg.Directory.from_rows(rows)
    return directory, {"coal_mine|140603": 8, "hazardous_chemicals|140602": 5}


def _binomial_two_sided_p(k: int, n: int, p: float) -> float:
    """Exact two-sided binomial test (the probabilities no larger than that of k)."""
    log_p, log_q = math.log(p), math.log1p(-p)
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(j + 1)
        - math.lgamma(n - j + 1)
        + j * log_p
        + (n - j) * log_q
        for j in range(n + 1)
    ]
    observed = logs[k]
    return min(1.0, sum(math.exp(x) for x in logs if x <= observed + 1e-9))


def _chi2_sf(x: float, df: int) -> float:
    """P(χ²_df > x), the regularised upper incomplete gamma Q(df/2, x/2)."""
    a, y = df / 2, x / 2
    if y < a + 1:  # series for P, then Q = 1 - P
        term = total = 1 / a
        n = a
        while term > total * 1e-15:
            n += 1
            term *= y / n
            total += term
        return 1 - total * math.exp(-y + a * math.log(y) - math.lgamma(a))
    b, c, d = y + 1 - a, 1e300, 1 / (y + 1 - a)  # continued fraction for Q (Lentz)
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return math.exp(-y + a * math.log(y) - math.lgamma(a)) * h


def test_chi2_survival_function() -> None:
    # Closed forms: df = 2 is exp(-x/2); and the 0.1 % point of χ²_55 is 93.17.
    assert _chi2_sf(3.0, 2) == pytest.approx(math.exp(-1.5), rel=1e-12)
    assert _chi2_sf(93.17, 55) == pytest.approx(0.001, rel=0.01)
    assert _chi2_sf(10.0, 55) == pytest.approx(1.0, abs=1e-9)


def sampling_fairness() -> dict[str, Any]:
    directory, quotas = fairness_directory()
    counts = np.zeros(len(directory), dtype=np.int64)
    pi: np.ndarray | None = None
    for d in range(FAIRNESS_DRAWS):
        result = alg.draw_entities(directory, quotas, secret=_secret(f"fairness-{d}"))
        counts += result.selected_mask
        if pi is None:
            pi = result.probabilities
    assert pi is not None
    p_values = {}
    z = {}
    for i, uscc in enumerate(directory.usccs):
        p, k = float(pi[i]), int(counts[i])
        if p in (0.0, 1.0):
            assert k == FAIRNESS_DRAWS * p, uscc
            continue
        p_values[uscc] = _binomial_two_sided_p(k, FAIRNESS_DRAWS, p)
        z[uscc] = (k - FAIRNESS_DRAWS * p) / math.sqrt(FAIRNESS_DRAWS * p * (1 - p))
    return {
        "tested": len(p_values),
        "min_p": min(p_values.values()),
        "bonferroni_min_p": min(1.0, min(p_values.values()) * len(p_values)),
        "max_abs_z": max(abs(v) for v in z.values()),
        "sum_z2": sum(v * v for v in z.values()),
    }


def test_inclusion_frequencies_match_the_declared_probabilities() -> None:
    """Per-entity exact binomial tests over 10,000 draws with different secrets, Bonferroni
    corrected; the family-wise significance level is 0.001 (docs/algorithms/draw.md §15)."""
    numbers = sampling_fairness()
    assert numbers["tested"] == 38  # 40 less the forced and the certainty
    assert numbers["bonferroni_min_p"] > 0.001, numbers


def fairness_pool() -> tuple[list[alg.Inspector], alg.AssignmentEntity]:
    """14 inspectors of whom exactly 8 are eligible for the entity."""
    valid = {"valid_from": datetime.date(2024, 1, 1), "valid_until": datetime.date(2029, 12, 31)}
    pool = [
        alg.Inspector(id=f"K{i:02d}", county=f"1402{i:02d}", specialties=frozenset({"coal_mine"}))
        for i in range(8)
    ]
    pool += [
        alg.Inspector(id="X-county", county="140603", specialties=frozenset({"coal_mine"})),
        alg.Inspector(id="X-conflict", county="140300", specialties=frozenset({"coal_mine"})),
        alg.Inspector(id="X-last", county="140301", specialties=frozenset({"coal_mine"})),
        alg.Inspector(id="X-specialty", county="140302", specialties=frozenset({"fireworks"})),
        alg.Inspector(
            id="X-expired",
            county="140303",
            specialties=frozenset({"coal_mine"}),
            valid_until=datetime.date(2027, 2, 28),
        ),
        alg.Inspector(id="X-busy", county="140304", specialties=frozenset({"coal_mine"}), load=5),
    ]
    pool = [
        alg.Inspector(**{**i.__dict__, **(valid if i.valid_until is None else {})}) for i in pool
    ]
    entity = alg.AssignmentEntity(
        uscc="91140603MA0L000011",
        county="140603",
        specialties=frozenset({"coal_mine"}),
        conflicts=frozenset({"X-conflict"}),
        last_inspectors=frozenset({"X-last"}),
    )
    return pool, entity


def assignment_fairness() -> dict[str, Any]:
    pool, entity = fairness_pool()
    rules = alg.AssignmentRules(per_entity=2, max_per_inspector=5)
    ordered_pairs: Counter[tuple[str, ...]] = Counter()
    for d in range(FAIRNESS_DRAWS):
        result = alg.assign_inspectors(
            [entity], pool, on=ON, rules=rules, seed=bytes.fromhex(_secret(f"team-{d}"))
        )
        ordered_pairs[result.teams[entity.uscc]] += 1
    eligible = [i.id for i in pool if i.id.startswith("K")]
    cells = [(a, b) for a in eligible for b in eligible if a != b]
    assert set(ordered_pairs) <= set(cells)
    expected = FAIRNESS_DRAWS / len(cells)
    chi2 = sum((ordered_pairs[c] - expected) ** 2 / expected for c in cells)
    per_inspector = Counter(i for pair in ordered_pairs.elements() for i in pair)
    expected_each = 2 * FAIRNESS_DRAWS / len(eligible)
    chi2_each = sum((per_inspector[i] - expected_each) ** 2 / expected_each for i in eligible)
    return {
        "cells": len(cells),
        "chi2": chi2,
        "p": _chi2_sf(chi2, len(cells) - 1),
        "per_inspector": dict(sorted(per_inspector.items())),
        "chi2_per_inspector": chi2_each,
    }


def test_teams_are_uniform_among_eligible_inspectors() -> None:
    """Ordered pairs (first choice, second choice) over 10,000 seeds: 56 cells, χ² with 55
    degrees of freedom, significance 0.001; the 6 excluded inspectors never appear."""
    numbers = assignment_fairness()
    assert numbers["cells"] == 56
    assert numbers["p"] > 0.001, numbers


# --- the rules --------------------------------------------------------------------------------


def _assign(
    entities: list[alg.AssignmentEntity],
    pool: list[alg.Inspector],
    seed: str = "rules",
    **rules: Any,
) -> alg.AssignmentResult:
    return alg.assign_inspectors(
        entities,
        pool,
        on=ON,
        rules=alg.AssignmentRules(**rules),
        seed=bytes.fromhex(_secret(seed)),
    )


def test_every_avoidance_rule_excludes_what_it_should() -> None:
    pool, entity = fairness_pool()
    seen: Counter[str] = Counter()
    for d in range(300):
        result = _assign([entity], pool, seed=f"avoid-{d}", max_per_inspector=5)
        seen.update(result.teams[entity.uscc])
    assert set(seen) == {f"K{i:02d}" for i in range(8)}
    # With the county rule off, the same-county inspector becomes eligible; nothing else does.
    seen_open: Counter[str] = Counter()
    for d in range(300):
        result = _assign(
            [entity], pool, seed=f"avoid-{d}", max_per_inspector=5, avoid_own_county=False
        )
        seen_open.update(result.teams[entity.uscc])
    assert set(seen_open) == {f"K{i:02d}" for i in range(8)} | {"X-county"}
    # Without a workload limit the busy inspector is eligible too.
    seen_unlimited: Counter[str] = Counter()
    for d in range(300):
        result = _assign([entity], pool, seed=f"avoid-{d}")
        seen_unlimited.update(result.teams[entity.uscc])
    assert "X-busy" in seen_unlimited and "X-county" not in seen_unlimited


def test_the_workload_limit_counts_this_draws_assignments() -> None:
    pool = [alg.Inspector(id=f"W{i}", county="140211") for i in range(4)]
    entities = [alg.AssignmentEntity(uscc=f"E{i}", county="140603") for i in range(3)]
    result = _assign(entities, pool, max_per_inspector=1)
    assert list(result.teams) == ["E0", "E1"]
    assert sorted(result.teams["E0"] + result.teams["E1"]) == ["W0", "W1", "W2", "W3"]
    assert result.refusals[0].uscc == "E2"
    assert result.refusals[0].excluded["workload"] == 4
    assert result.loads == {f"W{i}": 1 for i in range(4)}


def test_a_pool_that_cannot_satisfy_the_rules_is_refused_with_reasons() -> None:
    pool, entity = fairness_pool()
    strict = alg.AssignmentEntity(
        uscc=entity.uscc,
        county=entity.county,
        specialties=entity.specialties,
        conflicts=frozenset({f"K{i:02d}" for i in range(7)} | {"X-conflict"}),
        last_inspectors=entity.last_inspectors,
    )
    other = alg.AssignmentEntity(uscc="91140603MA0L000099", county="140211")
    alone = _assign([other], pool, seed="refuse", max_per_inspector=5)
    both = _assign([strict, other], pool, seed="refuse", max_per_inspector=5)
    assert strict.uscc not in both.teams  # never a partial team
    (refusal,) = both.refusals
    assert refusal == alg.AssignmentRefusal(
        uscc=strict.uscc,
        needed=2,
        eligible=1,
        excluded={
            "specialty": 1,
            "certificate": 1,
            "own_county": 1,
            "conflict": 8,
            "last_inspector": 1,
            "workload": 1,
        },
    )
    assert sum(refusal.excluded.values()) + refusal.eligible == len(pool)
    # The refused entity read no value: the next entity's team is as if it were absent.
    assert both.teams == alone.teams and both.counter_end == alone.counter_end
    # The rules are not bent: three per entity is refused even though two would be possible.
    three = _assign([entity], pool, seed="refuse", per_entity=3, max_per_inspector=5)
    assert three.teams[entity.uscc] and len(three.teams[entity.uscc]) == 3
    nine = _assign([entity], pool, seed="refuse", per_entity=9, max_per_inspector=5)
    assert not nine.teams and nine.refusals[0].eligible == 8


def test_the_same_inputs_give_the_same_draw() -> None:
    directory, quotas = fairness_directory()
    first = alg.draw_entities(directory, quotas, secret=_secret("same"))
    again = alg.draw_entities(
        alg.Directory.from_rows(
            reversed(
                [
                    (u, s, int(w), bool(f))
                    for u, s, w, f in zip(
                        directory.usccs,
                        directory.strata,
                        directory.weights,
                        directory.forced,
                        strict=True,
                    )
                ]
            )
        ),
        dict(reversed(quotas.items())),
        secret=_secret("same").upper(),
    )
    assert first.selected == again.selected
    assert first.seed == again.seed and first.directory_hash == again.directory_hash
    assert first.probability_texts() == again.probability_texts()


def test_one_byte_of_the_secret_changes_the_selection() -> None:
    rng = random.Random(3)
    rows = [(f"U{i:04d}", f"s{i % 4}", rng.randint(1, 50), False) for i in range(2000)]
    directory = alg.Directory.from_rows(rows)
    quotas = alg.quotas_from_weights(directory, 100)
    secret = _secret("one-byte")
    base = alg.draw_entities(directory, quotas, secret=secret)
    for position in range(32):
        changed = bytearray.fromhex(secret)
        changed[position] ^= 0x01
        other = alg.draw_entities(directory, quotas, secret=changed.hex())
        assert other.seed != base.seed
        assert other.selected != base.selected, position
        overlap = len(set(other.selected) & set(base.selected))
        assert overlap < 0.3 * len(base.selected)  # not a small perturbation either


def test_the_directory_hash_covers_every_field() -> None:
    rows = [("U1", "a", 3, False), ("U2", "a", 5, True)]
    base = alg.Directory.from_rows(rows).hash
    for changed in (
        [("U1", "a", 3, False), ("U2", "a", 5, False)],
        [("U1", "a", 4, False), ("U2", "a", 5, True)],
        [("U1", "b", 3, False), ("U2", "a", 5, True)],
        [("U0", "a", 3, False), ("U2", "a", 5, True)],
        [("U2", "a", 5, True)],
    ):
        assert alg.Directory.from_rows(changed).hash != base
    text = alg.Directory.from_rows(rows).serialisation()
    assert text == b"anjian-draw-v1 directory\nU1\ta\t3\t0\nU2\ta\t5\t1\n"


def test_forced_entities_beyond_the_quota_are_all_taken_and_reported() -> None:
    rows = [(f"F{i}", "h", 10, i < 5) for i in range(12)] + [("G1", "g", 1, True)]
    directory = alg.Directory.from_rows(rows)
    result = alg.draw_entities(directory, {"h": 3, "g": 1}, secret=_secret("overflow"))
    assert result.selected == ["F0", "F1", "F2", "F3", "F4", "G1"]
    assert result.overflow == 2
    h = next(s for s in result.strata if s.stratum == "h")
    assert (h.overflow, h.selected, h.start, h.systematic_quota) == (2, 5, None, 0)
    assert all(result.probability(f"F{i}") == (1 if i < 5 else 0) for i in range(12))


def test_commitment() -> None:
    secret = alg.secret_new()
    commitment = alg.secret_commitment(secret)
    assert commitment == hashlib.sha256(bytes.fromhex(secret)).hexdigest()
    assert alg.commitment_check(secret, commitment)
    assert alg.commitment_check(secret.upper(), commitment.upper())
    assert not alg.commitment_check(_secret("other"), commitment)
    assert not alg.commitment_check("not hex", commitment)


def test_inputs_beyond_the_int64_bound_are_refused() -> None:
    n = 50_000
    usccs = [f"U{i:07d}" for i in range(n)]
    weights = np.full(n, alg.MAX_WEIGHT, dtype=np.int64)
    directory = alg.Directory.from_columns(usccs, ["big"] * n, weights)
    # W = 50,000 · (2^32 − 1) ≈ 2.1·10^14; n·W < 2^63 up to n ≈ 42,900.
    limit = alg.INT64_MAX // directory.stratum_weights["big"]
    alg.draw_entities(directory, {"big": limit}, secret=_secret("bound"))
    with pytest.raises(alg.DrawInputError, match="2\\^63"):
        alg.draw_entities(directory, {"big": limit + 1}, secret=_secret("bound"))


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ((["U1", "U1"], ["a", "a"], [1, 1]), "duplicate"),
        ((["U1"], ["a"], [1.5]), "integer"),
        ((["U1"], ["a"], ["1"]), "integer"),
        ((["U1"], ["a"], [0]), "integer"),
        ((["U1\nU2"], ["a"], [1]), "printable"),
        ((["U1"], [""], [1]), "stratum"),
        ((["U1", "U2"], ["a"], [1, 1]), "length"),
    ],
)
def test_bad_directories_are_refused(columns: tuple[Any, ...], message: str) -> None:
    with pytest.raises(alg.DrawInputError, match=message):
        alg.Directory.from_columns(*columns)


def test_large_directory_sorted_or_not_gives_the_same_result() -> None:
    rng = np.random.default_rng(5)
    n = 20_000
    usccs = [f"9114{i:014d}" for i in rng.permutation(n).tolist()]
    strata = [f"s{i % 7}" for i in range(n)]
    weights = rng.integers(1, 5000, n)
    forced = rng.random(n) < 0.002
    shuffled = alg.Directory.from_columns(usccs, strata, weights, forced)
    order = sorted(range(n), key=usccs.__getitem__)
    ordered = alg.Directory.from_columns(
        [usccs[i] for i in order], [strata[i] for i in order], weights[order], forced[order]
    )
    assert shuffled.hash == ordered.hash
    quotas = alg.quotas_from_weights(ordered, 1000)
    a = alg.draw_entities(shuffled, quotas, secret=_secret("big"))
    b = alg.draw_entities(ordered, quotas, secret=_secret("big"))
    assert a.selected == b.selected and len(a.selected) == 1000 + a.overflow


# --- properties -------------------------------------------------------------------------------


@st.composite
def directories(draw: st.DrawFn) -> tuple[alg.Directory, dict[str, int], str]:
    n = draw(st.integers(1, 60))
    strata = draw(st.integers(1, 4))
    rows = []
    for i in range(n):
        rows.append(
            (
                f"U{i:03d}",
                f"h{draw(st.integers(0, strata - 1))}",
                draw(st.one_of(st.integers(1, 20), st.integers(1, alg.MAX_WEIGHT))),
                draw(st.booleans()) and draw(st.booleans()),
            )
        )
    directory = alg.Directory.from_rows(rows)
    quotas = {key: draw(st.integers(0, size)) for key, size in directory.stratum_sizes.items()}
    secret = draw(st.binary(min_size=32, max_size=32)).hex()
    return directory, quotas, secret


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(directories())
def test_probabilities_add_up_to_the_quota_and_the_selection_has_its_size(
    case: tuple[alg.Directory, dict[str, int], str],
) -> None:
    directory, quotas, secret = case
    result = alg.draw_entities(directory, quotas, secret=secret)
    selected = set(result.selected)
    for stratum in result.strata:
        members = [
            u
            for u, s in zip(directory.usccs, directory.strata, strict=True)
            if s == stratum.stratum
        ]
        total = sum((result.probability(u) for u in members), Fraction(0))
        chosen = [u for u in members if u in selected]
        assert len(chosen) == max(stratum.quota, stratum.forced) == stratum.selected
        if stratum.overflow == 0:
            assert total == stratum.quota
        else:
            assert total == stratum.forced
        for u in members:
            p = result.probability(u)
            assert 0 <= p <= 1
            if u in selected:
                assert p > 0
            if p == 1:
                assert u in selected
    assert len(result.selected) == sum(s.selected for s in result.strata)


@settings(max_examples=200, deadline=None)
@given(directories(), st.data())
def test_quotas_from_weights_add_up_and_respect_sizes(
    case: tuple[alg.Directory, dict[str, int], str], data: st.DataObject
) -> None:
    directory = case[0]
    total = data.draw(st.integers(0, len(directory)))
    quotas = alg.quotas_from_weights(directory, total)
    assert sum(quotas.values()) == total
    assert all(0 <= quotas[h] <= directory.stratum_sizes[h] for h in quotas)
    weights = directory.stratum_weights
    w_total = sum(weights.values())
    for h, q in quotas.items():  # never below the floor of the share unless capped
        if q < directory.stratum_sizes[h]:
            assert q >= total * weights[h] // w_total


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-vectors"]:
        vectors_write()
    elif sys.argv[1:] == ["--fairness"]:
        print(json.dumps({"sampling": sampling_fairness(), "assignment": assignment_fairness()}))
    else:
        print("usage: python -m tests.draws.test_algorithm --write-vectors | --fairness")


def test_inclusion_probabilities_need_no_secret_and_equal_the_draws() -> None:
    """π depends on the directory and the quotas only: published at commitment, it is what
    any secret's draw then uses; and a directory read back from its bytes hashes to them."""
    rng = np.random.default_rng(7)
    n = 300
    directory = alg.Directory.from_columns(
        [f"91140000MA{i:08d}" for i in range(n)],
        [f"s{i % 3}" for i in range(n)],
        rng.integers(1, 5000, n).tolist(),
        (rng.random(n) < 0.02).tolist(),
    )
    quotas = alg.quotas_from_weights(directory, 40)
    numerators, denominators = alg.inclusion_probabilities(directory, quotas)
    for secret in ("0" * 64, "ab" * 32):
        result = alg.draw_entities(directory, quotas, secret=secret)
        assert (result.raw_numerators == numerators).all()
        assert (result.raw_denominators == denominators).all()
    data = directory.serialisation()
    again = alg.Directory.from_serialisation(data)
    assert again.usccs == directory.usccs and again.hash == hashlib.sha256(data).digest()
    assert again.hash == directory.hash


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7F), max_size=70),
            st.text(max_size=5),  # newlines, control and non-ASCII characters
            st.from_regex(r"[0-9A-HJ-NPQRTUWXY]{18}", fullmatch=True),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_whole_column_check_accepts_exactly_what_the_one_by_one_check_accepts(ids) -> None:
    one_by_one = all(alg._ID_RE.fullmatch(u) for u in ids)
    assert alg._all_ids("\n".join(ids), len(ids)) == one_by_one
    if not one_by_one:
        with pytest.raises(alg.DrawInputError):
            alg.Directory.from_columns(ids, ["h"] * len(ids), [1] * len(ids))


@pytest.mark.parametrize("duplicates", [False, True])
def test_the_bucketed_systematic_draw_picks_the_rows_the_sorted_one_picks(
    duplicates: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 24: sections 8.4 and 8.5 without sorting the stratum must give the very rows the
    # full sort gives, for any weights, quotas and order values, ties between values included
    # (forced here by squeezing the generator's values into a few hundred).
    from anjian.draws import sampling

    if duplicates:
        real = sampling.stream_values_at
        monkeypatch.setattr(
            sampling,
            "stream_values_at",
            lambda key, rows: real(key, rows) % np.uint64(300) << np.uint64(55),
        )
    rng = np.random.default_rng(24)
    compared = 0
    for case in range(60):
        size = int(rng.integers(1, 30_000))
        rest = np.sort(rng.choice(size * 3, size=size, replace=False)).astype(np.int64)
        w = rng.integers(1, [2, 10, 1000, 1 << 32][case % 4], size=size).astype(np.int64)
        big_w = int(w.sum())
        # A quota that leaves no certainty (n·w < W for every row), as 8.3 leaves it.
        n = int(rng.integers(1, max(2, min(size, big_w // int(w.max())))))
        if n * int(w.max()) >= big_w:
            continue
        u = int(rng.integers(0, big_w))
        points = np.arange(n, dtype=np.int64) * big_w + u
        key = int(rng.integers(0, 1 << 63))
        want = sampling._systematic_sorted(rest, w, n, points, key)
        got = sampling._systematic_bucketed(rest, w, n, points, key)
        assert got.tolist() == want.tolist(), case
        compared += 1
    assert compared >= 50
