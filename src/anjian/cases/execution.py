"""The unpaid fine (行政处罚法 第六十六条–第七十三条, 行政强制法 第三十五条–第三十七条, 第四十五条,
第五十三条–第五十四条); the handling period is in time_limits.py.

After service the party has 15 days to pay. Past that date the bureau serves a written reminder
(催告); the party has 10 days. Then the bureau may decide the late-payment surcharge (加处罚款:
3% of the unpaid fine for each day after the deadline, never more than that fine), frozen at the
amount due on a date it names, and applies to the people's court for enforcement once the party's
remedy periods have ended (reconsideration 60 days, lawsuit 6 months from service) and within
3 months after. The court's ruling recorded, the case closes. On the party's written request the
bureau may approve deferral or instalments: the plan's dates replace the deadline, and a missed
instalment opens the reminder again. Payments are recorded all along (services.case_payment_record)
and a case paid in full, with the decided surcharge, is executed and closed as before.

The periods here are counted in calendar days (the day of the event not counted), as the law
writes them in 日 and 月, and a period whose last day is a rest day or holiday ends on the next
working day; the short periods of 行政处罚法 第八十五条 in working days are elsewhere. The plan's
dates are the approved dates.

Each step is one service: the table's checks (states.EXECUTION_TRANSITIONS), its own guard with
the reason when refused, a compare-and-swap of the state, a timeline row and an audit event
`cases.execution.<what>` in one transaction.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case, CaseEvent
from anjian.cases.states import (
    ENDED_STATES,
    EXECUTION_TRANSITIONS,
    OPEN_STATES,
    PAYING_STATES,
    CaseAction,
    CaseState,
)
from anjian.core import audit_chain
from anjian.core.errors import Conflict, ServiceError
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import is_workday

PAYMENT_DAYS = 15  # 行政处罚法 第六十七条
REMINDER_DAYS = 10  # 行政强制法 第三十七条, 第五十四条
SURCHARGE_PERCENT_PER_DAY = 3  # 行政处罚法 第七十二条, 行政强制法 第四十五条
RECONSIDERATION_DAYS = 60  # 行政复议法
LAWSUIT_MONTHS = 6  # 行政诉讼法 第四十六条
COURT_WINDOW_MONTHS = 3  # 行政强制法 第五十三条
DUE_SOON_DAYS = 5  # a payment or reminder period this close is listed as due soon


def _today() -> datetime.date:
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (8-31 + 6
    months is 2-28), as periods in months are counted."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def period_end(day: datetime.date) -> datetime.date:
    """The last day of a period in days or months: when it falls on a rest day or holiday, the
    first working day after it (the rule of 行政诉讼法 and 民事诉讼法 on periods)."""
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


# --- what is due, and when ------------------------------------------------------------------


def amount_paid(case: Case) -> int:
    from anjian.cases._common import amount_paid as paid

    return paid(case)


def unpaid_fine(case: Case, paid: int | None = None) -> int:
    """The fine still unpaid: payments go to the fine first (the surcharge runs on it only)."""
    paid = amount_paid(case) if paid is None else paid
    return max(0, int(case.fine_amount) - paid)


def outstanding(case: Case, paid: int | None = None) -> int:
    """Everything still due: fine, confiscation, and the surcharge once decided."""
    paid = amount_paid(case) if paid is None else paid
    total = int(case.fine_amount) + int(case.confiscation_amount) + int(case.surcharge_amount)
    return max(0, total - paid)


def payment_deadline(case: Case, paid: int | None = None) -> datetime.date | None:
    """The day by which the party must have paid: 15 days after service, or, under an approved
    plan, the date of the first instalment not yet covered by the payments."""
    if case.served_on is None:
        return None
    plan = case.payment_plan or {}
    parts = plan.get("parts") or []
    if not parts:
        return period_end(case.served_on + datetime.timedelta(days=PAYMENT_DAYS))
    paid = amount_paid(case) if paid is None else paid
    target = int(plan.get("paid_before", 0))
    for part in parts:
        target += int(part["amount"])
        if paid < target:
            return datetime.date.fromisoformat(part["due_on"])
    return datetime.date.fromisoformat(parts[-1]["due_on"])


def surcharge_on(case: Case, day: datetime.date, paid: int | None = None) -> int:
    """The surcharge accrued up to `day`: 3% of the unpaid fine for each day after the deadline,
    never more than that fine (行政强制法 第四十五条); under a plan, of the part that fell due.
    Whole yuan, rounded down."""
    paid = amount_paid(case) if paid is None else paid
    deadline = payment_deadline(case, paid)
    base = unpaid_fine(case, paid)
    parts = (case.payment_plan or {}).get("parts") or []
    if parts and deadline is not None:
        # Under a plan only what fell due by the missed date is late, not the later instalments.
        due_by = int(case.payment_plan.get("paid_before", 0)) + sum(
            int(p["amount"]) for p in parts if datetime.date.fromisoformat(p["due_on"]) <= deadline
        )
        base = min(base, max(0, due_by - paid))
    if deadline is None or base <= 0 or day <= deadline:
        return 0
    days = (day - deadline).days
    return min(base, base * SURCHARGE_PERCENT_PER_DAY * days // 100)


def remedy_periods_end(case: Case) -> datetime.date | None:
    """The later of the reconsideration (60 days) and lawsuit (6 months) periods from service."""
    if case.served_on is None:
        return None
    return max(
        period_end(case.served_on + datetime.timedelta(days=RECONSIDERATION_DAYS)),
        period_end(add_months(case.served_on, LAWSUIT_MONTHS)),
    )


def court_window(case: Case) -> tuple[datetime.date, datetime.date] | None:
    """The days on which the bureau may apply to the court: after the remedy periods end and
    within 3 months of their end (行政强制法 第五十三条)."""
    end = remedy_periods_end(case)
    if end is None:
        return None
    return end + datetime.timedelta(days=1), period_end(add_months(end, COURT_WINDOW_MONTHS))


def reminder_deadline(case: Case) -> datetime.date | None:
    if case.reminded_on is None:
        return None
    return period_end(case.reminded_on + datetime.timedelta(days=REMINDER_DAYS))


@dataclass(frozen=True)
class Deadline:
    label: str
    day: datetime.date
    status: str  # "overdue", "due_soon", "open", "passed" (a start date reached)

    @property
    def days_left(self) -> int:
        return (self.day - _today()).days


def _status(day: datetime.date, today: datetime.date, soon: int = DUE_SOON_DAYS) -> str:
    if today > day:
        return "overdue"
    if (day - today).days <= soon:
        return "due_soon"
    return "open"


def execution_deadlines(case: Case, today: datetime.date | None = None) -> list[Deadline]:
    """The unpaid fine's dates for the case page and the overdue list."""
    today = today or _today()
    if case.state not in PAYING_STATES:
        return []
    out: list[Deadline] = []
    deadline = payment_deadline(case)
    if deadline and case.state == CaseState.SERVED:
        out.append(Deadline(str(_("payment deadline")), deadline, _status(deadline, today)))
    reminder = reminder_deadline(case)
    if reminder and case.state == CaseState.REMINDED:
        out.append(
            Deadline(str(_("end of the reminder period")), reminder, _status(reminder, today))
        )
    window = court_window(case)
    if window and case.state in (CaseState.REMINDED, CaseState.SURCHARGED):
        out.append(
            Deadline(
                str(_("last day to apply to the court")), window[1], _status(window[1], today, 30)
            )
        )
    return out


# --- the steps -----------------------------------------------------------------------------


def _allowed(actor: Any, case: Case, action: str) -> None:
    """The same checks as every other step (_common._allowed), against the execution table."""
    from anjian.cases._common import _allowed as table_allows

    table_allows(actor, case, action, EXECUTION_TRANSITIONS)


def _lock(case: Case) -> Case:
    from anjian.cases._common import _lock as case_lock

    return case_lock(case)


def _day(name: str, day: datetime.date | None) -> datetime.date:
    day = day or _today()
    if day > _today():
        raise ServiceError.for_field(name, _("The date cannot be in the future."))
    return day


def _write(
    *,
    actor: Any,
    case: Case,
    action: str,
    code: str,
    to: str | None,
    update: dict[str, Any],
    note: str,
    data: dict[str, Any],
    source: str,
) -> Case:
    """Compare-and-swap on the state, then the timeline row and the audit event."""
    start = case.state
    fields = dict(update)
    if to is not None:
        fields["state"] = to
    # A step that changes no column (a suspension is its own row) holds the row lock only.
    if fields and not Case.objects.filter(pk=case.pk, state=start).update(**fields):
        raise Conflict()
    for key, value in fields.items():
        setattr(case, key, value)
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=start if to else "",
        to_state=to or "",
        actor=None if isinstance(actor, Actor) else actor,
        note=note,
        data=audit_chain.to_jsonable(data),
    )
    changes: dict[str, Any] = {"number": case.number, **data}
    if to:
        changes["state"] = [start, to]
    if note:
        changes["note"] = note
    action_code = code if "." in code else f"cases.execution.{code}"
    audit_record(
        actor=actor,
        action=action_code,
        obj=case,
        region=case.region_id,
        changes=audit_chain.to_jsonable(changes),
        source=source,
    )
    # The step's document (催告书, 加处罚款决定书, 查封扣押决定书 …), in the same transaction.
    from anjian.cases.casefile_documents import step_documents

    step_documents(actor=actor, case=case, code=action_code, data=data, note=note)
    return case


@transaction.atomic
def case_remind(
    *,
    actor: Any,
    case: Case,
    reminded_on: datetime.date | None = None,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """催告: the written reminder, once the payment deadline has passed with money unpaid."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.REMIND)
    day = _day("reminded_on", reminded_on)
    deadline = payment_deadline(case)
    assert deadline is not None
    if outstanding(case) <= 0:
        raise Conflict(_("Nothing is unpaid; record the execution instead."))
    if day <= deadline:
        raise Conflict(
            _("The payment deadline is %(day)s; a reminder follows it.")
            % {"day": deadline.isoformat()}
        )
    return _write(
        actor=actor,
        case=case,
        action=CaseAction.REMIND,
        code="reminded",
        to=CaseState.REMINDED,
        update={"reminded_on": day},
        note=note.strip(),
        data={
            "reminded_on": day,
            "payment_deadline": deadline,
            "reply_by": day + datetime.timedelta(days=REMINDER_DAYS),
            "unpaid": outstanding(case),
        },
        source=source,
    )


def _reminder_ran_out(case: Case, day: datetime.date, field: str) -> None:
    end = reminder_deadline(case)
    assert end is not None
    if day <= end:
        raise ServiceError.for_field(
            field,
            _("The party has until %(day)s to comply after the reminder.")
            % {"day": end.isoformat()},
        )


@transaction.atomic
def case_surcharge_decide(
    *,
    actor: Any,
    case: Case,
    until: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """加处罚款决定: the surcharge up to `until`, frozen at that amount; after the reminder's 10
    days, by the bureau's leadership."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.SURCHARGE)
    day = _day("decided_on", decided_on)
    _reminder_ran_out(case, day, "decided_on")
    until = until or day
    if until > day:
        raise ServiceError.for_field("until", _("The surcharge is counted up to the decision."))
    amount = surcharge_on(case, until)
    if amount <= 0:
        raise ServiceError.for_field("until", _("No surcharge has accrued by that date."))
    deadline = payment_deadline(case)
    return _write(
        actor=actor,
        case=case,
        action=CaseAction.SURCHARGE,
        code="surcharge_decided",
        to=CaseState.SURCHARGED,
        update={"surcharge_amount": amount, "surcharge_until": until},
        note=note.strip(),
        data={
            "decided_on": day,
            "until": until,
            "days": (until - deadline).days if deadline else 0,
            "base": unpaid_fine(case),
            "amount": amount,
            "capped": amount == unpaid_fine(case),
        },
        source=source,
    )


def _plan_parts(
    parts: list[tuple[datetime.date, int]], due: int, day: datetime.date
) -> list[dict[str, Any]]:
    if not parts:
        raise ServiceError.for_field("parts", _("Give at least one date and amount."))
    out: list[dict[str, Any]] = []
    last: datetime.date | None = None
    for due_on, amount in parts:
        if amount <= 0:
            raise ServiceError.for_field("parts", _("Each amount is at least 1 yuan."))
        if due_on <= day or (last is not None and due_on <= last):
            raise ServiceError.for_field(
                "parts", _("The dates follow the approval and each other.")
            )
        last = due_on
        out.append({"due_on": due_on.isoformat(), "amount": int(amount)})
    if sum(p["amount"] for p in out) != due:
        raise ServiceError.for_field(
            "parts",
            _("The amounts add up to the %(due)s yuan still due.") % {"due": f"{due:,}"},
        )
    return out


@transaction.atomic
def case_instalments_approve(
    *,
    actor: Any,
    case: Case,
    requested_on: datetime.date | None,
    parts: list[tuple[datetime.date, int]],
    reason: str,
    approved_on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Case:
    """延期或者分期缴纳 (行政处罚法 第六十六条): on the party's written request, with the
    leadership's approval. One part is a deferral. The plan's dates replace the deadline and a
    reminder already served falls away: a missed instalment opens it again."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.INSTALMENTS)
    day = _day("approved_on", approved_on)
    errors: dict[str, Any] = {}
    if requested_on is None:
        errors["requested_on"] = _("Deferral or instalments need the party's written request.")
    elif requested_on > day:
        errors["requested_on"] = _("The request comes before the approval.")
    if not reason.strip():
        errors["reason"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    paid = amount_paid(case)
    plan = {
        "requested_on": requested_on.isoformat() if requested_on else "",
        "approved_on": day.isoformat(),
        "paid_before": paid,
        "parts": _plan_parts(parts, outstanding(case, paid), day),
    }
    return _write(
        actor=actor,
        case=case,
        action=CaseAction.INSTALMENTS,
        code="instalments_approved",
        to=CaseState.SERVED,
        update={"payment_plan": plan, "reminded_on": None},
        note=reason.strip(),
        data={"plan": plan, "previous_deadline": payment_deadline(case, paid)},
        source=source,
    )


@transaction.atomic
def case_court_apply(
    *,
    actor: Any,
    case: Case,
    applied_on: datetime.date | None = None,
    note: str = "",
    source: str = AuditSource.WEB,
) -> Case:
    """申请人民法院强制执行 (行政强制法 第五十三条, 第五十四条): after the reminder's 10 days,
    once the remedy periods have ended, and within 3 months of their end."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.COURT_APPLY)
    day = _day("applied_on", applied_on)
    if outstanding(case) <= 0:
        raise Conflict(_("Nothing is unpaid; record the execution instead."))
    _reminder_ran_out(case, day, "applied_on")
    window = court_window(case)
    assert window is not None
    if not window[0] <= day <= window[1]:
        raise ServiceError.for_field(
            "applied_on",
            _(
                "The court is applied to from %(start)s to %(end)s, after the periods for "
                "reconsideration and lawsuit."
            )
            % {"start": window[0].isoformat(), "end": window[1].isoformat()},
        )
    return _write(
        actor=actor,
        case=case,
        action=CaseAction.COURT_APPLY,
        code="court_applied",
        to=CaseState.COURT_APPLIED,
        update={"court_applied_on": day},
        note=note.strip(),
        data={
            "applied_on": day,
            "window": list(window),
            "unpaid": outstanding(case),
            "surcharge": int(case.surcharge_amount),
        },
        source=source,
    )


@transaction.atomic
def case_court_ruling_record(
    *,
    actor: Any,
    case: Case,
    ruled_on: datetime.date | None,
    ruling: str,
    source: str = AuditSource.WEB,
) -> Case:
    """The court's ruling (准予执行 or not, with its number), after which the case closes."""
    case = _lock(case)
    _allowed(actor, case, CaseAction.COURT_RULING)
    day = _day("ruled_on", ruled_on)
    if not ruling.strip():
        raise ServiceError.for_field("ruling", _("Give the ruling's number and outcome."))
    if case.court_applied_on and day < case.court_applied_on:
        raise ServiceError.for_field("ruled_on", _("The ruling follows the application."))
    return _write(
        actor=actor,
        case=case,
        action=CaseAction.COURT_RULING,
        code="court_ruled",
        to=CaseState.COURT_RULED,
        update={"court_ruled_on": day, "court_ruling": ruling.strip()},
        note=ruling.strip(),
        data={"ruled_on": day},
        source=source,
    )


# --- the lists ------------------------------------------------------------------------------


def overdue_cases(viewer: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Cases in the viewer's scope with an unpaid-fine date or the handling period overdue or
    near, most urgent first (the division head's list)."""
    from anjian.cases.time_limits import handling_clock

    today = today or _today()
    rows: list[dict[str, Any]] = []
    cases = (
        Case.objects.visible_to(viewer)
        .exclude(state__in=ENDED_STATES)
        .filter(state__in=list(PAYING_STATES | OPEN_STATES))
        .select_related("entity", "bureau")
        .prefetch_related("suspensions", "payments", "seizures")
    )
    for case in cases:
        items = [d for d in execution_deadlines(case, today) if d.status != "open"]
        clock = handling_clock(case, today) if case.state in OPEN_STATES else None
        if clock and clock.status != "open":
            items.append(Deadline(str(_("handling period (90 days)")), clock.due_on, clock.status))
        for seizure in case.seizures.all():
            if seizure.released_on is None and _status(seizure.ends_on, today) != "open":
                label = str(_("end of the sealing up or seizure"))
                items.append(Deadline(label, seizure.ends_on, _status(seizure.ends_on, today)))
        for d in items:
            rows.append({"case": case, "deadline": d, "days": (d.day - today).days})
    rows.sort(key=lambda r: r["days"])
    return rows


# Statuses for the templates.
STATUS_LABELS = {
    "overdue": _("overdue"),
    "due_soon": _("due soon"),
    "open": _("open"),
}


# --- the case page ------------------------------------------------------------------------


def execution_actions_for(viewer: Any, case: Case, today: datetime.date | None = None) -> list[str]:
    """The unpaid-fine and handling-period steps this viewer may take now: the table's rights
    and states, and the dates that open each step (no button that would only be refused)."""
    today = today or _today()
    if getattr(viewer, "bureau_id", None) != case.bureau_id and not viewer.is_superuser:
        return []
    is_handler = case.handlers.filter(pk=viewer.pk).exists()

    def may(capability: str) -> bool:
        return bool(viewer.can(capability)) and (
            capability != Capability.CASES_HANDLE or is_handler
        )

    out: list[str] = []
    for action, (starts, _to, capability) in EXECUTION_TRANSITIONS.items():
        if case.state in starts and may(capability):
            out.append(str(action))
    due = outstanding(case) if case.state in PAYING_STATES else 0
    deadline = payment_deadline(case)
    reminder = reminder_deadline(case)
    window = court_window(case)
    opens: dict[str, bool] = {
        CaseAction.REMIND: due > 0 and deadline is not None and today > deadline,
        CaseAction.SURCHARGE: reminder is not None and today > reminder and due > 0,
        CaseAction.COURT_APPLY: reminder is not None
        and today > reminder
        and due > 0
        and window is not None
        and window[0] <= today <= window[1],
        CaseAction.INSTALMENTS: due > 0,
    }
    out = [a for a in out if opens.get(a, True)]
    if case.state in OPEN_STATES and case.state != CaseState.FILING:
        suspended = case.suspensions.filter(ended_on__isnull=True).exists()
        if may(Capability.CASES_HANDLE):
            out.append("period_resume" if suspended else "period_suspend")
        if may(Capability.CASES_APPROVE):
            out.append("period_extend")
    return out


def execution_panel(viewer: Any, case: Case) -> dict[str, Any]:
    from anjian.cases.time_limits import handling_clock

    today = _today()
    paid = amount_paid(case)
    paying = case.state in PAYING_STATES
    # The main step list offers payments while served; along the path they are offered here.
    may_pay = (
        paying
        and case.state != CaseState.SERVED
        and getattr(viewer, "bureau_id", None) == case.bureau_id
        and bool(viewer.can(Capability.CASES_HANDLE))
        and case.handlers.filter(pk=viewer.pk).exists()
    )
    from anjian.cases.legal_review import ReviewReason, may_request
    from anjian.cases.models import SeizureKind

    may_seize = (
        case.state not in ENDED_STATES
        and case.state != CaseState.FILING
        and getattr(viewer, "bureau_id", None) == case.bureau_id
        and bool(viewer.can(Capability.CASES_APPROVE))
    )
    return {
        "seizures": list(case.seizures.all()),
        "may_seize": may_seize,
        "seizure_kinds": SeizureKind.choices,
        "case": case,
        "may_pay": may_pay,
        "may_request_review": may_request(viewer, case),
        "review_reason_choices": ReviewReason.choices,
        "actions": execution_actions_for(viewer, case, today),
        "deadlines": execution_deadlines(case, today),
        "clock": handling_clock(case, today),
        "suspensions": list(case.suspensions.all()),
        "paying": paying,
        "paid": paid,
        "outstanding": outstanding(case, paid),
        "deadline": payment_deadline(case, paid),
        "reminder_end": reminder_deadline(case),
        "surcharge_now": surcharge_on(case, today, paid) if paying else 0,
        "window": court_window(case) if case.served_on else None,
        "plan": case.payment_plan or {},
        "today": today,
    }
