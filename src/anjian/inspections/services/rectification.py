"""Rectification (责令限期整改, 整改, 复查): correction orders for a record's findings, the
entity's rectification reports, re-inspections, and the escalation of overdue orders."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import workdays_after
from anjian.inspections.documents import (
    correction_order_document_issue,
    reinspection_opinion_issue,
)
from anjian.inspections.models import (
    CorrectionOrder,
    Finding,
    InspectionRecord,
    OrderStatus,
    RecordStatus,
    RectificationReport,
    Reinspection,
    ReinspectionResult,
)
from anjian.inspections.services.records import _record_locked
from anjian.inspections.services.tasks import _people, inspectors_check


def deadline_suggest(issued_on: datetime.date) -> datetime.date:
    """The deadline a correction order suggests: N working days (the setting) after issue."""
    return workdays_after(issued_on, settings.ANJIAN_RECTIFICATION_WORKING_DAYS)


def _order_locked(order: CorrectionOrder, actor: Any) -> CorrectionOrder:
    locked = (
        CorrectionOrder.objects.select_for_update()
        .select_related("record__bureau", "record__entity")
        .get(pk=order.pk)
    )
    actor_require_visible(actor, locked)  # the record's jurisdiction, or its team
    return locked


@transaction.atomic
def correction_order_issue(
    *,
    actor: Any,
    record: InspectionRecord,
    findings: list[Finding],
    deadline: datetime.date,
    issued_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> CorrectionOrder:
    """Order the entity to rectify the record's findings by a deadline (责令限期整改)."""
    actor_require(actor, Capability.INSPECT)
    locked = _record_locked(record, actor)
    if locked.status != RecordStatus.SUBMITTED:
        raise Conflict(_("Submit the inspection record first."))
    issued_on = issued_on or clock.today()
    errors: dict[str, list[Any]] = {}
    ids = {f.pk for f in findings}
    own = set(locked.findings.filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        errors["findings"] = [_("Choose the findings to rectify.")]
    elif own != ids:
        errors["findings"] = [_("Only this record's findings can be ordered rectified.")]
    else:
        pending = CorrectionOrder.objects.filter(
            findings__in=ids, status__in=[OrderStatus.OPEN, OrderStatus.ESCALATED]
        ).exists()
        if pending:
            errors["findings"] = [_("A finding is already under an open correction order.")]
    if issued_on > clock.today():
        errors["issued_on"] = [_("An order cannot be issued in the future.")]
    elif issued_on < timezone.localdate(locked.started_at):
        errors["issued_on"] = [_("An order cannot be issued before the inspection.")]
    if deadline < issued_on:
        errors["deadline"] = [_("The deadline is before the order.")]
    if errors:
        raise ServiceError.for_fields(errors)
    order = CorrectionOrder.objects.create(
        record=locked,
        deadline=deadline,
        issued_on=issued_on,
        issued_by=actor if not isinstance(actor, Actor) else locked.created_by,
    )
    order.findings.set(sorted(ids))
    audit_record(
        actor=actor,
        action="inspections.order.issued",
        obj=order,
        region=locked.region_id,
        changes={
            "record": locked.number,
            "entity": locked.entity.uscc,
            "findings": sorted(ids),
            "issued_on": issued_on.isoformat(),
            "deadline": deadline.isoformat(),
        },
        source=source,
    )
    correction_order_document_issue(actor=actor, order=order, source=source)
    return order


@transaction.atomic
def rectification_report(
    *,
    actor: Any,
    order: CorrectionOrder,
    text: str,
    submitted_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> RectificationReport:
    """Record the entity's rectification report: sent by the enterprise through its account
    (N4.2: the enterprise app checks who may sign; the order's entity scope lets only its own
    entity's account reach it, dated the day it arrives), or handed in on paper and recorded by
    an officer."""
    by_enterprise = not isinstance(actor, Actor) and actor.can(Capability.ENTERPRISE_SELF)
    if by_enterprise:
        submitted_on = None
    else:
        actor_require(actor, Capability.INSPECT)
    locked = _order_locked(order, actor)
    if locked.status == OrderStatus.RECTIFIED:
        raise Conflict(_("The order is already closed as rectified."))
    submitted_on = submitted_on or clock.today()
    errors: dict[str, list[Any]] = {}
    if not text.strip():
        errors["text"] = [_("Give what the entity reports.")]
    if submitted_on > clock.today():
        errors["submitted_on"] = [_("A report cannot be handed in in the future.")]
    elif submitted_on < locked.issued_on:
        errors["submitted_on"] = [_("A report cannot come before the order.")]
    if errors:
        raise ServiceError.for_fields(errors)
    report = RectificationReport.objects.create(
        order=locked,
        submitted_on=submitted_on,
        text=text.strip(),
        submitted_by=actor if not isinstance(actor, Actor) else locked.issued_by,
        on_paper=not by_enterprise,
    )
    audit_record(
        actor=actor,
        action="inspections.rectification.reported",
        obj=report,
        region=locked.record.region_id,
        changes={
            "order": locked.pk,
            "submitted_on": submitted_on.isoformat(),
            "late": submitted_on > locked.deadline,
            "on_paper": report.on_paper,
        },
        source=source,
    )
    return report


@transaction.atomic
def reinspection_record(
    *,
    actor: Any,
    order: CorrectionOrder,
    on: datetime.date,
    inspectors: list[Any],
    result: str,
    opinion: str,
    source: str = AuditSource.WEB,
) -> Reinspection:
    """Record a re-inspection (复查): passed closes the order as rectified; failed leaves it open,
    and its violations may go to a case."""
    actor_require(actor, Capability.INSPECT)
    locked = _order_locked(order, actor)
    if locked.status == OrderStatus.RECTIFIED:
        raise Conflict(_("The order is already closed as rectified."))
    errors: dict[str, list[Any]] = {}
    if on > clock.today():
        errors["on"] = [_("A re-inspection cannot be in the future.")]
    elif on < locked.issued_on:
        errors["on"] = [_("A re-inspection cannot come before the order.")]
    if result not in ReinspectionResult.values:
        errors["result"] = [_("Choose one of the listed values.")]
    if not opinion.strip():
        errors["opinion"] = [_("Give the re-inspection's opinion.")]
    try:
        inspectors_check(locked.record.bureau, inspectors, on)
    except ServiceError as exc:
        errors.update(exc.fields)
    if errors:
        raise ServiceError.for_fields(errors)
    if not isinstance(actor, Actor) and actor.pk not in {u.pk for u in inspectors}:
        raise NotPermitted(_("Only the inspectors named in the re-inspection record it."))
    row = Reinspection.objects.create(
        order=locked,
        on=on,
        result=result,
        opinion=opinion.strip(),
        recorded_by=actor if not isinstance(actor, Actor) else locked.issued_by,
    )
    row.inspectors.set(inspectors)
    if result == ReinspectionResult.PASSED:
        locked.status = OrderStatus.RECTIFIED
        locked.rectified_on = on
        locked.save(update_fields=["status", "rectified_on"])
    audit_record(
        actor=actor,
        action="inspections.reinspection.recorded",
        obj=row,
        region=locked.record.region_id,
        changes={
            "order": locked.pk,
            "on": on.isoformat(),
            "inspectors": _people(inspectors),
            "result": result,
            "late": on > locked.deadline,
            "order_status": locked.status,
        },
        source=source,
    )
    reinspection_opinion_issue(actor=actor, reinspection=row, source=source)
    return row


def escalation_due(order: CorrectionOrder) -> datetime.date:
    """The day from which an order without a passed re-inspection is escalated: N working days
    (the setting) after its deadline."""
    return workdays_after(order.deadline, settings.ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS)


@transaction.atomic
def rectification_escalate(
    *,
    actor: Any,
    order: CorrectionOrder,
    today: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> CorrectionOrder:
    """Escalate an order left unrectified past its deadline (逾期未整改): it goes on the list of
    the division head and the bureau leader, and stays there until a re-inspection passes."""
    actor_require(actor, Capability.RECTIFICATIONS_ESCALATE)
    locked = _order_locked(order, actor)
    today = today or clock.today()
    if locked.status != OrderStatus.OPEN:
        raise Conflict(_("Only an open order is escalated."))
    due = escalation_due(locked)
    if today < due:
        raise Conflict(_("The order can be escalated from %(day)s.") % {"day": due.isoformat()})
    locked.status = OrderStatus.ESCALATED
    locked.escalated_at = clock.now()
    locked.save(update_fields=["status", "escalated_at"])
    audit_record(
        actor=actor,
        action="inspections.order.escalated",
        obj=locked,
        region=locked.record.region_id,
        changes={
            "deadline": locked.deadline.isoformat(),
            "escalation_due": due.isoformat(),
            "on": today.isoformat(),
        },
        source=source,
    )
    return locked
