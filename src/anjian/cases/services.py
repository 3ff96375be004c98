"""Writes for enforcement cases: open, propose, and one service per step of the workflow.

Each step goes through `_common._step`: it checks the table in `states.py` (current state,
capability), the actor's bureau and, for the handlers' steps, that the actor handles the case; it
locks the case, changes it by compare-and-swap, appends the timeline row and the audit event, in
one transaction. Pages, the API, the admin and the shell all call these.

The steps live by stage: `filing` (opening, approval, withdrawal, transfer), `hearing` (proposal,
notice, statement and defence, hearing, legal review, deliberation) and `decision` (the gate,
decision, service, payment, execution, closing); the unpaid path is in `execution`. This module
re-exports their public functions so callers keep one import.

The legal-review gate (N5.2) is in `decision.case_decide`: a major decision needs a passed legal
review of the proposal as it stands now. The database repeats the check (`triggers.py`).
"""

from __future__ import annotations

from anjian.cases._common import amount_due, amount_paid, id_number_clean, id_number_problem
from anjian.cases.decision import (
    case_close,
    case_decide,
    case_execute,
    case_payment_record,
    case_serve,
    gate_refusal,
)
from anjian.cases.filing import (
    case_filing_decide,
    case_open,
    case_transfer,
    case_withdraw,
    open_cases_of,
)
from anjian.cases.hearing import (
    ProposalValues,
    case_defence_close,
    case_deliberate,
    case_hearing_record,
    case_hearing_request,
    case_hearing_waive,
    case_notify,
    case_party_hearing_request,
    case_party_statement,
    case_proposal_set,
    case_review_decide,
    party_statements,
    proposal_hash_of,
)

__all__ = [
    "ProposalValues",
    "amount_due",
    "amount_paid",
    "case_close",
    "case_decide",
    "case_defence_close",
    "case_deliberate",
    "case_execute",
    "case_filing_decide",
    "case_hearing_record",
    "case_hearing_request",
    "case_hearing_waive",
    "case_notify",
    "case_open",
    "case_party_hearing_request",
    "case_party_statement",
    "case_payment_record",
    "case_proposal_set",
    "case_review_decide",
    "case_serve",
    "case_transfer",
    "case_withdraw",
    "gate_refusal",
    "id_number_clean",
    "id_number_problem",
    "open_cases_of",
    "party_statements",
    "proposal_hash_of",
]
