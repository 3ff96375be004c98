"""Large reads and writes that the ORM makes row by row.

A province-wide random draw reads tens of thousands of entities by key and writes tens of
thousands of selections, tasks and team rows in one request (issue 8: a million-entity draw in
a few seconds). Two things made that slow through the ORM:

- `field__in=[...]` with 45,000 values sends 45,000 bind parameters, which PostgreSQL plans
  slowly and SQLite refuses beyond 32,766. The `in_array` lookup sends the whole list as ONE
  parameter: `= ANY(%s)` (an array) on PostgreSQL, `IN (SELECT value FROM json_each(%s))` on
  SQLite.
- `bulk_create` prepares every field of every model instance in Python and sends every value
  as a bind parameter. `insert_columns` streams parallel columns into the table with one
  `COPY … FROM STDIN` on PostgreSQL (no model instances, no INSERT to plan), and falls back to
  `bulk_create` elsewhere.

Both bypass nothing the database enforces: constraints, foreign keys and triggers apply as for
any insert.

A third cost was Python's own: `gc_paused` keeps the cyclic garbage collector from walking a
million freshly read rows again and again while a draw holds them.
"""

from __future__ import annotations

import datetime
import gc
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.db.models import Lookup
from psycopg import sql as psycopg_sql

from anjian.core import clock


class InArray(Lookup):
    """`field__in_array=values`: membership in a list sent as one parameter.

    `values` may also be a one-column queryset: on PostgreSQL it is then read into an array
    first (`= ANY(ARRAY(subquery))`, an InitPlan), so that a few thousand keys are looked up by
    index, where `IN (subquery)` lets the planner hash-join them against a sequential scan of
    the whole table; and the list never travels through Python."""

    lookup_name = "in_array"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        return list(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if hasattr(self.rhs, "resolve_expression"):
            rhs, rhs_params = compiler.compile(self.rhs)
            if not rhs.startswith("("):
                rhs = f"({rhs})"
            if connection.vendor == "postgresql":
                return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
            return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]
        values = list(self.rhs)
        if not values:
            return "1 = 0", list(lhs_params)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return (
            f"{lhs} IN (SELECT value FROM json_each(%s))",  # noqa: S608 (lhs is a column)
            [*lhs_params, json.dumps(values)],
        )


models.Field.register_lookup(InArray)
models.ForeignObject.register_lookup(InArray)  # foreign keys keep a lookup registry of their own


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (usable as a decorator: `@gc_paused()`).

    CPython starts a collection every few hundred new container objects, and every tenth of
    those walks the middle generation, every tenth of *those* every object alive. A draw holds
    a million rows of tuples read from the database: measured on the bench's registry, the
    collector's walks made reading the directory take 2.9 to 4.3 s instead of 2.3 s. The rows
    hold no reference cycles (tuples of integers and text), so nothing is lost by waiting:
    the collector runs again when the block ends, and reference counting frees everything
    else as usual meanwhile. Nested and concurrent blocks (threads of one server process)
    share one count, and the collector comes back only when the last block ends, and only if
    it was on before the first began.
    """
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.enable()


def keys_take(table: str, pk_column: str, n: int) -> list[int]:
    """`n` new keys from the table's identity sequence (PostgreSQL), as its inserts would take
    them: for rows written by COPY, which returns nothing, so that the caller knows each row's
    key without reading the rows back. Other sessions' inserts meanwhile take other values."""
    with connection.cursor() as cursor:
        return keys_next(cursor.cursor, serial_sequence(cursor, table, pk_column), n)


def serial_sequence(cursor: Any, table: str, pk_column: str) -> str:
    """The name of the sequence behind a table's key: asked once, not per row
    (`pg_get_serial_sequence` per row was two thirds of the time of taking keys)."""
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), pk_column]
    )
    return str(cursor.fetchone()[0])


def keys_next(raw: Any, sequence: str, n: int) -> list[int]:
    """`keys_take` on a psycopg cursor given: for a thread writing on the connection of the
    request that started it (Django's connections belong to the thread that opened them).

    The keys come back as one array value, which psycopg reads in C: a result row or a COPY
    line per key cost about 0.9 s of Python per million keys (one message each), 0.07 s so."""
    if n <= 0:
        return []
    query = psycopg_sql.SQL(
        "SELECT array_agg(nextval({sequence}::regclass)) FROM generate_series(1, {n})"
    ).format(sequence=sequence, n=int(n))
    raw.execute(query)
    keys: list[int] = raw.fetchone()[0]
    return keys


def column_values(query: str) -> list[str]:
    """The values of a one-column query (PostgreSQL) as text: for values with no new line in
    them (numbers, codes). They come back joined into one text value and are split here: a
    million of them as result rows, or as COPY's lines (a message each), took about 0.9 s of
    Python; this takes 0.1 s."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg(v::text, E'\\n') FROM ({query}) AS c(v)")  # noqa: S608
        text = cursor.fetchone()[0]
    return [] if text is None else text.split("\n")


def insert_columns(
    model: type[models.Model],
    columns: dict[str, Sequence[Any]],
    *,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert one row per position of the parallel `columns` (field attnames: `entity_id`, not
    `entity`). Fields not given take their model default, which must be a constant or a
    callable without arguments (evaluated once for all rows). With `returning` (attnames),
    returns one tuple (pk, *those fields) per new row, in no promised order: callers match
    rows by the returned fields."""
    names = list(columns)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError("the columns must have the same length")
    n = lengths.pop() if lengths else 0
    if n == 0:
        return []
    meta = model._meta
    fields: dict[str, Any] = {f.attname: f for f in meta.concrete_fields}
    constants: dict[str, Any] = {}
    for f in meta.concrete_fields:
        if f.attname in columns or f.primary_key:
            continue
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            constants[f.attname] = clock.now()
        else:
            constants[f.attname] = f.get_default()  # the default, else "" or None as Django does
    if connection.vendor != "postgresql":
        made = model._default_manager.bulk_create(
            [model(**{**constants, **{k: columns[k][i] for k in names}}) for i in range(n)],
            batch_size=2000,
        )
        if not returning:
            return []
        return [(m.pk, *(getattr(m, r) for r in returning)) for m in made]
    quote = connection.ops.quote_name
    pk_column = str(meta.pk.column)  # type: ignore[union-attr,unused-ignore]
    table = meta.db_table
    values: dict[str, Sequence[Any]] = {}  # by table column, as they go to the database
    keys: list[Any] = []
    if returning:
        # COPY returns nothing, so the new rows' keys are taken from the table's own identity
        # sequence first (as the inserts would take them) and written with the rows.
        keys = keys_take(table, pk_column, n)
        values[pk_column] = keys
    for name in names:
        field = fields[name]
        db_column: str = field.column
        if isinstance(field, models.JSONField):
            # As text, COPY hands the value to jsonb's own input function. One encoder for
            # the column (json.dumps would make one per value).
            encode = (field.encoder or json.JSONEncoder)(ensure_ascii=False).encode
            values[db_column] = [encode(v) for v in columns[name]]
        else:
            values[db_column] = columns[name]
    constant_cells: dict[str, list[str] | None] = {}
    for name, value in constants.items():
        field = fields[name]
        prepared = field.get_db_prep_save(value, connection)
        values[field.column] = [prepared] * n
        one = _copy_cells([prepared], 1)
        constant_cells[field.column] = None if one is None else one * n
    # COPY is PostgreSQL's bulk load: one stream of text rows, parsed by the server without
    # planning an INSERT (three times faster than a multi-row INSERT for a draw's 45,000
    # selections). Table and column names come from the model, quoted.
    targets = ", ".join(quote(c) for c in values)
    cells = [
        constant_cells[c] if c in constant_cells else _copy_cells(column, n)
        for c, column in values.items()
    ]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor  # the psycopg cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {quote(table)} ({targets}) FROM STDIN") as copy:
            if all(c is not None for c in cells):
                # The whole payload as one text, joined in C: a tuple per row through
                # psycopg's adapters cost more Python time than the server's work.
                lines = map("\t".join, zip(*cells, strict=True)) if len(cells) > 1 else cells[0]
                copy.write(("\n".join(lines) + "\n").encode())  # type: ignore[arg-type]
            else:  # a type the text path does not format: psycopg adapts each value
                write = copy.write_row
                for row in zip(*values.values(), strict=True):
                    write(row)
    if not returning:
        return []
    # The values as the caller gave them (or the defaults), as bulk_create's instances hold them.
    back = [keys, *(columns[r] if r in columns else [constants[r]] * n for r in returning)]
    return [tuple(row) for row in zip(*back, strict=True)]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_cells(column: Sequence[Any], n: int) -> list[str] | None:
    """One column's values as COPY text cells (`\\N` for NULL, text escaped); None when a
    value is of a type formatted otherwise (psycopg then adapts the rows one by one)."""
    kinds = set(map(type, column))
    if len(kinds) == 1 and len(column) == n:
        (kind,) = kinds
        if kind is str:
            # Escaped once over the joined column: NUL cannot be in PostgreSQL text, so it
            # cannot be in a value and can separate them.
            joined = "\x00".join(column)
            if joined.count("\x00") != n - 1:
                return None
            return joined.translate(_COPY_ESCAPES).split("\x00")
        if kind is int:
            return list(map(str, column))
        if kind is bool:
            return ["t" if v else "f" for v in column]
        if kind is float:
            return list(map(repr, column))
        if kind is datetime.date or kind is datetime.datetime:
            return [v.isoformat() for v in column]
    if kinds <= {type(None)} | {int} and kinds:
        return ["\\N" if v is None else str(v) for v in column]
    if kinds <= {type(None), datetime.date} and kinds:
        return ["\\N" if v is None else v.isoformat() for v in column]
    if kinds <= {type(None), str} and kinds:
        return ["\\N" if v is None else v.translate(_COPY_ESCAPES) for v in column]
    return None
