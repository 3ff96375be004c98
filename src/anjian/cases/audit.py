"""The audit trail's words for enforcement cases (registered from apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model, register_value_words


def _case_name(case: Any) -> str:
    return str(case.number or case.title)


def _transfer_name(transfer: Any) -> str:
    if transfer.case_id is not None:
        return _case_name(transfer.case)
    return str(transfer.entity.name) if transfer.entity_id is not None else ""


def _measure_words(codes: Any) -> str:
    from anjian.cases.measures import MeasureKind

    labels = dict(MeasureKind.choices)
    return "、".join(str(labels.get(c, c)) for c in codes or []) or "—"


def register() -> None:
    from anjian.cases.models import Case, ClueTransfer, LegalReview

    register_actions(
        "cases",
        _("Enforcement cases"),
        {
            "cases.case.open": _("Case registered for filing approval"),
            "cases.case.approve": _("Filing approved"),
            "cases.case.refuse": _("Filing refused"),
            "cases.case.propose": _("Proposed penalty set"),
            "cases.case.notify": _("Party notified of the proposed penalty"),
            "cases.case.hearing_waive": _("Party waived a hearing in writing"),
            "cases.case.hearing_request": _("Party's request for a hearing recorded"),
            "cases.case.party_statement": _(
                "Statement and defence received from the party's account"
            ),
            "cases.case.hearing_record": _("Hearing recorded"),
            "cases.case.defence_close": _("Statement and defence closed"),
            "cases.case.review_pass": _("Case passed the legal review"),
            "cases.case.review_return": _("Case returned from the legal review"),
            "cases.case.deliberate": _("Collective deliberation recorded"),
            "cases.case.decide": _("Penalty decision made"),
            "cases.case.serve": _("Service of the decision recorded"),
            "cases.case.payment": _("Payment of the fine recorded"),
            "cases.case.execute": _("Execution recorded"),
            "cases.case.close": _("Case closed"),
            "cases.case.withdraw": _("Case withdrawn"),
            "cases.case.transfer": _("Case transferred"),
            "cases.review.passed": _("Legal review opinion: passed"),
            "cases.review.returned": _("Legal review opinion: returned"),
            "cases.transfer.sent": _("Clue transferred"),
            "cases.transfer.arrived": _("Transferred clue arrived"),
            "cases.transfer.received": _("Transferred clue received"),
            "cases.transfer.accepted": _("Transferred clue accepted"),
            "cases.transfer.declined": _("Transferred clue declined"),
            "cases.transfer.result_returned": _("Result of a transferred clue returned"),
            "cases.review.requested": _("Case sent to legal review for a reason of art. 58"),
            "cases.execution.reminded": _("Written reminder to pay served (催告)"),
            "cases.execution.surcharge_decided": _("Late-payment surcharge decided"),
            "cases.execution.instalments_approved": _("Deferral or instalments approved"),
            "cases.execution.court_applied": _("Applied to the court for enforcement"),
            "cases.execution.court_ruled": _("Court's ruling on enforcement recorded"),
            "cases.execution.period_extended": _("Handling period extended"),
            "cases.execution.period_suspended": _("Handling period suspended"),
            "cases.execution.period_resumed": _("Handling period resumed"),
            "cases.coercion.seized": _("Seizure or detention decided"),
            "cases.coercion.extended": _("Seizure or detention extended"),
            "cases.coercion.released": _("Seizure or detention released"),
            "cases.coercion.supply_stopped": _("Power or explosives supply stopped (art. 70)"),
            "cases.coercion.supply_released": _("Stop of power or explosives supply lifted"),
            "cases.case.party_add": _("Responsible person added as a party of the case"),
            "cases.case.party_open": _("Proceedings against a responsible person opened"),
        },
    )
    register_model(Case, _case_name)
    register_value_words("cases.case", "measures", _measure_words)
    register_model(LegalReview, lambda r: _case_name(r.case), related=("case",))
    register_model(ClueTransfer, _transfer_name, related=("case", "entity"))
