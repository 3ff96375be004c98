"""`make bench`: measure the platform core on SQLite (a temporary file) and, when DATABASE_URL
points at PostgreSQL, on PostgreSQL too. Prints a Markdown table.

    make bench                                   # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian make bench
    make bench BENCH_ARGS="--events 200000"
    make bench BENCH_ARGS="--skip-core --entities 1000000 --plans 2000"   # plan coordination
    make bench BENCH_ARGS="--skip-core --skip-entity-timings --entities 1000000 --draws"
    make bench BENCH_ARGS="--skip-core --skip-entity-timings --entities 1000000 --credit"

Each run builds its own throw-away database (Django's test-database machinery).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings_test")


def _setup(sqlite_path: str) -> None:
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"]["NAME"] = sqlite_path
        db["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


def _bulk_events(n: int) -> None:
    """Append n valid chained events fast (one INSERT per batch), as a large history."""
    from anjian.core import audit_chain
    from anjian.core.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.get(pk=1)
    seq, prev = head.seq, head.hash
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    batch: list[AuditEvent] = []
    for i in range(n):
        seq += 1
        changes = {"status": ["open", "closed"], "i": i}
        digest = audit_chain.changes_digest(changes)
        at = t0 + timedelta(seconds=i)
        fields = {
            "seq": seq,
            "occurred_at": at,
            "actor_id": 1,
            "actor": "bench",
            "action": "bench.thing.closed",
            "object_type": "bench.thing",
            "object_id": str(i),
            "region": "140603",
            "source": "system",
            "digest": digest,
            "prev_hash": prev,
        }
        h = audit_chain.event_hash(**fields)
        batch.append(AuditEvent(changes=changes, hash=h, **fields))
        prev = h
        if len(batch) == 5000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)


def _p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=2_000)
    parser.add_argument(
        "--entities",
        type=int,
        default=1_000_000,
        help="entities for the registry figures (0: skip)",
    )
    parser.add_argument("--skip-core", action="store_true", help="only the entity figures")
    parser.add_argument(
        "--plans",
        type=int,
        default=0,
        help="annual plans for the coordination figures, over the entities (0: skip)",
    )
    parser.add_argument(
        "--skip-entity-timings",
        action="store_true",
        help="load the entities but time neither re-import nor search (for --plans)",
    )
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="load the entities without timing the imports, then time only the search",
    )
    parser.add_argument(
        "--draws",
        action="store_true",
        help="a random draw over the entities, end to end, and the pure-algorithm draw bench",
    )
    parser.add_argument(
        "--draws-profile",
        action="store_true",
        help="with --draws: also print a cProfile of a second draw's commit and run",
    )
    parser.add_argument(
        "--credit",
        action="store_true",
        help="grade every entity from generated credit records (issue 20)",
    )
    parser.add_argument(
        "--credit-records",
        type=int,
        default=0,
        help="with --credit: how many records (default five per entity)",
    )
    args = parser.parse_args()
    if args.plans and not args.entities:
        parser.error("--plans needs entities (--entities N, N > 0)")
    if args.draws and not args.entities:
        parser.error("--draws needs entities (--entities N, N > 0)")
    if args.credit and not args.entities:
        parser.error("--credit needs entities (--entities N, N > 0)")
    with tempfile.TemporaryDirectory() as tmp:
        _setup(os.path.join(tmp, "bench.sqlite3"))
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from anjian.accounts.models import RoleAssignment, User
        from anjian.accounts.services import api_token_create
        from anjian.core.services import SYSTEM_ACTOR

        rows: list[tuple[str, str]] = []
        vendor = connection.vendor
        plan = ""
        notes: list[str] = []

        if not args.skip_core:
            _core_benchmarks(args, rows)
        if args.entities:
            from bench.entities import entity_benchmarks

            admin = User.objects.create_user(username="bench_leader", password="x")
            from anjian.accounts.models import Bureau
            from anjian.core.models import Region

            province = Bureau.objects.create(
                name="山西省应急管理厅", region=Region.objects.get(code="140000"), level="province"
            )
            admin.bureau = province
            # Set through no password service: stamp it, or the token is refused as expired.
            admin.password_changed_at = timezone.now()
            admin.save()
            RoleAssignment.objects.create(user=admin, role="bureau_leader")
            _, key = api_token_create(actor=SYSTEM_ACTOR, user=admin, name="bench", valid_days=None)
            if args.skip_entity_timings or args.search_only:
                from bench.plans import entities_load

                rows.extend(entities_load(args.entities))
                if args.search_only:
                    from bench.entities import search_benchmarks

                    rows.extend(
                        search_benchmarks(
                            client=Client(HTTP_AUTHORIZATION=f"Bearer {key}"), user=admin
                        )
                    )
            else:
                entity_rows, plan = entity_benchmarks(
                    entities=args.entities,
                    client=Client(HTTP_AUTHORIZATION=f"Bearer {key}"),
                    user=admin,
                )
                rows.extend(entity_rows)
        if args.plans:
            from bench.plans import plan_benchmarks

            rows.extend(plan_benchmarks(plans=args.plans))
        if args.draws:
            from bench.draws import draw_benchmarks
            from bench.draws_e2e import draw_e2e_benchmarks

            draw_rows, notes = draw_e2e_benchmarks(profile=args.draws_profile)
            rows.extend(draw_rows)
            rows.extend(draw_benchmarks(entities=args.entities))
        if args.credit:
            from bench.credit import credit_benchmarks

            rows.extend(credit_benchmarks(records=args.credit_records or 5 * args.entities))

        print(
            f"\n### {vendor}, {platform.node()} ({os.cpu_count()} cores), "
            f"{datetime.now(UTC):%Y-%m-%d}\n"
        )
        print("| measurement | result |\n|---|---|")
        for name, value in rows:
            print(f"| {name} | {value} |")
        if plan:
            print("\nPlan of the first page of the search for 焦煤 (EXPLAIN ANALYZE):\n")
            print("```\n" + plan + "\n```")
        for note in notes:
            print("\n```\n" + note + "\n```")
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


def _core_benchmarks(args: argparse.Namespace, rows: list[tuple[str, str]]) -> None:
    from django.test import Client

    from anjian.accounts.models import RoleAssignment, User
    from anjian.accounts.services import api_token_create
    from anjian.core.models import AuditEvent
    from anjian.core.selectors import audit_chain_verify
    from anjian.core.services import SYSTEM_ACTOR, audit_record

    t = time.perf_counter()
    for i in range(args.appends):
        audit_record(
            actor=SYSTEM_ACTOR,
            action="bench.append",
            object_id=str(i),
            region="140603",
            changes={"i": i},
        )
    dt = time.perf_counter() - t
    rows.append(
        (
            f"append {args.appends:,} events, one transaction each",
            f"{args.appends / dt:,.0f} events/s ({dt * 1000 / args.appends:.2f} ms each)",
        )
    )

    _bulk_events(args.events)
    total = AuditEvent.objects.count()
    t = time.perf_counter()
    result = audit_chain_verify()
    dt = time.perf_counter() - t
    assert result.intact, result.problem
    rows.append(
        (
            f"`anjian audit verify` over {total:,} events",
            f"{dt:.2f} s ({total / dt:,.0f} events/s)",
        )
    )

    user = User.objects.create_user(username="bench_audit", password="x")
    RoleAssignment.objects.create(user=user, role="auditor")
    user.is_superuser = True
    user.save()
    _, key = api_token_create(actor=SYSTEM_ACTOR, user=user, name="bench", valid_days=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    deep_seq = 50  # near the oldest end: the deepest page of a newest-first listing
    from anjian.core.api_support import _encode_cursor

    client.get("/api/audit/events?limit=50")  # warm-up: URL resolver, schema, caches
    api_deep, keyset, offset = [], [], []
    base = AuditEvent.objects.order_by("-seq")
    for _ in range(30):
        t = time.perf_counter()
        r = client.get(f"/api/audit/events?limit=50&cursor={_encode_cursor(deep_seq + 51)}")
        api_deep.append(time.perf_counter() - t)
        assert r.status_code == 200 and len(r.json()["items"]) == 50
        t = time.perf_counter()
        list(base.filter(seq__lt=deep_seq + 51)[:50])
        keyset.append(time.perf_counter() - t)
        t = time.perf_counter()
        list(base[total - deep_seq - 50 : total - deep_seq])
        offset.append(time.perf_counter() - t)
    depth = total - deep_seq
    rows.append(
        (
            f"API page of 50 at depth {depth:,} (keyset cursor, HTTP), p95",
            f"{_p(api_deep, 95) * 1000:.1f} ms",
        )
    )
    rows.append(
        (
            f"query for that page: keyset `seq < x` vs `OFFSET {depth - 50:,}`, p95",
            f"{_p(keyset, 95) * 1000:.2f} ms vs {_p(offset, 95) * 1000:.2f} ms "
            f"(OFFSET {_p(offset, 95) / _p(keyset, 95):,.0f}× slower)",
        )
    )
    first = []
    for _ in range(30):
        t = time.perf_counter()
        client.get("/api/audit/events?limit=50")
        first.append(time.perf_counter() - t)
    rows.append(("API first page of 50, p95", f"{_p(first, 95) * 1000:.1f} ms"))


if __name__ == "__main__":
    main()
