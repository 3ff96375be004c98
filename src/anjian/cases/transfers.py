"""Clue transfer (线索移送, N4.1): a clue from a case or a finding goes to another bureau or an
outside department; the receipt, the acceptance (or refusal, with reasons) and the result come
back on the same row. Both bureaus' audit trails record each step. A transfer of the whole case
(`cases.filing.case_transfer`) ends the case here and uses the same row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.cases.models import Case, ClueTransfer, TransferStatus
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.entities.models import Entity
from anjian.inspections.models import Finding


def _today() -> datetime.date:
    return clock.today()


def _not_future(name: str, day: datetime.date | None) -> datetime.date:
    day = day or _today()
    if day > _today():
        raise ServiceError.for_field(name, _("The date cannot be in the future."))
    return day


def transfer_recipient_errors(
    from_bureau: Bureau, to_bureau: Bureau | None, to_department: str
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if to_bureau is None and not to_department.strip():
        errors["to_bureau"] = _("Choose a bureau or name the department.")
    if to_bureau is not None and to_department.strip():
        errors["to_department"] = _("Send to a bureau or to a department, not both.")
    if to_bureau is not None and to_bureau.pk == from_bureau.pk:
        errors["to_bureau"] = _("A bureau does not transfer to itself.")
    return errors


def transfer_create(
    *,
    actor: Any,
    entity: Entity,
    from_bureau: Bureau,
    case: Case | None,
    finding: Finding | None,
    whole_case: bool,
    to_bureau: Bureau | None,
    to_department: str,
    reason: str,
    source: str,
) -> ClueTransfer:
    transfer = ClueTransfer.objects.create(
        case=case,
        finding=finding,
        entity=entity,
        from_bureau=from_bureau,
        to_bureau=to_bureau,
        to_department=to_department.strip(),
        whole_case=whole_case,
        reason=reason.strip(),
        sent_on=_today(),
        sent_by=None if isinstance(actor, Actor) else actor,
    )
    audit_record(
        actor=actor,
        action="cases.transfer.sent",
        obj=transfer,
        region=from_bureau.region_id,
        changes={
            "case": case.number if case else "",
            "finding": finding.pk if finding else None,
            "entity": entity.uscc,
            "to_bureau": to_bureau.name if to_bureau else "",
            "to_department": transfer.to_department,
            "whole_case": whole_case,
        },
        source=source,
    )
    if to_bureau is not None:
        # The receiving bureau's own trail shows the clue arriving.
        audit_record(
            actor=actor,
            action="cases.transfer.arrived",
            obj=transfer,
            region=to_bureau.region_id,
            changes={"from_bureau": from_bureau.name, "entity": entity.uscc},
            source=source,
        )
    return transfer


@transaction.atomic
def clue_transfer_send(
    *,
    actor: Any,
    reason: str,
    case: Case | None = None,
    finding: Finding | None = None,
    to_bureau: Bureau | None = None,
    to_department: str = "",
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    """线索移送: a clue from a case or a finding goes to another bureau or department, with its
    案件移送书; the case (if any) goes on."""
    actor_require(actor, Capability.CASES_HANDLE)
    if (case is None) == (finding is None):
        raise ServiceError.for_field("case", _("Transfer a case's clue or a finding."))
    if case is not None:
        from_bureau, entity, region = case.bureau, case.entity, case.region_id
    else:
        assert finding is not None
        from_bureau, entity, region = (
            finding.record.bureau,
            finding.record.entity,
            finding.record.region_id,
        )
    actor_require_region(actor, region)
    if not isinstance(actor, Actor) and actor.bureau_id != from_bureau.pk:
        raise NotPermitted(_("Only the case's own bureau takes this step."))
    errors = transfer_recipient_errors(from_bureau, to_bureau, to_department)
    if not reason.strip():
        errors["reason"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    transfer = transfer_create(
        actor=actor,
        entity=entity,
        from_bureau=from_bureau,
        case=case,
        finding=finding,
        whole_case=False,
        to_bureau=to_bureau,
        to_department=to_department,
        reason=reason,
        source=source,
    )
    # The 案件移送书 goes with the clue, in the same transaction (a refused letter refuses it).
    from anjian.cases.casefile_documents import clue_transfer_letter

    clue_transfer_letter(actor, transfer)
    return transfer


def _transfer_actor_check(actor: Any, transfer: ClueTransfer) -> None:
    """The receiving bureau answers for itself; for an outside department the sender records
    what came back."""
    actor_require(actor, Capability.CASES_HANDLE)
    if isinstance(actor, Actor):
        return
    answering = transfer.to_bureau if transfer.to_bureau_id else transfer.from_bureau
    assert answering is not None
    if actor.bureau_id != answering.pk:
        if actor.bureau_id == transfer.from_bureau_id:
            raise NotPermitted(_("The receiving bureau records this step."))
        raise NotFound()


def _transfer_step(
    *,
    actor: Any,
    transfer: ClueTransfer,
    starts: set[str],
    status: str,
    update: dict[str, Any],
    action: str,
    source: str,
) -> ClueTransfer:
    locked = (
        ClueTransfer.objects.select_for_update(of=("self",))
        .select_related("from_bureau", "to_bureau")
        .get(pk=transfer.pk)
    )
    _transfer_actor_check(actor, locked)
    if locked.status not in starts:
        raise Conflict(
            _("The transfer is %(status)s; this step is not open now.")
            % {"status": TransferStatus(locked.status).label}
        )
    changed = ClueTransfer.objects.filter(pk=locked.pk, status=locked.status).update(
        status=status, **update
    )
    if not changed:
        raise Conflict()
    before = locked.status
    locked.status = status
    for key, value in update.items():
        setattr(locked, key, value)
    for bureau in {locked.from_bureau, locked.to_bureau} - {None}:
        assert bureau is not None
        audit_record(
            actor=actor,
            action=f"cases.transfer.{action}",
            obj=locked,
            region=bureau.region_id,
            changes={"status": [before, status], **update},
            source=source,
        )
    return locked


@transaction.atomic
def clue_transfer_receive(
    *,
    actor: Any,
    transfer: ClueTransfer,
    received_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    day = _not_future("received_on", received_on)
    return _transfer_step(
        actor=actor,
        transfer=transfer,
        starts={TransferStatus.SENT},
        status=TransferStatus.RECEIVED,
        update={"received_on": day},
        action="received",
        source=source,
    )


@transaction.atomic
def clue_transfer_answer(
    *,
    actor: Any,
    transfer: ClueTransfer,
    accepted: bool,
    note: str = "",
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    if not accepted and not note.strip():
        raise ServiceError.for_field("note", _("Say why the transfer is declined."))
    return _transfer_step(
        actor=actor,
        transfer=transfer,
        starts={TransferStatus.RECEIVED},
        status=TransferStatus.ACCEPTED if accepted else TransferStatus.DECLINED,
        update={"answered_on": _today(), "answer_note": note.strip()},
        action="accepted" if accepted else "declined",
        source=source,
    )


@transaction.atomic
def clue_transfer_result(
    *,
    actor: Any,
    transfer: ClueTransfer,
    result: str,
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    """The outcome comes back to the sender (处理结果互认)."""
    if not result.strip():
        raise ServiceError.for_field("result", _("This value is required."))
    return _transfer_step(
        actor=actor,
        transfer=transfer,
        starts={TransferStatus.ACCEPTED},
        status=TransferStatus.RESULT_RETURNED,
        update={"result_on": _today(), "result": result.strip()},
        action="result_returned",
        source=source,
    )
