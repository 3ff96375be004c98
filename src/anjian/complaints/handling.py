"""Handling a report: it becomes an inspection task or an enforcement case, the bureau answers
the reporter, and the result is written back and told (办结反馈).

complaints is a later stage than inspections and cases: it calls their services; they know
nothing of it (the task's source is `report`, the case's source kind `report`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case, CaseSource
from anjian.cases.services import case_open
from anjian.complaints import states
from anjian.complaints.models import Report, ReportOutcome, ReportState
from anjian.complaints.services import _event, _lock, _state_check, _tell
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.services import Actor, AuditSource
from anjian.inspections.models import InspectionTask, TaskSource
from anjian.inspections.services import task_create_ad_hoc


def _handler_check(actor: Any, report: Report) -> None:
    """The assigned officer, or the desk of the competent bureau, acts on a report."""
    if isinstance(actor, Actor):
        return
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise NotFound()
    if report.handler_id == actor.pk and actor.can(Capability.COMPLAINTS_HANDLE):
        return
    if actor.can(Capability.COMPLAINTS_RECEIVE) and actor.bureau_id == report.bureau_id:
        return
    if actor.is_superuser:
        return
    raise NotPermitted(_("Only the assigned officer or the bureau's desk handles this report."))


def _entity_required(report: Report) -> Any:
    if report.entity is None:
        raise ServiceError.for_field(
            "entity",
            _("Link the report to a registered entity first (an inspection or a case needs one)."),
        )
    return report.entity


@transaction.atomic
def report_entity_set(
    *, actor: Any, report: Report, entity: Any, source: str = AuditSource.WEB
) -> Report:
    """Name the registered entity a report written in free text concerns."""
    report = _lock(report)
    _handler_check(actor, report)
    if not report.is_open:
        raise ServiceError(_("The report is closed."), code="invalid_state")
    report.entity = entity
    report.industry = report.industry or entity.industry
    report.save(update_fields=["entity", "industry"])
    _event(actor, report, "entity_set", source, entity=entity.uscc)
    return report


@transaction.atomic
def report_inspection_start(
    *,
    actor: Any,
    report: Report,
    items: list[Any],
    inspectors: list[Any],
    due_on: datetime.date,
    source: str = AuditSource.WEB,
) -> InspectionTask:
    """Make the report an inspection (核查): ad hoc tasks with source `report`."""
    report = _lock(report)
    _handler_check(actor, report)
    _state_check(report, "handle")
    entity = _entity_required(report)
    tasks = task_create_ad_hoc(
        actor=actor,
        bureau=report.bureau,
        entity=entity,
        items=items,
        inspectors=inspectors,
        due_on=due_on,
        reason=str(_("Verification of report %(number)s")) % {"number": report.receipt_id},
        source=source,
        task_source=TaskSource.REPORT,
    )
    report.state = states.target_of("handle")
    report.inspection_task = tasks[0]
    report.save(update_fields=["state", "inspection_task"])
    _event(
        actor,
        report,
        "inspection_started",
        source,
        tasks=sorted(t.pk for t in tasks),
        due_on=due_on,
    )
    return tasks[0]


@transaction.atomic
def report_case_open(
    *,
    actor: Any,
    report: Report,
    title: str,
    handlers: list[Any],
    act_date: datetime.date | None,
    source: str = AuditSource.WEB,
) -> Case:
    """Open an enforcement case from the report (source kind `report`)."""
    report = _lock(report)
    _handler_check(actor, report)
    _state_check(report, "handle")
    entity = _entity_required(report)
    case = case_open(
        actor=actor,
        bureau=report.bureau,
        entity=entity,
        title=title,
        handlers=handlers,
        source_kind=CaseSource.REPORT,
        act_date=act_date,
        source=source,
    )
    report.state = states.target_of("handle")
    report.case = case
    report.save(update_fields=["state", "case"])
    _event(actor, report, "case_linked", source, case=case.number)
    return case


@transaction.atomic
def report_case_link(
    *, actor: Any, report: Report, case: Case, source: str = AuditSource.WEB
) -> Report:
    """Link the case that came out of the report's inspection (a finding led to a case)."""
    report = _lock(report)
    _handler_check(actor, report)
    _state_check(report, "handle")
    if (
        not isinstance(actor, Actor)
        and not Case.objects.visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise ServiceError.for_field("case", _("Choose a case of your jurisdiction."))
    if report.entity_id and case.entity_id != report.entity_id:
        raise ServiceError.for_field("case", _("The case concerns another entity."))
    report.state = states.target_of("handle")
    report.case = case
    report.save(update_fields=["state", "case"])
    _event(actor, report, "case_linked", source, case=case.number)
    return report


@transaction.atomic
def report_reply(*, actor: Any, report: Report, text: str, source: str = AuditSource.WEB) -> Report:
    """An answer the reporter reads with the receipt code (a question, progress)."""
    report = _lock(report)
    _handler_check(actor, report)
    if len(text.strip()) < 2:
        raise ServiceError.for_field("text", _("Write the answer."))
    _tell(report, actor, text.strip()[:5000])
    _event(actor, report, "replied", source)
    return report


@transaction.atomic
def report_close(
    *, actor: Any, report: Report, outcome: str, result: str, source: str = AuditSource.WEB
) -> Report:
    """Write the result back and tell the reporter (and every report merged into this one)."""
    report = _lock(report)
    _handler_check(actor, report)
    _state_check(report, "close")
    errors: dict[str, Any] = {}
    if outcome not in ReportOutcome.values:
        errors["outcome"] = _("Choose one of the listed values.")
    if len(result.strip()) < 4:
        errors["result"] = _("Write the result the reporter will read.")
    if errors:
        raise ServiceError.for_fields(errors)
    today = clock.today()
    report.state = states.target_of("close")
    report.outcome = outcome
    report.result = result.strip()
    report.closed_on = today
    report.save(update_fields=["state", "outcome", "result", "closed_on"])
    told = str(_("Result (%(outcome)s): %(result)s")) % {
        "outcome": ReportOutcome(outcome).label,
        "result": result.strip(),
    }
    _tell(report, actor, told)
    merged = list(Report.objects.select_for_update().filter(duplicate_of=report))
    for dup in merged:
        dup.outcome = outcome
        dup.result = result.strip()
        dup.closed_on = today
        dup.save(update_fields=["outcome", "result", "closed_on"])
        _tell(dup, actor, told)
    _event(
        actor,
        report,
        "closed",
        source,
        outcome=outcome,
        case=report.case.number if report.case is not None else None,
        merged=sorted(d.receipt_id for d in merged),
    )
    return report


def report_state_counts_open() -> tuple[str, ...]:
    return (ReportState.ACCEPTED, ReportState.HANDLING)
