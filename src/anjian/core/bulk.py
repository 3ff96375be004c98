"""Large reads and writes that the ORM makes row by row.

A province-wide random draw reads tens of thousands of entities by key and writes tens of
thousands of selections, tasks and team rows in one request (issue 8: a million-entity draw in
a few seconds). Two things made that slow through the ORM:

- `field__in=[...]` with 45,000 values sends 45,000 bind parameters, which PostgreSQL plans
  slowly and SQLite refuses beyond 32,766. The `in_array` lookup sends the whole list as ONE
  parameter: `= ANY(%s)` (an array) on PostgreSQL, `IN (SELECT value FROM json_each(%s))` on
  SQLite.
- `bulk_create` prepares every field of every model instance in Python. `insert_columns`
  inserts parallel columns with one `INSERT … SELECT FROM json_populate_recordset(…)` per table
  on PostgreSQL (one round trip, no model instances: the rows travel as one JSON parameter),
  and falls back to `bulk_create` elsewhere.

Both bypass nothing the database enforces: constraints, foreign keys and triggers apply as for
any insert.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import Lookup


class InArray(Lookup):
    """`field__in_array=values`: membership in a list sent as one parameter."""

    lookup_name = "in_array"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return list(self.rhs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
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
            from django.utils import timezone

            constants[f.attname] = timezone.now()
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
    db_names = [fields[name].column for name in names]
    constant_values = {
        fields[name].column: fields[name].get_db_prep_save(value, connection)
        for name, value in constants.items()
    }
    targets = [quote(c) for c in [*db_names, *constant_values]]
    # The rows travel as ONE json parameter that PostgreSQL turns into typed rows of the table
    # (json.dumps is C; psycopg's list adaptation is Python, a few µs per value).
    payload = json.dumps(
        [dict(zip(db_names, row, strict=True)) for row in zip(*columns.values(), strict=True)],
        ensure_ascii=False,
        default=str,
    )
    by_column: dict[Any, Any] = {f.column: f.db_type(connection) for f in meta.concrete_fields}
    casts = [by_column[c] for c in constant_values]
    selects = [f"r.{quote(c)}" for c in db_names] + [f"CAST(%s AS {t})" for t in casts]
    params: list[Any] = [*constant_values.values(), payload]
    pk = quote(str(meta.pk.column))  # type: ignore[union-attr,unused-ignore]
    table = quote(meta.db_table)
    # Table and column names come from the model, quoted; the values are parameters.
    columns_sql, selects_sql = ", ".join(targets), ", ".join(selects)
    sql = f"INSERT INTO {table} ({columns_sql}) SELECT {selects_sql} FROM json_populate_recordset(NULL::{table}, %s) AS r"  # noqa: E501, S608
    with connection.cursor() as cursor:
        if returning:
            back = ", ".join([pk, *(quote(fields[r].column) for r in returning)])
            cursor.execute(f"{sql} RETURNING {back}", params)
            return [tuple(row) for row in cursor.fetchall()]
        cursor.execute(sql, params)
    return []
