"""How credit learns that a source changed, without the sources importing it: it subscribes to
their audit codes (core/events.py). After the step commits, the entity's records are gathered
again and its grade recomputed in the same request (well within a second for one entity); if
that fails, the same work goes to the job queue, which retries it and shows a lasting failure
to the administrator. The nightly job catches anything missed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

CODES = (
    "cases.case.decide",
    "cases.case.withdraw",
    "inspections.record.submitted",
    "inspections.reinspection.recorded",
    "inspections.order.escalated",
)


def entity_of(object_type: str, object_id: str) -> int | None:
    """The entity a source row belongs to."""
    try:
        pk = int(object_id)
    except ValueError:
        return None
    if object_type == "cases.case":
        from anjian.cases.models import Case

        return Case.objects.filter(pk=pk).values_list("entity_id", flat=True).first()
    if object_type == "inspections.inspectionrecord":
        from anjian.inspections.models import InspectionRecord

        return InspectionRecord.objects.filter(pk=pk).values_list("entity_id", flat=True).first()
    if object_type == "inspections.correctionorder":
        from anjian.inspections.models import CorrectionOrder

        return (
            CorrectionOrder.objects.filter(pk=pk)
            .values_list("record__entity_id", flat=True)
            .first()
        )
    if object_type == "inspections.reinspection":
        from anjian.inspections.models import Reinspection

        return (
            Reinspection.objects.filter(pk=pk)
            .values_list("order__record__entity_id", flat=True)
            .first()
        )
    return None


def refresh_after_commit(entity_id: int) -> None:
    from anjian.credit.services import credit_refresh

    try:
        credit_refresh(entity_ids=[entity_id])
    except Exception:
        logger.exception("credit refresh of entity %s failed; queued as a job", entity_id)
        from anjian.jobs.registry import job_enqueue

        job_enqueue("credit.refresh_entity", {"entity_id": entity_id})


def on_source_event(event: Any) -> None:
    entity_id = entity_of(event.object_type, event.object_id)
    if entity_id is not None:
        transaction.on_commit(lambda: refresh_after_commit(entity_id))


def subscribe() -> None:
    from anjian.core.events import audit_subscribe

    audit_subscribe(CODES, on_source_event)
