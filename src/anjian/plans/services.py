"""Writes for annual plans: create, add lines, and the workflow steps.

Each step goes through `plan_transition`: it checks the table in `states.py` (current status,
who acts), locks the plan, changes it, appends the history row and the audit event, in one
transaction. The page, the API and the shell all call these.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, Division
from anjian.accounts.roles import Capability
from anjian.catalog.models import SupervisionItem
from anjian.core.choices import Industry
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import AuditSource, audit_record
from anjian.plans.models import Frequency, Plan, PlanEvent, PlanLine
from anjian.plans.states import TRANSITIONS, PlanAction, PlanStatus


def _bureau_above(bureau: Bureau) -> Bureau | None:
    parent = bureau.region.parent_id
    return Bureau.objects.filter(region_id=parent).first() if parent else None


@transaction.atomic
def plan_create(
    *, actor: Any, bureau: Bureau, year: int, title: str, source: str = AuditSource.WEB
) -> Plan:
    actor_require(actor, Capability.PLANS_MANAGE)
    actor_require_region(actor, bureau.region_id)
    if getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("A bureau drafts its own plans."))
    if not title.strip():
        raise ServiceError.for_field("title", _("This value is required."))
    if not 2000 <= year <= 2100:
        raise ServiceError.for_field("year", _("Give the plan's year, e.g. 2027."))
    plan = Plan.objects.create(bureau=bureau, year=year, title=title.strip(), created_by=actor)
    audit_record(
        actor=actor,
        action="plans.plan.created",
        obj=plan,
        region=bureau.region_id,
        changes={"year": year, "title": plan.title},
        source=source,
    )
    return plan


@transaction.atomic
def plan_line_add(
    *,
    actor: Any,
    plan: Plan,
    item: SupervisionItem,
    frequency: int = Frequency.YEARLY,
    industries: list[str] | None = None,
    key_supervision_only: bool = False,
    major_hazard_only: bool = False,
    division: Division | None = None,
    entities: list[Any] | None = None,
    source: str = AuditSource.WEB,
) -> PlanLine:
    """Lines are added while the plan is a draft; an issued plan changes by a new plan."""
    actor_require(actor, Capability.PLANS_MANAGE)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    actor_require_region(actor, locked.bureau.region_id)
    if locked.status != PlanStatus.DRAFT:
        raise Conflict(_("Only a draft plan can be changed."))
    if frequency not in Frequency.values:
        raise ServiceError.for_field("frequency", _("Choose one of the listed values."))
    if any(i not in Industry.values for i in industries or []):
        raise ServiceError.for_field("industries", _("Choose at least one industry from the list."))
    if division is not None and division.bureau_id != locked.bureau_id:
        raise ServiceError.for_field("division", _("Choose a division of the plan's bureau."))
    line = PlanLine.objects.create(
        plan=locked,
        item=item,
        frequency=frequency,
        industries=industries or [],
        key_supervision_only=key_supervision_only,
        major_hazard_only=major_hazard_only,
        division=division,
    )
    if entities:
        outside = [e.uscc for e in entities if e.region_id not in _plan_regions(locked)]
        if outside:
            raise ServiceError.for_field(
                "entities",
                _("Entities outside the plan's jurisdiction: %(codes)s")
                % {"codes": "、".join(outside[:5])},
            )
        line.entities.set(entities)
    audit_record(
        actor=actor,
        action="plans.line.added",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"item": item.code, "frequency": frequency, "industries": industries or []},
        source=source,
    )
    return line


def _plan_regions(plan: Plan) -> set[str]:
    from anjian.core.scope import region_codes_under

    return set(region_codes_under(plan.bureau.region_id))


@transaction.atomic
def plan_transition(
    *, actor: Any, plan: Plan, action: str, comment: str = "", source: str = AuditSource.WEB
) -> Plan:
    """Take one workflow step. Refused with a reason when the plan is not in the step's starting
    status, or the actor's role or bureau is not the one the step belongs to."""
    if action not in TRANSITIONS:
        raise ServiceError.for_field("action", _("Choose one of the listed values."))
    start, end, whose = TRANSITIONS[action]
    locked = Plan.objects.select_for_update().select_related("bureau__region").get(pk=plan.pk)
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
    changed = Plan.objects.filter(pk=locked.pk, status=start).update(status=end)
    if not changed:
        raise Conflict()
    PlanEvent.objects.create(
        plan=locked, action=action, from_status=start, to_status=end, actor=actor, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"plans.plan.{action}",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"status": [start, end], "comment": comment},
        source=source,
    )
    locked.status = end
    return locked
