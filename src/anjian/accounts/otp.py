"""The second factor for staff: TOTP (RFC 6238) through django-otp, docs/security.md.

Who is asked: every user holding a role in `ANJIAN_OTP_REQUIRED_ROLES` (default: the system
administrator, the audit administrator and the legal reviewer; "all" for every staff role),
superusers, and anyone who enrolled a device of their own accord. After the password, such a
user reaches nothing but the second-factor pages until a code is accepted in this session
(`SecondFactorMiddleware`); the session API refuses the session too. A wrong code counts as a
failed login (django-axes, the audit trail), so the fifth in a row locks the account as at the
login page, on top of django-otp's own growing delay after each wrong code.

Enrolment: a required user without a confirmed device is sent to enrol after the password. The
page makes an unconfirmed device, shows its key as a QR code drawn here (segno; nothing leaves
the server) and as text, and confirms the device when the first code from the phone matches.
Recovery: an administrator resets the user's second factor (all devices deleted, audited); the
user enrols again at the next login.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from anjian.accounts.models import User
from anjian.accounts.roles import STAFF_ROLES
from anjian.core.errors import NotPermitted
from anjian.core.services import AuditSource, audit_record

DEVICE_NAME = "TOTP"


def _required_roles() -> frozenset[str]:
    configured = {r.strip() for r in settings.ANJIAN_OTP_REQUIRED_ROLES if r.strip()}
    if "all" in configured:
        return frozenset(str(r) for r in STAFF_ROLES)
    return frozenset(configured)


SESSION_ENROLLED = "anjian_otp_enrolled"


def otp_required(user: Any, session: Any = None) -> bool:
    """Must this user give a code after the password? By role, or because they enrolled a
    phone; whether they did is remembered in the session (one query per login, not per page)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.role_codes & _required_roles():
        return True
    enrolled = session.get(SESSION_ENROLLED) if session is not None else None
    if enrolled is None:
        enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if session is not None:
            session[SESSION_ENROLLED] = enrolled
    return bool(enrolled)


def otp_pending(request: Any) -> bool:
    """Logged in by password, but the second factor this user needs is not given yet."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not otp_required(user, getattr(request, "session", None)):
        return False
    verified = getattr(user, "is_verified", None)
    return not (verified is not None and verified())


def otp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on the first visit, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def otp_secret_text(device: TOTPDevice) -> str:
    """The key in Base32, grouped by four, for typing into an app by hand."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _region(user: User) -> str:
    return user.scope_region_code or ""


def otp_enrol_confirm(*, request: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm an enrolment with the first code from the phone; the session is then verified."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise NotPermitted()
    if not device.verify_token(token.strip()):
        otp_failed(request=request, user=user)
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(
            actor=user,
            action="accounts.otp.enrolled",
            obj=user,
            region=_region(user),
            changes={"device": device.pk},
            source=AuditSource.WEB,
        )
    otp_login(request, device)
    request.session[SESSION_ENROLLED] = True
    return True


def otp_verify(*, request: Any, token: str) -> bool:
    """Check a code at login. A wrong one counts as a failed login."""
    user = request.user
    device = otp_device(user)
    if device is None or not device.verify_token(token.strip()):
        otp_failed(request=request, user=user)
        return False
    otp_login(request, device)
    audit_record(
        actor=user,
        action="accounts.otp.verified",
        obj=user,
        region=_region(user),
        changes={"device": device.pk},
        source=AuditSource.WEB,
    )
    return True


def otp_failed(*, request: Any, user: User) -> bool:
    """A wrong code: counted by django-axes and audited as a failed login (purpose
    second_factor). True when the account is now locked."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth.signals import user_login_failed

    credentials = {"username": user.get_username(), "purpose": "second_factor"}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return bool(AxesProxyHandler.is_locked(request, credentials))


@transaction.atomic
def user_otp_reset(*, actor: User, user: User, source: str = AuditSource.WEB) -> int:
    """Recovery for a lost phone: delete the user's devices; they enrol again at next login."""
    from anjian.accounts.roles import Capability

    if not actor.can(Capability.USERS_MANAGE):
        raise NotPermitted()
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="accounts.otp.reset",
        obj=user,
        region=_region(user),
        changes={"username": user.get_username(), "devices": count},
        source=source,
    )
    return count
