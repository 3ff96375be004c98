"""Writes for annual plans: create, add lines, and the workflow steps.

Each step goes through `plan_transition`: it checks the table in `states.py` (current status,
who acts), locks the plan, changes it, appends the history row and the audit event, in one
transaction. The page, the API and the shell all call these.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, Division
from anjian.accounts.roles import Capability
from anjian.catalog.models import SupervisionItem
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.models import RegionLevel
from anjian.core.scope import region_codes_under
from anjian.core.services import AuditSource, audit_record
from anjian.plans.models import Frequency, InspectionPlan, PlanEvent, PlanLine
from anjian.plans.states import TRANSITIONS, PlanAction, PlanStatus


def _bureau_above(bureau: Bureau) -> Bureau | None:
    parent = bureau.region.parent_id
    return Bureau.objects.filter(region_id=parent).first() if parent else None


@transaction.atomic
def plan_create(
    *, actor: Any, bureau: Bureau | None, year: int, title: str, source: str = AuditSource.WEB
) -> InspectionPlan:
    actor_require(actor, Capability.PLANS_MANAGE)
    if bureau is None:
        raise NotPermitted(_("A bureau drafts its own plans."))
    actor_require_region(actor, bureau.region_id)
    if getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("A bureau drafts its own plans."))
    if not title.strip():
        raise ServiceError.for_field("title", _("This value is required."))
    if not 2000 <= year <= 2100:
        raise ServiceError.for_field("year", _("Give the plan's year, e.g. 2027."))
    plan = InspectionPlan.objects.create(
        bureau=bureau, year=year, title=title.strip(), created_by=actor
    )
    audit_record(
        actor=actor,
        action="plans.plan.created",
        obj=plan,
        region=bureau.region_id,
        changes={"year": year, "title": plan.title},
        source=source,
    )
    return plan


@dataclass
class LineValues:
    """What a plan line says: which item, for which entities (by rule or by list), when, how often,
    by which division."""

    item: SupervisionItem
    frequency: int = Frequency.YEARLY
    industries: list[str] = field(default_factory=list)
    key_supervision_only: bool = False
    major_hazard_only: bool = False
    credit_grades: list[str] = field(default_factory=list)
    risk_levels: list[str] = field(default_factory=list)
    start_month: int = 1
    end_month: int = 12
    division: Division | None = None
    entities: list[Any] | None = None  # a list replaces the rule


def _line_check(plan: InspectionPlan, v: LineValues) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    version = v.item.version_on(datetime.date(plan.year, 12, 31))
    if version is None:
        errors["item"] = _("This item is not in force in %(year)s.") % {"year": plan.year}
    elif version.levels and plan.bureau.level not in version.levels:
        # N1.3 区分监管事权: a level plans only the items it exercises.
        errors["item"] = _(
            "This item is exercised by the %(levels)s level, not by this bureau."
        ) % {"levels": "、".join(str(RegionLevel(lv).label) for lv in version.levels)}
    if v.frequency not in Frequency.values:
        errors["frequency"] = _("Choose one of the listed values.")
    if any(i not in Industry.values for i in v.industries):
        errors["industries"] = _("Choose at least one industry from the list.")
    if any(g not in CreditGrade.values for g in v.credit_grades):
        errors["credit_grades"] = _("Choose one of the listed values.")
    if any(r not in RiskLevel.values for r in v.risk_levels):
        errors["risk_levels"] = _("Choose one of the listed values.")
    if not (1 <= v.start_month <= v.end_month <= 12):
        errors["end_month"] = _("The line's months must run forward within the year.")
    elif v.frequency > v.end_month - v.start_month + 1:
        errors["frequency"] = _("More inspections than months in the line's period.")
    if v.division is not None and v.division.bureau_id != plan.bureau_id:
        errors["division"] = _("Choose a division of the plan's bureau.")
    if v.entities is not None:
        if not v.entities:
            errors["entities"] = _("List at least one entity, or choose them by rule.")
        regions = _plan_regions(plan)
        outside = [e.uscc for e in v.entities if e.region_id not in regions]
        if outside:
            errors["entities"] = _("Entities outside the plan's jurisdiction: %(codes)s") % {
                "codes": "、".join(outside[:5])
            }
    return errors


@transaction.atomic
def plan_line_add(
    *, actor: Any, plan: InspectionPlan, values: LineValues, source: str = AuditSource.WEB
) -> PlanLine:
    """Lines are added while the plan is a draft; an issued plan changes by a new plan."""
    actor_require(actor, Capability.PLANS_MANAGE)
    locked = InspectionPlan.objects.select_for_update().select_related("bureau").get(pk=plan.pk)
    actor_require_region(actor, locked.bureau.region_id)
    if getattr(actor, "bureau_id", None) != locked.bureau_id:
        raise NotPermitted(_("Only the plan's own bureau changes it."))
    if locked.status != PlanStatus.DRAFT:
        raise Conflict(_("Only a draft plan can be changed."))
    errors = _line_check(locked, values)
    if errors:
        raise ServiceError.for_fields(errors)
    start = datetime.date(locked.year, values.start_month, 1)
    end = datetime.date(
        locked.year, values.end_month, calendar.monthrange(locked.year, values.end_month)[1]
    )
    by_list = values.entities is not None
    line = PlanLine.objects.create(
        plan=locked,
        item=values.item,
        frequency=values.frequency,
        industries=[] if by_list else sorted(set(values.industries)),
        key_supervision_only=values.key_supervision_only and not by_list,
        major_hazard_only=values.major_hazard_only and not by_list,
        credit_grades=[] if by_list else sorted(set(values.credit_grades)),
        risk_levels=[] if by_list else sorted(set(values.risk_levels)),
        starts_on=start,
        ends_on=end,
        division=values.division,
        by_list=by_list,
    )
    if values.entities:
        line.entities.set(values.entities)
    audit_record(
        actor=actor,
        action="plans.line.added",
        obj=locked,
        region=locked.bureau.region_id,
        changes={
            "line": line.pk,
            "item": values.item.code,
            "frequency": values.frequency,
            "industries": line.industries,
            "key_supervision_only": line.key_supervision_only,
            "major_hazard_only": line.major_hazard_only,
            "credit_grades": line.credit_grades,
            "risk_levels": line.risk_levels,
            "period": [start.isoformat(), end.isoformat()],
            "division": values.division.pk if values.division else None,
            "entities": sorted(e.uscc for e in values.entities or []),
        },
        source=source,
    )
    return line


@transaction.atomic
def plan_line_remove(*, actor: Any, line: PlanLine, source: str = AuditSource.WEB) -> None:
    actor_require(actor, Capability.PLANS_MANAGE)
    locked = (
        InspectionPlan.objects.select_for_update().select_related("bureau").get(pk=line.plan_id)
    )
    actor_require_region(actor, locked.bureau.region_id)
    if getattr(actor, "bureau_id", None) != locked.bureau_id:
        raise NotPermitted(_("Only the plan's own bureau changes it."))
    if locked.status != PlanStatus.DRAFT:
        raise Conflict(_("Only a draft plan can be changed."))
    code = line.item.code
    line_id = line.pk
    line.delete()
    audit_record(
        actor=actor,
        action="plans.line.removed",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"line": line_id, "item": code},
        source=source,
    )


def _plan_regions(plan: InspectionPlan) -> set[str]:
    return set(region_codes_under(plan.bureau.region_id))


@transaction.atomic
def plan_transition(
    *,
    actor: Any,
    plan: InspectionPlan,
    action: str,
    comment: str = "",
    over_limit_reason: str = "",
    source: str = AuditSource.WEB,
) -> InspectionPlan:
    """Take one workflow step. Issuing makes the tasks; when they take entities beyond a limit
    a later capability sets (credit's yearly caps, `inspections/scheduling.py`), the issue
    needs `over_limit_reason`, kept in those tasks' notes and the audit event. Refused with a
    reason when the plan is not in the step's starting status, or the actor's role or bureau is
    not the one the step belongs to."""
    if action not in TRANSITIONS:
        raise ServiceError.for_field("action", _("Choose one of the listed values."))
    start, end, whose = TRANSITIONS[action]
    locked = (
        InspectionPlan.objects.select_for_update().select_related("bureau__region").get(pk=plan.pk)
    )
    actor_require_region(actor, locked.bureau.region_id)
    if locked.status != start:
        raise Conflict(
            _("The plan is %(status)s; this step needs it %(needed)s.")
            % {
                "status": PlanStatus(locked.status).label,
                "needed": PlanStatus(start).label,
            }
        )
    if whose == "above":
        actor_require(actor, Capability.PLANS_APPROVE)
        above = _bureau_above(locked.bureau) or locked.bureau  # the province approves its own
        if getattr(actor, "bureau_id", None) != above.pk:
            raise NotPermitted(_("The bureau above approves or returns a plan."))
    else:
        actor_require(actor, Capability.PLANS_MANAGE)
        if getattr(actor, "bureau_id", None) != locked.bureau_id:
            raise NotPermitted(_("Only the plan's own bureau takes this step."))
    if action == PlanAction.REJECT and not comment.strip():
        raise ServiceError.for_field("comment", _("Say why the plan goes back to draft."))
    if action == PlanAction.SUBMIT and not locked.lines.exists():
        raise Conflict(_("A plan without lines cannot be submitted."))
    # Compare-and-swap: a concurrent step on the same plan finds the status changed.
    changed = InspectionPlan.objects.filter(pk=locked.pk, status=start).update(status=end)
    if not changed:
        raise Conflict()
    PlanEvent.objects.create(
        plan=locked, action=action, from_status=start, to_status=end, actor=actor, comment=comment
    )
    changes: dict[str, Any] = {"status": [start, end], "comment": comment}
    if action == PlanAction.ISSUE:
        # 印发: the plan becomes the year's inspection tasks, one per entity and period.
        from anjian.inspections.services import tasks_from_plan

        changes["tasks"] = tasks_from_plan(plan=locked)
        from anjian.inspections.models import InspectionTask
        from anjian.inspections.scheduling import over_limit_require

        changes.update(
            over_limit_require(
                InspectionTask.objects.filter(plan_line__plan=locked),
                locked.year,
                over_limit_reason,
            )
        )
    audit_record(
        actor=actor,
        action=f"plans.plan.{action}",
        obj=locked,
        region=locked.bureau.region_id,
        changes=changes,
        source=source,
    )
    locked.status = end
    return locked
