"""What every step of a case shares: the checks of the step table (`_allowed`), the lock, the
timeline row and audit event (`_record`), the compare-and-swap step (`_step`), today's date, the
identity-number checks, the amounts due and paid. The stage modules (`filing`, `hearing`,
`decision`) and the later ones (`execution`, `parties`, `coercion` …) import them from here.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from anjian.accounts.roles import Capability
from anjian.cases.models import (
    Case,
    CaseEvent,
)
from anjian.cases.states import TRANSITIONS, CaseState
from anjian.core import audit_chain, clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, audit_record


def id_number_clean(value: str) -> str:
    """A 公民身份号码 as people type it (spaces, full-width digits, a lower-case x) in its
    stored form."""
    return "".join(unicodedata.normalize("NFKC", value).split()).replace("-", "").upper()


def id_number_problem(value: str) -> Any:
    """Why `value` (cleaned) is not a resident identity number, or None. python-stdnum's
    `cn.ric` checks the length, the digits, the GB 11643 check digit and the birth date. Its
    birth-place check is left out: a person keeps the county code they were born under after a
    re-division withdraws it, and a table of codes cannot hold every withdrawn one."""
    try:
        ric.validate(value)
    except (InvalidLength, InvalidFormat):
        return _("An ID number has 18 characters: 17 digits and a digit or X.")
    except InvalidChecksum:
        return _("The ID number's check digit does not match: compare it with the ID card.")
    except InvalidComponent:
        pass  # the birth date (checked next) or the birth place (accepted, see above)
    try:
        born = ric.get_birth_date(value)
    except InvalidComponent:
        return _("The ID number's birth date (digits 7 to 14) is not a date.")
    if born > _today():
        return _("The ID number's birth date (digits 7 to 14) is in the future.")
    return None


def _today() -> datetime.date:
    return clock.today()


def _not_future(name: str, day: datetime.date | None) -> datetime.date:
    day = day or _today()
    if day > _today():
        raise ServiceError.for_field(name, _("The date cannot be in the future."))
    return day


def _same_bureau(actor: Any, bureau_id: int) -> None:
    if isinstance(actor, Actor):
        return
    if getattr(actor, "bureau_id", None) != bureau_id:
        raise NotPermitted(_("Only the case's own bureau takes this step."))


def _require_handler(actor: Any, case: Case) -> None:
    """The handlers' steps (承办) are taken by the case's handlers."""
    if isinstance(actor, Actor):
        return
    if not case.handlers.filter(pk=actor.pk).exists():
        raise NotPermitted(_("Only the case's handlers take this step."))


def _allowed(
    actor: Any, case: Case, action: str, table: Mapping[str, tuple[Any, Any, Any]] = TRANSITIONS
) -> None:
    """The table's checks for one step: capability, jurisdiction, bureau, state, handler. Run
    first by every step, so a caller without the right learns nothing about the case. The
    execution steps pass their own table (states.EXECUTION_TRANSITIONS)."""
    starts, _to, capability = table[action]
    actor_require(actor, capability)
    actor_require_region(actor, case.region_id)
    _same_bureau(actor, case.bureau_id)
    if case.state not in starts:
        raise Conflict(
            _("The case is %(state)s; this step is not open now.")
            % {"state": CaseState(case.state).label}
        )
    if capability == Capability.CASES_HANDLE:
        _require_handler(actor, case)


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))  # not the bureau and entity rows
        .select_related("bureau", "entity", "region")
        .get(pk=case.pk)
    )


def _record(
    *,
    actor: Any,
    case: Case,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    source: str,
) -> None:
    """The timeline row and the audit event of one step, in the caller's transaction."""
    CaseEvent.objects.create(
        case=case,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=None if isinstance(actor, Actor) else actor,
        note=note,
        data=audit_chain.to_jsonable(data or {}),
    )
    changes: dict[str, Any] = {"number": case.number, **(data or {})}
    if from_state or to_state:
        changes["state"] = [from_state, to_state]
    if note:
        changes["note"] = note
    audit_record(
        actor=actor,
        action=f"cases.case.{action}",
        obj=case,
        region=case.region_id,
        changes=changes,
        source=source,
    )
    # The step's document, if the law ties one to it (案件移送书), in the same transaction.
    from anjian.cases.casefile_documents import step_documents

    step_documents(actor=actor, case=case, code=f"cases.case.{action}", data=data or {}, note=note)


def _step(
    *,
    actor: Any,
    case: Case,
    action: str,
    to: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    update: dict[str, Any] | None = None,
    source: str,
) -> Case:
    """Check the table, then change the state (and `update`'s columns) by compare-and-swap."""
    _allowed(actor, case, action)
    target = to or TRANSITIONS[action][1]
    assert target is not None
    fields = {"state": target, **(update or {})}
    try:
        changed = Case.objects.filter(pk=case.pk, state=case.state).update(**fields)
    except IntegrityError as exc:  # the database's own gate (triggers.py)
        if "penalty_fact_key" in str(exc):  # another case of this party took the fact first
            from anjian.cases.parties import twice_refusal

            raise Conflict(twice_refusal()) from exc
        raise Conflict(_("The database refused the step: %(reason)s") % {"reason": exc}) from exc
    if not changed:
        raise Conflict()
    start = case.state
    for key, value in fields.items():
        setattr(case, key, value)
    _record(
        actor=actor,
        case=case,
        action=action,
        from_state=start,
        to_state=target,
        note=note,
        data=data,
        source=source,
    )
    return case


def _findings_punished(case: Case) -> list[str]:
    return sorted(
        Case.objects.filter(findings__in=case.findings.all(), penalty_fact_key__isnull=False)
        .exclude(pk=case.pk)
        .values_list("number", flat=True)
        .distinct()
    )


def amount_due(case: Case) -> int:
    """The fine, the confiscated amount and the late-payment surcharge once decided."""
    return int(case.fine_amount) + int(case.confiscation_amount) + int(case.surcharge_amount)


def amount_paid(case: Case) -> int:
    return int(case.payments.aggregate(s=Sum("amount"))["s"] or 0)
