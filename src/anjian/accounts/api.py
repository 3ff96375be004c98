"""API for the current user, bureaus, users and enforcement certificates."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from anjian.accounts import selectors, services
from anjian.accounts.models import Bureau, Division, EnforcementCertificate, User
from anjian.accounts.roles import Capability
from anjian.core.api_support import ErrorOut, InputSchema, keyset_page, require_capability
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.services import AuditSource

router = Router(tags=["accounts"])
ERRORS: dict[int | frozenset[int], Any] = {frozenset({400, 401, 403, 404, 409, 422}): ErrorOut}


def _max_length(model: Any, field: str) -> int:
    """The column's length: longer text would be a 500 on PostgreSQL (SQLite stores it)."""
    return int(model._meta.get_field(field).max_length)


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    bureau: str | None
    region_code: str | None
    roles: list[str]
    capabilities: list[str]

    @staticmethod
    def resolve_bureau(obj: Any) -> str | None:
        return obj.bureau.name if obj.bureau_id else None

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.scope_region_code

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return sorted(obj.role_codes)

    @staticmethod
    def resolve_capabilities(obj: Any) -> list[str]:
        return sorted(str(c) for c in obj.capabilities)


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    return request.user


class BureauOut(Schema):
    id: int
    name: str
    short_name: str
    region_code: str
    level: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj: Any) -> str:
        return obj.region_id


class BureauPage(Schema):
    items: list[BureauOut]
    next_cursor: str | None


class PageQuery(InputSchema):
    cursor: str | None = None
    limit: int = 50


class BureauQuery(PageQuery):
    level: str | None = None


@router.get("/bureaus", response={200: BureauPage, **ERRORS})
def bureau_list(request: HttpRequest, query: Query[BureauQuery]) -> Any:
    require_capability(request, Capability.BUREAUS_VIEW)
    qs = selectors.bureau_list(user=request.user, level=query.level or "")
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/bureaus/{bureau_id}", response={200: BureauOut, **ERRORS})
def bureau_get(request: HttpRequest, bureau_id: int) -> Any:
    require_capability(request, Capability.BUREAUS_VIEW)
    return selectors.bureau_get(user=request.user, pk=bureau_id)


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    bureau_id: int | None
    division_id: int | None
    region_code: str | None
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.scope_region_code

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return sorted(r.role for r in obj.role_assignments.all())


class UserPage(Schema):
    items: list[UserOut]
    next_cursor: str | None


class UserQuery(PageQuery):
    q: str | None = None
    role: str | None = None


@router.get("/users", response={200: UserPage, **ERRORS})
def user_list(request: HttpRequest, query: Query[UserQuery]) -> Any:
    require_capability(request, Capability.USERS_VIEW)
    qs = selectors.user_list(user=request.user, q=query.q or "", role=query.role or "")
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def user_get(request: HttpRequest, user_id: int) -> Any:
    require_capability(request, Capability.USERS_VIEW)
    return selectors.user_get(user=request.user, pk=user_id)


class UserIn(InputSchema):
    username: str = Field(max_length=_max_length(User, "username"))
    password: str
    full_name: str = Field("", max_length=_max_length(User, "full_name"))
    bureau_id: int
    division_id: int | None = None
    roles: list[str] = []
    phone: str = Field("", max_length=_max_length(User, "phone"))


@router.post("/users", response={201: UserOut, **ERRORS})
def user_create(request: HttpRequest, payload: UserIn) -> Any:
    require_capability(request, Capability.USERS_MANAGE)
    bureau = get_visible_or_404(Bureau.objects, request.user, pk=payload.bureau_id)
    division = None
    if payload.division_id is not None:
        division = Division.objects.visible_to(request.user).filter(pk=payload.division_id).first()
        if division is None:
            raise ServiceError.for_field("division_id", "Unknown division.")
    user = services.user_create(
        actor=request.user,
        username=payload.username,
        password=payload.password,
        full_name=payload.full_name,
        bureau=bureau,
        division=division,
        roles=payload.roles,
        phone=payload.phone,
        source=AuditSource.API,
    )
    return Status(201, user)


class CertificateOut(Schema):
    id: int
    holder_id: int
    number: str
    issued_by: str
    valid_from: datetime.date
    valid_until: datetime.date
    specialties: list[str]
    status: str
    revoked_at: datetime.datetime | None

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.status)


class CertificatePage(Schema):
    items: list[CertificateOut]
    next_cursor: str | None


class CertificateQuery(PageQuery):
    status: str | None = None


@router.get("/certificates", response={200: CertificatePage, **ERRORS})
def certificate_list(request: HttpRequest, query: Query[CertificateQuery]) -> Any:
    require_capability(request, Capability.USERS_VIEW)
    qs = selectors.certificate_list(user=request.user, status=query.status or "")
    return keyset_page(qs, cursor=query.cursor, limit=query.limit, key="id")


@router.get("/certificates/{certificate_id}", response={200: CertificateOut, **ERRORS})
def certificate_get(request: HttpRequest, certificate_id: int) -> Any:
    require_capability(request, Capability.USERS_VIEW)
    return selectors.certificate_get(user=request.user, pk=certificate_id)


class CertificateIn(InputSchema):
    number: str = Field(max_length=_max_length(EnforcementCertificate, "number"))
    issued_by: str = Field(max_length=_max_length(EnforcementCertificate, "issued_by"))
    valid_from: datetime.date
    valid_until: datetime.date
    specialties: list[str]


@router.post("/users/{user_id}/certificates", response={201: CertificateOut, **ERRORS})
def certificate_issue(request: HttpRequest, user_id: int, payload: CertificateIn) -> Any:
    require_capability(request, Capability.USERS_MANAGE)
    holder = selectors.user_get(user=request.user, pk=user_id)
    cert = services.certificate_issue(
        actor=request.user, holder=holder, source=AuditSource.API, **payload.dict()
    )
    return Status(201, cert)


class RevokeIn(InputSchema):
    reason: str = Field(max_length=_max_length(EnforcementCertificate, "revoked_reason"))


@router.post("/certificates/{certificate_id}/revoke", response={200: CertificateOut, **ERRORS})
def certificate_revoke(request: HttpRequest, certificate_id: int, payload: RevokeIn) -> Any:
    require_capability(request, Capability.USERS_MANAGE)
    cert = selectors.certificate_get(user=request.user, pk=certificate_id)
    return services.certificate_revoke(
        actor=request.user, certificate=cert, reason=payload.reason, source=AuditSource.API
    )
