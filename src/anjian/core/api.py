"""API for regions and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from anjian.accounts.roles import Capability
from anjian.core import selectors
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.audit_labels import label_events

router = Router(tags=["core"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 422}): ErrorOut}


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    statistical_only: bool

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        return obj.parent_id


class RegionFilter(InputSchema):
    level: str | None = None
    parent: str | None = None


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, auth=None)
def region_list(request: HttpRequest, filters: Query[RegionFilter]) -> Any:
    """GB/T 2260 divisions of Shanxi: public reference data."""
    return list(selectors.region_list(level=filters.level, parent=filters.parent))


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime.datetime
    actor_id: int | None
    actor: str
    actor_label: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    object_label: str
    region: str
    source: str
    source_label: str
    changes: dict[str, Any]
    digest: str
    prev_hash: str
    hash: str


class AuditEventPage(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None


class AuditFilter(InputSchema):
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    cursor: str | None = None
    limit: int = 50


@router.get("/audit/events", response={200: AuditEventPage, **ERRORS})
def audit_event_list(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    """Audit events in the caller's scope, newest first."""
    require_capability(request, Capability.AUDIT_VIEW)
    qs = selectors.audit_event_list(user=request.user)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    page = keyset_page(qs, cursor=filters.cursor, limit=filters.limit, key="seq", descending=True)
    # The codes stay for machines; the labels say the same in the caller's language.
    page["items"] = label_events(page["items"])
    return page


@router.get("/audit/events/{seq}", response={200: AuditEventOut, **ERRORS})
def audit_event_get(request: HttpRequest, seq: int) -> Any:
    require_capability(request, Capability.AUDIT_VIEW)
    return label_events([selectors.audit_event_get(user=request.user, seq=seq)])[0]


class ChainHeadOut(Schema):
    seq: int
    hash: str
    occurred_at: datetime.datetime | None


@router.get("/audit/head", response={200: ChainHeadOut}, auth=None)
def audit_head(request: HttpRequest) -> Any:
    """The current chain head (public), so anyone can later check the chain was not rewritten."""
    return selectors.audit_chain_head()
