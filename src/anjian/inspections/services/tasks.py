"""Writes for inspection tasks: made from an issued plan, by a draw (draws.services) or ad hoc;
teams of inspectors checked against their certificates; done; results published."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.accounts.selectors import certificates_valid_on
from anjian.catalog.models import SupervisionItem
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region, actor_require_visible
from anjian.core.scope import region_codes_under
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.core.workdays import workday_on_or_before, workdays_after
from anjian.entities.models import Entity
from anjian.inspections.models import (
    InspectionOutcome,
    InspectionTask,
    TaskSource,
    TaskStatus,
)
from anjian.inspections.scheduling import schedule_refusals
from anjian.plans.rules import line_q


def period_slices(
    start: datetime.date, end: datetime.date, times: int
) -> list[tuple[datetime.date, datetime.date]]:
    """Split whole months [start, end] into `times` consecutive slices of whole months, as even
    as months allow; each slice is (first day, due day). The due day is the slice's last working
    day, so that a quarter ending in a holiday is due before the office closes."""
    months = [(y, m) for y in range(start.year, end.year + 1) for m in range(1, 13)]
    months = [ym for ym in months if (start.year, start.month) <= ym <= (end.year, end.month)]
    times = max(1, min(times, len(months)))
    out = []
    for i in range(times):
        first = months[len(months) * i // times]
        last = months[len(months) * (i + 1) // times - 1]
        slice_start = datetime.date(first[0], first[1], 1)
        slice_end = datetime.date(last[0], last[1], calendar.monthrange(*last)[1])
        out.append((slice_start, max(slice_start, workday_on_or_before(slice_end))))
    return out


def tasks_from_plan(*, plan: Any) -> int:
    """One task per covered entity, line and period slice. Called inside the issue step's
    transaction (plans.services.plan_transition), which writes the audit event with the count."""
    created = 0
    for line in plan.lines.select_related("plan__bureau", "item"):
        start, end = line.period(plan.year)
        slices = period_slices(start, end, line.frequency)
        entity_ids = list(
            Entity.objects.filter(line_q(line)).order_by("pk").values_list("pk", flat=True)
        )
        batch = [
            InspectionTask(
                bureau_id=plan.bureau_id,
                division_id=line.division_id,
                entity_id=entity_id,
                item_id=line.item_id,
                source=TaskSource.PLAN,
                plan_line=line,
                period_start=first,
                due_on=due,
            )
            for entity_id in entity_ids
            for first, due in slices
        ]
        InspectionTask.objects.bulk_create(batch, batch_size=2000)
        created += len(batch)
    return created


@transaction.atomic
def task_complete(
    *,
    actor: Any,
    task: InspectionTask,
    done_on: datetime.date,
    record_number: str,
    note: str = "",
    source: str = AuditSource.WEB,
) -> InspectionTask:
    """Record that the task's inspection took place (date and inspection record number)."""
    actor_require(actor, Capability.TASKS_RECORD)
    locked = InspectionTask.objects.select_for_update().select_related("bureau").get(pk=task.pk)
    # The task's scope: its jurisdiction, or its team (a county inspector on a city's task).
    actor_require_visible(actor, locked)
    errors: dict[str, list[Any]] = {}
    if not record_number.strip():
        errors["record_number"] = [_("Give the inspection record's number.")]
    if done_on > clock.today():
        errors["done_on"] = [_("An inspection cannot be done in the future.")]
    elif done_on < locked.period_start:
        errors["done_on"] = [_("The inspection was before the task's period began.")]
    if errors:
        raise ServiceError.for_fields(errors)
    if locked.status != TaskStatus.OPEN:
        raise Conflict(_("This task is already closed."))
    locked.status = TaskStatus.DONE
    locked.done_on = done_on
    locked.done_by = actor
    locked.record_number = record_number.strip()
    locked.note = note.strip()
    locked.save(update_fields=["status", "done_on", "done_by", "record_number", "note"])
    audit_record(
        actor=actor,
        action="inspections.task.done",
        obj=locked,
        region=locked.bureau.region_id,
        changes={
            "done_on": done_on.isoformat(),
            "record_number": locked.record_number,
            "late": done_on > locked.due_on,
        },
        source=source,
    )
    return locked


def publication_due(task: InspectionTask) -> datetime.date | None:
    """The last day to publish a random inspection's result: N working days after it
    (ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS, default 20: 双随机抽查结果 20 个工作日内公示)."""
    if task.source != TaskSource.DRAW or task.done_on is None:
        return None
    return workdays_after(task.done_on, settings.ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS)


@transaction.atomic
def task_result_publish(
    *, actor: Any, task: InspectionTask, outcome: str, source: str = AuditSource.WEB
) -> InspectionTask:
    """Publish a done random inspection's result on the portal (一公开)."""
    actor_require(actor, Capability.TASKS_RECORD)
    locked = InspectionTask.objects.select_for_update().select_related("bureau").get(pk=task.pk)
    actor_require_region(actor, locked.bureau.region_id)
    if locked.source != TaskSource.DRAW:
        raise Conflict(_("Only the results of random inspections are published here."))
    if locked.status != TaskStatus.DONE:
        raise Conflict(_("Record the inspection as done first."))
    if locked.published_on is not None:
        raise Conflict(_("This result is already published."))
    if outcome not in InspectionOutcome.values:
        raise ServiceError.for_field("outcome", _("Choose one of the listed values."))
    today = clock.today()
    InspectionTask.objects.filter(pk=locked.pk).update(outcome=outcome, published_on=today)
    due = publication_due(locked)
    audit_record(
        actor=actor,
        action="inspections.task.published",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"outcome": outcome, "due": due.isoformat() if due else None,
                 "late": bool(due and today > due)},
        source=source,
    )  # fmt: skip
    locked.outcome, locked.published_on = outcome, today
    return locked


# --- The on-site inspection (issue 6, N2.3) -------------------------------------------------
#
# Every act of inspection is carried out by at least two officers, each holding an enforcement
# certificate valid on the day (行政处罚法 第四十二条; 安全生产法 第六十六条). The services refuse
# anything less, naming the officer whose certificate does not hold.


def inspectors_check(
    bureau: Bureau, inspectors: list[Any], day: datetime.date, *, field: str = "inspectors"
) -> None:
    """Refuse fewer than two distinct inspectors, an inspector outside the bureau's jurisdiction,
    or one without an enforcement certificate valid on `day`, naming each one refused."""
    people = list({u.pk: u for u in inspectors}.values())
    reasons: list[Any] = []
    if len(people) < 2:
        reasons.append(_("At least two inspectors carry out an inspection."))
    codes = set(region_codes_under(bureau.region_id))
    valid = set(certificates_valid_on(people, day).values_list("holder_id", flat=True))
    for person in people:
        if not person.is_active or not person.bureau_id or person.bureau.region_id not in codes:
            reasons.append(
                _("%(name)s is not an officer of this bureau or of one under it.")
                % {"name": person}
            )
        elif person.pk not in valid:
            reasons.append(
                _("%(name)s holds no enforcement certificate valid on %(day)s.")
                % {"name": person, "day": day.isoformat()}
            )
    if reasons:
        raise ServiceError.for_fields({field: reasons})


def _people(users: Any) -> list[str]:
    return sorted(u.get_username() for u in users)


@transaction.atomic
def task_create_ad_hoc(
    *,
    actor: Any,
    bureau: Bureau,
    entity: Entity,
    items: list[SupervisionItem],
    inspectors: list[Any],
    due_on: datetime.date,
    reason: str,
    over_limit_reason: str = "",
    source: str = AuditSource.WEB,
    task_source: str = TaskSource.AD_HOC,
) -> list[InspectionTask]:
    """An ad hoc inspection (临时检查): one task per item, for an entity in the bureau's
    jurisdiction, with its team of two or more inspectors valid on the day it starts.
    `task_source` says what prompted it (a later stage, e.g. a report, passes its own). Over a
    limit a later capability sets (credit's yearly cap per class, `inspections/scheduling.py`)
    it needs `over_limit_reason`, kept in the task's note and the audit trail."""
    actor_require(actor, Capability.TASKS_ASSIGN)
    actor_require_region(actor, bureau.region_id)
    if not isinstance(actor, Actor) and actor.bureau_id != bureau.pk:
        raise NotPermitted(_("Ad hoc tasks are made by the bureau's own staff."))
    errors: dict[str, list[Any]] = {}
    today = clock.today()
    if entity.region_id not in set(region_codes_under(bureau.region_id)):
        errors["entity"] = [_("The entity is outside the bureau's jurisdiction.")]
    if not items:
        errors["items"] = [_("Choose at least one supervision item.")]
    for item in items:
        if item.version_on(today) is None:
            errors.setdefault("items", []).append(
                _("%(code)s has no checklist in force today.") % {"code": item.code}
            )
    if due_on < today:
        errors["due_on"] = [_("The due date has passed.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the inspection is needed.")]
    try:
        inspectors_check(bureau, inspectors, today)
    except ServiceError as exc:
        errors.update(exc.fields)
    over_limit = schedule_refusals(entity, due_on, 1)
    if over_limit and not over_limit_reason.strip():
        errors["over_limit_reason"] = [
            *over_limit,
            _("Say why this inspection is needed beyond the limit."),
        ]
    if errors:
        raise ServiceError.for_fields(errors)
    note = reason.strip()
    if over_limit:
        note += "\n" + _("Beyond the limit: %(reason)s") % {"reason": over_limit_reason.strip()}
    tasks = []
    for item in items:
        task = InspectionTask.objects.create(
            bureau=bureau,
            division=getattr(actor, "division", None),
            entity=entity,
            item=item,
            source=task_source,
            period_start=today,
            due_on=due_on,
            note=note,
        )
        task.inspectors.set(inspectors)
        audit_record(
            actor=actor,
            action="inspections.task.created",
            obj=task,
            region=bureau.region_id,
            changes={
                "source": task_source,
                "entity": entity.uscc,
                "item": item.code,
                "due_on": due_on.isoformat(),
                "inspectors": _people(inspectors),
                "reason": reason.strip(),
                **({"over_limit_reason": over_limit_reason.strip()} if over_limit else {}),
            },
            source=source,
        )
        tasks.append(task)
    return tasks


@transaction.atomic
def task_assign_inspectors(
    *, actor: Any, task: InspectionTask, inspectors: list[Any], source: str = AuditSource.WEB
) -> InspectionTask:
    """Give an open task (a plan's, or a replacement for a drawn team member who left) its team
    of two or more inspectors with certificates valid today."""
    actor_require(actor, Capability.TASKS_ASSIGN)
    locked = InspectionTask.objects.select_for_update().select_related("bureau").get(pk=task.pk)
    actor_require_region(actor, locked.bureau.region_id)
    if locked.status != TaskStatus.OPEN:
        raise Conflict(_("This task is already closed."))
    if hasattr(locked, "record"):
        raise Conflict(_("The inspection has started; its record names the inspectors."))
    inspectors_check(locked.bureau, inspectors, max(clock.today(), locked.period_start))
    before = _people(locked.inspectors.all())
    locked.inspectors.set(inspectors)
    audit_record(
        actor=actor,
        action="inspections.task.assigned",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"inspectors": [before, _people(inspectors)]},
        source=source,
    )
    return locked


@transaction.atomic
def tasks_assign_inspectors(
    *,
    actor: Any,
    tasks: list[InspectionTask],
    inspectors: list[Any],
    source: str = AuditSource.WEB,
) -> list[InspectionTask]:
    """One team for several open tasks (a division scheduling its share of the plan): every
    task gets it or none does. A refusal names the task it stopped at."""
    if not tasks:
        raise ServiceError.for_field("tasks", _("Choose at least one task."))
    done = []
    for task in sorted({t.pk: t for t in tasks}.values(), key=lambda t: t.pk):
        try:
            done.append(
                task_assign_inspectors(actor=actor, task=task, inspectors=inspectors, source=source)
            )
        except Conflict as exc:
            raise Conflict(
                _("%(entity)s, %(item)s: %(reason)s")
                % {"entity": task.entity.name, "item": task.item.code, "reason": exc.message}
            ) from None
    return done
