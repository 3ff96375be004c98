"""The enforcement case's workflow (N3.6, N5.2), declared as data and checked in one place.

    filing ──approve──> investigating ──notify──> notified ─┬─ hearing_request ──> hearing
      │                    ^   ^                            │                       │
      └─refuse─> not_filed │   │                            └─ defence_close ─┐     hearing_record
                           │   └────── review_return ──────────────┐          │     │
                           │                                       │          v     v
                           │                 legal_review <── (major) ── after statement/hearing
                           │                   │ review_pass                 │ (not major)
                           │                   v                             v
                           │          deliberation (where required) ──> awaiting_decision
                           │                                                 │ decide (the gate)
                           │                                                 v
                           │      decided ─serve─> served ─execute─> executed ─close─> closed
                           │      served ─remind─> reminded ─surcharge─> surcharged
                           │        (reminded|surcharged) ─court_apply─> court_applied
                           │        ─court_ruling─> court_ruled ─close─> closed (execution.py)
    any open state ──withdraw──> withdrawn;  ──transfer──> transferred

After the statement and defence (or the hearing) the case goes to legal review when it is
major, then to collective deliberation where required, then waits for the decision. A legal
review's return sends it back to investigating (facts or proposal to change; a new notice
follows) or to notified (the party's statement to be considered again). Who may take each step
is part of the table: the capability, and for the approval and the decision the bureau's
leadership. The services (`services.py`) do the checking; pages only read this table to decide
which buttons to show.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.accounts.roles import Capability


class CaseState(models.TextChoices):
    FILING = "filing", _("Filing awaiting approval")
    NOT_FILED = "not_filed", _("Not filed")
    INVESTIGATING = "investigating", _("Investigation and evidence")
    NOTIFIED = "notified", _("Notice of proposed penalty issued")
    HEARING = "hearing", _("Hearing")
    LEGAL_REVIEW = "legal_review", _("Legal review")
    DELIBERATION = "deliberation", _("Collective deliberation")
    AWAITING_DECISION = "awaiting_decision", _("Awaiting decision")
    DECIDED = "decided", _("Decided")
    SERVED = "served", _("Decision served")
    REMINDED = "reminded", _("Reminded to pay")
    SURCHARGED = "surcharged", _("Late-payment surcharge decided")
    COURT_APPLIED = "court_applied", _("Court enforcement applied for")
    COURT_RULED = "court_ruled", _("Court ruling recorded")
    EXECUTED = "executed", _("Executed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("case state", "Withdrawn")
    TRANSFERRED = "transferred", _("Transferred")


class CaseAction(models.TextChoices):
    APPROVE = "approve", _("Approve filing")
    REFUSE = "refuse", _("Refuse filing")
    NOTIFY = "notify", _("Issue the notice of proposed penalty")
    HEARING_REQUEST = "hearing_request", _("Record the party's request for a hearing")
    HEARING_RECORD = "hearing_record", _("Record the hearing")
    DEFENCE_CLOSE = "defence_close", _("Close the statement and defence")
    REVIEW_PASS = "review_pass", _("Pass the legal review")
    REVIEW_RETURN = "review_return", _("Return from legal review")
    DELIBERATE = "deliberate", _("Record the collective deliberation")
    DECIDE = "decide", _("Decide")
    SERVE = "serve", _("Record service of the decision")
    EXECUTE = "execute", _("Record execution")
    CLOSE = "close", _("Close the case")
    WITHDRAW = "withdraw", _("Withdraw the case")
    TRANSFER = "transfer", _("Transfer the case")
    REMIND = "remind", _("Issue the written reminder to pay")
    SURCHARGE = "surcharge", _("Decide the late-payment surcharge")
    INSTALMENTS = "instalments", _("Approve deferral or instalments")
    COURT_APPLY = "court_apply", _("Apply to the court for enforcement")
    COURT_RULING = "court_ruling", _("Record the court's ruling")


S = CaseState
OPEN_STATES = frozenset(
    {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.DELIBERATION,
     S.AWAITING_DECISION}
)  # fmt: skip
ENDED_STATES = frozenset({S.NOT_FILED, S.CLOSED, S.WITHDRAWN, S.TRANSFERRED})
# After the notice the proposal is what the party was told; it changes only after a return to
# investigating (and a new notice). The database refuses a change in these states too.
PROPOSAL_FROZEN_STATES = frozenset(s for s in CaseState if s not in (S.FILING, S.INVESTIGATING))

# After service the fine is paid, or the unpaid fine goes down the path of 行政处罚法 第七十二条
# and 行政强制法: reminder, surcharge, court. Payments are taken all along it.
PAYING_STATES = frozenset({S.SERVED, S.REMINDED, S.SURCHARGED, S.COURT_APPLIED})

# action -> (states it starts from, the state it leads to, the capability it needs).
# A target of None means the service chooses (after the statement: review, deliberation or
# decision; after a return: where the reviewer sent it).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, Capability]] = {
    CaseAction.APPROVE: (frozenset({S.FILING}), S.INVESTIGATING, Capability.CASES_APPROVE),
    CaseAction.REFUSE: (frozenset({S.FILING}), S.NOT_FILED, Capability.CASES_APPROVE),
    CaseAction.NOTIFY: (frozenset({S.INVESTIGATING}), S.NOTIFIED, Capability.CASES_HANDLE),
    CaseAction.HEARING_REQUEST: (frozenset({S.NOTIFIED}), S.HEARING, Capability.CASES_HANDLE),
    CaseAction.HEARING_RECORD: (frozenset({S.HEARING}), None, Capability.CASES_HANDLE),
    CaseAction.DEFENCE_CLOSE: (frozenset({S.NOTIFIED}), None, Capability.CASES_HANDLE),
    CaseAction.REVIEW_PASS: (frozenset({S.LEGAL_REVIEW}), None, Capability.REVIEW),
    CaseAction.REVIEW_RETURN: (frozenset({S.LEGAL_REVIEW}), None, Capability.REVIEW),
    CaseAction.DELIBERATE: (
        frozenset({S.DELIBERATION}),
        S.AWAITING_DECISION,
        Capability.CASES_APPROVE,
    ),
    CaseAction.DECIDE: (frozenset({S.AWAITING_DECISION}), S.DECIDED, Capability.CASES_APPROVE),
    CaseAction.SERVE: (frozenset({S.DECIDED}), S.SERVED, Capability.CASES_HANDLE),
    CaseAction.EXECUTE: (frozenset(PAYING_STATES), None, Capability.CASES_HANDLE),
    CaseAction.CLOSE: (
        frozenset({S.EXECUTED, S.COURT_RULED}),
        S.CLOSED,
        Capability.CASES_APPROVE,
    ),
    CaseAction.WITHDRAW: (
        frozenset(OPEN_STATES - {S.FILING}),
        S.WITHDRAWN,
        Capability.CASES_APPROVE,
    ),
    CaseAction.TRANSFER: (frozenset(OPEN_STATES), S.TRANSFERRED, Capability.CASES_HANDLE),
}

# The unpaid-fine path (cases/execution.py), kept apart from TRANSITIONS because its steps have
# their own forms and services; same shape. Instalments send the case back to served: the
# plan's dates replace the deadline, and a missed instalment opens the reminder again.
EXECUTION_TRANSITIONS: dict[str, tuple[frozenset[str], str, Capability]] = {
    CaseAction.REMIND: (frozenset({S.SERVED}), S.REMINDED, Capability.CASES_HANDLE),
    CaseAction.SURCHARGE: (frozenset({S.REMINDED}), S.SURCHARGED, Capability.CASES_APPROVE),
    CaseAction.INSTALMENTS: (
        frozenset({S.SERVED, S.REMINDED}),
        S.SERVED,
        Capability.CASES_APPROVE,
    ),
    CaseAction.COURT_APPLY: (
        frozenset({S.REMINDED, S.SURCHARGED}),
        S.COURT_APPLIED,
        Capability.CASES_APPROVE,
    ),
    CaseAction.COURT_RULING: (frozenset({S.COURT_APPLIED}), S.COURT_RULED, Capability.CASES_HANDLE),
}
