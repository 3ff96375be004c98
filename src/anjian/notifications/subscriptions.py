"""What makes notifications: the other apps' audit events (core/events.py), read after their
step commits, so a failure here never undoes theirs. Registered from apps.py.

- accident.received, accident.forwarded, and accident.supplemented when the supplement raised
  the level past where the chain had ended: the officers (ACCIDENTS_RECEIVE) of the bureau the
  report now waits at, also by SMS;
- documents.document.issued (to an entity, or in a case against one): the entity's enterprise
  accounts;
- cases.case.notify with a hearing right: the entity's enterprise accounts, the last day to ask
  for a hearing, also by SMS;
- cases.case.hearing_request: the case's handlers, the hearing to arrange.

A correction order's deadline near comes from the daily job (jobs.py), not from an event.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.notifications import services
from anjian.notifications.models import Kind

logger = logging.getLogger(__name__)

CODES = (
    "accident.received",
    "accident.forwarded",
    "accident.supplemented",
    "documents.document.issued",
    "cases.case.notify",
    "cases.case.hearing_request",
)


def _after_commit(work: Any, *args: Any) -> None:
    def run() -> None:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                work(*args)
        except Exception:
            logger.exception("notification for %r failed", args)

    transaction.on_commit(run)


def _accident_waiting(report_id: int, bureau_id: int) -> None:
    from django.utils import timezone

    from anjian.accidents.models import AccidentReport, ChainStep
    from anjian.accounts.roles import Capability

    report = AccidentReport.objects.select_related("entity").filter(pk=report_id).first()
    step = ChainStep.objects.filter(report_id=report_id, bureau_id=bureau_id).first()
    if report is None or step is None:
        return
    if step.due_at is None:  # the top of its chain: told, with nothing to forward
        services.notify(
            services.staff_of_bureau(bureau_id, Capability.ACCIDENTS_RECEIVE),
            kind=Kind.ACCIDENT_RECEIVED,
            text=_("Accident report of %(unit)s received (its chain ends here): %(level)s.")
            % {"unit": report.entity.name, "level": report.get_level_display()},
            subject=f"accidents.accidentreport:{report_id}:{bureau_id}",
            link=reverse("accidents:report_detail", kwargs={"pk": report_id}),
            sms=True,
        )
        return
    due = f"{timezone.localtime(step.due_at):%Y-%m-%d %H:%M}"
    text = (
        _("Accident report of %(unit)s: report it to the Ministry by %(due)s: %(level)s.")
        if step.level == "province"
        else _("Accident report of %(unit)s waits to be forwarded (by %(due)s): %(level)s.")
    ) % {
        "unit": report.entity.name,
        "due": due,
        "level": report.get_level_display(),
    }
    services.notify(
        services.staff_of_bureau(bureau_id, Capability.ACCIDENTS_RECEIVE),
        kind=Kind.ACCIDENT_TO_FORWARD,
        text=text,
        subject=f"accidents.accidentreport:{report_id}:{bureau_id}",
        link=reverse("accidents:report_detail", kwargs={"pk": report_id}),
        sms=True,
    )


def _entity_of_subject(subject: str) -> int | None:
    kind, _sep, pk = subject.partition(":")
    if not pk.isdigit():
        return None
    if kind == "entities.entity":
        return int(pk)
    if kind == "cases.case" and apps.is_installed("anjian.cases"):
        from anjian.cases.models import Case

        return Case.objects.filter(pk=int(pk)).values_list("entity_id", flat=True).first()
    if apps.is_installed("anjian.inspections"):
        from anjian.inspections.models import CorrectionOrder, InspectionRecord, Reinspection

        paths: dict[str, tuple[Any, str]] = {
            "inspections.inspectionrecord": (InspectionRecord, "entity_id"),
            "inspections.correctionorder": (CorrectionOrder, "record__entity_id"),
            "inspections.reinspection": (Reinspection, "order__record__entity_id"),
        }
        if kind in paths:
            model, path = paths[kind]
            return model._default_manager.filter(pk=int(pk)).values_list(path, flat=True).first()
    return None


def _document_issued(document_id: int, subject: str, number: str) -> None:
    entity_id = _entity_of_subject(subject)
    if entity_id is None:
        return
    from anjian.documents.models import OfficialDocument

    doc = OfficialDocument.objects.filter(pk=document_id).first()
    if doc is None:
        return
    # Only whom the document is for: an account that may read it (a party's kind of document,
    # a case once notified), never the bureau's internal forms such as a filing approval.
    readers = [
        user
        for user in services.enterprise_users(entity_id)
        if OfficialDocument.objects.visible_to(user).filter(pk=document_id).exists()
    ]
    services.notify(
        readers,
        kind=Kind.DOCUMENT_SERVED,
        text=_("%(organ)s issued %(kind)s %(number)s to your unit.")
        % {"organ": doc.organ_name, "kind": doc.get_kind_display(), "number": number},
        subject=f"documents.officialdocument:{document_id}",
        link=urlsplit(doc.check_url).path,  # the public check page, on this site
    )


def _case_notified(case_id: int) -> None:
    from anjian.cases.models import Case

    case = Case.objects.filter(pk=case_id).first()
    if case is None or not case.entity_id or not case.hearing_entitled or not case.hearing_deadline:
        return
    services.notify(
        services.enterprise_users(case.entity_id),
        kind=Kind.HEARING,
        text=_("Case %(number)s: you may ask for a hearing until %(day)s.")
        % {"number": case.number, "day": case.hearing_deadline.isoformat()},
        subject=f"cases.case:{case_id}:hearing_deadline",
        sms=True,
    )


def _hearing_requested(case_id: int) -> None:
    from anjian.cases.models import Case

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    services.notify(
        case.handlers.filter(is_active=True),
        kind=Kind.HEARING,
        text=_("Case %(number)s: the party asked for a hearing; arrange its date.")
        % {"number": case.number},
        subject=f"cases.case:{case_id}:hearing_request",
        link=reverse("cases:case_detail", kwargs={"pk": case_id}),
    )


def on_event(event: Any) -> None:
    changes = event.changes or {}
    pk = int(event.object_id) if str(event.object_id).isdigit() else None
    if pk is None:
        return
    if event.action in ("accident.received", "accident.forwarded", "accident.supplemented"):
        bureau = changes.get("to_bureau")
        due = changes.get("next_due_at" if event.action == "accident.forwarded" else "due_at")
        if isinstance(bureau, int) and (due or event.action != "accident.supplemented"):
            # a new arrival is always told; a supplement only where it reopened the chain
            _after_commit(_accident_waiting, pk, bureau)
    elif event.action == "documents.document.issued":
        _after_commit(
            _document_issued, pk, str(changes.get("subject", "")), changes.get("number", "")
        )
    elif event.action == "cases.case.notify":
        _after_commit(_case_notified, pk)
    elif event.action == "cases.case.hearing_request":
        _after_commit(_hearing_requested, pk)


def subscribe() -> None:
    from anjian.core.events import audit_subscribe

    audit_subscribe(CODES, on_event)
