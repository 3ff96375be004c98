"""Reads for annual plans: lists in the viewer's scope, a plan with its lines and history, the
steps the viewer may take, and a readable description of each line's rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core.choices import Industry, RiskLevel
from anjian.core.scope import region_ancestors, visible_region_codes
from anjian.entities.models import Entity
from anjian.plans.models import Frequency, InspectionPlan, PlanLine
from anjian.plans.rules import COVERING, line_q
from anjian.plans.states import TRANSITIONS, PlanAction, PlanStatus


def plans_readable(viewer: Any) -> QuerySet[InspectionPlan]:
    """The viewer's scope (their region and everything under it), plus the issued plans of the
    bureaus above them: an issued plan (印发) is sent down to the bureaus it reaches, who must
    read it to coordinate with it. Drafts above stay with their bureau."""
    codes = visible_region_codes(viewer)
    if codes is None:
        return InspectionPlan.objects.all()
    bureau = getattr(viewer, "bureau", None)
    above = region_ancestors(bureau.region_id)[1:] if bureau else []
    return InspectionPlan.objects.filter(
        Q(bureau__region_id__in=codes) | Q(bureau__region_id__in=above, status__in=COVERING)
    )


def plan_list(
    viewer: Any,
    *,
    year: int | None = None,
    status: str = "",
    awaiting_me: bool = False,
    own_bureau: bool = False,
) -> QuerySet[InspectionPlan]:
    qs = plans_readable(viewer).select_related("bureau", "created_by")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if own_bureau:
        qs = qs.filter(bureau_id=getattr(viewer, "bureau_id", None) or 0)
    if awaiting_me:
        # Plans submitted by the bureaus directly below the viewer's (and the province's own).
        bureau = getattr(viewer, "bureau", None)
        if bureau is None:
            return qs.none()
        below = Q(bureau__region__parent_id=bureau.region_id)
        if bureau.region.parent_id is None:
            below |= Q(bureau=bureau)
        qs = qs.filter(below, status=PlanStatus.SUBMITTED)
    return qs.annotate(line_count=Count("lines")).order_by("-year", "bureau__region_id", "id")


def plan_get(viewer: Any, pk: int) -> InspectionPlan:
    plan = plans_readable(viewer).select_related("bureau__region", "created_by").filter(pk=pk)
    found = plan.first()
    if found is None:
        raise Http404
    return found


def plan_lines(plan: InspectionPlan) -> list[PlanLine]:
    return list(
        plan.lines.select_related("item", "division", "plan__bureau")
        .prefetch_related("entities")
        .order_by("id")
    )


def line_entity_count(line: PlanLine) -> int:
    return Entity.objects.filter(line_q(line)).count()


def line_rule_text(line: PlanLine) -> str:
    """The rule in words, as a planner would write it in the plan document."""
    if line.by_list:
        names = [e.name for e in line.entities.all()[:3]]
        more = line.entities.count() - len(names)
        text = "、".join(names)
        if more > 0:
            text += _(" and %(n)d more") % {"n": more}
        return _("Listed: %(names)s") % {"names": text}
    parts = []
    if line.industries:
        labels = dict(Industry.choices)
        parts.append("、".join(str(labels.get(i, i)) for i in line.industries))
    else:
        parts.append(_("All industries"))
    if line.key_supervision_only:
        parts.append(_("key-supervision entities only"))
    if line.major_hazard_only:
        parts.append(_("major hazard sources only"))
    if line.credit_grades:
        parts.append(_("credit grade %(g)s") % {"g": "/".join(line.credit_grades)})
    if line.risk_levels:
        labels = dict(RiskLevel.choices)
        parts.append("、".join(str(labels.get(r, r)) for r in line.risk_levels))
    return "；".join(str(p) for p in parts)


def frequency_label(value: int) -> str:
    return str(Frequency(value).label)


def actions_for(viewer: Any, plan: InspectionPlan) -> list[tuple[str, str]]:
    """The workflow steps this viewer may take on this plan now (the services decide for real;
    this only chooses which buttons to show)."""
    out = []
    bureau_id = getattr(viewer, "bureau_id", None)
    above = plan.bureau.region.parent_id
    viewer_region = getattr(getattr(viewer, "bureau", None), "region_id", None)
    for action, (start, _end, whose) in TRANSITIONS.items():
        if plan.status != start:
            continue
        if whose == "own":
            ok = bureau_id == plan.bureau_id and viewer.can(Capability.PLANS_MANAGE)
        else:
            approver_region = above or plan.bureau.region_id
            ok = viewer_region == approver_region and viewer.can(Capability.PLANS_APPROVE)
        if ok:
            out.append((str(action), str(PlanAction(action).label)))
    return out
