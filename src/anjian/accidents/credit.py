"""Accident reports as credit records (registered from apps.py only when credit is installed).

Two records per report of a registered unit, gathered by a collector credit calls with its own:
- the accident itself (kind `accident`, credit's weight for it), dated the accident's day;
- a late report (kind `other`, weight ANJIAN_ACCIDENT_LATE_CREDIT_WEIGHT) when the unit reported
  after ANJIAN_ACCIDENT_REPORT_HOURS; a concealment is the serious-dishonesty check's, read from
  the `accident.concealed` event, and not scored here.
After each `accident.` step commits, the entity's credit is refreshed as for credit's own
sources (credit/subscriptions.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

SOURCE_TYPE = "accidents.accidentreport"
LATE_SOURCE_TYPE = "accidents.latereport"


def collect(entity_ids: Iterable[int] | None, s: Any) -> Iterator[Any]:
    from anjian.accidents.models import AccidentReport
    from anjian.credit.collectors import Candidate
    from anjian.credit.models import RecordKind

    qs = AccidentReport.objects.select_related("entity").order_by("pk")
    if entity_ids is not None:
        qs = qs.filter(entity_id__in=list(entity_ids))
    for report in qs.iterator(chunk_size=2000):
        day = timezone.localtime(report.occurred_at).date()
        level = report.get_level_display()
        yield Candidate(
            entity_id=report.entity_id,
            region_id=report.region_id,
            bureau_id=None,
            kind=RecordKind.ACCIDENT,
            title=_("%(level)s on %(day)s") % {"level": level, "day": day.isoformat()},
            occurred_on=day,
            weight=s.weights[RecordKind.ACCIDENT],
            counts_until=s.counts_until(RecordKind.ACCIDENT, day),
            source_type=SOURCE_TYPE,
            source_id=str(report.pk),
            facts={"level": report.level, "dead": report.dead, "injured": report.injured},
        )
        if report.late:
            reported = timezone.localtime(report.reported_at).date()
            yield Candidate(
                entity_id=report.entity_id,
                region_id=report.region_id,
                bureau_id=None,
                kind=RecordKind.OTHER,
                title=_("Accident of %(day)s reported after the deadline")
                % {"day": day.isoformat()},
                occurred_on=reported,
                weight=settings.ANJIAN_ACCIDENT_LATE_CREDIT_WEIGHT,
                counts_until=s.counts_until(RecordKind.OTHER, reported),
                source_type=LATE_SOURCE_TYPE,
                source_id=str(report.pk),
                facts={"minutes": int(report.report_delay.total_seconds() // 60)},
            )


def on_accident_event(event: Any) -> None:
    entity_id = (event.changes or {}).get("entity")
    if isinstance(entity_id, int):
        from anjian.credit.subscriptions import refresh_after_commit

        transaction.on_commit(lambda: refresh_after_commit(entity_id))


def register() -> None:
    from anjian.core.events import audit_subscribe
    from anjian.credit import collectors

    if collect not in collectors.COLLECTORS:
        collectors.COLLECTORS.append(collect)
    audit_subscribe(("accident.received", "accident.supplemented"), on_accident_event)
