"""A quick run of the crash harness (scripts/crash_harness.py; `make crash` runs the full one):
PostgreSQL and the audit writers killed with SIGKILL twice on a throw-away cluster, no
acknowledged event lost and the chain intact; and the same harness with synchronous_commit off
reports losses, so it can fail. Both runs in parallel, about a minute."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

HARNESS = Path(__file__).resolve().parents[2] / "scripts" / "crash_harness.py"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="runs in the PostgreSQL pass (its own cluster)"
    ),
    pytest.mark.skipif(
        not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="no PostgreSQL server binaries"
    ),
]


def _start(*extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own script)
        # Three seconds of writing per round: on a loaded machine one second could end before
        # the writers had committed anything, and a run with nothing acknowledged proves nothing.
        [sys.executable, str(HARNESS), "--rounds", "2", "--writers", "2", "--seconds", "3", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_no_acknowledged_event_is_lost_and_the_harness_can_fail() -> None:
    safe, unsafe = _start(), _start("--unsafe")
    out_safe, err_safe = safe.communicate(timeout=600)
    out_unsafe, err_unsafe = unsafe.communicate(timeout=600)
    summary = json.loads(out_safe.strip().splitlines()[-1])
    assert safe.returncode == 0, (out_safe, err_safe[-2000:])
    assert summary["rounds"] == 2 and summary["acknowledged"] > 0
    assert summary["lost"] == 0 and summary["chain_intact"]
    broken = json.loads(out_unsafe.strip().splitlines()[-1])
    assert unsafe.returncode == 1, (out_unsafe, err_unsafe[-2000:])
    assert broken["mode"] == "synchronous_commit=off" and broken["lost"] > 0
    # The lost events leave no gap: the chain simply ends earlier and still verifies.
    assert broken["chain_intact"]
