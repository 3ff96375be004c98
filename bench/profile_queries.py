"""The entity profile's queries, one by one, with where each comes from (docs/PERFORMANCE.md,
"The entity profile: queries per request").

Run against a database the demo loaded (`anjian demo-data --entities 20000`):

    DATABASE_URL=postgres://…/anjian_profile PYTHONPATH=$PWD/src \\
        python -m bench.profile_queries [--user sx_leader] [--uscc CODE] [--explain] [--timings 200]

It opens the profile (API and page) of the entity with the most history (inspections, cases,
credit records, enterprise accounts) as the given demo login, and prints each query of one
request with the code that issued it; `--explain` adds PostgreSQL's plan of each (with
sequential scans disabled, so that a table with no usable index still shows a Seq Scan), and
`--timings N` the median and p95 of N requests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import traceback
from typing import Any


def _richest() -> Any:
    from django.db.models import Count

    from anjian.cases.models import Case
    from anjian.credit.models import CreditRecord
    from anjian.enterprise.models import EnterpriseMember
    from anjian.entities.models import Entity
    from anjian.inspections.models import InspectionRecord

    scores: dict[int, int] = {}
    for model in (InspectionRecord, Case, CreditRecord):
        rows = model.objects.values("entity_id").annotate(n=Count("id")).order_by()
        for row in rows:
            scores[row["entity_id"]] = scores.get(row["entity_id"], 0) + row["n"]
    for entity_id in EnterpriseMember.objects.values_list("entity_id", flat=True):
        scores[entity_id] = scores.get(entity_id, 0) + 5
    return Entity.objects.get(pk=max(scores, key=lambda k: scores[k]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", default="sx_leader", help="a demo login")
    parser.add_argument("--uscc", default="", help="the entity (default: the richest)")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--timings", type=int, default=0)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from anjian.accounts.models import User
    from anjian.entities.models import Entity

    entity = Entity.objects.get(uscc=args.uscc) if args.uscc else _richest()
    user = User.objects.get(username=args.user)
    print(f"entity {entity.uscc} {entity.name}; viewer {user.username}")

    origins: list[str] = []

    def where(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        frames = [
            f"{f.filename.rsplit('/src/', 1)[-1]}:{f.lineno} {f.name}"
            for f in traceback.extract_stack()
            if "/anjian/" in f.filename
        ]
        origins.append(" < ".join(reversed(frames[-3:])))
        return execute(sql, params, many, context)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for name, url in [
        ("API", f"/api/entities/{entity.uscc}"),
        ("page", f"/entities/{entity.uscc}/"),
    ]:
        assert client.get(url).status_code == 200, url  # warm the caches (regions, session)
        origins.clear()
        with connection.execute_wrapper(where), CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        print(f"\n== {name} {url}: {len(ctx.captured_queries)} queries")
        for i, (query, origin) in enumerate(zip(ctx.captured_queries, origins, strict=False), 1):
            sql = query["sql"]
            print(f"{i:2d}. [{query['time']} s] {origin}\n    {sql[:300]}")
            if args.explain and connection.vendor == "postgresql" and sql.startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("SET enable_seqscan = off")
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [line for (line,) in cursor.fetchall()]
                    cursor.execute("SET enable_seqscan = on")
                print("\n".join("      | " + line for line in plan))
        if args.timings:
            samples = []
            for _ in range(args.timings):
                start = time.perf_counter()
                client.get(url)
                samples.append(time.perf_counter() - start)
            p95 = statistics.quantiles(samples, n=20)[-1]
            print(
                f"   {name}: {args.timings} requests, median "
                f"{statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
