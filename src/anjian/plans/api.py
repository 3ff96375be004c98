"""API for annual plans and inspection tasks: the same services as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts.models import Division, User
from anjian.accounts.roles import Capability
from anjian.catalog.models import SupervisionItem
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import NotPermitted, ServiceError
from anjian.core.scope import get_visible_or_404, visible_region_codes
from anjian.core.services import AuditSource
from anjian.entities.models import Entity
from anjian.inspections import selectors as task_selectors
from anjian.inspections import services as task_services
from anjian.inspections.models import InspectionTask
from anjian.plans import coordination, selectors, services
from anjian.plans.services import LineValues

router = Router(tags=["plans"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class LineOut(Schema):
    id: int
    item_code: str
    division: str
    frequency: int
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    industries: list[str]
    key_supervision_only: bool
    major_hazard_only: bool
    credit_grades: list[str]
    risk_levels: list[str]
    by_list: bool
    listed_uscc: list[str]

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return obj.item.code

    @staticmethod
    def resolve_division(obj: Any) -> str:
        return obj.division.name if obj.division else ""

    @staticmethod
    def resolve_listed_uscc(obj: Any) -> list[str]:
        return sorted(e.uscc for e in obj.entities.all())


class StepOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str
    comment: str
    at: datetime.datetime

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.username if obj.actor else ""


class PlanOut(Schema):
    id: int
    year: int
    title: str
    status: str
    bureau: str
    region_code: str

    @staticmethod
    def resolve_bureau(obj: Any) -> str:
        return obj.bureau.name

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.bureau.region_id


class PlanDetailOut(PlanOut):
    lines: list[LineOut]
    history: list[StepOut]

    @staticmethod
    def resolve_lines(obj: Any) -> Any:
        return selectors.plan_lines(obj)

    @staticmethod
    def resolve_history(obj: Any) -> Any:
        return obj.events.select_related("actor").order_by("id")


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class PlanQuery(InputSchema):
    year: int | None = Field(None, ge=2000, le=2100)
    status: str = ""
    cursor: str | None = None
    limit: int = 50


@router.get("/plans", response={200: PlanPage, **ERRORS})
def plan_list(request: HttpRequest, query: Query[PlanQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = selectors.plan_list(request.user, year=query.year, status=query.status)
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


class PlanIn(InputSchema):
    year: int
    title: str = Field(max_length=200)


@router.post("/plans", response={201: PlanDetailOut, **ERRORS})
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    require_capability(request, Capability.PLANS_MANAGE)
    plan = services.plan_create(
        actor=request.user,
        bureau=request.user.bureau,  # type: ignore[union-attr]
        year=payload.year,
        title=payload.title,
        source=AuditSource.API,
    )
    return Status(201, selectors.plan_get(request.user, plan.pk))


@router.get("/plans/coordination", response={200: dict, **ERRORS})
def plan_coordination(
    request: HttpRequest, year: int = Query(..., ge=2000, le=2100), region: str = ""
) -> Any:
    """Duplicates, gaps and coverage of the year's issued plans under `region` (default: the
    caller's own region)."""
    require_capability(request, Capability.WORKSPACE)
    codes = visible_region_codes(request.user)
    bureau = getattr(request.user, "bureau", None)
    region = region or (bureau.region_id if bureau else "140000")
    if codes is not None and region not in codes:
        raise Http404
    result = coordination.coordination_check(year=year, region_id=region)
    return {
        "year": year,
        "region": region,
        "duplicates": [
            {
                "item_code": p.a.item_code,
                "kind": p.kind,
                "entities": p.entities,
                "overlap": [p.overlap[0].isoformat(), p.overlap[1].isoformat()],
                "lines": [
                    {
                        "line_id": r.line_id,
                        "plan_id": r.plan_id,
                        "bureau": r.bureau_name,
                        "division": r.division_name,
                    }
                    for r in (p.a, p.b)
                ],
            }
            for p in result.duplicates
        ],
        "duplicated_entity_items": result.duplicated_entity_items,
        "gaps": [
            {
                "region": g.region_id,
                "category": g.category,
                "eligible": g.eligible,
                "uncovered": g.uncovered,
            }
            for g in result.gaps
        ],
        "coverage": {k: {"eligible": v[0], "covered": v[1]} for k, v in result.coverage.items()},
    }


@router.get("/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_get(request: HttpRequest, plan_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return selectors.plan_get(request.user, plan_id)


class LineIn(InputSchema):
    item_code: str = Field(max_length=32)
    frequency: int = 1
    industries: list[str] = []
    key_supervision_only: bool = False
    major_hazard_only: bool = False
    credit_grades: list[str] = []
    risk_levels: list[str] = []
    start_month: int = 1
    end_month: int = 12
    division_id: int | None = None
    entities: list[str] | None = Field(
        None, description="Unified social credit codes; a list replaces the rule."
    )


@router.post("/plans/{plan_id}/lines", response={201: PlanDetailOut, **ERRORS})
def line_add(request: HttpRequest, plan_id: int, payload: LineIn) -> Any:
    require_capability(request, Capability.PLANS_MANAGE)
    plan = selectors.plan_get(request.user, plan_id)
    item = SupervisionItem.objects.filter(code=payload.item_code).first()
    if item is None:
        raise ServiceError.for_field("item_code", _("No supervision item has this code."))
    division = (
        get_object_or_404(Division, pk=payload.division_id, bureau=plan.bureau)
        if payload.division_id
        else None
    )
    entities = None
    if payload.entities is not None:
        found = {e.uscc: e for e in Entity.objects.filter(uscc__in=payload.entities)}
        missing = [c for c in payload.entities if c not in found]
        if missing:
            raise ServiceError.for_field(
                "entities", "Not in the registry: " + ", ".join(missing[:5])
            )
        entities = list(found.values())
    services.plan_line_add(
        actor=request.user,
        plan=plan,
        values=LineValues(
            item=item,
            frequency=payload.frequency,
            industries=payload.industries,
            key_supervision_only=payload.key_supervision_only,
            major_hazard_only=payload.major_hazard_only,
            credit_grades=payload.credit_grades,
            risk_levels=payload.risk_levels,
            start_month=payload.start_month,
            end_month=payload.end_month,
            division=division,
            entities=entities,
        ),
        source=AuditSource.API,
    )
    return Status(201, selectors.plan_get(request.user, plan_id))


class StepIn(InputSchema):
    action: str = Field(description="submit, approve, reject, issue or file.")
    comment: str = Field("", max_length=2000)
    over_limit_reason: str = Field(
        "",
        max_length=2000,
        description="Issue only: required when the plan's tasks take entities beyond their "
        "yearly inspection limit (400 naming this field otherwise).",
    )


@router.post("/plans/{plan_id}/steps", response={200: PlanDetailOut, **ERRORS})
def plan_step(request: HttpRequest, plan_id: int, payload: StepIn) -> Any:
    require_capability(request, Capability.WORKSPACE)
    plan = selectors.plan_get(request.user, plan_id)
    services.plan_transition(
        actor=request.user,
        plan=plan,
        action=payload.action,
        comment=payload.comment,
        over_limit_reason=payload.over_limit_reason,
        source=AuditSource.API,
    )
    return selectors.plan_get(request.user, plan_id)


class TaskOut(Schema):
    id: int
    uscc: str
    entity_name: str
    item_code: str
    bureau: str
    division: str
    source: str
    plan_id: int | None
    period_start: datetime.date
    due_on: datetime.date
    status: str
    done_on: datetime.date | None
    record_number: str
    inspectors: list[str]

    @staticmethod
    def resolve_uscc(obj: Any) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_inspectors(obj: Any) -> list[str]:
        return sorted(u.username for u in obj.inspectors.all())

    @staticmethod
    def resolve_entity_name(obj: Any) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return obj.item.code

    @staticmethod
    def resolve_bureau(obj: Any) -> str:
        return obj.bureau.name

    @staticmethod
    def resolve_division(obj: Any) -> str:
        return obj.division.name if obj.division else ""

    @staticmethod
    def resolve_plan_id(obj: Any) -> int | None:
        return obj.plan_line.plan_id if obj.plan_line_id else None


class TaskPage(Schema):
    items: list[TaskOut]
    next_cursor: str | None


class TaskQuery(InputSchema):
    status: str = ""
    plan: int | None = None
    overdue: bool = False
    cursor: str | None = None
    limit: int = 50


@router.get("/tasks", response={200: TaskPage, **ERRORS})
def task_list(request: HttpRequest, query: Query[TaskQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = (
        task_selectors.task_list(
            request.user, status=query.status, plan_id=query.plan, overdue_only=query.overdue
        )
        .select_related("plan_line")
        .prefetch_related("inspectors")
    )
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


def _inspectors_named(usernames: list[str]) -> list[Any]:
    """Users by username; the service then refuses anyone not of the bureau or without a valid
    certificate, by name."""
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = [n for n in usernames if n not in found]
    if missing:
        raise ServiceError.for_field(
            "inspectors", _("Unknown users: %(names)s") % {"names": ", ".join(missing[:5])}
        )
    return list(found.values())


class TaskAdHocIn(InputSchema):
    uscc: str = Field(max_length=18, description="The entity's unified social credit code.")
    item_codes: list[str] = Field(max_length=50, description="One task per supervision item.")
    inspectors: list[str] = Field(
        max_length=20, description="Usernames: at least two, certificates valid today."
    )
    due_on: datetime.date
    reason: str = Field(max_length=2000)
    over_limit_reason: str = Field(
        "",
        max_length=2000,
        description="Required when the inspection takes the entity beyond its yearly "
        "inspection limit (400 naming this field otherwise).",
    )


@router.post("/tasks", response={201: list[TaskOut], **ERRORS})
def task_create_ad_hoc(request: HttpRequest, payload: TaskAdHocIn) -> Any:
    """An ad hoc inspection (临时检查) of an entity in the caller's jurisdiction."""
    require_capability(request, Capability.TASKS_ASSIGN)
    user: Any = request.user
    entity = get_visible_or_404(Entity.objects.all(), user, uscc=payload.uscc.upper())
    items = {i.code: i for i in SupervisionItem.objects.filter(code__in=payload.item_codes)}
    missing = [c for c in payload.item_codes if c not in items]
    if missing:
        raise ServiceError.for_field(
            "items", _("No supervision item has this code: %(codes)s")
            % {"codes": ", ".join(missing[:5])},
        )  # fmt: skip
    if user.bureau is None:
        raise NotPermitted()
    tasks = task_services.task_create_ad_hoc(
        actor=user,
        bureau=user.bureau,
        entity=entity,
        items=list(items.values()),
        inspectors=_inspectors_named(payload.inspectors),
        due_on=payload.due_on,
        reason=payload.reason,
        over_limit_reason=payload.over_limit_reason,
        source=AuditSource.API,
    )
    return Status(201, list(_task_qs().filter(pk__in=[t.pk for t in tasks]).order_by("pk")))


def _task_qs() -> Any:
    return InspectionTask.objects.select_related(
        "entity", "item", "bureau", "division", "plan_line"
    ).prefetch_related("inspectors")


class TeamIn(InputSchema):
    inspectors: list[str] = Field(
        max_length=20, description="Usernames: at least two, certificates valid on the day."
    )


@router.post("/tasks/{task_id}/inspectors", response={200: TaskOut, **ERRORS})
def task_assign_inspectors(request: HttpRequest, task_id: int, payload: TeamIn) -> Any:
    """Give an open task (a plan's, usually) its team; replaces any team it had."""
    require_capability(request, Capability.TASKS_ASSIGN)
    task = get_visible_or_404(_task_qs(), request.user, pk=task_id)
    task_services.task_assign_inspectors(
        actor=request.user,
        task=task,
        inspectors=_inspectors_named(payload.inspectors),
        source=AuditSource.API,
    )
    return _task_qs().get(pk=task.pk)


class ProgressOut(Schema):
    key: Any
    label: str
    planned: int
    done: int
    overdue: int
    late: int
    total: int


@router.get("/tasks/progress", response={200: list[ProgressOut], **ERRORS})
def task_progress(
    request: HttpRequest, by: str = Query("region", pattern="^(plan|division|region)$")
) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return task_selectors.task_progress(request.user, by=by)


class TaskDoneIn(InputSchema):
    done_on: datetime.date
    record_number: str = Field(max_length=64)
    note: str = Field("", max_length=2000)


@router.post("/tasks/{task_id}/done", response={200: TaskOut, **ERRORS})
def task_done(request: HttpRequest, task_id: int, payload: TaskDoneIn) -> Any:
    require_capability(request, Capability.TASKS_RECORD)
    task = get_visible_or_404(_task_qs(), request.user, pk=task_id)
    return task_services.task_complete(
        actor=request.user,
        task=task,
        done_on=payload.done_on,
        record_number=payload.record_number,
        note=payload.note,
        source=AuditSource.API,
    )
