"""The recomputation of grades in the database: one statement scores every entity (or some)
from its counted records and stores the score, the computed grade and the grade in force
(an approved override's while it lasts); a second writes the grade in force to the registry
(`entities_entity.credit_grade`, which plans and draws read). docs/algorithms/credit.md.

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
) -> tuple[str, str, list[Any], list[Any]]:
    """The two statements (upsert of the scores, update of the registry) and their params."""
    s = scoring()
    ops = connection.ops
    day = ops.adapt_datefield_value(today)
    now = ops.adapt_datetimefield_value(clock.now())
    base = int(s.base)
    raw = f"({base} + COALESCE(s.w, 0))"
    score = f"CASE WHEN {raw} > 100 THEN 100 WHEN {raw} < 0 THEN 0 ELSE {raw} END"
    # Only integers from the settings and the ids go into the text; dates are parameters.
    upsert = f"""
INSERT INTO credit_entitycredit
    (entity_id, region_id, score, computed_grade, grade, records_counted, computed_at, computed_on)
SELECT x.id, x.region_id, x.score, {_grade_sql("x.score", s)},
       COALESCE(o.grade, {_grade_sql("x.score", s)}), x.n, %s, %s
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
WHERE 1 = 1
ON CONFLICT (entity_id) DO UPDATE SET
    region_id = excluded.region_id, score = excluded.score,
    computed_grade = excluded.computed_grade, grade = excluded.grade,
    records_counted = excluded.records_counted, computed_at = excluded.computed_at,
    computed_on = excluded.computed_on
"""  # noqa: S608
    update = f"""
UPDATE entities_entity SET credit_grade = c.grade
FROM credit_entitycredit c
WHERE c.entity_id = entities_entity.id AND c.grade <> entities_entity.credit_grade
      {_ids_sql("c.entity_id", entity_ids)}
"""  # noqa: S608
    return upsert, update, [now, day, day, day, day], []


def recompute(
    *, entity_ids: Sequence[int] | None = None, today: datetime.date | None = None
) -> int:
    """Score and grade `entity_ids` (None: every entity) for `today`; the number of entities
    whose grade in force changed in the registry. The caller holds the transaction."""
    day = today or clock.today()
    upsert, update, params, update_params = recompute_sql(entity_ids=entity_ids, today=day)
    with connection.cursor() as cursor:
        cursor.execute(upsert, params)
        cursor.execute(update, update_params)
        return int(cursor.rowcount or 0)


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
