"""API for market entities: list and search, the entity profile by credit code, registration."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.services import AuditSource
from anjian.entities import selectors, services
from anjian.entities.timeline import entity_timeline
from anjian.entities.validation import GRADE_NOT_TYPED, EntityValues

router = Router(tags=["entities"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


class EntityOut(Schema):
    uscc: str
    name: str
    former_names: list[str]
    industry: str
    sub_sector: str
    region_code: str
    region_name: str
    address: str
    business_status: str
    scale: str
    established_on: datetime.date | None
    key_supervision: bool
    new_business_form: bool
    observation_start: datetime.date | None
    observation_end: datetime.date | None
    major_hazard_source: bool
    credit_grade: str = Field(description="A, B, C or D; empty: not graded yet.")
    risk_level: str = Field(description="major, significant, general or low; empty: unknown.")
    standardisation_grade: str = Field(
        description="安全生产标准化等级: level_1, level_2 or level_3; empty: not up to standard "
        "or not rated."
    )

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        parent = obj.region.parent.name if obj.region.parent_id else ""
        return parent + obj.region.name


class LicenceOut(Schema):
    licence_type: str
    number: str
    issuing_authority: str
    scope: str
    valid_from: datetime.date | None
    valid_until: datetime.date
    status: str


class FilingOut(Schema):
    activity: str
    number: str
    authority: str
    filed_on: datetime.date
    valid_until: datetime.date | None


class TimelineOut(Schema):
    when: datetime.date
    kind: str
    label: str
    title: str
    detail: str
    url: str


class EntityProfileOut(EntityOut):
    """The entity with what the profile adds; the view puts those on `obj.profile`."""

    legal_representative: str
    licences: list[LicenceOut]
    filings: list[FilingOut]
    missing_filings: list[str]
    timeline: list[TimelineOut]

    @staticmethod
    def resolve_legal_representative(obj: Any) -> str:
        return str(obj.profile["legal_representative"])

    @staticmethod
    def resolve_licences(obj: Any) -> Any:
        return obj.profile["licences"]

    @staticmethod
    def resolve_filings(obj: Any) -> Any:
        return obj.profile["filings"]

    @staticmethod
    def resolve_missing_filings(obj: Any) -> Any:
        return obj.profile["missing_filings"]

    @staticmethod
    def resolve_timeline(obj: Any) -> Any:
        return obj.profile["timeline"]


class EntityPage(Schema):
    items: list[EntityOut]
    next_cursor: str | None


class EntityQuery(InputSchema):
    q: str = Field("", max_length=100, description="Any part of the name or the credit code.")
    industry: str = ""
    region: str = Field("", max_length=6)
    status: str = ""
    key_supervision: bool = False
    major_hazard_source: bool = False
    new_business_form: bool = False
    licence_expiring_days: int | None = Field(None, ge=1, le=3650)
    credit_grade: str = Field("", description="A, B, C or D.")
    risk_level: str = Field("", description="major, significant, general or low.")
    cursor: str | None = None
    limit: int = 50


@router.get("/entities", response={200: EntityPage, **ERRORS})
def entity_list(request: HttpRequest, query: Query[EntityQuery]) -> Any:
    require_capability(request, Capability.ENTITIES_VIEW)
    filters = selectors.EntityFilters(
        q=query.q,
        industry=query.industry,
        region=query.region if query.region.isdigit() else "",
        status=query.status,
        key_supervision=query.key_supervision,
        major_hazard_source=query.major_hazard_source,
        new_business_form=query.new_business_form,
        licence_expiring_days=query.licence_expiring_days,
        credit_grade=query.credit_grade,
        risk_level=query.risk_level,
    )
    qs = selectors.entity_list(user=request.user, filters=filters)
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/entities/{uscc}", response={200: EntityProfileOut, **ERRORS})
def entity_get(request: HttpRequest, uscc: str) -> Any:
    """The entity profile: registration, licences, filings and the timeline. The legal
    representative is masked unless the caller belongs to the owning bureau."""
    require_capability(request, Capability.ENTITIES_VIEW)
    entity = selectors.entity_profile_get(user=request.user, uscc=uscc[:18])
    entity.profile = {  # type: ignore[attr-defined]
        "legal_representative": selectors.legal_representative_shown(
            user=request.user, entity=entity
        ),
        # In the viewer's scope, prefetched with the entity (the timeline reads them too).
        "licences": list(entity.licences.all()),
        "filings": list(entity.filings.all()),
        "missing_filings": selectors.filing_missing_activities(entity),
        "timeline": entity_timeline(user=request.user, entity=entity),
    }
    return entity


class EntityIn(InputSchema):
    uscc: str = Field(max_length=24)
    name: str = Field(max_length=200)
    former_names: list[str] = []
    industry: str
    sub_sector: str = Field("", max_length=4)
    region_code: str = Field(max_length=6)
    address: str = Field("", max_length=300)
    legal_representative: str = Field("", max_length=64)
    business_status: str = "operating"
    scale: str = ""
    established_on: datetime.date | None = None
    key_supervision: bool = False
    new_business_form: bool = False
    observation_start: datetime.date | None = None
    observation_end: datetime.date | None = None
    major_hazard_source: bool = False
    credit_grade: str = Field(
        "",
        description="Not accepted: the credit grade is computed from the credit records; a "
        "grade set by hand is a credit override (reason, approver, end date). A value here is "
        "refused (400, field credit_grade).",
    )
    risk_level: str = Field("", description="major, significant, general or low; empty: unknown.")
    standardisation_grade: str = Field(
        "",
        description="安全生产标准化等级: level_1, level_2 or level_3; empty: not up to standard "
        "or not rated. Caps the yearly inspections of hazardous chemicals and metallurgy.",
    )


@router.post("/entities", response={201: EntityOut, **ERRORS})
def entity_create(request: HttpRequest, payload: EntityIn) -> Any:
    require_capability(request, Capability.ENTITIES_MANAGE)
    data = payload.dict()
    data["region_id"] = data.pop("region_code")
    if data.pop("credit_grade", ""):
        raise ServiceError.for_fields({"credit_grade": str(GRADE_NOT_TYPED)})
    entity = services.entity_create(
        actor=request.user, values=EntityValues(**data), source=AuditSource.API
    )
    return Status(201, selectors.entity_get(user=request.user, uscc=entity.uscc))
