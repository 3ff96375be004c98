"""The JSON API: one NinjaAPI, one router per app, one error shape.

Errors always read {"error": {"code": ..., "message": ..., "fields": {...}}}; the codes are
stable (validation_error, unauthorized, forbidden, not_found, conflict, invalid, server_error).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from anjian import __version__
from anjian.core.api_support import AUTH, error_body
from anjian.core.errors import ServiceError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="anjian API",
    version=__version__,
    description="安监 Internet + Supervision platform. Session or bearer-token authentication; "
    "every list is limited to the caller's jurisdiction.",
    auth=AUTH,
    urls_namespace="api",
    # Swagger UI from /static/ninja/ ("ninja" is in INSTALLED_APPS), and no validator badge,
    # which would call validator.swagger.io: an intranet reaches no other host.
    docs=Swagger(settings={"validatorUrl": None}),
)

_STATUS_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "throttled",
}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "request", []).append(str(err.get("msg", "invalid")))
    body = error_body("validation_error", "The request has invalid fields.", fields)
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = error_body("unauthorized", "Log in or send a valid bearer token.")
    return api.create_response(request, body, status=401)


@api.exception_handler(AuthorizationError)
def _authz(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return api.create_response(request, error_body("forbidden", str(exc)), status=403)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _STATUS_CODES.get(exc.status_code, "error")
    return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "Not found."), status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    body = error_body("forbidden", "Your role does not permit this.")
    return api.create_response(request, body, status=403)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    body = error_body(exc.code, exc.message, exc.fields)
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled API error", exc_info=exc)
    body = error_body("server_error", "Internal error; it has been logged.")
    return api.create_response(request, body, status=500)


def _register() -> None:
    from anjian.accounts.api import router as accounts_router
    from anjian.auditlog.api import router as auditlog_router
    from anjian.cases.api import router as cases_router
    from anjian.complaints.api import router as complaints_router
    from anjian.core.api import router as core_router
    from anjian.draws.api import router as draws_router
    from anjian.entities.api import router as entities_router
    from anjian.inspections.api import router as inspections_router
    from anjian.plans.api import router as plans_router
    from anjian.publications.api import router as publications_router

    api.add_router("/", accounts_router)
    api.add_router("/", core_router)
    api.add_router("/", auditlog_router)
    api.add_router("/", draws_router)
    api.add_router("/", cases_router)
    api.add_router("/", complaints_router)
    api.add_router("/", entities_router)
    api.add_router("/", inspections_router)
    api.add_router("/", plans_router)
    api.add_router("/", publications_router)


_register()
