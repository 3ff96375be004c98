"""The grading writes through a temporary table and only what changed (grading.py); what it
writes must be exactly what the former single upsert wrote, kept here as the reference: the
same scores, grades and records counted for every entity, the same registry grades, on the
first night (no row yet), the next day and for a few entities refreshed at once. The nightly
job still leaves its one audit event with the counts."""

from __future__ import annotations

import datetime
from random import Random
from typing import Any

import pytest
from django.db import connection, transaction

from anjian.core.models import AuditEvent
from anjian.credit import grading
from anjian.credit.models import (
    CreditRecord,
    EntityCredit,
    GradeOverride,
    OverrideStatus,
    RecordKind,
    RecordStatus,
)
from anjian.credit.scoring import add_months, scoring
from anjian.credit.services import credit_nightly
from anjian.entities.models import Entity
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db(transaction=False)

DAY = datetime.date(2027, 6, 1)
KINDS = [
    (RecordKind.PENALTY, -14, 36),
    (RecordKind.INSPECTION_CLEAN, 2, 12),
    (RecordKind.RECTIFIED_LATE, -5, 12),
    (RecordKind.COMMENDATION, 10, 12),
    (RecordKind.ACCIDENT, -30, 36),
]


def _reference(entity_ids: list[int] | None, today: datetime.date) -> None:
    """The single upsert grading wrote before (kept verbatim but for the ids' filter)."""
    s = scoring()
    ops = connection.ops
    day = ops.adapt_datefield_value(today)
    now = ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))
    raw = f"({int(s.base)} + COALESCE(s.w, 0))"
    score = f"CASE WHEN {raw} > 100 THEN 100 WHEN {raw} < 0 THEN 0 ELSE {raw} END"
    ids = grading._ids_sql
    upsert = f"""
INSERT INTO credit_entitycredit
    (entity_id, region_id, score, computed_grade, grade, records_counted, computed_at, computed_on)
SELECT x.id, x.region_id, x.score, {grading._grade_sql("x.score", s)},
       COALESCE(o.grade, {grading._grade_sql("x.score", s)}), x.n, %s, %s
FROM (
    SELECT e.id AS id, e.region_id AS region_id, {score} AS score, COALESCE(s.n, 0) AS n
    FROM entities_entity e
    LEFT JOIN (
        SELECT entity_id, SUM(weight) AS w, COUNT(*) AS n FROM credit_creditrecord
        WHERE status = 'active' AND occurred_on <= %s AND counts_until > %s
              {ids("entity_id", entity_ids)}
        GROUP BY entity_id
    ) s ON s.entity_id = e.id
    WHERE 1 = 1 {ids("e.id", entity_ids)}
) x
LEFT JOIN (
    SELECT entity_id, MAX(grade) AS grade FROM credit_gradeoverride
    WHERE status = 'approved' AND ends_on >= %s {ids("entity_id", entity_ids)}
    GROUP BY entity_id
) o ON o.entity_id = x.id
WHERE 1 = 1
ON CONFLICT (entity_id) DO UPDATE SET
    region_id = excluded.region_id, score = excluded.score,
    computed_grade = excluded.computed_grade, grade = excluded.grade,
    records_counted = excluded.records_counted, computed_at = excluded.computed_at,
    computed_on = excluded.computed_on
"""
    update = f"""
UPDATE entities_entity SET credit_grade = c.grade FROM credit_entitycredit c
WHERE c.entity_id = entities_entity.id AND c.grade <> entities_entity.credit_grade
      {ids("c.entity_id", entity_ids)}
"""
    with connection.cursor() as cursor:
        cursor.execute(upsert, [now, day, day, day, day])
        cursor.execute(update, [])


def _world(make_entity: Any) -> list[int]:
    """Three hundred entities of two counties, most with records of every status and age,
    some with an override (in force, ended, refused), a few with a grade typed before."""
    rng = Random(20)
    template = make_entity("140603")
    rows = []
    for n in range(300):
        region = "140603" if n % 3 else "140602"
        rows.append(
            Entity(
                uscc=make_uscc(region, 1000 + n),
                name=f"等价测试企业{n}",
                industry=template.industry,
                region_id=region,
                credit_grade=rng.choice(["", "", "A", "B", "C", "D"]),
            )
        )
    entities = [template, *Entity.objects.bulk_create(rows)]
    records = []
    for entity in entities:
        for _ in range(rng.randrange(0, 9)):
            kind, weight, months = KINDS[rng.randrange(len(KINDS))]
            day = DAY - datetime.timedelta(days=rng.randrange(4 * 365))
            records.append(
                CreditRecord(
                    entity=entity,
                    region_id=entity.region_id,
                    kind=kind,
                    title=str(kind),
                    occurred_on=day,
                    weight=weight,
                    counts_until=add_months(day, months),
                    status=rng.choice([RecordStatus.ACTIVE] * 6 + [RecordStatus.VOID]),
                )
            )
    CreditRecord.objects.bulk_create(records)
    for entity, status, ends in [
        (entities[1], OverrideStatus.APPROVED, DAY),  # ends the next day
        (entities[2], OverrideStatus.APPROVED, DAY + datetime.timedelta(days=90)),
        (entities[3], OverrideStatus.REJECTED, DAY + datetime.timedelta(days=90)),
    ]:
        GradeOverride.objects.create(
            entity=entity, region_id=entity.region_id, grade="A", reason="测试", ends_on=ends,
            status=status,
        )  # fmt: skip
    return [e.pk for e in entities]


def _written() -> tuple[dict[int, tuple[Any, ...]], dict[int, str]]:
    credit = {
        r[0]: r[1:]
        for r in EntityCredit.objects.values_list(
            "pk", "region_id", "score", "computed_grade", "grade", "records_counted", "computed_on"
        )
    }
    return credit, dict(Entity.objects.values_list("pk", "credit_grade"))


def _nights(grade: Any, ids: list[int]) -> list[Any]:
    """The first night, a refresh of some entities the same day, the next day's night."""
    out = []
    with transaction.atomic():
        grade(None, DAY)
        out.append(_written())
        CreditRecord.objects.filter(entity_id__in=ids[:40]).update(status=RecordStatus.VOID)
        grade(ids[:60], DAY)
        out.append(_written())
        grade(None, DAY + datetime.timedelta(days=1))
        out.append(_written())
        transaction.set_rollback(True)
    return out


def test_the_fast_writes_equal_the_former_upsert(make_entity: Any) -> None:
    ids = _world(make_entity)
    before = _written()
    reference = _nights(_reference, ids)
    assert _written() == before  # rolled back: the same world for the fast path
    fast = _nights(lambda i, d: grading.recompute(entity_ids=i, today=d), ids)
    assert fast == reference
    first_credit, first_registry = fast[0]
    assert len(first_credit) == len(ids)
    assert set(first_registry.values()) >= {"A", "B", "C", "D"}  # varied enough
    assert fast[1] != fast[0]  # the voided records changed some grades
    assert first_credit[ids[1]][3] == "A"  # the override in force
    night = fast[2][0][ids[1]]
    assert night[3] == night[2]  # the next day it has ended: the computed grade again


def test_the_night_reports_how_many_grades_changed_in_one_audit_event(make_entity: Any) -> None:
    ids = _world(make_entity)
    typed = dict(Entity.objects.values_list("pk", "credit_grade"))
    summary = credit_nightly(today=DAY)
    graded = dict(Entity.objects.values_list("pk", "credit_grade"))
    changed = sum(1 for pk in ids if typed[pk] != graded[pk])
    assert summary["grades_changed"] == changed > 0
    event = AuditEvent.objects.filter(action="credit.grades.recomputed").latest("seq")
    assert event.changes["grades_changed"] == changed
    assert event.changes["entities"] == len(ids)
    # The next day nothing the grade depends on changed: every row is stamped, none regraded.
    again = credit_nightly(today=DAY + datetime.timedelta(days=1))
    assert set(EntityCredit.objects.values_list("computed_on", flat=True)) == {
        DAY + datetime.timedelta(days=1)
    }
    assert again["grades_changed"] == sum(
        1 for pk, g in Entity.objects.values_list("pk", "credit_grade") if graded[pk] != g
    )
