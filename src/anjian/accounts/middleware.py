"""Send a user whose password is older than the limit (90 days by default) to change it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from anjian.accounts.selectors import user_password_expired

_EXEMPT_PREFIXES = ("/static/", "/api/", "/accounts/password/", "/accounts/logout/", "/i18n/")


class PasswordExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        max_age = settings.ANJIAN_PASSWORD_MAX_AGE_DAYS
        if (
            max_age
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ) and user_password_expired(user):
            messages.warning(
                request,
                _("Your password is older than %(days)d days. Please set a new one.")
                % {"days": max_age},
            )
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)


_OTP_EXEMPT_PREFIXES = ("/static/", "/api/", "/accounts/otp/", "/accounts/logout/", "/i18n/")


class SecondFactorMiddleware:
    """After the password, a user who needs a second factor (accounts/otp.py) reaches only the
    second-factor pages until a code is accepted: enrolment when there is no device yet, the
    code page otherwise. The API answers such a session 401 itself (core.api_support)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from anjian.accounts.otp import otp_device, otp_pending

        if not request.path.startswith(_OTP_EXEMPT_PREFIXES) and otp_pending(request):
            page = "accounts:otp_verify" if otp_device(request.user) else "accounts:otp_enrol"  # type: ignore[arg-type]
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
