"""Credit grading benchmark (issue 20): recompute the grade of every entity of the bench's
registry from N generated credit records (default five per entity), against a plain SQL
aggregate of the same records in the same run.

Run by `make bench BENCH_ARGS="--skip-core --skip-entity-timings --entities 1000000 --credit"`
after the entities are loaded. The setup, which is not what is measured, writes the records
straight to the table: kinds and weights as the collectors give them, dates over the last three
years, some no longer counted, some void. One seeded random generator.

Measured:
- the plain aggregate: `SELECT entity_id, SUM(weight) … WHERE counted GROUP BY entity_id`;
- the first grading (`grading.recompute(entity_ids=None)`: every entity's score, computed grade
  and grade in force inserted, the registry's grade updated where it differs), in one
  transaction, as the nightly job runs it;
- the second grading the next day (a few records stop counting: every entity's row is
  stamped with the new day, a few grades change in the registry).
"""

from __future__ import annotations

import datetime
import time
from random import Random
from typing import Any

TARGET_S = 60.0
SEED = 20

KINDS = [
    ("penalty", -14, 36),
    ("inspection_clean", 2, 12),
    ("inspection_hazards", -2, 12),
    ("rectified_on_time", 1, 12),
    ("rectified_late", -5, 12),
    ("reinspection_failed", -6, 12),
    ("major_hazard", -8, 12),
]


def _records_write(n: int, today: datetime.date) -> None:
    from django.db import connection, transaction

    from anjian.core.bulk import insert_columns
    from anjian.credit.models import CreditRecord
    from anjian.credit.scoring import add_months
    from anjian.entities.models import Entity

    rng = Random(SEED)
    entities = list(Entity.objects.values_list("pk", "region_id"))
    chunk = 200_000
    written = 0
    while written < n:
        size = min(chunk, n - written)
        cols: dict[str, list[Any]] = {
            k: []
            for k in (
                "entity_id",
                "region_id",
                "kind",
                "title",
                "occurred_on",
                "weight",
                "counts_until",
                "status",
                "public",
                "source_type",
                "source_id",
                "facts",
                "reason",
            )
        }
        for i in range(size):
            pk, region = entities[rng.randrange(len(entities))]
            kind, weight, months = KINDS[rng.randrange(len(KINDS))]
            day = today - datetime.timedelta(days=rng.randrange(3 * 365))
            cols["entity_id"].append(pk)
            cols["region_id"].append(region)
            cols["kind"].append(kind)
            cols["title"].append(kind)
            cols["occurred_on"].append(day)
            cols["weight"].append(weight)
            cols["counts_until"].append(add_months(day, months))
            cols["status"].append("void" if rng.random() < 0.02 else "active")
            cols["public"].append(kind == "penalty")
            cols["source_type"].append("bench")
            cols["source_id"].append(str(written + i))
            cols["facts"].append({})
            cols["reason"].append("")
        if connection.vendor == "postgresql":
            insert_columns(CreditRecord, cols)
        else:
            names = list(cols)
            rows = list(zip(*(cols[k] for k in names), strict=True))
            ops = connection.ops
            rows = [
                tuple(
                    ops.adapt_datefield_value(v) if isinstance(v, datetime.date) else
                    ("{}" if isinstance(v, dict) else v)
                    for v in row
                )
                for row in rows
            ]  # fmt: skip
            sql = (
                f"INSERT INTO credit_creditrecord (created_at, {', '.join(names)}) "
                f"VALUES (%s, {', '.join(['%s'] * len(names))})"
            )
            now = ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, [(now, *row) for row in rows])
        written += size
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) credit_creditrecord")


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def credit_benchmarks(*, records: int) -> list[tuple[str, str]]:
    from django.db import transaction
    from django.db.models import Count

    from anjian.credit import grading
    from anjian.credit.models import EntityCredit
    from anjian.entities.models import Entity

    today = datetime.date(2027, 6, 1)
    entities = Entity.objects.count()
    _, setup = _timed(lambda: _records_write(records, today))
    with_records, plain = _timed(lambda: grading.plain_aggregate(today=today))

    def grade(day: datetime.date) -> int:
        with transaction.atomic():
            return grading.recompute(entity_ids=None, today=day)

    changed, first = _timed(lambda: grade(today))
    assert EntityCredit.objects.count() == entities
    # The next night is the next day: grading the same day again would find every row
    # already stamped and write nothing, which no real night does.
    changed_next, second = _timed(lambda: grade(today + datetime.timedelta(days=1)))
    met = "met" if first < TARGET_S else "NOT met"
    counts = dict(EntityCredit.objects.values_list("grade").annotate(n=Count("pk")))
    spread = ", ".join(f"{g} {counts.get(g, 0):,}" for g in "ABCD")
    return [
        (f"credit: write {records:,} records (setup)", f"{setup:.1f} s"),
        (
            f"credit: plain SQL aggregate of the {records:,} records "
            f"({with_records:,} entities with records counted)",
            f"{plain:.2f} s",
        ),
        (
            f"credit: grade all {entities:,} entities from {records:,} records, first night "
            f"({changed:,} registry grades changed; {spread})",
            f"**{first:.2f} s** ({first / plain:.1f}× the plain aggregate; "
            f"target < {TARGET_S:.0f} s {met})",
        ),
        (
            f"credit: grade again, the next night ({changed_next:,} registry grades changed)",
            f"{second:.2f} s ({second / plain:.1f}× the plain aggregate)",
        ),
    ]
