"""The complaints API: reports forwarded by another platform (the 12345 hotline), and the
officers' list within their reach.

`POST /api/complaints/forwarded` takes a report from a service account's bearer token (role
`interface`, capability `complaints.forward`; a token made by `anjian token create`). The answer
carries the receipt number and code once, for the forwarding platform to pass to the caller.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.complaints import selectors, services
from anjian.complaints.models import ReportChannel
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource
from anjian.entities.models import Entity

router = Router(tags=["complaints"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class ForwardedIn(InputSchema):
    kind: str = Field(description="hazard, illegal_production, concealed_accident or other")
    body: str = Field(max_length=5000)
    place: str = Field("", max_length=300)
    occurred: str = Field("", max_length=100)
    entity_uscc: str = Field("", max_length=18)
    entity_name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    region_code: str = Field("", max_length=6)
    industry: str = Field("", max_length=32)
    anonymous: bool = True
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    external_reference: str = Field("", max_length=60, description="the 12345 work order number")


class ForwardedOut(Schema):
    receipt_id: str
    receipt_code: str
    bureau: str
    accept_due: datetime.date


@router.post("/complaints/forwarded", response={201: ForwardedOut, **ERRORS})
def report_forward(request: HttpRequest, payload: ForwardedIn) -> Any:
    require_capability(request, Capability.COMPLAINTS_FORWARD)
    entity = None
    if payload.entity_uscc:
        entity = Entity.objects.filter(uscc=payload.entity_uscc.strip().upper()).first()
        if entity is None:
            raise ServiceError.for_field("entity_uscc", "No registered entity has this code.")
    values = services.ReportValues(
        kind=payload.kind,
        body=payload.body,
        place=payload.place,
        occurred=payload.occurred,
        entity=entity,
        entity_text=payload.entity_name,
        address=payload.address,
        region_code=payload.region_code,
        industry=payload.industry,
        anonymous=payload.anonymous,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
    )
    report, code = services.report_receive(
        actor=request.user, values=values, channel=ReportChannel.FORWARDED, source=AuditSource.API
    )
    return Status(
        201,
        {
            "receipt_id": report.receipt_id,
            "receipt_code": code,
            "bureau": report.bureau.name,
            "accept_due": report.accept_due,
        },
    )


class ReportOut(Schema):
    id: int
    receipt_id: str
    channel: str
    kind: str
    state: str
    region_code: str
    industry: str
    bureau: str
    received_on: datetime.date
    accept_due: datetime.date
    handle_due: datetime.date | None
    outcome: str

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_bureau(obj: Any) -> str:
        return str(obj.bureau.name)


class ReportPage(Schema):
    items: list[ReportOut]
    next_cursor: str | None


class ReportQuery(InputSchema):
    cursor: str | None = None
    limit: int = 50
    state: str = ""
    overdue: bool = False


@router.get("/complaints", response={200: ReportPage, **ERRORS})
def report_list(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Reports in the caller's reach (no report text: read it on the page, where it is audited)."""
    require_capability(request, Capability.WORKSPACE)
    qs = selectors.report_list(
        request.user, selectors.ReportFilters(state=query.state, overdue=query.overdue)
    )
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id", descending=True)
