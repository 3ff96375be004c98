"""Request hygiene shared by every page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from anjian.core.api_support import error_body


class ChineseByDefaultMiddleware:
    """The interface is Chinese unless the user chose otherwise (the language cookie).

    Officers' browsers are often installed in English; following Accept-Language would show
    them an English platform they never asked for. Runs before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulMiddleware:
    """Refuse NUL characters: in the path as 404 (no page or record has one in its address), in
    query strings and form fields with a clear 400.

    PostgreSQL cannot store or even compare text containing NUL, so such input would otherwise
    surface as a server error deep inside a query (`/portal/catalog/%00/` looked a code up).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("not_found", "Not found."), status=404)
            raise Http404
        if not request.path.startswith("/api/"):  # the API answers in its own error shape
            for params in (request.GET, request.POST):
                for key, values in params.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        return HttpResponseBadRequest(
                            "请求中含有非法字符（NUL）。 The request contains a NUL character.",
                            content_type="text/plain; charset=utf-8",
                        )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A content security policy and the security headers Django does not set, on every response
    (pages, the API, its /api/docs, static files served through the application).

    The policy allows this server only: scripts from /static/ (no inline script, no eval), styles
    from /static/ plus inline `style="…"` attributes (layout widths on a few cards, a progress
    bar's width, and Swagger UI's own), images from here and `data:` (Swagger UI's icons), and no
    framing. A response that sets its own policy (the sandboxed evidence download) keeps it.
    Django itself sets X-Content-Type-Options, Referrer-Policy, X-Frame-Options and
    Cross-Origin-Opener-Policy (settings.py); they are checked together in
    tests/core/test_security_headers.py."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for header, value in settings.ANJIAN_SECURITY_HEADERS.items():
            if header not in response:
                response[header] = value
        return response
