"""The scoring of docs/algorithms/credit.md: its worked example recomputed by the database
statement and by the explanation, record by record; counting windows, clamping, settings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from anjian.credit import grading
from anjian.credit.models import CreditRecord, EntityCredit, RecordKind, RecordStatus
from anjian.credit.scoring import add_months, scoring, scoring_from
from anjian.entities.models import Entity

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def _record(entity: Any, kind: str, weight: int, on: datetime.date, **extra: Any) -> CreditRecord:
    return CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        kind=kind,
        title=extra.pop("title", kind),
        occurred_on=on,
        weight=weight,
        counts_until=extra.pop("counts_until", scoring().counts_until(kind, on)),
        **extra,
    )


def test_the_penalty_weight_of_the_worked_example() -> None:
    s = scoring()
    assert s.penalty_weight(["fine"], 30_000) == (-10, -3)
    assert s.penalty_weight(["warning", "fine"], 9_999) == (-10, 0)
    assert s.penalty_weight(["fine", "suspension"], 500_000) == (-25, -20)  # at most 20


def test_the_worked_example(make_entity: Any) -> None:
    """docs/algorithms/credit.md, "A worked example": 85 − 13 + 2 − 5 − 6 = 63 → C."""
    entity = make_entity("140603")
    s = scoring()
    worst, fine = s.penalty_weight(["fine"], 30_000)
    _record(entity, RecordKind.PENALTY, worst + fine, datetime.date(2026, 9, 10))
    _record(entity, RecordKind.INSPECTION_CLEAN, 2, datetime.date(2026, 3, 5))
    _record(entity, RecordKind.RECTIFIED_LATE, -5, datetime.date(2026, 6, 20))
    _record(entity, RecordKind.REINSPECTION_FAILED, -6, datetime.date(2026, 6, 12))
    # Not counted: stopped counting on 2026-11-30; not approved; void.
    _record(
        entity,
        RecordKind.MAJOR_HAZARD,
        -8,
        datetime.date(2025, 11, 30),
        counts_until=datetime.date(2026, 11, 30),
    )
    _record(entity, RecordKind.COMMENDATION, 10, DAY, status=RecordStatus.PROPOSED)
    _record(entity, RecordKind.RECTIFIED_LATE, -5, DAY, status=RecordStatus.VOID)

    grading.recompute(entity_ids=[entity.pk], today=DAY)
    credit = EntityCredit.objects.get(pk=entity.pk)
    assert (credit.score, credit.computed_grade, credit.grade) == (63, "C", "C")
    assert credit.records_counted == 4
    assert Entity.objects.get(pk=entity.pk).credit_grade == "C"

    explained = grading.explain(entity, today=DAY)
    assert [c.weight for c in explained.contributions] == [2, -6, -5, -13]  # oldest first
    assert [c.running for c in explained.contributions] == [87, 81, 76, 63]
    assert (explained.score, explained.grade) == (63, "C")
    assert len(explained.not_counted) == 3
    # Without the penalty the same entity is B: 85 + 2 − 5 − 6 = 76.
    assert s.grade(s.score([2, -5, -6])) == "B"


def test_an_entity_without_records_is_b_and_the_score_stays_within_0_and_100(
    make_entity: Any,
) -> None:
    plain, good, bad = make_entity("140603"), make_entity("140603"), make_entity("140603")
    for _ in range(3):
        _record(good, RecordKind.COMMENDATION, 10, DAY)
    for _ in range(3):
        _record(bad, RecordKind.ACCIDENT, -30, DAY)
    grading.recompute(entity_ids=None, today=DAY)
    scores = dict(EntityCredit.objects.values_list("pk", "score"))
    assert (scores[plain.pk], scores[good.pk], scores[bad.pk]) == (85, 100, 0)
    assert Entity.objects.get(pk=plain.pk).credit_grade == "B"
    assert Entity.objects.get(pk=good.pk).credit_grade == "A"
    assert Entity.objects.get(pk=bad.pk).credit_grade == "D"
    assert grading.explain(bad, today=DAY).score == 0


def test_a_record_counts_from_its_day_until_the_day_before_its_end(make_entity: Any) -> None:
    entity = make_entity("140603")
    _record(entity, RecordKind.ACCIDENT, -30, DAY, counts_until=add_months(DAY, 36))
    grading.recompute(entity_ids=[entity.pk], today=DAY - datetime.timedelta(days=1))
    assert EntityCredit.objects.get(pk=entity.pk).score == 85  # not yet
    grading.recompute(entity_ids=[entity.pk], today=DAY)
    assert EntityCredit.objects.get(pk=entity.pk).score == 55
    grading.recompute(entity_ids=[entity.pk], today=datetime.date(2029, 12, 1))
    assert EntityCredit.objects.get(pk=entity.pk).score == 85  # three years on: no longer


def test_the_scoring_is_configurable_and_checked() -> None:
    s = scoring_from({"base": 80, "grades": {"A": 95}})
    assert s.base == 80 and s.grades == {"A": 95, "B": 75, "C": 60}
    assert s.weights["accident"] == -30  # untouched keys keep their defaults
    with pytest.raises(ImproperlyConfigured):
        scoring_from({"grades": {"A": 70}})  # A below B
    with pytest.raises(ImproperlyConfigured):
        scoring_from({"bonus": 1})


def test_add_months_keeps_the_last_day() -> None:
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 12, 1), 36) == datetime.date(2029, 12, 1)
