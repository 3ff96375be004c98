"""The on-site inspection record (现场检查记录, N2.3): opened for a task against the checklist
versions in force on the day, each check point answered, hazards and violations recorded as
findings, and submitted, which completes the task."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.accounts.selectors import certificates_valid_on
from anjian.catalog.models import CheckPoint, DiscretionBenchmark
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.inspections.documents import inspection_record_issue
from anjian.inspections.models import (
    ANSWERS_NEEDING_FINDING,
    Answer,
    CheckAnswer,
    Finding,
    FindingKind,
    HazardSeverity,
    InspectionRecord,
    InspectionTask,
    RecordStatus,
    TaskStatus,
)
from anjian.inspections.services.tasks import inspectors_check, task_complete


def _record_locked(record: InspectionRecord, actor: Any) -> InspectionRecord:
    locked = (
        InspectionRecord.objects.select_for_update()
        .select_related("task", "bureau", "entity")
        .get(pk=record.pk)
    )
    actor_require_visible(actor, locked)  # its jurisdiction, or its team
    return locked


def _require_on_team(actor: Any, record: InspectionRecord) -> None:
    """Only the officers who inspect write the record."""
    if isinstance(actor, Actor):
        return
    if not record.inspectors.filter(pk=actor.pk).exists():
        raise NotPermitted(_("Only the inspectors named in the record write it."))


def _require_draft(record: InspectionRecord) -> None:
    if record.status != RecordStatus.DRAFT:
        raise Conflict(_("The record is submitted and can no longer change."))


@transaction.atomic
def record_start(
    *,
    actor: Any,
    task: InspectionTask,
    place: str,
    present_name: str,
    present_post: str = "",
    inspectors: list[Any] | None = None,
    started_at: datetime.datetime | None = None,
    source: str = AuditSource.WEB,
) -> InspectionRecord:
    """Open the on-site record of a task: the checklist versions in force on the day, the team
    (the task's, unless given), the place and the person present for the entity."""
    actor_require(actor, Capability.INSPECT)
    locked = (
        InspectionTask.objects.select_for_update()
        .select_related("bureau", "entity", "item")
        .get(pk=task.pk)
    )
    actor_require_visible(actor, locked)  # the task's jurisdiction, or its team
    if locked.status != TaskStatus.OPEN:
        raise Conflict(_("This task is already closed."))
    if InspectionRecord.objects.filter(task=locked).exists():
        raise Conflict(_("This task's inspection has already started."))
    started_at = started_at or clock.now()
    day = timezone.localdate(started_at)
    team = list(inspectors) if inspectors is not None else list(locked.inspectors.all())
    errors: dict[str, list[Any]] = {}
    if started_at > clock.now() + datetime.timedelta(minutes=5):
        errors["started_at"] = [_("An inspection cannot start in the future.")]
    elif day < locked.period_start:
        errors["started_at"] = [_("The inspection was before the task's period began.")]
    if not place.strip():
        errors["place"] = [_("Say where the inspection takes place.")]
    if not present_name.strip():
        errors["present_name"] = [_("Name the person present for the entity.")]
    version = locked.item.version_on(day)
    if version is None:
        errors["task"] = [_("The item has no checklist in force on the inspection day.")]
    try:
        inspectors_check(locked.bureau, team, day)
    except ServiceError as exc:
        errors.update(exc.fields)
    if errors or version is None:
        raise ServiceError.for_fields(errors)
    if not isinstance(actor, Actor) and actor.pk not in {u.pk for u in team}:
        raise NotPermitted(_("Only the inspectors named in the record write it."))
    # The record's number is its document's number (现场检查记录), taken from the documents'
    # counter now, so that the form, the task and the issued PDF all show one number.
    from anjian.documents.services import document_number_reserve

    sequence, number = document_number_reserve(locked.bureau, "inspection_record", day.year)
    record = InspectionRecord.objects.create(
        task=locked,
        entity=locked.entity,
        bureau=locked.bureau,
        region_id=locked.bureau.region_id,
        number=number,
        number_sequence=sequence,
        place=place.strip(),
        present_name=present_name.strip(),
        present_post=present_post.strip(),
        started_at=started_at,
        created_by=actor if not isinstance(actor, Actor) else team[0],
    )
    record.inspectors.set(team)
    record.item_versions.set([version])
    certificates = dict(certificates_valid_on(team, day).values_list("holder__username", "number"))
    audit_record(
        actor=actor,
        action="inspections.record.started",
        obj=record,
        region=record.region_id,
        changes={
            "number": record.number,
            "task": locked.pk,
            "entity": locked.entity.uscc,
            "item_versions": [f"{locked.item.code} v{version.number}"],
            "inspectors": certificates,
            "place": record.place,
            "started_at": started_at.isoformat(),
        },
        source=source,
    )
    return record


def record_check_points(record: InspectionRecord) -> list[CheckPoint]:
    return list(
        CheckPoint.objects.filter(version__in=record.item_versions.all())
        .select_related("version__item")
        .order_by("version__item__code", "order")
    )


def _check_point_of(record: InspectionRecord, check_point: CheckPoint | int) -> CheckPoint:
    pk = check_point if isinstance(check_point, int) else check_point.pk
    found = CheckPoint.objects.filter(pk=pk, version__in=record.item_versions.all()).first()
    if found is None:
        raise ServiceError.for_field(
            "check_point", _("This check point is not on the record's checklist.")
        )
    return found


@transaction.atomic
def record_answer(
    *,
    actor: Any,
    record: InspectionRecord,
    check_point: CheckPoint | int,
    answer: str,
    note: str = "",
    source: str = AuditSource.WEB,
) -> CheckAnswer:
    """Save one check point's answer at once (a later answer replaces it while in draft)."""
    actor_require(actor, Capability.INSPECT)
    locked = _record_locked(record, actor)
    _require_on_team(actor, locked)
    _require_draft(locked)
    point = _check_point_of(locked, check_point)
    if answer not in Answer.values:
        raise ServiceError.for_field("answer", _("Choose one of the listed values."))
    who = actor if not isinstance(actor, Actor) else locked.created_by
    existing = CheckAnswer.objects.filter(record=locked, check_point=point).first()
    before = existing.answer if existing else None
    row, _created = CheckAnswer.objects.update_or_create(
        record=locked,
        check_point=point,
        defaults={
            "answer": answer,
            "note": note.strip(),
            "answered_by": who,
            "answered_at": clock.now(),
        },
    )
    audit_record(
        actor=actor,
        action="inspections.record.answered",
        obj=locked,
        region=locked.region_id,
        changes={"check_point": point.pk, "answer": [before, answer], "note": row.note},
        source=source,
    )
    return row


@transaction.atomic
def finding_add(
    *,
    actor: Any,
    record: InspectionRecord,
    kind: str,
    description: str,
    check_point: CheckPoint | int | None = None,
    legal_basis: str = "",
    severity: str = "",
    benchmark: DiscretionBenchmark | None = None,
    fact_date: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Finding:
    """Record a hazard or a violation. The legal basis defaults to the check point's basis; a
    hazard is general or major, a violation has no severity here (the case decides its
    circumstance level)."""
    actor_require(actor, Capability.INSPECT)
    locked = _record_locked(record, actor)
    _require_on_team(actor, locked)
    _require_draft(locked)
    point = _check_point_of(locked, check_point) if check_point is not None else None
    fact_date = fact_date or timezone.localdate(locked.started_at)
    errors: dict[str, list[Any]] = {}
    if kind not in FindingKind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if not description.strip():
        errors["description"] = [_("Describe what was found.")]
    if kind == FindingKind.HAZARD and severity not in HazardSeverity.values:
        errors["severity"] = [_("Say whether the hazard is general or major.")]
    if kind == FindingKind.VIOLATION and severity:
        errors["severity"] = [_("A violation's circumstances are weighed in its case.")]
    if fact_date > clock.today():
        errors["fact_date"] = [_("The date of the fact cannot be in the future.")]
    if benchmark is not None and benchmark.effective_from > fact_date:
        errors["benchmark"] = [_("This benchmark was not yet in force on the date of the fact.")]
    if errors:
        raise ServiceError.for_fields(errors)
    finding = Finding.objects.create(
        record=locked,
        check_point=point,
        kind=kind,
        description=description.strip(),
        legal_basis=legal_basis.strip() or (point.basis if point else ""),
        severity=severity if kind == FindingKind.HAZARD else "",
        benchmark=benchmark,
        fact_date=fact_date,
        created_by=actor if not isinstance(actor, Actor) else locked.created_by,
    )
    audit_record(
        actor=actor,
        action="inspections.finding.added",
        obj=finding,
        region=locked.region_id,
        changes={
            "record": locked.number,
            "kind": kind,
            "severity": finding.severity,
            "check_point": point.pk if point else None,
            "description": finding.description,
            "legal_basis": finding.legal_basis,
            "benchmark": benchmark.code if benchmark else None,
            "fact_date": fact_date.isoformat(),
        },
        source=source,
    )
    return finding


@transaction.atomic
def finding_remove(*, actor: Any, finding: Finding, source: str = AuditSource.WEB) -> None:
    """Take back a finding entered by mistake, while the record is a draft."""
    actor_require(actor, Capability.INSPECT)
    locked = _record_locked(finding.record, actor)
    _require_on_team(actor, locked)
    _require_draft(locked)
    from anjian.evidence.selectors import evidence_for

    if evidence_for(finding).filter(withdrawn_at__isnull=True).exists():
        # Evidence is never deleted; its finding must not vanish from under it either.
        raise Conflict(_("Withdraw this finding's evidence (with a reason) before removing it."))
    audit_record(
        actor=actor,
        action="inspections.finding.removed",
        obj=finding,
        region=locked.region_id,
        changes={"record": locked.number, "kind": finding.kind, "description": finding.description},
        source=source,
    )
    Finding.objects.filter(pk=finding.pk).delete()


def _submit_problems(record: InspectionRecord) -> dict[str, list[Any]]:
    points = record_check_points(record)
    answers = {a.check_point_id: a for a in record.answers.all()}
    found: dict[int | None, set[str]] = {}
    for f in record.findings.all():
        found.setdefault(f.check_point_id, set()).add(f.kind)
    problems: list[Any] = []
    for p in points:
        a = answers.get(p.pk)
        if a is None:
            problems.append(_("Check point %(n)s is not answered.") % {"n": p.order})
        elif a.answer in ANSWERS_NEEDING_FINDING and a.answer not in found.get(p.pk, set()):
            problems.append(
                _("Check point %(n)s is answered %(answer)s but has no such finding.")
                % {"n": p.order, "answer": a.get_answer_display()}
            )
        elif a.answer not in ANSWERS_NEEDING_FINDING and p.pk in found:
            problems.append(
                _("Check point %(n)s has a finding but is answered %(answer)s.")
                % {"n": p.order, "answer": a.get_answer_display()}
            )
    return {"answers": problems} if problems else {}


@transaction.atomic
def record_submit(
    *,
    actor: Any,
    record: InspectionRecord,
    summary: str = "",
    source: str = AuditSource.WEB,
) -> InspectionRecord:
    """Sign off the record: every check point answered, every hazard or violation answer backed
    by a finding of its kind. The task is then done, with this record's number."""
    actor_require(actor, Capability.INSPECT)
    locked = _record_locked(record, actor)
    _require_on_team(actor, locked)
    _require_draft(locked)
    problems = _submit_problems(locked)
    if problems:
        raise ServiceError.for_fields(problems)
    now = clock.now()
    locked.status = RecordStatus.SUBMITTED
    locked.finished_at = now
    locked.summary = summary.strip()
    locked.save(update_fields=["status", "finished_at", "summary"])
    counts = {a: locked.answers.filter(answer=a).count() for a in Answer.values}
    audit_record(
        actor=actor,
        action="inspections.record.submitted",
        obj=locked,
        region=locked.region_id,
        changes={
            "number": locked.number,
            "answers": counts,
            "findings": [
                {"id": f.pk, "kind": f.kind, "severity": f.severity}
                for f in locked.findings.order_by("pk")
            ],
            "finished_at": now.isoformat(),
        },
        source=source,
    )
    task_complete(
        actor=actor,
        task=locked.task,
        done_on=timezone.localdate(locked.started_at),
        record_number=locked.number,
        source=source,
    )
    inspection_record_issue(actor=actor, record=locked, source=source)
    return locked
