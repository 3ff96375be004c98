"""Bulk inserts of new entities for the import.

Generic path (SQLite, and small files on PostgreSQL): one executemany of plain tuples, then the
bigrams the same way; Django's bulk_create spent most of an import building SQL per object.
PostgreSQL path for large files: COPY the rows, then derive the search bigrams inside the
database, so a million-row file does not cross the wire twice.

Both paths only insert entities that are not registered yet, with every field as the file's row
has it (a column the file does not have gives the default). Changes to registered entities go
through `importing._entities_update`, which writes only the columns the file carries.

The bigram rule here must match `search.grams_of` exactly: pairs of adjacent characters of the
normalised search text, never across the separator, each pair as (code point 1 << 21) | code
point 2, distinct per entity. `tests/entities/test_search.py` checks the two agree.
"""

from __future__ import annotations

import itertools
import json
import operator
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from anjian.core import clock
from anjian.core.bulk import keys_take
from anjian.entities.models import Entity, EntityNameGram
from anjian.entities.search import SEPARATOR, STOP_GRAMS, grams_of, search_texts_of
from anjian.entities.validation import EntityValues

# The credit grade is not a registry value (credit computes it): a new entity starts ungraded.
_COLUMNS = ("uscc", *EntityValues.FIELDS, "credit_grade", "search_text", "created_at", "updated_at")
_FIELDS = operator.attrgetter("uscc", *EntityValues.FIELDS)  # one C call per row
_FORMER = _COLUMNS.index("former_names")
_DATES = [_COLUMNS.index(n) for n in ("established_on", "observation_start", "observation_end")]
# Above this many new rows, PostgreSQL takes them by COPY.
COPY_FROM = 5000


def _row(v: EntityValues, search_text: str, now: Any, *, sqlite: bool) -> tuple[Any, ...]:
    """The values in `_COLUMNS` order, as the database driver takes them (JSON as text; dates
    as ISO text for SQLite, whose driver no longer adapts them by default)."""
    out = list(_FIELDS(v))
    out[_FORMER] = json.dumps(out[_FORMER], ensure_ascii=False)
    if sqlite:
        for i in _DATES:
            if out[i] is not None:
                out[i] = out[i].isoformat()
    out += ("", search_text, now, now)
    return tuple(out)


def entities_insert(values: Sequence[EntityValues]) -> None:
    """Insert new entities and their bigrams (credit codes known not to exist yet).

    Works from the checked values directly: building a model instance per row cost more than
    the database's own work on a large file.
    """
    if not values:
        return
    texts = search_texts_of([v.name for v in values], [v.former_names for v in values])
    if connection.vendor == "postgresql" and len(values) > COPY_FROM:
        _entities_copy(values, texts)
        # Fresh statistics at once, so the next search plans with the new rows counted.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Entity._meta.db_table}, {EntityNameGram._meta.db_table}")
        return
    sqlite = connection.vendor == "sqlite"
    now = connection.ops.adapt_datetimefield_value(clock.now())
    table = connection.ops.quote_name(Entity._meta.db_table)
    gram_table = connection.ops.quote_name(EntityNameGram._meta.db_table)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({marks})",  # noqa: S608
            [_row(v, t, now, sqlite=sqlite) for v, t in zip(values, texts, strict=True)],
        )
        ids: dict[str, int] = {}
        codes = [v.uscc for v in values]
        for i in range(0, len(codes), 900):
            ids.update(Entity.objects.filter(uscc__in=codes[i : i + 900]).values_list("uscc", "id"))
        cursor.executemany(
            f"INSERT INTO {gram_table} (gram, entity_id) VALUES (%s, %s)",  # noqa: S608
            [(g, ids[v.uscc]) for v, t in zip(values, texts, strict=True) for g in grams_of(t)],
        )


def _entities_copy(values: Sequence[EntityValues], texts: Sequence[str]) -> None:
    """COPY the new rows with keys taken from the sequence first, so that the bigram rows are
    built while the server is still taking the entity rows (psycopg's queued writer sends them
    from a thread of its own) and no row is read back for its key."""
    table = Entity._meta.db_table
    gram_table = EntityNameGram._meta.db_table
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        (start_after,) = cursor.fetchone()
        first_load = start_after == 0 and _may_alter(cursor, table)
        rebuild = _entity_keys_drop(cursor, table) if first_load else None
        grams_first = _gram_table_empty(cursor, gram_table) and _may_alter(cursor, gram_table)
        ids = keys_take(table, "id", len(values))
        with cursor.cursor.copy(
            f"COPY {table} (id, {', '.join(_COLUMNS)}) FROM STDIN",
            writer=QueuedLibpqWriter(cursor.cursor),
        ) as copy:
            for chunk in _copy_text(values, texts, now, ids):
                copy.write(chunk)
            if rebuild is None:
                # The server is still inserting into the table's keys what the writer's thread
                # sends: meanwhile, the bigram rows here.
                grams, entity_ids = _gram_rows(texts, ids, ordered=not grams_first)
        if rebuild is not None:
            # The server builds the entity table's keys while the bigram rows are built here
            # (the COPY of an unindexed table is over as soon as the rows are sent).
            grams, entity_ids = _alongside(
                lambda: _entity_keys_build(cursor.cursor, rebuild),
                lambda: _gram_rows(texts, ids, ordered=not grams_first),
            )
        if grams_first:
            _grams_first_load(cursor, gram_table, grams, entity_ids)
        else:
            _gram_copy(cursor, gram_table, grams, entity_ids)


def _gram_rows(
    texts: Sequence[str], ids: Sequence[int], *, ordered: bool
) -> tuple[np.ndarray, np.ndarray]:
    grams, entity_ids = gram_columns(texts, ids)
    if ordered:
        # Into the live key in the key's own order: at a million entities its B-tree outgrows
        # memory, and insertion in (gram, entity) order touches each of its pages once instead
        # of at random; no temporary table, no sort on the server.
        order = np.lexsort((entity_ids, grams))
        grams, entity_ids = grams[order], entity_ids[order]
    return grams, entity_ids


_T = TypeVar("_T")


def _alongside(server: Callable[[], object], here: Callable[[], _T]) -> _T:
    """Run `server` (statements on the import's own connection, which nothing else uses
    meanwhile) in a thread while `here` runs in this one: the thread only waits for the server,
    so the two overlap. An error in either is raised here, after both have stopped."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server()
        except BaseException as exc:  # raised again in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="anjian-import-keys")
    thread.start()
    try:
        result = here()
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return result


# Above this many stored rows named by a file, PostgreSQL compares them with the file's rows.
COMPARE_FROM = 5000


def entities_unchanged(values: Sequence[EntityValues]) -> set[str]:
    """The credit codes among `values` whose stored entity already holds exactly these values
    in every field of `EntityValues.FIELDS` (PostgreSQL only).

    The rows go by COPY into a temporary table of the entity table's own column types, and one
    join compares them with the stored rows, column by column (`IS NOT DISTINCT FROM`: the
    empty dates compare equal). Asking for the stored rows in thousand-code chunks and
    comparing them field by field in Python was most of a re-import of an unchanged file. A row
    found here is certainly unchanged; every other row goes through the row-by-row comparison
    as before (the masked legal representative, the jurisdiction of the stored entity), so a
    row this misses costs time, never a wrong result."""
    if not values:
        return set()
    table = Entity._meta.db_table
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE anjian_import_rows ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY anjian_import_rows ({columns}) FROM STDIN") as copy:
            for chunk in _copy_text(values, [""] * len(values), clock.now()):
                copy.write(chunk)
        cursor.execute(
            f"SELECT f.uscc FROM anjian_import_rows f JOIN {table} e ON e.uscc = f.uscc "  # noqa: S608
            f"WHERE ROW(e.{', e.'.join(EntityValues.FIELDS)}) "
            f"IS NOT DISTINCT FROM ROW(f.{', f.'.join(EntityValues.FIELDS)})"
        )
        same = {uscc for (uscc,) in cursor.fetchall()}
        cursor.execute("DROP TABLE anjian_import_rows")
    return same


_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"
# The column order `_copy_text` writes; a change to EntityValues.FIELDS must change both
# (tests/entities/test_import_copy.py).
COPY_TEXT_FIELDS = (
    "name",
    "former_names",
    "industry",
    "sub_sector",
    "region_id",
    "address",
    "legal_representative",
    "business_status",
    "scale",
    "established_on",
    "key_supervision",
    "new_business_form",
    "observation_start",
    "observation_end",
    "major_hazard_source",
    "risk_level",
    "standardisation_grade",
)


def _copy_text(
    values: Sequence[EntityValues],
    texts: Sequence[str],
    now: Any,
    ids: Sequence[int] | None = None,
) -> Iterator[str]:
    """The entity rows in COPY's text format, `_COLUMNS` order (after the key, if `ids` are
    given), in large chunks.

    One f-string per row instead of a tuple per row handed to psycopg's `write_row`: that pair
    was three times the Python time of this, and Python was the import's bottleneck. Free text
    is escaped (backslash, tab, newline, carriage return) only in the rare row that has one;
    tests/entities/test_import_copy.py checks the stored values against the generic path.
    """
    stamp = now.isoformat()
    lines: list[str] = []
    keys = (f"{i}\t" for i in ids) if ids is not None else itertools.repeat("")
    for v, text, key in zip(values, texts, keys, strict=False):
        former = json.dumps(v.former_names, ensure_ascii=False) if v.former_names else "[]"
        name, address, person = v.name, v.address, v.legal_representative
        if _SPECIAL.search(f"{name}{address}{person}{former}{text}"):
            name, address, person, former, text = (
                part.translate(_ESCAPE) for part in (name, address, person, former, text)
            )
        founded, start, end = v.established_on, v.observation_start, v.observation_end
        lines.append(
            f"{key}{v.uscc}\t{name}\t{former}\t{v.industry}\t{v.sub_sector}\t{v.region_id}\t"
            f"{address}\t{person}\t{v.business_status}\t{v.scale}\t"
            f"{founded.isoformat() if founded else _NULL}\t"
            f"{'t' if v.key_supervision else 'f'}\t{'t' if v.new_business_form else 'f'}\t"
            f"{start.isoformat() if start else _NULL}\t{end.isoformat() if end else _NULL}\t"
            f"{'t' if v.major_hazard_source else 'f'}\t{v.risk_level}\t"
            f"{v.standardisation_grade}\t\t"
            f"{text}\t{stamp}\t{stamp}\n"
        )
        if len(lines) >= 20_000:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)


def _entity_keys_drop(cursor: Any, table: str) -> list[str] | None:
    """Before the first load of an empty registry: drop the entity table's secondary indexes,
    unique constraints and outgoing foreign keys, and return the statements that build them
    again. As pg_restore does: one sort per index after the COPY instead of a million B-tree
    insertions each, and one join to validate the county key instead of a million deferred
    checks at commit. The primary key stays (ids arrive in order at its right edge). Read from
    the catalog, so that a later migration's index is rebuilt too. None if the table is not
    empty after all (a concurrent first import): then nothing is dropped. Only the table's
    owner may do this: a deployment's application role imports through the ordinary path, and
    the province's first load is run by the operator as the owner (docs/PERFORMANCE.md)."""
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
    if cursor.fetchone()[0]:
        return None
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid "
        "AND c.conrelid = i.indrelid) ORDER BY 1",
        [table],
    )
    indexes = cursor.fetchall()
    build: list[str] = []
    for name, _kind, definition in constraints:  # unique first ('u' > 'f'), then foreign keys
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        build.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
        build.insert(0, definition)
    return build


def _entity_keys_build(cursor: Any, statements: list[str]) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for statement in statements:
        cursor.execute(statement)


# Entities per block of the vectorised bigram build: block index (21 bits) and bigram (42 bits)
# share one int64 key for the per-entity distinct step.
_GRAM_BLOCK = 1 << 20
_STOP = np.fromiter(STOP_GRAMS, dtype=np.int64)
# PostgreSQL's binary COPY: header, then per row a field count and two (length, int8) fields.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
_COPY_TRAILER = b"\xff\xff"
_GRAM_ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("g", ">i8"), ("l2", ">i4"), ("e", ">i8")])


def gram_columns(texts: Sequence[str], ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The bigram rows of many entities at once, as two int64 columns (gram, entity id).

    The same rule as `search.grams_of`, on arrays: the texts are joined with the separator, so
    that no pair crosses from one entity (or one name) to the next; each pair of adjacent code
    points is one 42-bit number; stop bigrams are dropped; a sort of (entity, gram) keys
    keeps each bigram once per entity. Building the same rows one Python string at a time was a
    quarter of a million-row import.
    """
    grams_out: list[np.ndarray] = []
    ids_out: list[np.ndarray] = []
    all_ids = np.asarray(ids, dtype=np.int64)
    for start in range(0, len(texts), _GRAM_BLOCK):
        block = texts[start : start + _GRAM_BLOCK]
        joined = SEPARATOR.join(block) + SEPARATOR
        encoded = joined.encode("utf-32-le", "surrogatepass")
        points = np.frombuffer(encoded, dtype=np.uint32).astype(np.int64)
        lengths = np.fromiter((len(t) + 1 for t in block), dtype=np.int64, count=len(block))
        owner = np.repeat(np.arange(len(block), dtype=np.int64), lengths)
        sep = ord(SEPARATOR)
        left, right = points[:-1], points[1:]
        keep = (left != sep) & (right != sep)
        codes = ((left << 21) | right)[keep]
        owners = owner[:-1][keep]
        useful = ~np.isin(codes, _STOP)
        keys = _distinct((owners[useful] << 42) | codes[useful])
        grams_out.append(keys & ((1 << 42) - 1))
        ids_out.append(all_ids[start:][keys >> 42])
    if not grams_out:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(grams_out), np.concatenate(ids_out)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct keys, sorted. Not `np.unique`: NumPy 2.4 answers it with a hash table that
    took 5 s on the million keys a sort and a neighbour comparison handle in 60 ms."""
    if not len(keys):
        return keys
    ordered = np.sort(keys)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _gram_copy(cursor: Any, table: str, grams: np.ndarray, ids: np.ndarray) -> None:
    """COPY the bigram rows in PostgreSQL's binary format, built as one NumPy record array: no
    text to format on this side, none to parse on the server's."""
    rows = np.empty(len(grams), dtype=_GRAM_ROW)
    rows["n"], rows["l1"], rows["g"], rows["l2"], rows["e"] = 2, 8, grams, 8, ids
    with cursor.cursor.copy(f"COPY {table} (gram, entity_id) FROM STDIN (FORMAT BINARY)") as copy:
        copy.write(_COPY_HEADER)
        step = 1 << 20
        for i in range(0, len(rows), step):
            copy.write(rows[i : i + step].tobytes())
        copy.write(_COPY_TRAILER)


def _gram_table_empty(cursor: Any, gram_table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {gram_table})")  # noqa: S608
    return bool(cursor.fetchone()[0])


def _may_alter(cursor: Any, table: str) -> bool:
    """Whether the connected role may drop and re-add the table's key: only its owner may. The
    application role of a deployment is not (docs/security.md, "Database roles"), so it loads
    through the unindexed temporary table instead."""
    cursor.execute(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.oid = %s::regclass",
        [table],
    )
    return bool(cursor.fetchone()[0])


def _grams_first_load(cursor: Any, gram_table: str, grams: np.ndarray, ids: np.ndarray) -> None:
    """The first load of an empty registry: rows first, key after, as pg_restore does. Building
    the B-tree from sorted input once is far cheaper than growing it row by row."""
    key = _gram_key_drop(cursor, gram_table)
    _gram_copy(cursor, gram_table, grams, ids)
    _gram_key_build(cursor, gram_table, key)


def _gram_key_drop(cursor: Any, gram_table: str) -> str:
    """Drop the (empty) bigram table's key for a first load; returns its name. The table is
    locked for the rest of the transaction; it was empty, so no search is kept waiting for
    anything it could have found."""
    cursor.execute(f"LOCK TABLE {gram_table} IN ACCESS EXCLUSIVE MODE")
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
        [gram_table],
    )
    (key,) = cursor.fetchone()
    cursor.execute(f"ALTER TABLE {gram_table} DROP CONSTRAINT {key}")
    return str(key)


def _gram_key_build(cursor: Any, gram_table: str, key: str) -> None:
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute(f"ALTER TABLE {gram_table} ADD CONSTRAINT {key} PRIMARY KEY (gram, entity_id)")
