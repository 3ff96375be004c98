"""Legal review for the reasons of 行政处罚法 第五十八条 (1)–(4), chosen by the handler with a
reason, besides the automatic "major" flag (measures.major_reasons).

Before the statement and defence is closed the reasons are stored and the case goes to legal
review after it (hearing._after_statement); chosen later, in deliberation or while it awaits the
decision, the case goes to legal review at once. Either way the decision then needs a passed
review of the current proposal (services.gate_refusal), and the reviewer's page shows why the
case came.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case
from anjian.cases.states import CaseState
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import AuditSource


class ReviewReason(models.TextChoices):
    PUBLIC_INTEREST = "public_interest", _("(1) A major public interest is involved")
    MAJOR_RIGHTS_HEARING = (
        "major_rights_hearing",
        _("(2) Major rights of the party or a third party are directly affected, after a hearing"),
    )
    COMPLEX = "complex", _("(3) Difficult or complex, involving several legal relations")
    OTHER_LAW = "other_law", _("(4) Other laws or regulations require a legal review")


S = CaseState
BEFORE_STATEMENT = frozenset({S.INVESTIGATING, S.NOTIFIED, S.HEARING})
AFTER_STATEMENT = frozenset({S.DELIBERATION, S.AWAITING_DECISION})


def review_reason_labels(case: Case) -> list[str]:
    labels = dict(ReviewReason.choices)
    return [str(labels.get(r, r)) for r in case.review_reasons]


def may_request(viewer: Any, case: Case) -> bool:
    return (
        case.state in BEFORE_STATEMENT | AFTER_STATEMENT
        and getattr(viewer, "bureau_id", None) == case.bureau_id
        and bool(viewer.can(Capability.CASES_HANDLE))
        and case.handlers.filter(pk=viewer.pk).exists()
    )


@transaction.atomic
def case_review_request(
    *,
    actor: Any,
    case: Case,
    reasons: list[str],
    note: str,
    source: str = AuditSource.WEB,
) -> Case:
    """A handler sends the case to legal review for the reasons of 第五十八条, with a reason."""
    from anjian.cases._common import _require_handler, _same_bureau
    from anjian.cases.execution import _lock, _write
    from anjian.cases.hearing import _review_open

    case = _lock(case)
    actor_require(actor, Capability.CASES_HANDLE)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    if case.state not in BEFORE_STATEMENT | AFTER_STATEMENT:
        raise Conflict(
            _("The case is %(state)s; this step is not open now.")
            % {"state": CaseState(case.state).label}
        )
    _require_handler(actor, case)
    chosen = list(dict.fromkeys(r for r in reasons if r))
    errors: dict[str, Any] = {}
    if not chosen or any(r not in ReviewReason.values for r in chosen):
        errors["reasons"] = _("Choose at least one of the reasons of article 58.")
    elif ReviewReason.MAJOR_RIGHTS_HEARING in chosen and not case.hearing_requested_on:
        errors["reasons"] = _("Reason (2) applies only to a case that went through a hearing.")
    if not note.strip():
        errors["note"] = _("Say why the case needs legal review.")
    if errors:
        raise ServiceError.for_fields(errors)
    to = S.LEGAL_REVIEW if case.state in AFTER_STATEMENT else None
    _write(
        actor=actor,
        case=case,
        action="review_request",
        code="cases.review.requested",
        to=to,
        update={"review_reasons": chosen, "review_reason_note": note.strip()},
        note=note.strip(),
        data={"reasons": chosen},
        source=source,
    )
    if to is not None:
        _review_open(actor, case)
    return case
