"""`make bench` keeps working: the figures in docs/PERFORMANCE.md come from it, and a bench
that no longer runs is found out only when someone next needs a figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# The bench makes a SQLite database of its own whatever the suite runs on: the PostgreSQL pass
# of CI would run the very same thing again.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parent.parent


def test_the_draw_bench_runs_and_verifies_its_draws_on_a_small_registry() -> None:
    # On SQLite in a temporary file whatever the suite runs on: the bench makes (and drops)
    # a test database of its own, which must not be the one this suite is using.
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--skip-core",
            "--skip-entity-timings",
            "--entities",
            "3000",
            "--draws",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    # The bench asserts on its own that the drawn draw verifies and that the run drew and
    # staffed what its steps timed one by one did; here: each figure docs/PERFORMANCE.md
    # quotes is in the table.
    run = re.search(
        r"the draw, end to end: `draw_run`.*?\| \*\*(.+?)\*\* \((.+?); "
        r"under 5 s (met|NOT met); under 2 s (met|NOT met)\)",
        out,
    )
    assert run, out
    assert re.search(r"`draw_commit`, before the draw .*median of 3 draws \| \S+ m?s", out)
    assert re.search(r"commit \+ run .*\| \S+ m?s \(", out)
    assert re.search(r"the draft.s preview .*\| \S+ m?s \|", out)
    assert re.search(r"`draw_entities` is \*\*\d+\.\d+×\*\* the baseline; goal: 2×", out)
    assert "`draw_verify` of the drawn draw (ok)" in out
    drawn = re.search(r"\| ([\d,]+) drawn \(", out)
    assert drawn and int(drawn.group(1).replace(",", "")) > 0


def test_the_credit_bench_grades_every_entity_and_compares_with_the_plain_aggregate() -> None:
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--skip-core",
            "--skip-entity-timings",
            "--entities",
            "1500",
            "--credit",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert re.search(r"plain SQL aggregate of the 7,500 records .*\| \d+\.\d\d s \|", out), out
    first = re.search(
        r"grade all 1,500 entities from 7,500 records, first night .*"
        r"\| \*\*\d+\.\d\d s\*\* \((\d+\.\d)× the plain aggregate; target < 60 s met\)",
        out,
    )
    assert first, out
    assert re.search(
        r"grade again, the next night \(\d+ registry grades changed\) \| \d+\.\d\d s", out
    )
