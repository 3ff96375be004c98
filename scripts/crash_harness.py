"""Crash consistency of the audit trail: kill PostgreSQL and the writers with SIGKILL, restart,
and check that no acknowledged event was lost and that the chain still verifies.

    python scripts/crash_harness.py                 # 5 rounds, 4 writers: expect 0 lost
    python scripts/crash_harness.py --unsafe        # synchronous_commit = off: expect losses

On its own throw-away cluster (initdb in a temporary directory, Debian's
/usr/lib/postgresql/<version>/bin, its own port and socket directory; run as root it runs the
server as the `postgres` user). Each round starts the server, starts the writers (separate
processes, each appending events through the application's writer `core.services.audit_record`
in its own transactions and writing the sequence number and hash of each event to its log only
after the commit returned), lets them run for a random moment, then kills the server's whole
process group and every writer with SIGKILL at once. The server is restarted (crash recovery)
and every acknowledged event must be there with the same hash, and `audit_chain_verify` must
find the chain intact. Exit status 0 when nothing was lost and the chain verifies, 1 otherwise.

With `--unsafe` the server runs with `synchronous_commit = off` and `wal_writer_delay = 10s`:
a commit is acknowledged before its WAL reaches the disk, and the same harness must report
losses (the harness can fail). docs/audit-chain.md gives measured figures.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> dict[str, object]:
    """initdb and postgres refuse to run as root: run them as `postgres` then, as our own child
    (through runuser the postmaster would be orphaned when killed, and an unreaped zombie keeps
    its lock file "in use")."""
    if os.geteuid() == 0:
        return {"user": "postgres", "group": "postgres", "extra_groups": []}
    return {}


class Cluster:
    def __init__(self, base: Path, *, unsafe: bool) -> None:
        self.bin = _bin_dir()
        self.base = base
        self.data = base / "data"
        self.port = _free_port()
        self.unsafe = unsafe
        self.proc: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
        subprocess.run(  # noqa: S603 (our own binaries and arguments)
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=base,
            **_as_server_user(),  # type: ignore[arg-type]
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        settings = [
            "listen_addresses=127.0.0.1",
            f"port={self.port}",
            f"unix_socket_directories={self.base}",
            "fsync=on",
            "full_page_writes=on",
        ]
        if self.unsafe:
            settings += ["synchronous_commit=off", "wal_writer_delay=10000ms"]
        else:
            settings += ["synchronous_commit=on"]
        cmd = [str(self.bin / "postgres"), "-D", str(self.data)]
        for s in settings:
            cmd += ["-c", s]
        log = open(self.base / "server.log", "ab")  # noqa: SIM115 (lives with the process)
        # Its own process group: one SIGKILL takes the postmaster and every backend at once.
        self.proc = subprocess.Popen(  # noqa: S603 (our own binaries and arguments)
            cmd,
            stdout=log,
            stderr=log,
            start_new_session=True,
            cwd=self.base,
            **_as_server_user(),  # type: ignore[arg-type]
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                import psycopg

                try:
                    psycopg.connect(self.url, connect_timeout=2).close()
                    return
                except psycopg.OperationalError:
                    pass  # still recovering
            time.sleep(0.2)
        raise RuntimeError("the throw-away PostgreSQL did not start; see server.log")

    def kill(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.proc = None


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings_test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _schema(url: str) -> None:
    """Only what the trail needs: its tables (events, head, purge anchors, which verify reads)
    and the append-only triggers (a full migrate would take minutes per run)."""
    _django(url)
    from django.db import connection

    from anjian.core import audit_triggers
    from anjian.core.models import AuditChainHead, AuditEvent, AuditPurge

    with connection.schema_editor() as editor:
        editor.create_model(AuditChainHead)
        editor.create_model(AuditEvent)
        editor.create_model(AuditPurge)
    audit_triggers.install(connection)
    AuditChainHead.objects.create(pk=1)


def writer(url: str, ack_path: str, number: int) -> None:
    """Append events forever; log each one only after its commit returned."""
    _django(url)
    from django.db import transaction

    from anjian.core.services import AuditSource, audit_record

    fd = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    n = 0
    while True:
        n += 1
        with transaction.atomic():
            event = audit_record(
                actor=None,
                action="core.region.updated",
                changes={"writer": number, "n": n},
                source=AuditSource.SYSTEM,
            )
        # The commit has returned: the event is acknowledged.
        os.write(fd, f"{event.seq} {event.hash}\n".encode())


def _check(url: str, acks: set[tuple[int, str]]) -> tuple[int, bool, int]:
    """(acknowledged events missing or changed, chain intact, events in the table)."""
    _django(url)
    from django.db import connection

    from anjian.core.models import AuditEvent
    from anjian.core.selectors import audit_chain_verify

    connection.close()
    stored = dict(AuditEvent.objects.values_list("seq", "hash"))
    lost = sum(1 for seq, h in acks if stored.get(seq) != h)
    intact = audit_chain_verify().intact
    connection.close()
    return lost, intact, len(stored)


def run(rounds: int, writers: int, seconds: float, *, unsafe: bool, keep: bool) -> int:
    base = Path(tempfile.mkdtemp(prefix="anjian-crash-"))
    os.chmod(base, 0o755)  # noqa: S103 (the server's user must reach its data directory)
    cluster = Cluster(base, unsafe=unsafe)
    rng = random.Random(20261207)  # when to kill: reproducible, not a secret
    # (seq, hash) pairs, not a mapping: after a loss the next round reuses the sequence
    # numbers, and the lost acknowledgement must still count.
    acks: set[tuple[int, str]] = set()
    total_lost = 0
    intact_all = True
    report = []
    try:
        cluster.start()
        _schema(cluster.url)
        for r in range(1, rounds + 1):
            if r > 1:
                cluster.start()  # crash recovery happens here
            ack_files = [base / f"acks-{r}-{w}.log" for w in range(writers)]
            procs = [
                subprocess.Popen(  # noqa: S603 (this script, as a writer)
                    [sys.executable, __file__, "--writer", cluster.url, str(path), str(w)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                for w, path in enumerate(ack_files)
            ]
            # Wait until every writer is appending, then a random moment more.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not all(
                p.exists() and p.stat().st_size > 0 for p in ack_files
            ):
                time.sleep(0.05)
            time.sleep(rng.uniform(0.3, seconds))
            cluster.kill()
            for p in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
            for p in procs:
                p.wait()
            new = set()
            for path in ack_files:
                if path.exists():
                    for line in path.read_text().splitlines():
                        if len(line.split()) == 2:  # a line cut by the kill is not an ack
                            seq, h = line.split()
                            new.add((int(seq), h))
            acks |= new
            cluster.start()
            lost, intact, stored = _check(cluster.url, acks)
            cluster.stop()
            total_lost = lost  # cumulative: every acknowledgement so far is checked again
            intact_all = intact_all and intact
            line = {
                "round": r,
                "acknowledged_this_round": len(new),
                "acknowledged_total": len(acks),
                "events_stored": stored,
                "lost": lost,
                "chain_intact": intact,
            }
            report.append(line)
            print(json.dumps(line), flush=True)
    finally:
        cluster.kill()
        if not keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept {base}", file=sys.stderr)
    summary = {
        "mode": "synchronous_commit=off" if unsafe else "synchronous_commit=on",
        "rounds": rounds,
        "writers": writers,
        "acknowledged": len(acks),
        "lost": total_lost,
        "chain_intact": intact_all,
        "verdict": "ok" if total_lost == 0 and intact_all else "LOSSES OR BROKEN CHAIN",
    }
    print(json.dumps(summary), flush=True)
    return 0 if total_lost == 0 and intact_all else 1


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--writer":
        writer(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="kills (at least 5 for the claim)")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="at most this long between start and kill"
    )
    parser.add_argument(
        "--unsafe",
        action="store_true",
        help="synchronous_commit = off, wal_writer_delay = 10s: must report losses",
    )
    parser.add_argument("--keep", action="store_true", help="keep the cluster's directory")
    args = parser.parse_args()
    sys.exit(run(args.rounds, args.writers, args.seconds, unsafe=args.unsafe, keep=args.keep))


if __name__ == "__main__":
    main()
