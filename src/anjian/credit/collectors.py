"""Credit records gathered from what the platform holds (N3.2 信用记录).

Credit is a later stage: it reads the cases' and inspections' tables here, and they know
nothing of it. Each collector turns source rows into `Candidate` records, for some entities
or for all; `services.records_sync` compares them with the stored records (one per source and
kind) and adds, corrects or voids. What the sources say, per kind:

| kind | source (date) | weight |
|---|---|---|
| penalty | a unit's case decided with a penalty (decision) | worst measure + fine |
| judicial_transfer | a unit's case decided with a judicial transfer (decision) | fixed |
| inspection_clean / _hazards | a submitted record without / with findings (end) | fixed |
| major_hazard | each major accident hazard found (the record's end) | fixed |
| rectified_on_time / _late | an order rectified by / after its deadline (rectified) | fixed |
| rectification_escalated | an order escalated as overdue (escalated) | fixed |
| reinspection_failed | a failed re-inspection (re-inspected) | fixed |

A case against a natural person is the person's, not the unit's: it makes no record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.credit.models import RecordKind
from anjian.credit.scoring import Scoring, scoring


@dataclass
class Candidate:
    entity_id: int
    region_id: str
    bureau_id: int | None
    kind: str
    title: str
    occurred_on: datetime.date
    weight: int
    counts_until: datetime.date
    source_type: str
    source_id: str
    public: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    item_id: int | None = None  # the supervision item, when the source says which

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source_type, self.source_id, self.kind)


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


def _filter(qs: Any, path: str, entity_ids: Iterable[int] | None) -> Any:
    return qs if entity_ids is None else qs.filter(**{f"{path}__in": list(entity_ids)})


def _yuan(amount: int) -> str:
    if amount and amount % 10_000 == 0:
        return _("%(n)s ten-thousand yuan") % {"n": amount // 10_000}
    return _("%(n)s yuan") % {"n": f"{amount:,}"}


def _cases(entity_ids: Iterable[int] | None, s: Scoring) -> Iterator[Candidate]:
    if not apps.is_installed("anjian.cases"):
        return
    from anjian.cases.measures import PENALTIES, MeasureKind, PartyKind
    from anjian.cases.models import Case
    from anjian.cases.states import CaseState

    labels = dict(MeasureKind.choices)
    qs = (
        Case.objects.filter(decided_on__isnull=False, party_kind=PartyKind.UNIT)
        .exclude(entity__isnull=True)
        .exclude(state__in=[CaseState.WITHDRAWN, CaseState.TRANSFERRED])
        .select_related("entity")
        .only(
            "pk",
            "entity_id",
            "entity__region_id",
            "bureau_id",
            "measures",
            "fine_amount",
            "decided_on",
            "decision_number",
            "number",
        )
    )
    # A case's item: that of the inspection tasks its findings came from, when they are all of
    # one item (a case opened otherwise, or on several items, names none).
    through = Case.findings.through.objects.values_list(
        "case_id", "finding__record__task__item_id"
    ).distinct()
    case_items: dict[int, set[int]] = {}
    for case_id, item_id in _filter(through, "case__entity_id", entity_ids).iterator():
        case_items.setdefault(case_id, set()).add(item_id)
    for case in _filter(qs, "entity_id", entity_ids).iterator(chunk_size=2000):
        items = case_items.get(case.pk, set())
        item_id = next(iter(items)) if len(items) == 1 else None
        measures = list(case.measures or [])
        number = case.decision_number or case.number
        day = case.decided_on
        penalties = [m for m in measures if m in PENALTIES]
        if penalties:
            worst, fine = s.penalty_weight(penalties, case.fine_amount)
            words = "、".join(str(labels.get(m, m)) for m in penalties)
            if case.fine_amount:
                words += "（" + _("fine %(amount)s") % {"amount": _yuan(case.fine_amount)} + "）"
            yield Candidate(
                entity_id=case.entity_id,
                region_id=case.entity.region_id,
                bureau_id=case.bureau_id,
                kind=RecordKind.PENALTY,
                title=_("Penalty decision %(number)s: %(measures)s")
                % {"number": number, "measures": words},
                occurred_on=day,
                weight=worst + fine,
                counts_until=s.counts_until(RecordKind.PENALTY, day),
                source_type="cases.case",
                source_id=str(case.pk),
                public=True,
                item_id=item_id,
                facts={
                    "measures": penalties,
                    "fine_amount": case.fine_amount,
                    "measure_points": worst,
                    "fine_points": fine,
                },
            )
        if "judicial_transfer" in measures:
            yield Candidate(
                entity_id=case.entity_id,
                region_id=case.entity.region_id,
                bureau_id=case.bureau_id,
                kind=RecordKind.JUDICIAL_TRANSFER,
                title=_("Case %(number)s transferred to judicial organs") % {"number": number},
                occurred_on=day,
                weight=s.weights[RecordKind.JUDICIAL_TRANSFER],
                counts_until=s.counts_until(RecordKind.JUDICIAL_TRANSFER, day),
                source_type="cases.case",
                source_id=str(case.pk),
                public=True,
                item_id=item_id,
            )


def _inspections(entity_ids: Iterable[int] | None, s: Scoring) -> Iterator[Candidate]:
    if not apps.is_installed("anjian.inspections"):
        return
    from django.db.models import Count, Q

    from anjian.inspections.models import (
        CorrectionOrder,
        Finding,
        HazardSeverity,
        InspectionRecord,
        RecordStatus,
        Reinspection,
        ReinspectionResult,
    )

    records = (
        InspectionRecord.objects.filter(status=RecordStatus.SUBMITTED)
        .values(
            "pk",
            "entity_id",
            "entity__region_id",
            "bureau_id",
            "number",
            "finished_at",
            "task__item_id",
        )
        .annotate(n=Count("findings"))
    )
    for r in _filter(records, "entity_id", entity_ids).iterator(chunk_size=2000):
        day = _local_day(r["finished_at"])
        if day is None:
            continue
        clean = r["n"] == 0
        kind = RecordKind.INSPECTION_CLEAN if clean else RecordKind.INSPECTION_HAZARDS
        title = (
            _("Inspection %(number)s: no problem found")
            if clean
            else _("Inspection %(number)s: %(n)s problems found")
        ) % {"number": r["number"], "n": r["n"]}
        yield Candidate(
            entity_id=r["entity_id"],
            region_id=r["entity__region_id"],
            bureau_id=r["bureau_id"],
            kind=kind,
            title=title,
            occurred_on=day,
            weight=s.weights[kind],
            counts_until=s.counts_until(kind, day),
            source_type="inspections.inspectionrecord",
            source_id=str(r["pk"]),
            facts={"findings": r["n"]},
            item_id=r["task__item_id"],
        )

    majors = Finding.objects.filter(
        record__status=RecordStatus.SUBMITTED, severity=HazardSeverity.MAJOR
    ).values(
        "pk",
        "record_id",
        "record__entity_id",
        "record__entity__region_id",
        "record__bureau_id",
        "record__number",
        "record__finished_at",
        "record__task__item_id",
    )
    for f in _filter(majors, "record__entity_id", entity_ids).iterator(chunk_size=2000):
        day = _local_day(f["record__finished_at"])
        if day is None:
            continue
        yield Candidate(
            entity_id=f["record__entity_id"],
            region_id=f["record__entity__region_id"],
            bureau_id=f["record__bureau_id"],
            kind=RecordKind.MAJOR_HAZARD,
            title=_("Major accident hazard found in inspection %(number)s")
            % {"number": f["record__number"]},
            occurred_on=day,
            weight=s.weights[RecordKind.MAJOR_HAZARD],
            counts_until=s.counts_until(RecordKind.MAJOR_HAZARD, day),
            source_type="inspections.finding",
            source_id=str(f["pk"]),
            facts={"record": f["record_id"]},
            item_id=f["record__task__item_id"],
        )

    orders = CorrectionOrder.objects.filter(
        Q(rectified_on__isnull=False) | Q(escalated_at__isnull=False)
    ).values(
        "pk",
        "record__entity_id",
        "record__entity__region_id",
        "record__bureau_id",
        "record__number",
        "deadline",
        "rectified_on",
        "escalated_at",
        "record__task__item_id",
    )
    for o in _filter(orders, "record__entity_id", entity_ids).iterator(chunk_size=2000):
        common = {
            "entity_id": o["record__entity_id"],
            "region_id": o["record__entity__region_id"],
            "bureau_id": o["record__bureau_id"],
            "source_type": "inspections.correctionorder",
            "source_id": str(o["pk"]),
            "item_id": o["record__task__item_id"],
        }
        number = o["record__number"]
        if o["rectified_on"] is not None:
            late = o["rectified_on"] > o["deadline"]
            kind = RecordKind.RECTIFIED_LATE if late else RecordKind.RECTIFIED_ON_TIME
            title = (
                _("Hazards of inspection %(number)s rectified after the deadline %(deadline)s")
                if late
                else _("Hazards of inspection %(number)s rectified by the deadline %(deadline)s")
            ) % {"number": number, "deadline": o["deadline"].isoformat()}
            yield Candidate(
                **common,
                kind=kind,
                title=title,
                occurred_on=o["rectified_on"],
                weight=s.weights[kind],
                counts_until=s.counts_until(kind, o["rectified_on"]),
                facts={"deadline": o["deadline"].isoformat()},
            )
        escalated = _local_day(o["escalated_at"])
        if escalated is not None:
            kind = RecordKind.RECTIFICATION_ESCALATED
            yield Candidate(
                **common,
                kind=kind,
                title=_("Hazards of inspection %(number)s not rectified by %(deadline)s: escalated")
                % {"number": number, "deadline": o["deadline"].isoformat()},
                occurred_on=escalated,
                weight=s.weights[kind],
                counts_until=s.counts_until(kind, escalated),
                facts={"deadline": o["deadline"].isoformat()},
            )

    failed = Reinspection.objects.filter(result=ReinspectionResult.FAILED).values(
        "pk",
        "on",
        "order_id",
        "order__record__entity_id",
        "order__record__entity__region_id",
        "order__record__bureau_id",
        "order__record__number",
        "order__record__task__item_id",
    )
    for r in _filter(failed, "order__record__entity_id", entity_ids).iterator(chunk_size=2000):
        kind = RecordKind.REINSPECTION_FAILED
        yield Candidate(
            entity_id=r["order__record__entity_id"],
            region_id=r["order__record__entity__region_id"],
            bureau_id=r["order__record__bureau_id"],
            kind=kind,
            title=_("Re-inspection of inspection %(number)s: not rectified")
            % {"number": r["order__record__number"]},
            occurred_on=r["on"],
            weight=s.weights[kind],
            counts_until=s.counts_until(kind, r["on"]),
            source_type="inspections.reinspection",
            source_id=str(r["pk"]),
            facts={"order": r["order_id"]},
            item_id=r["order__record__task__item_id"],
        )


COLLECTORS = [_cases, _inspections]


def candidates(entity_ids: Iterable[int] | None = None) -> list[Candidate]:
    """Every record the platform's sources give, for `entity_ids` or all, in Chinese."""
    ids = None if entity_ids is None else sorted(set(entity_ids))
    s = scoring()
    with translation.override(settings.LANGUAGE_CODE):
        return [c for collect in COLLECTORS for c in collect(ids, s)]
