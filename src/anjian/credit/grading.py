"""The recomputation of grades in the database. One statement scores every entity (or some)
from its counted records into a temporary table: the score, the computed grade and the grade in
force (an approved override's while it lasts). From there only what differs is written: the
rows of `credit_entitycredit` that changed (or were computed for another day), the missing ones
inserted, and the registry's grade (`entities_entity.credit_grade`, which plans and draws read)
where it differs. docs/algorithms/credit.md.

The values never leave the database, so there is nothing to COPY in: the server fills the
temporary table itself, and it is applied with one `UPDATE … FROM` and one `INSERT … SELECT`
as the registry import applies its COPY. What that saves over the former single upsert:
rewriting rows that did not change, and a speculative insertion for each of a million rows
that cannot conflict on the first night (docs/PERFORMANCE.md, "Credit grades").

`explain` is the same computation for one entity in Python, record by record: what the
entity's page shows and what the tests compare with the statement.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from anjian.core import clock
from anjian.credit.models import CreditRecord, GradeOverride, OverrideStatus, RecordStatus
from anjian.credit.scoring import Scoring, scoring

TEMP = "credit_grading_run"


def _grade_sql(expr: str, s: Scoring) -> str:
    a, b, c = (int(s.grades[g]) for g in ("A", "B", "C"))
    return (
        f"CASE WHEN {expr} >= {a} THEN 'A' WHEN {expr} >= {b} THEN 'B' "
        f"WHEN {expr} >= {c} THEN 'C' ELSE 'D' END"
    )


def _ids_sql(column: str, ids: Sequence[int] | None) -> str:
    if ids is None:
        return ""
    return f" AND {column} IN ({','.join(str(int(i)) for i in ids) or 'NULL'})"


def recompute_sql(
    *, entity_ids: Sequence[int] | None, today: datetime.date
) -> list[tuple[str, list[Any]]]:
    """The statements of one recomputation, in order, with their params: the new values into
    a temporary table, the rows of `credit_entitycredit` that changed updated and the missing
    ones inserted, the registry's grade updated where it differs, the table dropped."""
    s = scoring()
    ops = connection.ops
    day = ops.adapt_datefield_value(today)
    now = ops.adapt_datetimefield_value(clock.now())
    base = int(s.base)
    raw = f"({base} + COALESCE(s.w, 0))"
    score = f"CASE WHEN {raw} > 100 THEN 100 WHEN {raw} < 0 THEN 0 ELSE {raw} END"
    # Only integers from the settings and the ids go into the text; dates are parameters.
    compute = f"""
CREATE TEMPORARY TABLE {TEMP} AS
SELECT x.id AS entity_id, x.region_id AS region_id, x.score AS score,
       {_grade_sql("x.score", s)} AS computed_grade,
       COALESCE(o.grade, {_grade_sql("x.score", s)}) AS grade, x.n AS records_counted,
       c.entity_id IS NOT NULL AS known
FROM (
    SELECT e.id AS id, e.region_id AS region_id, {score} AS score, COALESCE(s.n, 0) AS n
    FROM entities_entity e
    LEFT JOIN (
        SELECT entity_id, SUM(weight) AS w, COUNT(*) AS n
        FROM credit_creditrecord
        WHERE status = 'active' AND occurred_on <= %s AND counts_until > %s
              {_ids_sql("entity_id", entity_ids)}
        GROUP BY entity_id
    ) s ON s.entity_id = e.id
    WHERE 1 = 1 {_ids_sql("e.id", entity_ids)}
) x
LEFT JOIN (
    SELECT entity_id, MAX(grade) AS grade
    FROM credit_gradeoverride
    WHERE status = 'approved' AND ends_on >= %s {_ids_sql("entity_id", entity_ids)}
    GROUP BY entity_id
) o ON o.entity_id = x.id
LEFT JOIN credit_entitycredit c ON c.entity_id = x.id
"""  # noqa: S608
    # Only the rows that differ are written: a row rewritten unchanged costs as much as a
    # changed one (a new tuple, its index entries, its log), and most rows do not change.
    update = f"""
UPDATE credit_entitycredit SET
    region_id = n.region_id, score = n.score, computed_grade = n.computed_grade,
    grade = n.grade, records_counted = n.records_counted, computed_at = %s, computed_on = %s
FROM {TEMP} n
WHERE n.known AND n.entity_id = credit_entitycredit.entity_id
  AND (credit_entitycredit.computed_on <> %s OR credit_entitycredit.score <> n.score
       OR credit_entitycredit.grade <> n.grade
       OR credit_entitycredit.computed_grade <> n.computed_grade
       OR credit_entitycredit.records_counted <> n.records_counted
       OR credit_entitycredit.region_id <> n.region_id)
"""  # noqa: S608
    insert = f"""
INSERT INTO credit_entitycredit
    (entity_id, region_id, score, computed_grade, grade, records_counted, computed_at, computed_on)
SELECT n.entity_id, n.region_id, n.score, n.computed_grade, n.grade, n.records_counted, %s, %s
FROM {TEMP} n
WHERE NOT n.known
"""  # noqa: S608
    registry = f"""
UPDATE entities_entity SET credit_grade = n.grade
FROM {TEMP} n
WHERE n.entity_id = entities_entity.id AND n.grade <> entities_entity.credit_grade
"""  # noqa: S608
    statements: list[tuple[str, list[Any]]] = [
        (f"DROP TABLE IF EXISTS {TEMP}", []),
        (compute, [day, day, day]),
    ]
    if connection.vendor == "postgresql":
        # A new table has no statistics: without them the joins below are planned for a
        # handful of rows (nested loops over a million).
        statements.append((f"ANALYZE {TEMP}", []))
    statements += [
        (update, [now, day, day]),
        (insert, [now, day]),
        (registry, []),
        (f"DROP TABLE {TEMP}", []),
    ]
    return statements


def recompute(
    *, entity_ids: Sequence[int] | None = None, today: datetime.date | None = None
) -> int:
    """Score and grade `entity_ids` (None: every entity) for `today`; the number of entities
    whose grade in force changed in the registry. The caller holds the transaction."""
    day = today or clock.today()
    *steps, (registry, params), drop = recompute_sql(entity_ids=entity_ids, today=day)
    with connection.cursor() as cursor:
        for sql, step_params in steps:
            cursor.execute(sql, step_params)
        cursor.execute(registry, params)
        changed = int(cursor.rowcount or 0)
        cursor.execute(*drop)
    return changed


def plain_aggregate(*, today: datetime.date) -> int:
    """The plain SQL aggregate of the same records (the bench's yardstick): the number of
    entities that have records counted."""
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT entity_id, SUM(weight) FROM credit_creditrecord "
            "WHERE status = 'active' AND occurred_on <= %s AND counts_until > %s "
            "GROUP BY entity_id) t",
            [day, day],
        )
        return int(cursor.fetchone()[0])


@dataclass
class Contribution:
    record: CreditRecord
    weight: int
    running: int  # base + the weights up to this record (before clamping)


@dataclass
class Explanation:
    base: int
    contributions: list[Contribution]
    not_counted: list[CreditRecord]
    score: int
    computed_grade: str
    override: GradeOverride | None
    grade: str
    thresholds: dict[str, int]

    @property
    def total(self) -> int:
        return sum(c.weight for c in self.contributions)


def counted(record: CreditRecord, day: datetime.date) -> bool:
    return record.status == RecordStatus.ACTIVE and record.occurred_on <= day < record.counts_until


def override_in_force(entity_id: int, day: datetime.date) -> GradeOverride | None:
    return (
        GradeOverride.objects.filter(
            entity_id=entity_id, status=OverrideStatus.APPROVED, ends_on__gte=day
        )
        .select_related("proposed_by", "decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def explain(entity: Any, *, today: datetime.date | None = None) -> Explanation:
    """The grade of `entity` record by record, oldest first, as the statement computes it."""
    day = today or clock.today()
    s = scoring()
    records = list(CreditRecord.objects.filter(entity=entity).order_by("occurred_on", "id"))
    running = s.base
    contributions = []
    not_counted = []
    for record in records:
        if counted(record, day):
            running += record.weight
            contributions.append(Contribution(record=record, weight=record.weight, running=running))
        else:
            not_counted.append(record)
    score = s.score(c.weight for c in contributions)
    computed = s.grade(score)
    override = override_in_force(entity.pk, day)
    return Explanation(
        base=s.base,
        contributions=contributions,
        not_counted=not_counted,
        score=score,
        computed_grade=computed,
        override=override,
        grade=override.grade if override else computed,
        thresholds=dict(s.grades),
    )
