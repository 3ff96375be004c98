"""Rewards for reports (举报奖励, 安全生产领域举报奖励办法, 安监总财〔2018〕19号).

- A verified report of a major hazard or of illegal production earns `fine_share_percent` (15)
  of the fine imposed, at least `minimum` (3,000) and at most `maximum` (300,000) yuan.
- A verified report of a concealed or falsely reported accident earns, per concealed death,
  30,000 / 40,000 / 50,000 / 60,000 yuan for a general / larger / major / especially major
  accident, at most `maximum`.
- A province's bonus for an employee reporting their own employer (`employee_bonus_percent`)
  is added before the cap.
- Only the first valid real-name reporter of a matter is rewarded: among a report and the reports
  merged into it, the earliest named one; one reward per matter.
- 谁受理、谁奖励: the competent bureau's desk proposes; the review committee approves or refuses
  (never the proposer); the desk records the payment. Every step is audited.

Every figure is a setting (ANJIAN_REWARD in settings.py).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.states import CaseState
from anjian.complaints.models import (
    AccidentLevel,
    Report,
    ReportKind,
    ReportMessage,
    ReportOutcome,
    ReportState,
    Reward,
    RewardState,
)
from anjian.complaints.services import _desk_check
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource, audit_record

# A case's fine counts once the decision is made (决定作出); before that there is no fine.
DECIDED_STATES = frozenset(
    {
        CaseState.DECIDED, CaseState.SERVED, CaseState.REMINDED, CaseState.SURCHARGED,
        CaseState.COURT_APPLIED, CaseState.COURT_RULED, CaseState.EXECUTED, CaseState.CLOSED,
    }
)  # fmt: skip


def reward_amount(
    *,
    kind: str,
    fine: int = 0,
    concealed_deaths: int = 0,
    accident_level: str = "",
    employee: bool = False,
    rules: dict[str, Any] | None = None,
) -> tuple[int, str]:
    """The reward in yuan and how it was computed (a sentence for the record)."""
    r: dict[str, Any] = rules or settings.ANJIAN_REWARD
    if kind == ReportKind.CONCEALED_ACCIDENT:
        per = int(r["per_death"].get(accident_level, 0))
        base = Decimal(per * concealed_deaths)
        how = f"{concealed_deaths} × {per}"
    else:
        base = Decimal(fine) * Decimal(r["fine_share_percent"]) / 100
        base = max(base, Decimal(r["minimum"]))
        how = f"max({fine} × {r['fine_share_percent']}%, {r['minimum']})"
    bonus = int(r.get("employee_bonus_percent", 0)) if employee else 0
    if bonus:
        base = base * (100 + bonus) / 100
        how += f" × {100 + bonus}%"
    amount = int(min(base, Decimal(r["maximum"])).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if base > r["maximum"]:
        how += f" → {r['maximum']}"
    return amount, f"{how} = {amount}"


def _group(report: Report) -> tuple[Report, list[Report]]:
    report = Report.objects.select_related("case").get(pk=report.pk)  # fresh: states move on
    root = (
        Report.objects.select_related("case", "bureau").get(pk=report.duplicate_of_id)
        if report.duplicate_of_id
        else report
    )
    members = [root, *Report.objects.filter(duplicate_of=root)]
    return root, sorted(members, key=lambda r: (r.received_at, r.pk))


def reward_eligibility(report: Report) -> tuple[Report, Any]:
    """The matter's handled report and the reason this report earns no reward (None if it
    may)."""
    root, members = _group(report)
    if root.state != ReportState.HANDLED or root.outcome not in (
        ReportOutcome.SUBSTANTIATED,
        ReportOutcome.PARTLY,
    ):
        return root, _("Only a report verified as substantiated is rewarded.")
    named = [m for m in members if not m.anonymous and m.reporter_name]
    if not named:
        return root, _("Only a real-name reporter is rewarded.")
    if named[0].pk != report.pk:
        return root, _("Only the first valid real-name reporter of the matter is rewarded.")
    if Reward.objects.filter(report__in=[m.pk for m in members]).exists():
        return root, _("The matter has already been rewarded.")
    return root, None


@transaction.atomic
def reward_propose(
    *,
    actor: Any,
    report: Report,
    concealed_deaths: int = 0,
    accident_level: str = "",
    source: str = AuditSource.WEB,
) -> Reward:
    root, refusal = reward_eligibility(report)
    _desk_check(actor, root)
    if refusal is not None:
        raise ServiceError(refusal, code="not_eligible")
    fine = 0
    errors: dict[str, Any] = {}
    if report.kind == ReportKind.CONCEALED_ACCIDENT:
        if accident_level not in AccidentLevel.values:
            errors["accident_level"] = _("Choose the accident's level.")
        if concealed_deaths < 1:
            errors["concealed_deaths"] = _("Give the number of concealed deaths.")
    elif root.case_id is not None:
        case = root.case
        assert case is not None
        if case.state not in DECIDED_STATES:
            errors["case"] = _("Wait for the case's penalty decision: the reward follows the fine.")
        fine = int(case.fine_amount)
    if errors:
        raise ServiceError.for_fields(errors)
    amount, basis = reward_amount(
        kind=report.kind,
        fine=fine,
        concealed_deaths=concealed_deaths,
        accident_level=accident_level,
        employee=report.reporter_is_employee,
    )
    reward = Reward.objects.create(
        report=report,
        bureau=root.bureau,
        fine_amount=fine,
        concealed_deaths=concealed_deaths,
        accident_level=accident_level,
        amount=amount,
        basis=basis,
        proposed_by=None if isinstance(actor, Actor) else actor,
    )
    _record(actor, reward, "proposed", source, amount=amount, fine=fine, basis=basis)
    return reward


def _record(actor: Any, reward: Reward, action: str, source: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"complaints.reward.{action}",
        obj=reward,
        region=reward.bureau.region_id,
        changes={"report": reward.report.receipt_id, **changes},
        source=source,
    )


@transaction.atomic
def reward_decide(
    *, actor: Any, reward: Reward, approve: bool, note: str = "", source: str = AuditSource.WEB
) -> Reward:
    """The review committee approves or refuses; its member is never the proposer."""
    actor_require(actor, Capability.REWARDS_APPROVE)
    actor_require_region(actor, reward.bureau.region_id)
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.state != RewardState.PROPOSED:
        raise ServiceError(_("The reward has already been decided."), code="invalid_state")
    if not isinstance(actor, Actor) and reward.proposed_by_id == actor.pk:
        raise NotPermitted(_("The committee member who decides is not the one who proposed."))
    if not approve and len(note.strip()) < 2:
        raise ServiceError.for_field("note", _("Give the committee's reason for the refusal."))
    reward.state = RewardState.APPROVED if approve else RewardState.REFUSED
    reward.decided_by = None if isinstance(actor, Actor) else actor
    reward.decided_at = clock.now()
    reward.decision_note = note.strip()[:300]
    reward.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        ReportMessage.objects.create(
            report=reward.report,
            author=ReportMessage.Author.BUREAU,
            body=str(
                _(
                    "A reward of %(amount)s yuan has been approved for your report. Contact "
                    "%(bureau)s with this receipt to receive it."
                )
            )
            % {"amount": f"{reward.amount:,}", "bureau": reward.bureau.name},
        )
    _record(actor, reward, "approved" if approve else "refused", source, amount=reward.amount)
    return reward


@transaction.atomic
def reward_pay(
    *,
    actor: Any,
    reward: Reward,
    paid_on: datetime.date,
    reference: str,
    source: str = AuditSource.WEB,
) -> Reward:
    """Record the payment of an approved reward (by the bureau's desk)."""
    if not isinstance(actor, Actor):
        if not actor.can(Capability.COMPLAINTS_RECEIVE):
            raise NotPermitted()
        if actor.bureau_id != reward.bureau_id and not actor.is_superuser:
            raise NotFound()
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if reward.state != RewardState.APPROVED:
        raise ServiceError(_("Only an approved reward is paid."), code="invalid_state")
    errors: dict[str, Any] = {}
    if paid_on > clock.today():
        errors["paid_on"] = _("The date cannot be in the future.")
    if not reference.strip():
        errors["reference"] = _("Give the payment's voucher or transfer number.")
    if errors:
        raise ServiceError.for_fields(errors)
    reward.state = RewardState.PAID
    reward.paid_on = paid_on
    reward.payment_reference = reference.strip()[:100]
    reward.save(update_fields=["state", "paid_on", "payment_reference"])
    _record(actor, reward, "paid", source, amount=reward.amount, paid_on=paid_on)
    return reward
