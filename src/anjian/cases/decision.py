"""The decision and what follows it: the legal-review gate (N5.2), the decision, service (送达),
payments, execution and closing (结案). The unpaid path (催告, 加处罚款, court enforcement) is in
`execution`. The shared checks are in `_common`; `services` re-exports the public functions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases import integration
from anjian.cases._common import (
    _allowed,
    _findings_punished,
    _lock,
    _not_future,
    _record,
    _require_handler,
    _same_bureau,
    _step,
    _today,
    amount_due,
    amount_paid,
)
from anjian.cases.hearing import proposal_hash_of
from anjian.cases.measures import (
    PENALTIES,
    Proposal,
    major_reasons,
)
from anjian.cases.models import (
    Case,
    LegalReview,
    Payment,
    ReviewResult,
    ServiceMethod,
)
from anjian.cases.states import PAYING_STATES, CaseAction, CaseState
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource


def gate_refusal(case: Case) -> str | None:
    """Why the case cannot be decided now under the legal-review gate (N5.2), or None.

    "Major" is computed again from the proposal (not read from the stored flag), and the
    passed review must be of this very proposal: a change after the review voids it."""
    current = proposal_hash_of(case)
    if current != case.proposal_hash:
        return str(_("The proposal changed without the service; it needs a new review."))
    proposal = Proposal(
        party_kind=case.party_kind,
        measures=list(case.measures),
        fine_amount=case.fine_amount,
        confiscation_amount=case.confiscation_amount,
    )
    reasons = major_reasons(proposal, outside_benchmark=bool(case.discretion.get("outside")))
    if case.review_reasons:  # the handler's reasons of 第五十八条 (legal_review.py)
        from anjian.cases.legal_review import review_reason_labels

        reasons = [*reasons, *review_reason_labels(case)]
    if not reasons and not case.major:
        return None
    passed = LegalReview.objects.filter(
        case=case, result=ReviewResult.PASS, snapshot_hash=current
    ).exists()
    if passed:
        return None
    return str(
        _(
            "A major decision (%(why)s) needs a passed legal review of the current proposal "
            "(重大执法决定法制审核)."
        )
        % {"why": "；".join(reasons or case.major_reasons)}
    )


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: Case,
    decided_on: datetime.date | None = None,
    document: dict[str, Any] | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """The decision. Refused for a major case without a passed legal review of the current
    proposal, whatever the caller; a penalty's fact is taken (一事不再罚)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.DECIDE)
    refusal = gate_refusal(case)
    if refusal:
        raise NotPermitted(refusal)
    day = _not_future("decided_on", decided_on)
    # The decision number is the issued decision's own number (integration.decision_issued).
    update: dict[str, Any] = {"decided_on": day}
    if set(case.measures) & PENALTIES and case.benchmark is not None:
        from anjian.cases.parties import case_penalty_key, twice_refusal

        key = case_penalty_key(case)
        if Case.objects.filter(penalty_fact_key=key).exists():
            raise Conflict(twice_refusal())
        if _findings_punished(case):
            raise Conflict(_("This fact has already been penalised (一事不再罚)."))
        update["penalty_fact_key"] = key
    _step(
        actor=actor,
        case=case,
        action=CaseAction.DECIDE,
        update=update,
        data={
            "decided_on": day,
            "measures": case.measures,
            "fine_amount": case.fine_amount,
            "major": case.major,
            "proposal_hash": case.proposal_hash,
        },
        source=source,
    )
    integration.decision_issued(actor=actor, case=case, document=document)
    return case


# --- after the decision --------------------------------------------------------------------


@transaction.atomic
def case_serve(
    *,
    actor: Any,
    case: Case,
    served_on: datetime.date,
    method: str,
    source: str = AuditSource.WEB,
) -> Case:
    """送达: the decision reached the party (date and method)."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.SERVE)
    day = _not_future("served_on", served_on)
    if method not in ServiceMethod.values:
        raise ServiceError.for_field("method", _("Choose one of the listed values."))
    if case.decided_on and day < case.decided_on:
        raise ServiceError.for_field("served_on", _("Service follows the decision."))
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.SERVE,
        update={"served_on": day, "service_method": method},
        data={"served_on": day, "method": method},
        source=source,
    )


@transaction.atomic
def case_payment_record(
    *,
    actor: Any,
    case: Case,
    amount: int,
    paid_on: datetime.date,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Payment:
    """A payment towards the fine and confiscation; several partial payments add up."""
    actor_require(actor, Capability.CASES_HANDLE)
    case = _lock(case)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    _require_handler(actor, case)
    if case.state not in PAYING_STATES:
        raise Conflict(_("Payments are recorded after the decision is served."))
    day = _not_future("paid_on", paid_on)
    remaining = amount_due(case) - amount_paid(case)
    if amount <= 0 or amount > remaining:
        raise ServiceError.for_field(
            "amount",
            _("Give an amount between 1 and the %(left)s yuan still due.")
            % {"left": f"{remaining:,}"},
        )
    payment = Payment.objects.create(
        case=case,
        amount=amount,
        paid_on=day,
        note=note.strip(),
        recorded_by=None if isinstance(actor, Actor) else actor,
    )
    _record(
        actor=actor,
        case=case,
        action="payment",
        note=note.strip(),
        data={"amount": amount, "paid_on": day, "remaining": remaining - amount},
        source=source,
    )
    return payment


@transaction.atomic
def case_execute(
    *,
    actor: Any,
    case: Case,
    executed_on: datetime.date,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """执行: the fine is paid in full and the other measures carried out."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.EXECUTE)
    day = _not_future("executed_on", executed_on)
    remaining = amount_due(case) - amount_paid(case)
    if remaining > 0:
        raise Conflict(
            _("%(left)s yuan are still unpaid.") % {"left": f"{remaining:,}"},
        )
    return _step(
        actor=actor,
        case=case,
        action=CaseAction.EXECUTE,
        to=CaseState.EXECUTED,
        note=note,
        update={"executed_on": day},
        data={"executed_on": day},
        source=source,
    )


@transaction.atomic
def case_close(*, actor: Any, case: Case, note: str = "", source: str = AuditSource.WEB) -> Case:
    """结案: when every party's decision is executed or otherwise ended (parties.py)."""
    from anjian.cases import parties

    case = _lock(case)
    _allowed(actor, case, CaseAction.CLOSE)
    refusal = parties.close_refusal(case)
    if refusal:
        raise Conflict(refusal)
    _step(
        actor=actor,
        case=case,
        action=CaseAction.CLOSE,
        note=note,
        update={"closed_on": _today()},
        source=source,
    )
    parties.close_parties(actor=actor, case=case, note=note, source=source)
    return case
