"""Objections (异议) and credit repair (信用修复), recorded by an officer for the enterprise
until the enterprise side exists. Working-day deadlines (`core.workdays`): acceptance within
ANJIAN_CREDIT_ACCEPT_WORKDAYS of submission, the answer within ANJIAN_CREDIT_ANSWER_WORKDAYS of
acceptance. An objection granted withdraws the record (kept, never counted); a repair granted
takes a public record out of public view (kept and counted until it ends), and only after the
minimum publication period (work-safety penalties: ANJIAN_PUBLICATION_MIN_MONTHS, at least a
year; the longest applies). Every step is audited (`credit.request.*`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import workdays_after
from anjian.credit.models import (
    CreditRecord,
    CreditRequest,
    RecordStatus,
    RequestKind,
    RequestStatus,
)
from anjian.credit.scoring import add_months


def repair_possible_from(record: CreditRecord) -> datetime.date:
    """The first day a repair may be granted: the minimum publication period after the act."""
    return add_months(record.occurred_on, settings.ANJIAN_PUBLICATION_MIN_MONTHS)


def _audit(actor: Any, action: str, req: CreditRequest, source: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=req,
        region=req.region_id,
        changes={"kind": req.kind, "record": req.record_id, "status": req.status, **changes},
        source=source,
    )


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    record: CreditRecord,
    kind: str,
    applicant: str,
    content: str,
    submitted_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> CreditRequest:
    today = clock.today()
    day = submitted_on or today
    if not isinstance(actor, Actor) and actor.can(Capability.ENTERPRISE_SELF):
        # The enterprise's own request through its account (enterprise app): dated the day it
        # arrives, on a record of its own entity (the record's entity scope).
        day = today
    else:
        actor_require(actor, Capability.CREDIT_MANAGE)
    actor_require_visible(actor, record)
    errors: dict[str, Any] = {}
    if kind not in RequestKind.values:
        errors["kind"] = _("Choose one of the listed values.")
    if not applicant.strip():
        errors["applicant"] = _("This value is required.")
    if not content.strip():
        errors["content"] = _("This value is required.")
    if day > today:
        errors["submitted_on"] = _("The date cannot be in the future.")
    if record.status not in (RecordStatus.ACTIVE,):
        errors["record"] = _("Only a record in force can be objected to or repaired.")
    if kind == RequestKind.REPAIR and not record.public:
        errors["record"] = _("Only a public record can be repaired.")
    if errors:
        raise ServiceError.for_fields(errors)
    if CreditRequest.objects.filter(
        record=record,
        kind=kind,
        status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED],
    ).exists():
        raise Conflict(_("A request of this kind on this record is still open."))
    req = CreditRequest.objects.create(
        kind=kind,
        record=record,
        entity_id=record.entity_id,
        region_id=record.region_id,
        applicant=applicant.strip(),
        content=content.strip(),
        submitted_on=day,
        recorded_by=None if isinstance(actor, Actor) else actor,
        accept_due=workdays_after(day, settings.ANJIAN_CREDIT_ACCEPT_WORKDAYS),
    )
    _audit(actor, "credit.request.submitted", req, source, accept_due=req.accept_due)
    return req


@transaction.atomic
def request_accept(
    *,
    actor: Any,
    request: CreditRequest,
    accept: bool,
    note: str = "",
    on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> CreditRequest:
    """Accept (the answer is due N working days later) or refuse to accept, with a reason."""
    actor_require(actor, Capability.CREDIT_MANAGE)
    actor_require_visible(actor, request)
    req = CreditRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != RequestStatus.SUBMITTED:
        raise Conflict(_("Only a request awaiting acceptance can be accepted."))
    day = on or clock.today()
    if not accept and not note.strip():
        raise ServiceError.for_fields({"note": _("Say why the request is not accepted.")})
    if accept:
        req.status = RequestStatus.ACCEPTED
        req.accepted_on = day
        req.answer_due = workdays_after(day, settings.ANJIAN_CREDIT_ANSWER_WORKDAYS)
    else:
        req.status = RequestStatus.NOT_ACCEPTED
        req.decided_on = day
        req.outcome = note.strip()
    req.save()
    _audit(actor, "credit.request.accepted" if accept else "credit.request.not_accepted", req,
           source, answer_due=req.answer_due, note=note.strip())  # fmt: skip
    return req


@transaction.atomic
def request_decide(
    *,
    actor: Any,
    request: CreditRequest,
    grant: bool,
    outcome: str,
    on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> CreditRequest:
    """The answer, documented. An objection granted withdraws the record; a repair granted
    takes it out of public view (refused before the minimum publication period)."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, request)
    req = CreditRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != RequestStatus.ACCEPTED:
        raise Conflict(_("Only an accepted request can be answered."))
    if not outcome.strip():
        raise ServiceError.for_fields({"outcome": _("Document the outcome and its reasons.")})
    day = on or clock.today()
    record = CreditRecord.objects.select_for_update().get(pk=req.record_id)
    if grant and req.kind == RequestKind.REPAIR and day < repair_possible_from(record):
        raise ServiceError.for_fields(
            {
                "outcome": _(
                    "A repair can be granted from %(day)s, after the minimum publication period."
                )
                % {"day": repair_possible_from(record).isoformat()}
            }
        )
    req.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
    req.decided_on = day
    req.decided_by = None if isinstance(actor, Actor) else actor
    req.outcome = outcome.strip()
    req.save()
    _audit(actor, "credit.request.answered", req, source, outcome=req.outcome, on=day)
    if grant and req.kind == RequestKind.OBJECTION:
        record.status = RecordStatus.WITHDRAWN
        record.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="credit.record.withdrawn",
            obj=record,
            region=record.region_id,
            changes={"status": [RecordStatus.ACTIVE, RecordStatus.WITHDRAWN], "request": req.pk},
            source=source,
        )
        from anjian.credit.services import grades_recompute

        grades_recompute(entity_ids=[record.entity_id], source=source)
    elif grant:
        record.public = False
        record.repaired_on = day
        record.save(update_fields=["public", "repaired_on"])
        audit_record(
            actor=actor,
            action="credit.record.repaired",
            obj=record,
            region=record.region_id,
            changes={"public": [True, False], "repaired_on": day, "request": req.pk},
            source=source,
        )
        _publications_withdraw(record, req, source)
    return req


def _publications_withdraw(record: CreditRecord, req: CreditRequest, source: str) -> None:
    """A repaired penalty leaves public view everywhere: its publication on the portal (行政处罚
    公示, the publications app, which knows nothing of credit) is withdrawn with the reason."""
    from django.apps import apps

    if not record.source_type or not apps.is_installed("anjian.publications"):
        return
    from anjian.core.services import SYSTEM_ACTOR
    from anjian.publications.models import Publication, PublicationStatus
    from anjian.publications.services import publication_withdraw

    for publication in Publication.objects.filter(
        subject_type=record.source_type, subject_id=record.source_id
    ).exclude(status=PublicationStatus.WITHDRAWN):
        reason = _("Credit repair granted on %(day)s (request %(n)s): %(outcome)s") % {
            "day": req.decided_on.isoformat() if req.decided_on else "",
            "n": req.pk,
            "outcome": req.outcome,
        }
        publication_withdraw(SYSTEM_ACTOR, publication, reason, source=source)
