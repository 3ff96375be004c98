"""Draw benchmark (issue 8): the pure algorithm of docs/algorithms/draw.md on a synthetic
directory, with no database, next to a bare NumPy weighted-sampling baseline.

    .venv/bin/python -m bench.draws                       # 1,000,000 entities, 5 %, 20 strata
    .venv/bin/python -m bench.draws --entities 200000 --inspectors 2000

`draw_benchmarks(...)` returns the rows of the Markdown table, like the other bench modules, so
`bench/__main__.py` can add them. The synthetic data (not what is timed): usccs in order,
strata of unequal sizes, weights from a credit-grade × risk-level table (parts per 10,000) times
a down-weight factor, 0.1 % forced; inspectors spread over 117 counties with one or two of
5 specialties, 2 % with an expired certificate, conflicts and last inspectors for every entity.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from anjian.draws import algorithm as alg

T = TypeVar("T")
SECRET = "5eed" * 16
ON = datetime.date(2027, 3, 1)
SPECIALTIES = ("coal_mine", "non_coal_mine", "hazardous_chemicals", "metallurgy", "general")
# Inspection ratio in parts per 10,000, by credit grade (A–D) × risk level (major … low).
RATIO_TABLE = np.array(
    [[800, 500, 300, 200], [1200, 800, 500, 300], [2000, 1500, 1000, 600], [3000, 2500, 2000, 1500]]
)


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[T, float]:
    """The result and the median time of `repeat` runs."""
    times = []
    result: Any = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)


def numpy_baseline(directory: alg.Directory, quotas: dict[str, int]) -> Callable[[], int]:
    """The baseline: NumPy's own weighted sampling without replacement, per stratum, with
    p ∝ weight (not the same design: no certainties, no exact π, no published seed)."""
    generator = np.random.default_rng(1)
    grouped, bounds = directory.stratum_groups
    groups = [
        (directory.weights[grouped[bounds[p] : bounds[p + 1]]], quotas[key])
        for p, key in enumerate(directory.stratum_keys)
    ]

    def run() -> int:
        chosen = 0
        for w, n_h in groups:
            p = w / w.sum()
            chosen += len(generator.choice(len(w), n_h, replace=False, p=p))
        return chosen

    return run


def synthetic_directory_columns(
    n_entities: int, strata: int, rng: np.random.Generator
) -> tuple[list[str], list[str], list[int], list[bool]]:
    usccs = [f"91140{i:013d}" for i in range(n_entities)]
    sizes = rng.dirichlet(np.full(strata, 2.0))
    codes = rng.choice(strata, size=n_entities, p=sizes)
    names = [f"sector{h:02d}|1406{h:02d}" for h in range(strata)]
    grade = rng.integers(0, 4, n_entities)
    risk = rng.integers(0, 4, n_entities)
    down = np.where(rng.random(n_entities) < 0.3, 1, 4)  # inspected recently: a quarter
    weights = RATIO_TABLE[grade, risk] * down
    forced = rng.random(n_entities) < 0.001
    return usccs, [names[c] for c in codes.tolist()], weights.tolist(), forced.tolist()


def synthetic_pool(
    n_inspectors: int, rng: np.random.Generator
) -> tuple[list[alg.Inspector], list[str]]:
    counties = [f"14{c:04d}" for c in range(117)]
    pool = []
    for i in range(n_inspectors):
        first = SPECIALTIES[int(rng.integers(0, len(SPECIALTIES)))]
        second = SPECIALTIES[int(rng.integers(0, len(SPECIALTIES)))]
        expired = rng.random() < 0.02
        pool.append(
            alg.Inspector(
                id=f"I{i:06d}",
                county=counties[int(rng.integers(0, len(counties)))],
                specialties=frozenset({first, second, "general"}),
                valid_from=datetime.date(2024, 1, 1),
                valid_until=datetime.date(2026, 12, 31) if expired else datetime.date(2029, 12, 31),
            )
        )
    return pool, counties


def benchmark_draw(
    n_entities: int = 1_000_000,
    ratio: float = 0.05,
    strata: int = 20,
    inspectors: int = 5_000,
    *,
    max_per_inspector: int = 60,
    seed: int = 8,
) -> dict[str, Any]:
    """Time each step; returns the seconds and a few counts."""
    rng = np.random.default_rng(seed)
    usccs, keys, weights, forced = synthetic_directory_columns(n_entities, strata, rng)
    directory, t_directory = timed(lambda: alg.Directory.from_columns(usccs, keys, weights, forced))
    _, t_hash = timed(lambda: directory.hash)
    total = round(n_entities * ratio)
    quotas, t_quotas = timed(lambda: alg.quotas_from_weights(directory, total))
    result, t_draw = timed(lambda: alg.draw_entities(directory, quotas, secret=SECRET), 3)

    _, t_baseline = timed(numpy_baseline(directory, quotas), 3)

    pool, counties = synthetic_pool(inspectors, rng)
    index = directory.stratum_codes
    selected = np.flatnonzero(result.selected_mask)
    entity_rng = np.random.default_rng(seed + 1)
    entities = []
    for i in selected.tolist():
        picks = entity_rng.integers(0, inspectors, 3).tolist()
        entities.append(
            alg.AssignmentEntity(
                uscc=directory.usccs[i],
                county=counties[int(entity_rng.integers(0, len(counties)))],
                specialties=frozenset({SPECIALTIES[int(index[i]) % len(SPECIALTIES)]}),
                conflicts=frozenset({pool[picks[0]].id}),
                last_inspectors=frozenset({pool[picks[1]].id, pool[picks[2]].id}),
            )
        )
    rules = alg.AssignmentRules(per_entity=2, max_per_inspector=max_per_inspector)
    seed_bytes = result.seed
    assignment, t_assign = timed(
        lambda: alg.assign_inspectors(entities, pool, on=ON, rules=rules, seed=seed_bytes)
    )
    return {
        "entities": n_entities,
        "strata": strata,
        "selected": len(result.selected),
        "inspectors": inspectors,
        "teams": len(assignment.teams),
        "refusals": len(assignment.refusals),
        "directory_s": t_directory,
        "hash_s": t_hash,
        "quotas_s": t_quotas,
        "draw_s": t_draw,
        "baseline_s": t_baseline,
        "assign_s": t_assign,
    }


def _s(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def draw_benchmarks(
    entities: int = 1_000_000, ratio: float = 0.05, strata: int = 20, inspectors: int = 5_000
) -> list[tuple[str, str]]:
    """The rows for the bench's Markdown table."""
    r = benchmark_draw(entities, ratio, strata, inspectors)
    n = f"{r['entities']:,} entities, {r['strata']} strata"
    algorithm_total = r["hash_s"] + r["quotas_s"] + r["draw_s"] + r["assign_s"]
    return [
        (f"draw: directory from columns (validate, sort check), {n}", _s(r["directory_s"])),
        ("draw: directory hash (serialise + SHA-256)", _s(r["hash_s"])),
        ("draw: quotas_from_weights", _s(r["quotas_s"])),
        (f"draw: draw_entities, {r['selected']:,} selected (median of 3)", _s(r["draw_s"])),
        ("draw: NumPy baseline, Generator.choice per stratum (median of 3)", _s(r["baseline_s"])),
        (
            f"draw: assign_inspectors, {r['teams']:,} teams from {r['inspectors']:,} inspectors "
            f"({r['refusals']:,} refused)",
            _s(r["assign_s"]),
        ),
        ("draw: hash + quotas + draw + assignment", _s(algorithm_total)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--ratio", type=float, default=0.05)
    parser.add_argument("--strata", type=int, default=20)
    parser.add_argument("--inspectors", type=int, default=5_000)
    args = parser.parse_args()
    print("| measurement | result |\n|---|---|")
    for name, value in draw_benchmarks(args.entities, args.ratio, args.strata, args.inspectors):
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
