"""Where a case meets the documents (执法文书) and the publication (执法公示) apps.

`notice_issued` and `decision_issued` are called by the services inside the step's transaction.
Each does its part only when the other app is installed, so the case workflow works on its own.
The documents need details the case does not hold (the bureau's contact, address, payment
place, reconsideration organ, court): the caller passes them as `document`; without them no
document is issued. See `cases/documents.py` for the context built from the case.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps


def notice_issued(*, actor: Any, case: Any, document: dict[str, Any] | None) -> Any:
    """The notice of proposed penalty (行政处罚告知书) as a document."""
    if document is None or not apps.is_installed("anjian.documents"):
        return None
    from anjian.cases.documents import penalty_notice_issue

    return penalty_notice_issue(actor=actor, case=case, document=document)


def decision_issued(*, actor: Any, case: Any, document: dict[str, Any] | None) -> None:
    """The penalty decision (行政处罚决定书), and its publication on the portal within the
    configured working days, when those apps are installed."""
    from anjian.cases.measures import PENALTIES

    if document is not None and apps.is_installed("anjian.documents"):
        from anjian.cases.documents import penalty_decision_issue

        penalty_decision_issue(actor=actor, case=case, document=document)
    if apps.is_installed("anjian.publications") and set(case.measures) & PENALTIES:
        from anjian.cases.documents import decision_publication_schedule

        decision_publication_schedule(actor=actor, case=case)
