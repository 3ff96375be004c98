"""What every API router shares: authentication, the one error shape, keyset pagination."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.security import HttpBearer, SessionAuth
from pydantic import field_validator

from anjian.core.errors import NotPermitted, ServiceError


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer anj_…` with a token made by `anjian token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from anjian.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Django's session login, with CSRF checked on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from anjian.accounts.otp import otp_pending

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            # A session still waiting for its second factor is not logged in for the API.
            return None if otp_pending(request) else user
        return None


AUTH = [BearerTokenAuth(), ActiveSessionAuth()]


def require_capability(request: HttpRequest, capability: Any) -> None:
    """The API's role check (pages use core.web.capability_required): 403 in the error shape."""
    if not request.user.can(capability):  # type: ignore[union-attr]
        raise NotPermitted()


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


class InputSchema(Schema):
    """Base of every request schema (body and query): text that the database can store.

    PostgreSQL refuses NUL characters in text, even in a WHERE clause; without this check a
    NUL in any field or filter is a 500 there instead of a 422 (Django's forms refuse it too).
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("Null characters are not allowed.")
        return value


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


def error_body(code: str, message: Any, fields: dict[str, list[Any]] | None = None) -> dict:
    return {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()},
        }
    }


class InvalidCursor(ServiceError):
    code = "invalid_cursor"


def _invalid_cursor() -> InvalidCursor:
    return InvalidCursor(
        "Invalid cursor.", fields={"cursor": ["Use the next_cursor of the previous page."]}
    )


def _decode_cursor(cursor: str) -> int | str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["k"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise _invalid_cursor() from None
    if not isinstance(value, int | str):
        raise _invalid_cursor()
    return value


def _encode_cursor(value: Any) -> str:
    raw = json.dumps({"k": value}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def keyset_page(
    queryset: QuerySet[Any],
    *,
    cursor: str | None,
    limit: int,
    key: str = "pk",
    descending: bool = False,
) -> dict[str, Any]:
    """One page ordered by a unique key, resumed after the cursor: constant cost at any depth.

    Offset pagination reads and discards every row before the page; on a million-row table
    page 10,000 costs as much as reading the table. A cursor carries the last key seen.
    """
    limit = max(1, min(limit, settings.ANJIAN_API_PAGE_MAX))
    qs = queryset.order_by(f"-{key}" if descending else key)
    if cursor:
        last = _decode_cursor(cursor)
        try:  # a well-formed cursor may still carry a value of the wrong type for the key
            qs = qs.filter(**{f"{key}__lt" if descending else f"{key}__gt": last})
        except (ValueError, TypeError, DjangoValidationError):
            raise _invalid_cursor() from None
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(getattr(rows[-1], key)) if more and rows else None
    return {"items": rows, "next_cursor": next_cursor}
