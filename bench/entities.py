"""Entity registry benchmarks: import of N generated rows, two-character search, the profile API.

Run by `make bench` (see bench/__main__.py); N is `--entities` (1,000,000 for the figures in
docs/PERFORMANCE.md). The data set is the deterministic demo generator's, written to a CSV file
in the import layout and imported through the same service a bureau's file goes through.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SEARCH_QUERIES = ["焦煤", "化工", "平鲁", "鑫泰", "煤业", "加油", "孝义", "钢铁", "有限公司"]


def _p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else samples[0]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def entity_benchmarks(
    *, entities: int, client: Any, user: Any
) -> tuple[list[tuple[str, str]], str]:
    """Returns (rows for the results table, the search query plan as text)."""
    rows: list[tuple[str, str]] = _Rows()
    tmp = tempfile.mkdtemp()
    try:
        return _entity_benchmarks(rows, tmp, entities, client, user)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _entity_benchmarks(
    rows: list[tuple[str, str]], tmp: str, entities: int, client: Any, user: Any
) -> tuple[list[tuple[str, str]], str]:
    from django.db import connection

    from anjian.core.services import SYSTEM_ACTOR, AuditSource
    from anjian.entities.demo import demo_entity_files_write
    from anjian.entities.importing import entity_import
    from anjian.entities.models import Entity, EntityNameGram
    from anjian.entities.selectors import EntityFilters, entity_list

    t = time.perf_counter()
    # Twice the rows, split in two files of distinct entities: the first is imported into an
    # empty registry, the second into the registry the first has filled.
    files = demo_entity_files_write(Path(tmp), entities=2 * entities, seed=1)
    first, second = _halves(files["entities"], entities)
    dt = time.perf_counter() - t
    size = first.stat().st_size
    rows.append(
        (
            f"generate {2 * entities:,} demo entities (+ licences, filings) as CSV, in two files",
            f"{dt:.1f} s ({size / 1e6:.0f} MB per entity file)",
        )
    )
    t = time.perf_counter()
    batch = entity_import(
        actor=SYSTEM_ACTOR,
        source_file=first,
        file_name="bench.csv",
        source=AuditSource.SYSTEM,
    )
    dt_first = time.perf_counter() - t
    assert batch.rows_created == entities, (batch.rows_created, batch.errors[:3])
    floor = _copy_floor() if connection.vendor == "postgresql" else None
    rows.append(
        (
            f"import {entities:,} entity rows from CSV into an empty registry "
            "(`entity_import`: read, check, write, bigrams), one transaction "
            "(issue 24's goal at 1,000,000: under 25 s, about 12× a 2 s COPY)",
            f"{dt_first:.1f} s ({entities / dt_first:,.0f} rows/s)" + _ratio(dt_first, floor),
        )
    )
    if floor is not None:
        rows.append(
            (
                f"… floor: a bare COPY of the same {entities:,} stored rows into an "
                "unindexed table of the same columns",
                f"{floor:.2f} s",
            )
        )
    t = time.perf_counter()
    again = entity_import(
        actor=SYSTEM_ACTOR,
        source_file=first,
        file_name="bench.csv",
        source=AuditSource.SYSTEM,
    )
    dt = time.perf_counter() - t
    assert again.rows_unchanged == entities
    rows.append((f"re-import of the same {entities:,} rows (all unchanged)", f"{dt:.1f} s"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a load this size: statistics and the visibility map
            # (index-only scans skip the heap only for pages marked all-visible).
            cursor.execute("VACUUM (ANALYZE)")
    grams = EntityNameGram.objects.count()
    rows.append(("bigram rows", f"{grams:,} ({grams / entities:.1f} per entity)"))

    _search_timings(rows, client, user)

    # The profile: random entities by credit code.
    rng = random.Random(7)
    max_id = Entity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = [rng.randint(1, max_id) for _ in range(300)]
    usccs = list(Entity.objects.filter(id__in=ids).values_list("uscc", flat=True))
    client.get(f"/api/entities/{usccs[0]}")
    profile = []
    for code in usccs[:200]:
        t = time.perf_counter()
        response = client.get(f"/api/entities/{code}")
        profile.append(time.perf_counter() - t)
        assert response.status_code == 200
    rows.append(
        (
            f"`GET /api/entities/{{uscc}}` profile (HTTP), {len(profile)} random entities, p95",
            f"{_ms(_p(profile, 95))} (median {_ms(statistics.median(profile))})",
        )
    )

    plan = ""
    if connection.vendor == "postgresql":
        sql, params = entity_list(user=user, filters=EntityFilters(q="焦煤"))[
            :50
        ].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(r[0] for r in cursor.fetchall())

    # Last, as it leaves the registry twice the size: a million new rows into a registry that
    # holds a million. Removed again after it is timed: the figures after this one (plans,
    # coordination, draws, credit) are defined by issue 24 over `entities` rows.
    first_max = Entity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    t = time.perf_counter()
    more = entity_import(
        actor=SYSTEM_ACTOR,
        source_file=second,
        file_name="bench-2.csv",
        source=AuditSource.SYSTEM,
    )
    dt = time.perf_counter() - t
    assert more.rows_created == entities, (more.rows_created, more.errors[:3])
    rows.append(
        (
            f"import {entities:,} new entity rows into a registry that holds {entities:,} "
            "(issue 24's goal at 1,000,000: under 40 s)",
            f"{dt:.1f} s ({entities / dt:,.0f} rows/s)" + _ratio(dt, floor),
        )
    )
    removed, dt = _second_import_remove(first_max)
    rows.append(
        (
            f"(not a measured figure) the second import's {removed:,} entities and their bigrams "
            f"removed again, VACUUM (ANALYZE) of both tables: the figures below are over "
            f"{Entity.objects.count():,} entities",
            f"{dt:.1f} s",
        )
    )
    return rows, plan


def _second_import_remove(first_max: int) -> tuple[int, float]:
    """Delete the entities of the second import (ids above `first_max`, the first import's
    last) and their bigram rows, then VACUUM (ANALYZE) both tables (outside a transaction: the
    bench runs in autocommit). Nothing else can point at them yet (checked, for every relation
    to the entity table, so that a later bench step put earlier fails here loudly rather than
    leaving dangling rows); the import batch and its audit event stay, as a record of the
    import. Returns (entities deleted, seconds)."""
    from django.apps import apps
    from django.db import connection

    from anjian.entities.models import Entity, EntityNameGram

    t = time.perf_counter()
    for model in apps.get_models(include_auto_created=True):
        if model is EntityNameGram:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Entity:
                referencing = model._default_manager.filter(**{f"{f.attname}__gt": first_max})
                assert not referencing.exists(), (model._meta.label, f.name)
    entity, grams = Entity._meta.db_table, EntityNameGram._meta.db_table
    with connection.cursor() as cursor:
        # The bigram table has no index on the entity (by design): one sequential pass.
        cursor.execute(f"DELETE FROM {grams} WHERE entity_id > %s", [first_max])
        cursor.execute(f"DELETE FROM {entity} WHERE id > %s", [first_max])
        removed = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM (ANALYZE) {entity}, {grams}")
    return removed, time.perf_counter() - t


class _Rows(list):  # type: ignore[type-arg]
    """The results table, each row also written to stderr as it is measured: a run at a million
    rows takes many minutes, and an interrupted one should not lose what it measured."""

    def append(self, row: Any) -> None:
        print(" | ".join(row), file=sys.stderr, flush=True)
        super().append(row)


def _halves(path: Path, size: int) -> tuple[Path, Path]:
    """Split an import file after its first `size` data rows (the header goes to both)."""
    first, second = path.with_name("first.csv"), path.with_name("second.csv")
    with (
        path.open(encoding="utf-8-sig", newline="") as source,
        first.open("w", encoding="utf-8-sig", newline="") as a,
        second.open("w", encoding="utf-8-sig", newline="") as b,
    ):
        header = source.readline()
        a.write(header)
        b.write(header)
        for number, line in enumerate(source):
            (a if number < size else b).write(line)
    return first, second


def _copy_floor() -> float:
    """What the database alone takes for the rows just imported: the stored entity rows copied
    out to memory, then timed as a COPY into an unindexed table of the same columns, in the
    same run, on the same machine (issue 24: the import's goal is a ratio to this)."""
    import io

    from django.db import connection

    with connection.cursor() as cursor:
        buffer = io.BytesIO()
        with cursor.cursor.copy("COPY entities_entity TO STDOUT") as copy:
            for data in copy:
                buffer.write(data)
        cursor.execute("CREATE TEMPORARY TABLE bench_copy_floor (LIKE entities_entity)")
        t = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy_floor FROM STDIN") as copy:
            view = buffer.getbuffer()
            for i in range(0, len(view), 1 << 20):
                copy.write(view[i : i + (1 << 20)])
        elapsed = time.perf_counter() - t
        cursor.execute("DROP TABLE bench_copy_floor")
    return elapsed


def _ratio(seconds: float, floor: float | None) -> str:
    return "" if floor is None else f"; {seconds / floor:.1f}× the COPY floor"


def sqlite_hint() -> str:
    return os.environ.get("DATABASE_URL", "sqlite")


def search_benchmarks(*, client: Any, user: Any) -> list[tuple[str, str]]:
    """Only the search figures, over entities already loaded (`--search-only`)."""
    rows: list[tuple[str, str]] = []
    _search_timings(rows, client, user)
    return rows


def _search_timings(rows: list[tuple[str, str]], client: Any, user: Any) -> None:
    from anjian.entities.models import EntityNameGram
    from anjian.entities.search import query_grams, search_normalise
    from anjian.entities.selectors import EntityFilters, entity_list, entity_list_count

    # Search: the page's query (first 50 by name, plus the count the pager shows) and the API.
    page_times: dict[str, list[float]] = {}
    api_times: list[float] = []
    counts: dict[str, int] = {}
    # The count against its floor (issue 24): the page's capped count, and the same cap over
    # the query's bigram rows alone (an index-only scan), timed alternately.
    count_times: list[float] = []
    floor_times: list[float] = []
    for q in SEARCH_QUERIES:
        filters = EntityFilters(q=q)
        qs = entity_list(user=user, filters=filters)
        list(qs[:50])  # warm the cache for this query's pages
        page_times[q] = []
        bigrams = query_grams(search_normalise(q))
        for _ in range(20):
            t = time.perf_counter()
            first = list(qs[:50])
            # The list page counts at most 10,001, as the view does.
            t_count = time.perf_counter()
            counts[q] = entity_list_count(user=user, filters=filters, cap=10_000)
            done = time.perf_counter()
            page_times[q].append(done - t)
            assert first or counts[q] == 0
            if len(q) == 2:
                count_times.append(done - t_count)
                t = time.perf_counter()
                EntityNameGram.objects.filter(gram=bigrams[0])[:10_001].count()
                floor_times.append(time.perf_counter() - t)
        for _ in range(20):
            t = time.perf_counter()
            response = client.get("/api/entities", {"q": q, "limit": 50})
            api_times.append(time.perf_counter() - t)
            assert response.status_code == 200
    two = [q for q in SEARCH_QUERIES if len(q) == 2]
    two_char = [s for q in two for s in page_times[q]]
    rows.append(
        (
            "search by a two-character query, list page query (first 50, newest first, + count "
            "capped at 10,001), "
            f"p95 over {len(two_char)} runs of {', '.join(two)}",
            f"{_ms(_p(two_char, 95))} (median {_ms(statistics.median(two_char))})",
        )
    )
    rows.append(
        (
            "**the capped count of a two-character query against its floor** (the same cap "
            "over the query's bigram rows alone), medians over "
            f"{len(count_times)} runs",
            f"**{_ms(statistics.median(count_times))} / "
            f"{_ms(statistics.median(floor_times))} = "
            f"{statistics.median(count_times) / statistics.median(floor_times):.2f}×**",
        )
    )
    for q in SEARCH_QUERIES:
        rows.append(
            (
                f"… “{q}”: {counts[q]:,} matches, p95",
                _ms(_p(page_times[q], 95)),
            )
        )
    rows.append(
        (
            f"`GET /api/entities?q=…&limit=50` (HTTP, keyset page), p95 over {len(api_times)}",
            _ms(_p(api_times, 95)),
        )
    )
