"""Filing (立案) and the ways a case ends before a decision: opening, the leadership's approval
or refusal, withdrawal (撤案) and the transfer of the whole case (移送). The shared checks are in
`_common`; `services` re-exports the public functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, Division, User
from anjian.accounts.roles import Capability
from anjian.accounts.selectors import certificates_valid_on
from anjian.cases._common import (
    _allowed,
    _lock,
    _record,
    _same_bureau,
    _step,
    _today,
)
from anjian.cases.models import (
    Case,
    CaseSource,
    ClueTransfer,
)
from anjian.cases.states import ENDED_STATES, CaseAction, CaseState
from anjian.cases.transfers import transfer_create, transfer_recipient_errors
from anjian.core.abbreviations import bureau_abbreviation
from anjian.core.errors import Conflict, NotFound, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.scope import region_codes_under
from anjian.core.services import Actor, AuditSource
from anjian.entities.models import Entity
from anjian.inspections.models import Finding

# --- opening -------------------------------------------------------------------------------


def _case_number(bureau: Bureau, year: int) -> str:
    """`（晋朔平）应急立〔2026〕3号`: the bureau's abbreviation as its documents print it, the
    year, a running number that goes on if the abbreviation changes within the year."""
    taken = Case.objects.filter(
        bureau=bureau, lead__isnull=True, number__contains=f"应急立〔{year}〕"
    ).count()
    return f"（{bureau_abbreviation(bureau)}）应急立〔{year}〕{taken + 1}号"


def _certified(users: Iterable[User], day: datetime.date) -> list[User]:
    users = list(users)
    valid = set(certificates_valid_on(users, day).values_list("holder_id", flat=True))
    return [u for u in users if u.pk in valid]


def _findings_in_use(findings: list[Finding], *, exclude_case: int | None = None) -> list[str]:
    """Findings already in an open case, or punished by a decided one (一事不再罚)."""
    qs = Case.objects.filter(findings__in=findings).exclude(state__in=ENDED_STATES)
    punished = Case.objects.filter(findings__in=findings, penalty_fact_key__isnull=False)
    if exclude_case:
        qs = qs.exclude(pk=exclude_case)
        punished = punished.exclude(pk=exclude_case)
    return sorted({c.number for c in qs} | {c.number for c in punished})


@transaction.atomic
def case_open(
    *,
    actor: Any,
    bureau: Bureau,
    entity: Entity,
    title: str,
    handlers: list[User],
    findings: list[Finding] | None = None,
    source_kind: str = CaseSource.INSPECTION,
    facts: str = "",
    act_date: datetime.date | None = None,
    division: Division | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """Open a case (立案), awaiting the leadership's approval. From findings, the act date is
    the earliest finding's date and the facts are their descriptions unless given."""
    actor_require(actor, Capability.CASES_HANDLE)
    actor_require_region(actor, bureau.region_id)
    _same_bureau(actor, bureau.pk)
    if entity.region_id not in region_codes_under(bureau.region_id):
        raise NotFound()  # a bureau acts within its own jurisdiction
    findings = list(findings or [])
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("This value is required.")
    if source_kind not in CaseSource.values:
        errors["source_kind"] = _("Choose one of the listed values.")
    for f in findings:
        actor_require_region(actor, f.record.region_id)
        if f.record.entity_id != entity.pk:
            errors["findings"] = _("Every finding must concern the case's entity.")
    busy = _findings_in_use(findings)
    if busy:
        errors["findings"] = _("These findings are already in case %(numbers)s.") % {
            "numbers": "、".join(busy)
        }
    if act_date is None and findings:
        act_date = min(f.fact_date for f in findings)
    if act_date is None:
        errors["act_date"] = _("Give the date of the act.")
    elif act_date > _today():
        errors["act_date"] = _("The date cannot be in the future.")
    handlers = list(dict.fromkeys(handlers))
    if len(handlers) < 2:
        # 行政处罚法 第四十二条: no fewer than two enforcement officers.
        errors["handlers"] = _("A case needs at least two handlers.")
    elif any(h.bureau_id != bureau.pk for h in handlers):
        errors["handlers"] = _("The handlers must belong to the case's bureau.")
    else:
        uncertified = set(handlers) - set(_certified(handlers, _today()))
        if uncertified:
            errors["handlers"] = _("Without an enforcement certificate valid today: %(names)s") % {
                "names": "、".join(u.full_name or u.username for u in uncertified)
            }
    if division is not None and division.bureau_id != bureau.pk:
        errors["division"] = _("Choose a division of the case's bureau.")
    if errors:
        raise ServiceError.for_fields(errors)
    assert act_date is not None
    if not facts.strip() and findings:
        facts = "\n".join(f.description for f in findings)
    case = Case.objects.create(
        bureau=bureau,
        division=division,
        region_id=bureau.region_id,
        entity=entity,
        number=_case_number(bureau, _today().year),
        title=title.strip(),
        source=source_kind,
        facts=facts.strip(),
        act_date=act_date,
        opened_on=_today(),
        created_by=None if isinstance(actor, Actor) else actor,
    )
    case.handlers.set(handlers)
    if findings:
        case.findings.set(findings)
    _record(
        actor=actor,
        case=case,
        action="open",
        to_state=CaseState.FILING,
        data={
            "entity": entity.uscc,
            "findings": sorted(f.pk for f in findings),
            "handlers": sorted(h.username for h in handlers),
            "act_date": act_date,
        },
        source=source,
    )
    return case


@transaction.atomic
def case_filing_decide(
    *, actor: Any, case: Case, approve: bool, note: str = "", source: str = AuditSource.WEB
) -> Case:
    """立案审批: the leadership approves (investigation begins) or refuses with a reason."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.APPROVE)
    if not approve and not note.strip():
        raise ServiceError.for_field("note", _("Say why the case is not filed."))
    if approve:
        return _step(
            actor=actor,
            case=case,
            action=CaseAction.APPROVE,
            note=note,
            update={"filed_on": _today()},
            source=source,
        )
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.REFUSE,
        note=note,
        update={"end_reason": note.strip(), "closed_on": _today()},
        source=source,
    )


@transaction.atomic
def case_withdraw(*, actor: Any, case: Case, reason: str, source: str = AuditSource.WEB) -> Case:
    """撤案, with the reason (e.g. the facts do not hold, or the matter is time-barred)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.WITHDRAW)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the case is withdrawn."))
    from anjian.cases import parties

    refusal = parties.withdraw_refusal(case)
    if refusal:
        raise Conflict(refusal)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.WITHDRAW,
        note=reason.strip(),
        update={"end_reason": reason.strip(), "closed_on": _today()},
        source=source,
    )
    parties.withdraw_parties(actor=actor, case=case, reason=reason.strip(), source=source)
    return case


# --- transfer of the whole case (N4.1) ----------------------------------------------------


@transaction.atomic
def case_transfer(
    *,
    actor: Any,
    case: Case,
    reason: str,
    to_bureau: Bureau | None = None,
    to_department: str = "",
    source: str = AuditSource.WEB,
) -> ClueTransfer:
    """移送: the whole case goes to the body that has jurisdiction; it ends here as
    transferred, with its co-parties' open proceedings, and the receipt and result come back on
    the transfer."""
    from anjian.cases import parties

    case = _lock(case)
    _allowed(actor, case, CaseAction.TRANSFER)
    errors = transfer_recipient_errors(case.bureau, to_bureau, to_department)
    if not reason.strip():
        errors["reason"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    refusal = parties.transfer_refusal(case)
    if refusal:
        raise Conflict(refusal)
    recipient = {
        "to_bureau": to_bureau.name if to_bureau else "",
        "to_department": to_department.strip(),
    }
    _step(
        actor=actor,
        case=case,
        action=CaseAction.TRANSFER,
        note=reason.strip(),
        update={"end_reason": reason.strip(), "closed_on": _today()},
        data=recipient,
        source=source,
    )
    # The co-parties' open proceedings go with the unit's case (双罚, ADR 0011).
    parties.transfer_parties(
        actor=actor, case=case, reason=reason.strip(), data=recipient, source=source
    )
    return transfer_create(
        actor=actor,
        entity=case.entity,
        from_bureau=case.bureau,
        case=case,
        finding=None,
        whole_case=True,
        to_bureau=to_bureau,
        to_department=to_department,
        reason=reason,
        source=source,
    )


def open_cases_of(findings: Iterable[Finding]) -> Any:
    """Cases (not ended) that hold any of these findings."""
    return Case.objects.filter(Q(findings__in=list(findings))).exclude(state__in=ENDED_STATES)
