"""Document numbers under concurrency on a FILE-based SQLite database, the default deployment
of a small bureau: several processes, each with several threads, take numbers at the same
moment. Every number is handed out once, the numbers run 1…N without a gap, and no issuer sees
an error ("database is locked" would be one). The in-memory test database cannot show this (it
is one connection), so the test migrates a throw-away database file with the production
settings (WAL, IMMEDIATE transactions, a 20 s busy timeout) and runs real processes on it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_database  # its own SQLite file, whatever the suite runs on

PROCESSES, THREADS, EACH = 4, 3, 5

SETUP = """
import django; django.setup()
from anjian.accounts.models import Bureau
from anjian.core.models import Region
region = Region.objects.get(code="140603")
Bureau.objects.create(name="平鲁区应急管理局", short_name="平鲁", region=region, level=region.level)
"""

WORKER = """
import sys, threading, time
import django; django.setup()
from django.db import connections, transaction
from anjian.accounts.models import Bureau
from anjian.documents.services import document_number_reserve
start, threads, each = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
bureau = Bureau.objects.get(region_id="140603")
connections.close_all()
out, errors = [], []
def work():
    try:
        while time.time() < start:
            time.sleep(0.001)
        for _ in range(each):
            with transaction.atomic():
                sequence, number = document_number_reserve(bureau, "penalty_decision", 2026)
            out.append(f"{sequence}\\t{number}")
    except BaseException as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()
ts = [threading.Thread(target=work) for _ in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
print("\\n".join(out))
if errors:
    print("\\n".join(errors), file=sys.stderr); sys.exit(1)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="anjian.settings",
        ANJIAN_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp_path / 'anjian.sqlite3'}",
        ANJIAN_VAR_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2] / "src"), *sys.path]),
    )
    env.pop("ANJIAN_DATA_KEY_FILE", None)
    return env


def test_processes_and_threads_get_unique_consecutive_numbers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    run = {"env": env, "capture_output": True, "text": True, "timeout": 600}
    migrated = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], check=False, **run
    )
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    made = subprocess.run([sys.executable, "-c", SETUP], check=False, **run)  # noqa: S603
    assert made.returncode == 0, made.stderr[-2000:]

    start = time.time() + 4  # every process imported and connected before the first number
    workers = [
        subprocess.Popen(  # noqa: S603 (our own script, our interpreter)
            [sys.executable, "-c", WORKER, str(start), str(THREADS), str(EACH)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    lines: list[str] = []
    for worker in workers:
        stdout, stderr = worker.communicate(timeout=600)
        assert worker.returncode == 0, stderr[-2000:]
        lines += [line for line in stdout.splitlines() if line.strip()]

    total = PROCESSES * THREADS * EACH
    sequences = sorted(int(line.split("\t")[0]) for line in lines)
    assert sequences == list(range(1, total + 1))  # each once, no gap
    numbers = {line.split("\t")[1] for line in lines}
    assert len(numbers) == total and any(n.endswith("应急罚〔2026〕1号") for n in numbers)
