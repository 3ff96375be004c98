"""API of random draws (双随机): the bureau's draws with their commitment and hashes, the drawn
entities with their teams, and the commit and run steps. The same selectors and services as
the pages; the public checks a draw on the portal, not here."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.services import AuditSource
from anjian.draws import selectors, services
from anjian.draws.models import Draw, DrawSelection
from anjian.draws.states import DrawStatus

router = Router(tags=["draws"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class DrawOut(Schema):
    id: int
    title: str
    bureau: str
    status: str
    inspection_from: datetime.date
    inspection_until: datetime.date
    strata_by: str
    default_ratio: int = Field(description="Per ten thousand.")
    ratios: dict[str, int] = Field(description='"grade|level": per ten thousand.')
    inspectors_per_entity: int
    avoid_own_county: bool
    max_per_inspector: int
    redo_of: int | None
    redo_reason: str
    directory_size: int
    directory_hash: str
    pool_hash: str
    commitment: str
    quotas: dict[str, int]
    secret: str = Field(description="Revealed at the draw; empty before.")
    seed: str
    selected: int | None
    assigned: int | None
    refused: int | None
    tasks: int | None
    committed_at: datetime.datetime | None
    drawn_at: datetime.datetime | None

    @staticmethod
    def resolve_bureau(obj: Draw) -> str:
        return obj.bureau.name

    @staticmethod
    def resolve_redo_of(obj: Draw) -> int | None:
        return obj.redo_of_id

    @staticmethod
    def resolve_secret(obj: Draw) -> str:
        return obj.secret if obj.status == DrawStatus.DRAWN else ""

    @staticmethod
    def resolve_selected(obj: Draw) -> int | None:
        return (obj.summary or {}).get("selected")

    @staticmethod
    def resolve_assigned(obj: Draw) -> int | None:
        return (obj.summary or {}).get("assigned")

    @staticmethod
    def resolve_refused(obj: Draw) -> int | None:
        return (obj.summary or {}).get("refused")

    @staticmethod
    def resolve_tasks(obj: Draw) -> int | None:
        return (obj.summary or {}).get("tasks")


class DrawPage(Schema):
    items: list[DrawOut]
    next_cursor: str | None


class PageQuery(InputSchema):
    cursor: str | None = None
    limit: int = 50


class SelectionOut(Schema):
    id: int
    uscc: str
    entity_name: str
    region: str
    stratum: str
    probability: float
    forced: bool
    team: list[str] = Field(description="Usernames, in the order the draw chose them.")
    unassigned_reasons: dict[str, Any] = Field(
        description="When the pool could not staff the entity: eligible count and, per rule, "
        "how many inspectors it excluded."
    )

    @staticmethod
    def resolve_uscc(obj: DrawSelection) -> str:
        return obj.entity.uscc

    @staticmethod
    def resolve_entity_name(obj: DrawSelection) -> str:
        return obj.entity.name

    @staticmethod
    def resolve_region(obj: DrawSelection) -> str:
        return obj.entity.region_id

    @staticmethod
    def resolve_team(obj: DrawSelection) -> list[str]:
        return [u.username for u in obj.team_members()]


class SelectionPage(Schema):
    items: list[SelectionOut]
    next_cursor: str | None


def _draw(request: HttpRequest, draw_id: int) -> Draw:
    return selectors.draw_get(request.user, draw_id)


@router.get("/draws", response={200: DrawPage, **ERRORS})
def draw_list(request: HttpRequest, query: Query[PageQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = Draw.objects.visible_to(request.user).select_related("bureau")
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id", descending=True)


@router.get("/draws/{draw_id}", response={200: DrawOut, **ERRORS})
def draw_get(request: HttpRequest, draw_id: int) -> Any:
    require_capability(request, Capability.WORKSPACE)
    return _draw(request, draw_id)


@router.get("/draws/{draw_id}/selections", response={200: SelectionPage, **ERRORS})
def draw_selections(request: HttpRequest, draw_id: int, query: Query[PageQuery]) -> Any:
    """The drawn entities, once the draw has run (an empty page before)."""
    require_capability(request, Capability.WORKSPACE)
    draw = _draw(request, draw_id)
    page = keyset_page(
        draw.selections.select_related("entity"), cursor=query.cursor, limit=query.limit, key="id"
    )
    page["items"] = selectors.teams_attach(page["items"])
    return page


class StepIn(InputSchema):
    pass


@router.post("/draws/{draw_id}/commit", response={200: DrawOut, **ERRORS})
def draw_commit(request: HttpRequest, draw_id: int, payload: StepIn) -> Any:
    """Freeze and hash the directory and the pool, publish the commitment."""
    require_capability(request, Capability.DRAWS_MANAGE)
    draw = _draw(request, draw_id)
    services.draw_commit(actor=request.user, draw=draw, source=AuditSource.API)
    return _draw(request, draw_id)


@router.post("/draws/{draw_id}/run", response={200: DrawOut, **ERRORS})
def draw_run(request: HttpRequest, draw_id: int, payload: StepIn) -> Any:
    """Reveal the secret, draw, assign inspectors and make the tasks; once only."""
    require_capability(request, Capability.DRAWS_MANAGE)
    draw = _draw(request, draw_id)
    services.draw_run(actor=request.user, draw=draw, source=AuditSource.API)
    return _draw(request, draw_id)
