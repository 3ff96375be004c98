"""Pages for login, the per-role home page, bureaus, users and certificates. Thin: parse, call
one service or selector, render."""

from __future__ import annotations

from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts import otp, selectors, services
from anjian.accounts.forms import (
    BureauDocumentDetailsForm,
    CertificateForm,
    LoginForm,
    OtpTokenForm,
    PasswordChangeForm,
    RevokeForm,
    RolesForm,
    UserCreateForm,
)
from anjian.accounts.home import home_panels
from anjian.accounts.models import CertificateStatus
from anjian.accounts.roles import Capability, Role
from anjian.core import selectors as core_selectors
from anjian.core.abbreviations import bureau_abbreviation
from anjian.core.errors import ServiceError
from anjian.core.models import RegionLevel
from anjian.core.web import capability_required, form_apply_service_error, htmx_partial, paginate


class AnjianLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def root(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One home page whose sections follow the user's roles."""
    user: Any = request.user  # login_required: a User
    context: dict[str, object] = {
        "my_certificates": selectors.certificate_list(user=user, holder=user)
        if user.is_authenticated
        else [],
        "is_inspector": user.has_role(Role.INSPECTOR),
    }
    if user.can(Capability.USERS_VIEW) or user.has_role(Role.BUREAU_LEADER):
        context["summary"] = selectors.scope_summary(user=user)
        context["expiring"] = selectors.certificate_list(user=user, status="expiring")[:10]
    context["panels"] = home_panels(user)
    # The audit administrator's desk is the trail; leaders and reviewers read it from its page.
    if user.has_role(Role.AUDITOR) and user.can(Capability.AUDIT_VIEW):
        context["recent_events"] = core_selectors.audit_event_list(user=user)[:10]
        context["chain_head"] = core_selectors.audit_chain_head()
    return render(request, "accounts/home.html", context)


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and not form.is_valid() and form.has_error("old_password"):
        # A wrong current password counts as a failed login: whoever holds a session may not
        # guess the password without limit, and at the limit the account locks as at login.
        if services.password_check_failed(user=request.user, request=request):  # type: ignore[arg-type]
            logout(request)
            return render(request, "accounts/locked_out.html", status=429)
    elif request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                new_password=form.cleaned_data["new_password1"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


def _otp_locked(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "accounts/locked_out.html", status=429)


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol a phone: the key as a QR code drawn here and as text, confirmed by a first code."""
    user: Any = request.user
    if otp.otp_device(user) is not None:
        return redirect(
            f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = otp.otp_enrolment_device(user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.otp_enrol_confirm(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Second factor enrolled."))
            return redirect(_next_url(request))
        if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
            return _otp_locked(request)
        form.add_error("token", _("The code is wrong or has expired. Enter the current code."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
            "secret": otp.otp_secret_text(device),
            "next": _next_url(request),
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if otp.otp_device(user) is None:
        return redirect(
            f"{reverse('accounts:otp_enrol')}?{urlencode({'next': _next_url(request)})}"
        )
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.otp_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
            return _otp_locked(request)
        form.add_error("token", _("The code is wrong or has expired. Enter the current code."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
@capability_required(Capability.USERS_MANAGE)
def user_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk)
    try:
        otp.user_otp_reset(actor=request.user, user=target)  # type: ignore[arg-type]
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Second factor reset: the user enrols a phone again at the next login.")
        )
    return redirect("accounts:user_detail", pk=target.pk)


@capability_required(Capability.BUREAUS_VIEW)
def bureau_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.bureau_list(user=request.user, level=level, q=q))
    template = (
        "accounts/_bureau_rows.html" if htmx_partial(request) else "accounts/bureau_list.html"
    )
    return render(
        request,
        template,
        {"page": page, "level": level, "q": q, "levels": RegionLevel.choices},
    )


@capability_required(Capability.BUREAUS_VIEW)
def bureau_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bureau = selectors.bureau_get(user=request.user, pk=pk)
    return render(
        request,
        "accounts/bureau_detail.html",
        {
            "bureau": bureau,
            "abbreviation": bureau_abbreviation(bureau),
            "divisions": selectors.division_list(user=request.user, bureau=bureau),
            "users": selectors.user_list(user=request.user, bureau_id=bureau.pk)
            if request.user.can(Capability.USERS_VIEW)  # type: ignore[union-attr]
            else None,
            "can_manage": request.user.can(Capability.USERS_MANAGE),  # type: ignore[union-attr]
        },
    )


@capability_required(Capability.USERS_MANAGE)
def bureau_document_details(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau's details its enforcement documents print (address, telephone, where fines
    are paid, reconsideration organ, court)."""
    bureau = selectors.bureau_get(user=request.user, pk=pk)
    names = services.BUREAU_DOCUMENT_DETAILS
    form = BureauDocumentDetailsForm(
        request.POST or None,
        initial={k: getattr(bureau, k) for k in names}
        | {"document_abbreviation": bureau_abbreviation(bureau)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bureau_document_details_set(
                actor=request.user, bureau=bureau, **form.cleaned_data
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The document details have been saved."))
            return redirect("accounts:bureau_detail", pk=bureau.pk)
    return render(
        request, "accounts/bureau_document_details.html", {"form": form, "bureau": bureau}
    )


@capability_required(Capability.USERS_VIEW)
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    page = paginate(request, selectors.user_list(user=request.user, q=q, role=role))
    template = "accounts/_user_rows.html" if htmx_partial(request) else "accounts/user_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
            "can_manage": request.user.can(Capability.USERS_MANAGE),  # type: ignore[union-attr]
        },
    )


@capability_required(Capability.USERS_VIEW)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "certificates": selectors.certificate_list(user=request.user, holder=target),
            "roles_form": RolesForm(initial={"roles": sorted(target.role_codes)}),
            "can_manage": request.user.can(Capability.USERS_MANAGE),  # type: ignore[union-attr]
            "has_otp": otp.otp_device(target) is not None,
        },
    )


@capability_required(Capability.USERS_MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                full_name=data["full_name"],
                bureau=data["bureau"],
                division=data["division"],
                roles=data["roles"],
                phone=data["phone"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": created})
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@require_POST
@capability_required(Capability.USERS_MANAGE)
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            services.user_roles_set(
                actor=request.user, user=target, roles=form.cleaned_data["roles"]
            )
        except ServiceError as exc:
            messages.error(
                request,
                "; ".join(str(m) for ms in exc.fields.values() for m in ms) or str(exc.message),
            )
        else:
            messages.success(request, _("Roles saved."))
    return redirect("accounts:user_detail", pk=target.pk)


@require_POST
@capability_required(Capability.USERS_MANAGE)
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=target, active=active)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))
    return redirect("accounts:user_detail", pk=target.pk)


@capability_required(Capability.USERS_VIEW)
def certificate_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(request, selectors.certificate_list(user=request.user, status=status))
    return render(
        request,
        "accounts/certificate_list.html",
        {"page": page, "status": status, "statuses": CertificateStatus.choices},
    )


@capability_required(Capability.USERS_MANAGE)
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    holder = selectors.user_get(user=request.user, pk=pk)
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_issue(actor=request.user, holder=holder, **form.cleaned_data)
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("Certificate recorded."))
            return redirect("accounts:user_detail", pk=holder.pk)
    return render(request, "accounts/certificate_form.html", {"form": form, "holder": holder})


@capability_required(Capability.USERS_MANAGE)
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(user=request.user, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                actor=request.user, certificate=cert, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("Certificate revoked."))
            return redirect("accounts:user_detail", pk=cert.holder_id)
    return render(request, "accounts/certificate_revoke.html", {"form": form, "cert": cert})
