"""API of random draws (双随机): the bureau's random-check items, configuring a draw (or a redo
of one), its commitment and hashes, the commit and run steps, and the drawn entities with
their teams. The same selectors and services as the pages; the public checks a draw on the
portal, not here."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource
from anjian.draws import selectors, services
from anjian.draws.models import Draw, DrawSelection, RandomCheckItem
from anjian.draws.states import DrawStatus, StrataBy

router = Router(tags=["draws"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class DrawItemOut(Schema):
    id: int
    item_code: str

    @staticmethod
    def resolve_item_code(obj: RandomCheckItem) -> str:
        return obj.item.code


class RandomCheckItemOut(DrawItemOut):
    name: str = Field(description="The name of the item version in force today.")
    division: str
    check_points: list[int] = Field(description="Orders of the check points; empty: all.")
    is_active: bool

    @staticmethod
    def resolve_name(obj: RandomCheckItem) -> str:
        version = obj.item.version_on(timezone.localdate())
        return version.name if version else ""

    @staticmethod
    def resolve_division(obj: RandomCheckItem) -> str:
        return obj.division.name if obj.division else ""


class DrawOut(Schema):
    id: int
    title: str
    bureau: str
    status: str
    items: list[DrawItemOut]
    inspection_from: datetime.date
    inspection_until: datetime.date
    filters: dict[str, Any] = Field(
        description="industries, regions (county codes), key_supervision_only, major_hazard_only."
    )
    strata_by: str
    default_ratio: int = Field(description="Per ten thousand.")
    ratios: dict[str, int] = Field(description='"grade|level": per ten thousand.')
    recent_months: int
    recent_factor: int = Field(description="Percent of the weight; 0 leaves them out.")
    forced: list[str] = Field(description="Credit codes forced into the draw.")
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
    def resolve_items(obj: Draw) -> list[RandomCheckItem]:
        return list(obj.items.all())

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
    draw = selectors.draw_get(request.user, draw_id)
    prefetch_related_objects([draw], "items__item")
    return draw


class ItemPage(Schema):
    items: list[RandomCheckItemOut]
    next_cursor: str | None


@router.get("/random-check-items", response={200: ItemPage, **ERRORS})
def random_check_item_list(request: HttpRequest, query: Query[PageQuery]) -> Any:
    """The random-check item lists (抽查事项清单) the caller may see; a draw takes the ids of
    its own bureau's active ones."""
    require_capability(request, Capability.WORKSPACE)
    qs = selectors.random_check_items(request.user)
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/draws", response={200: DrawPage, **ERRORS})
def draw_list(request: HttpRequest, query: Query[PageQuery]) -> Any:
    require_capability(request, Capability.WORKSPACE)
    qs = (
        Draw.objects.visible_to(request.user)
        .select_related("bureau")
        .prefetch_related("items__item")
    )
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id", descending=True)


class DrawIn(InputSchema):
    title: str = Field(max_length=200)
    items: list[int] = Field(
        description="Ids of the bureau's own active random-check items "
        "(GET /api/random-check-items)."
    )
    inspection_from: datetime.date
    inspection_until: datetime.date
    industries: list[str] = Field([], description="Industry keys; empty: every industry.")
    regions: list[str] = Field(
        [], description="County codes within the bureau's jurisdiction; empty: all of it."
    )
    key_supervision_only: bool = False
    major_hazard_only: bool = False
    strata_by: str = Field(StrataBy.INDUSTRY, description="industry, region or industry_region.")
    default_ratio: int = Field(500, description="Per ten thousand: 500 is 5 %.")
    ratios: dict[str, int] = Field(
        {},
        description='"grade|level" (an empty side: not graded / unknown) to per ten thousand; '
        "it overrides the default ratio.",
    )
    recent_months: int = Field(0, description="Inspected within these months: see recent_factor.")
    recent_factor: int = Field(100, description="Their weight in percent; 0 leaves them out.")
    forced: list[str] = Field(
        [], description="Unified social credit codes drawn with certainty (e.g. the blacklist)."
    )
    inspectors_per_entity: int = 2
    avoid_own_county: bool = True
    max_per_inspector: int = 20


class RedoIn(DrawIn):
    redo_reason: str = Field(max_length=2000, description="Why the draw is redone; published.")


def _values(request: HttpRequest, payload: DrawIn) -> services.DrawValues:
    """The payload as the service's values; item ids become the caller's own active items, and
    an id that is not one of them is refused by name (another bureau's id reads as unknown)."""
    ids = list(dict.fromkeys(payload.items))
    own = getattr(request.user, "bureau_id", None)
    found = selectors.random_check_items(request.user).filter(pk__in=ids, is_active=True)
    by_pk = {rc.pk: rc for rc in found if rc.bureau_id == own}
    unknown = [str(pk) for pk in ids if pk not in by_pk]
    if unknown:
        raise ServiceError.for_field(
            "items",
            _("Not an active random-check item of your bureau: %(ids)s")
            % {"ids": ", ".join(unknown)},
        )
    fields = payload.dict(exclude={"items", "redo_reason"})
    return services.DrawValues(items=[by_pk[pk] for pk in ids], **fields)


@router.post("/draws", response={201: DrawOut, **ERRORS})
def draw_create(request: HttpRequest, payload: DrawIn) -> Any:
    """Configure a draw of the caller's bureau (a draft: nothing is frozen until the commit)."""
    require_capability(request, Capability.DRAWS_MANAGE)
    draw = services.draw_create(
        actor=request.user,
        bureau=getattr(request.user, "bureau", None),
        values=_values(request, payload),
        source=AuditSource.API,
    )
    return Status(201, _draw(request, draw.pk))


@router.post("/draws/{draw_id}/redo", response={201: DrawOut, **ERRORS})
def draw_redo(request: HttpRequest, draw_id: int, payload: RedoIn) -> Any:
    """A new draw that redoes a committed or drawn one and says why; both stay published (no
    silent re-draw: the first is never edited or deleted)."""
    require_capability(request, Capability.DRAWS_MANAGE)
    first = _draw(request, draw_id)
    draw = services.draw_create(
        actor=request.user,
        bureau=getattr(request.user, "bureau", None),
        values=_values(request, payload),
        redo_of=first,
        redo_reason=payload.redo_reason,
        source=AuditSource.API,
    )
    return Status(201, _draw(request, draw.pk))


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


class RunIn(InputSchema):
    over_limit_reason: str = Field(
        "",
        max_length=2000,
        description="Required when the drawn entities' tasks go beyond their yearly inspection "
        "limit (400 naming this field otherwise; run again with it: the draw is the same).",
    )


@router.post("/draws/{draw_id}/run", response={200: DrawOut, **ERRORS})
def draw_run(request: HttpRequest, draw_id: int, payload: RunIn) -> Any:
    """Reveal the secret, draw, assign inspectors and make the tasks; once only."""
    require_capability(request, Capability.DRAWS_MANAGE)
    draw = _draw(request, draw_id)
    services.draw_run(
        actor=request.user,
        draw=draw,
        over_limit_reason=payload.over_limit_reason,
        source=AuditSource.API,
    )
    return _draw(request, draw_id)


class AbandonIn(InputSchema):
    reason: str = Field(max_length=2000)


@router.post("/draws/{draw_id}/abandon", response={200: DrawOut, **ERRORS})
def draw_abandon(request: HttpRequest, draw_id: int, payload: AbandonIn) -> Any:
    """Give up a draft that was never committed (recorded; nothing about it was public). A
    committed draw is never abandoned: it is redone."""
    require_capability(request, Capability.DRAWS_MANAGE)
    draw = _draw(request, draw_id)
    services.draw_abandon(
        actor=request.user, draw=draw, reason=payload.reason, source=AuditSource.API
    )
    return _draw(request, draw_id)
