"""Joint inspections (联合抽查, 进一次门查多项事, N3.3): draws of several divisions or bureaus for
the same period are merged so that an entity drawn by more than one gets one visit with all the
items. `joint_plan` shows what a merge would do; `joint_merge` does it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import AuditSource, audit_record
from anjian.draws.models import Draw, DrawSelection, JointVisit
from anjian.draws.states import DrawStatus
from anjian.inspections.models import InspectionTask, TaskStatus


@dataclass
class JointPlan:
    draws: list[Draw]
    window: tuple[datetime.date, datetime.date] | None
    # entity id -> the draws (ids) that drew it, for entities drawn more than once
    shared: dict[int, list[int]] = field(default_factory=dict)
    visits_separate: int = 0  # one visit per draw and entity
    visits_joint: int = 0  # one visit per entity

    @property
    def visits_saved(self) -> int:
        return self.visits_separate - self.visits_joint


def joint_plan(draws: list[Draw]) -> JointPlan:
    start = max((d.inspection_from for d in draws), default=None)
    end = min((d.inspection_until for d in draws), default=None)
    window = (start, end) if start and end and start <= end else None
    by_entity: dict[int, list[int]] = defaultdict(list)
    for draw_id, entity_id in DrawSelection.objects.filter(draw__in=draws).values_list(
        "draw_id", "entity_id"
    ):
        by_entity[entity_id].append(draw_id)
    return JointPlan(
        draws=draws,
        window=window,
        shared={e: sorted(ds) for e, ds in by_entity.items() if len(ds) > 1},
        visits_separate=sum(len(ds) for ds in by_entity.values()),
        visits_joint=len(by_entity),
    )


@transaction.atomic
def joint_merge(
    *, actor: Any, draws: list[Draw], source: str = AuditSource.WEB
) -> tuple[JointPlan, int]:
    """Merge: one JointVisit per entity drawn by more than one of `draws`, holding the open
    tasks of those draws for it, with the team of the earliest draw (which met every avoidance
    rule for that entity). Returns the plan and the number of visits made."""
    actor_require(actor, Capability.DRAWS_MANAGE)
    bureau = getattr(actor, "bureau", None)
    if bureau is None:
        raise Conflict()
    locked = list(Draw.objects.select_for_update().filter(pk__in=[d.pk for d in draws]))
    for draw in locked:
        actor_require_region(actor, draw.bureau.region_id)
    errors: dict[str, list[Any]] = {}
    if len(locked) < 2:
        errors["draws"] = [_("Choose at least two draws to merge.")]
    elif any(d.status != DrawStatus.DRAWN for d in locked):
        errors["draws"] = [_("Only drawn draws can be merged.")]
    plan = joint_plan(locked)
    if not errors and plan.window is None:
        errors["draws"] = [_("The draws' inspection windows do not overlap.")]
    if errors:
        raise ServiceError.for_fields(errors)
    assert plan.window is not None
    if JointVisit.objects.filter(draws__in=locked, entity_id__in=plan.shared).exists():
        raise Conflict(_("Some of these entities are already in a joint visit of these draws."))
    teams: dict[int, list[int]] = {}
    for entity_id, team in (
        DrawSelection.objects.filter(draw__in=locked, entity_id__in=plan.shared)
        .order_by("draw__drawn_at", "draw_id")
        .values_list("entity_id", "team")
    ):
        if team and entity_id not in teams:
            teams[entity_id] = team  # the earliest draw that staffed it
    made = 0
    for entity_id, draw_ids in plan.shared.items():
        visit = JointVisit.objects.create(
            bureau=bureau,
            entity_id=entity_id,
            window_from=plan.window[0],
            window_until=plan.window[1],
            created_by=actor,
        )
        visit.draws.set(draw_ids)
        visit.inspectors.set(teams.get(entity_id, []))
        InspectionTask.objects.filter(
            draw_id__in=draw_ids, entity_id=entity_id, status=TaskStatus.OPEN
        ).update(joint_visit=visit, period_start=plan.window[0], due_on=plan.window[1])
        made += 1
    audit_record(
        actor=actor,
        action="draws.joint.merged",
        obj=locked[0],
        region=bureau.region_id,
        changes={
            "draws": sorted(d.pk for d in locked),
            "window": [plan.window[0].isoformat(), plan.window[1].isoformat()],
            "joint_visits": made,
            "visits_saved": plan.visits_saved,
        },
        source=source,
    )
    return plan, made
