"""Where a case meets the documents (执法文书) and the publication (执法公示) apps.

`notice_issued` and `decision_issued` are called by the services inside the step's transaction.
Each does its part only when the other app is installed, so the case workflow works on its own.
The documents need details the case does not hold (the contact, the bureau's address and
telephone, where the fine is paid, the reconsideration organ, the court). They come from the
bureau's document details (`accounts.Bureau`, set on the bureau's page) and the acting officer's
name; a caller's `document` dict wins key by key. A penalty proposal whose bureau lacks a detail
the document prints is refused rather than left without its document. See `cases/documents.py`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps


def notice_issued(*, actor: Any, case: Any, document: dict[str, Any] | None) -> Any:
    """The notice of proposed penalty (行政处罚告知书) as a document."""
    from anjian.cases.measures import PENALTIES

    if not apps.is_installed("anjian.documents"):
        return None
    if document is None and not set(case.measures) & PENALTIES:
        return None  # guidance measures only: no notice of a penalty to print
    from anjian.cases.documents import document_details, penalty_notice_issue

    details = document_details(kind="penalty_notice", actor=actor, case=case, document=document)
    return penalty_notice_issue(actor=actor, case=case, document=details)


def decision_issued(*, actor: Any, case: Any, document: dict[str, Any] | None) -> None:
    """The penalty decision (行政处罚决定书), whose number becomes the case's decision number,
    and its publication on the portal within the configured working days, when those apps are
    installed."""
    from anjian.cases.measures import PENALTIES

    penalty = bool(set(case.measures) & PENALTIES)
    if apps.is_installed("anjian.documents") and (document is not None or penalty):
        from anjian.cases.documents import document_details, penalty_decision_issue

        details = document_details(
            kind="penalty_decision", actor=actor, case=case, document=document
        )
        issued = penalty_decision_issue(actor=actor, case=case, document=details)
        # One number for the decision everywhere (case page, publication, portal, exports):
        # the issued document's, （晋朔平）应急罚〔2026〕1号.
        type(case).objects.filter(pk=case.pk).update(decision_number=issued.number)
        case.decision_number = issued.number
    _licences_update(actor=actor, case=case)
    if apps.is_installed("anjian.publications") and penalty:
        from anjian.cases.documents import decision_publication_schedule

        decision_publication_schedule(actor=actor, case=case)


def _licences_update(*, actor: Any, case: Any) -> None:
    """A suspension (责令停产停业整顿) or revocation (吊销) takes the entity's licences in force
    with it, the decision's number and date as the registry's reason. A person's decision
    leaves the unit's licences alone."""
    from anjian.cases.measures import M, PartyKind
    from anjian.entities.models import LicenceStatus
    from anjian.entities.services import licences_decision_apply

    if case.party_kind == PartyKind.INDIVIDUAL:
        return
    if M.LICENCE_REVOCATION in case.measures:
        status = LicenceStatus.REVOKED
    elif M.SUSPENSION in case.measures:
        status = LicenceStatus.SUSPENDED
    else:
        return
    licences_decision_apply(
        actor=actor,
        entity=case.entity,
        status=status,
        decision_number=case.decision_number or case.number,
        decided_on=case.decided_on,
    )
