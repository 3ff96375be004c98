"""API of the on-site inspection, for a mobile app that works offline and syncs: open a record
for a task, send answers (one or many at once; sending the same answer again is harmless),
record findings, submit; the overdue rectifications. The same services as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts.models import User
from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.services import AuditSource
from anjian.inspections import selectors, services
from anjian.inspections.models import InspectionTask

router = Router(tags=["inspections"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class CheckPointOut(Schema):
    id: int
    item_code: str
    order: int
    content: str
    method: str
    basis: str

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return obj.version.item.code


class AnswerOut(Schema):
    check_point_id: int
    answer: str
    note: str
    answered_by: str
    answered_at: datetime.datetime

    @staticmethod
    def resolve_answered_by(obj: Any) -> str:
        return obj.answered_by.username


class FindingOut(Schema):
    id: int
    check_point_id: int | None
    kind: str
    severity: str
    description: str
    legal_basis: str
    fact_date: datetime.date


class RecordOut(Schema):
    id: int
    number: str
    task_id: int
    uscc: str
    entity_name: str
    status: str
    place: str
    present_name: str
    present_post: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    inspectors: list[str]

    @staticmethod
    def resolve_uscc(obj: Any) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity_name(obj: Any) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_inspectors(obj: Any) -> list[str]:
        return sorted(u.username for u in obj.inspectors.all())


class RecordDetailOut(RecordOut):
    summary: str
    check_points: list[CheckPointOut]
    answers: list[AnswerOut]
    findings: list[FindingOut]

    @staticmethod
    def resolve_check_points(obj: Any) -> Any:
        return services.record_check_points(obj)

    @staticmethod
    def resolve_answers(obj: Any) -> Any:
        return obj.answers.select_related("answered_by").order_by("check_point_id")

    @staticmethod
    def resolve_findings(obj: Any) -> Any:
        return obj.findings.order_by("pk")


class RecordPage(Schema):
    items: list[RecordOut]
    next_cursor: str | None


class RecordQuery(InputSchema):
    status: str = ""
    cursor: str | None = None
    limit: int = 50


@router.get("/inspections/records", response={200: RecordPage, **ERRORS})
def record_list(request: HttpRequest, query: Query[RecordQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = selectors.record_list(request.user, status=query.status).prefetch_related("inspectors")
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id", descending=True)


class RecordIn(InputSchema):
    task_id: int
    place: str = Field(max_length=300)
    present_name: str = Field(max_length=50)
    present_post: str = Field("", max_length=50)
    inspectors: list[str] | None = Field(
        None, description="Usernames; default the task's team. At least two, certificates valid."
    )
    started_at: datetime.datetime | None = None


@router.post("/inspections/records", response={201: RecordDetailOut, **ERRORS})
def record_start(request: HttpRequest, payload: RecordIn) -> Any:
    require_capability(request, Capability.INSPECT)
    task = get_visible_or_404(InspectionTask.objects.all(), request.user, pk=payload.task_id)
    team = None
    if payload.inspectors is not None:
        found = {u.username: u for u in User.objects.filter(username__in=payload.inspectors)}
        missing = [n for n in payload.inspectors if n not in found]
        if missing:
            raise ServiceError.for_field("inspectors", "Unknown: " + ", ".join(missing[:5]))
        team = list(found.values())
    record = services.record_start(
        actor=request.user,
        task=task,
        place=payload.place,
        present_name=payload.present_name,
        present_post=payload.present_post,
        inspectors=team,
        started_at=payload.started_at,
        source=AuditSource.API,
    )
    return Status(201, selectors.record_get(request.user, record.pk))


@router.get("/inspections/records/{record_id}", response={200: RecordDetailOut, **ERRORS})
def record_get(request: HttpRequest, record_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return selectors.record_get(request.user, record_id)


class AnswerIn(InputSchema):
    check_point_id: int
    answer: str = Field(description="compliant, hazard, violation or not_applicable")
    note: str = Field("", max_length=2000)


class AnswersIn(InputSchema):
    answers: list[AnswerIn] = Field(max_length=500)


@router.post("/inspections/records/{record_id}/answers", response={200: RecordDetailOut, **ERRORS})
def record_answers(request: HttpRequest, record_id: int, payload: AnswersIn) -> Any:
    """Save answers: all of them or none (a phone syncing what it saved offline)."""
    require_capability(request, Capability.INSPECT)
    record = selectors.record_get(request.user, record_id)
    with transaction.atomic():
        for a in payload.answers:
            services.record_answer(
                actor=request.user,
                record=record,
                check_point=a.check_point_id,
                answer=a.answer,
                note=a.note,
                source=AuditSource.API,
            )
    return selectors.record_get(request.user, record_id)


class FindingIn(InputSchema):
    kind: str = Field(description="hazard or violation")
    description: str = Field(max_length=4000)
    check_point_id: int | None = None
    legal_basis: str = Field("", max_length=1000)
    severity: str = Field("", description="general or major, for a hazard")
    fact_date: datetime.date | None = None


@router.post("/inspections/records/{record_id}/findings", response={201: FindingOut, **ERRORS})
def finding_add(request: HttpRequest, record_id: int, payload: FindingIn) -> Any:
    require_capability(request, Capability.INSPECT)
    record = selectors.record_get(request.user, record_id)
    finding = services.finding_add(
        actor=request.user,
        record=record,
        kind=payload.kind,
        description=payload.description,
        check_point=payload.check_point_id,
        legal_basis=payload.legal_basis,
        severity=payload.severity,
        fact_date=payload.fact_date,
        source=AuditSource.API,
    )
    return Status(201, finding)


class SubmitIn(InputSchema):
    summary: str = Field("", max_length=4000)


@router.post("/inspections/records/{record_id}/submit", response={200: RecordDetailOut, **ERRORS})
def record_submit(request: HttpRequest, record_id: int, payload: SubmitIn) -> Any:
    require_capability(request, Capability.INSPECT)
    record = selectors.record_get(request.user, record_id)
    services.record_submit(
        actor=request.user, record=record, summary=payload.summary, source=AuditSource.API
    )
    return selectors.record_get(request.user, record_id)


class OverdueOut(Schema):
    order_id: int
    record_number: str
    uscc: str
    entity_name: str
    deadline: datetime.date
    working_days_late: int
    escalation_due: datetime.date
    status: str


@router.get("/inspections/rectifications/overdue", response={200: list[OverdueOut], **ERRORS})
def rectifications_overdue(request: HttpRequest) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return [
        {
            "order_id": r.order.pk,
            "record_number": r.order.record.number,
            "uscc": r.order.record.entity.uscc,
            "entity_name": r.order.record.entity.name,
            "deadline": r.order.deadline,
            "working_days_late": r.working_days_late,
            "escalation_due": r.escalation_due,
            "status": r.order.status,
        }
        for r in selectors.rectifications_overdue(request.user)
    ]
