"""API for 执法公示: the bureau's publications, for staff, within the caller's jurisdiction."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.publications import selectors
from anjian.publications.models import PublicationStatus

router = Router(tags=["publications"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 422}): ErrorOut}


class PublicationOut(Schema):
    id: int
    kind: str
    status: str
    ended: bool
    overdue: bool
    bureau: str
    region_code: str
    subject_type: str
    subject_id: str
    decided_on: datetime.date
    due_on: datetime.date
    published_on: datetime.date | None
    ends_on: datetime.date
    period_months: int
    fields: dict[str, str]

    @staticmethod
    def resolve_bureau(obj: Any) -> str:
        return obj.bureau.name

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_ended(obj: Any) -> bool:
        return obj.status == PublicationStatus.PUBLISHED and obj.ended()

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return obj.status == PublicationStatus.SCHEDULED and obj.due_on < timezone.localdate()


class PublicationPage(Schema):
    items: list[PublicationOut]
    next_cursor: str | None


class PublicationQuery(InputSchema):
    status: str = ""
    overdue: bool = False
    cursor: str | None = None
    limit: int = 50


@router.get("/publications", response={200: PublicationPage, **ERRORS})
def publication_list(request: HttpRequest, query: Query[PublicationQuery]) -> Any:
    """Publications of the caller's jurisdiction (masked fields only), oldest first."""
    require_capability(request, Capability.WORKSPACE)
    if query.overdue:
        qs = selectors.publications_overdue(request.user)
    else:
        qs = selectors.publication_list(request.user)
    if query.status:
        qs = qs.filter(status=query.status)
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")
