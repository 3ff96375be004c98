"""Writes for organisations, users, roles, certificates, passwords and API tokens.

Every function checks the actor's role and scope, changes the data and appends the audit event
in one transaction. Views, the API, the admin and the CLI all call these.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts import selectors
from anjian.accounts.models import (
    ApiToken,
    Bureau,
    Division,
    EnforcementCertificate,
    PasswordHistory,
    RoleAssignment,
    User,
)
from anjian.accounts.roles import INCOMPATIBLE_ROLES, STAFF_ROLES, Capability, Role
from anjian.core import clock
from anjian.core.abbreviations import bureau_abbreviation, region_abbreviation
from anjian.core.choices import Industry
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require as _require
from anjian.core.guards import actor_require_region as _require_in_scope
from anjian.core.scope import ensure_visible
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record

TOKEN_PREFIX = "anj_"  # noqa: S105  (a prefix, not a secret)


@transaction.atomic
def bureau_create(
    *,
    actor: Any = SYSTEM_ACTOR,
    name: str,
    region_code: str,
    short_name: str = "",
    credit_code: str = "",
    source: str = AuditSource.SYSTEM,
) -> Bureau:
    from anjian.core.models import Region

    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ServiceError.for_field("region", _("Unknown region code."))
    if Bureau.objects.filter(name=name).exists():
        raise ServiceError.for_field("name", _("A bureau with this name already exists."))
    bureau = Bureau.objects.create(
        name=name,
        short_name=short_name,
        region=region,
        level=region.level,
        credit_code=credit_code,
    )
    audit_record(
        actor=actor,
        action="accounts.bureau.created",
        obj=bureau,
        region=region.code,
        changes={"name": name, "region": region.code, "level": region.level},
        source=source,
    )
    return bureau


# The bureau's details its enforcement documents print, in the order the pages show them.
BUREAU_DOCUMENT_DETAILS = ("address", "phone", "payment_place", "reconsideration_organ", "court")
_PHONE = re.compile(r"[0-9０-９()（）+\-－—/、，,\s]+")


_ABBREVIATION = re.compile(r"[\u4e00-\u9fff]{1,10}")


def _abbreviation_problem(bureau: Bureau, value: str) -> Any:
    """Why `value` cannot be the bureau's abbreviation (blank: its region's default), or None."""
    if value and not _ABBREVIATION.fullmatch(value):
        return _("Use one to ten Chinese characters, e.g. 晋朔平.")
    effective = value or region_abbreviation(bureau.region)
    for other in Bureau.objects.exclude(pk=bureau.pk).select_related("region", "region__parent"):
        if bureau_abbreviation(other) == effective:
            return _("%(bureau)s already uses the abbreviation %(value)s; choose another.") % {
                "bureau": other.name,
                "value": effective,
            }
    return None


@transaction.atomic
def bureau_document_details_set(
    *,
    actor: Any,
    bureau: Bureau,
    address: str,
    phone: str,
    payment_place: str,
    reconsideration_organ: str,
    court: str,
    document_abbreviation: str | None = None,
    source: str = AuditSource.WEB,
) -> Bureau:
    """Set what the bureau's documents print: office address, telephone, where fines are paid,
    the reconsideration organ, the court and, unless None, the abbreviation heading its
    document and case numbers (blank: the region's default). The bureau's administrator, or
    one above it. An abbreviation another bureau uses, as its own or as its default, is
    refused: two bureaus' numbers would read the same."""
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, bureau.region_id)
    values = {
        "address": address,
        "phone": phone,
        "payment_place": payment_place,
        "reconsideration_organ": reconsideration_organ,
        "court": court,
    }
    if document_abbreviation is not None:
        values["document_abbreviation"] = document_abbreviation
    values = {k: " ".join(str(v or "").split()) for k, v in values.items()}
    errors: dict[str, list[Any]] = {}
    if document_abbreviation is not None:
        problem = _abbreviation_problem(bureau, values["document_abbreviation"])
        if problem:
            errors["document_abbreviation"] = [problem]
        elif values["document_abbreviation"] == region_abbreviation(bureau.region):
            values["document_abbreviation"] = ""  # the default, kept as such
    for key, value in values.items():
        if len(value) > int(getattr(Bureau._meta.get_field(key), "max_length", 0) or 0):
            errors[key] = [_("This value is too long.")]
    digits = sum(ch.isdigit() for ch in values["phone"])
    if values["phone"] and (not _PHONE.fullmatch(values["phone"]) or digits < 7):
        errors["phone"] = [_("Enter a telephone number, e.g. 0349-6012345.")]
    if errors:
        raise ServiceError.for_fields(errors)
    locked = Bureau.objects.select_for_update().get(pk=bureau.pk)
    changes = {k: [getattr(locked, k), v] for k, v in values.items() if getattr(locked, k) != v}
    if not changes:
        return locked
    for key, value in values.items():
        setattr(locked, key, value)
    try:
        with transaction.atomic():
            locked.save(update_fields=list(changes))
    except IntegrityError as exc:  # another bureau took the abbreviation meanwhile
        raise ServiceError.for_field(
            "document_abbreviation", _("Another bureau already uses this abbreviation.")
        ) from exc
    audit_record(
        actor=actor,
        action="accounts.bureau.document_details_changed",
        obj=locked,
        region=locked.region_id,
        changes=changes,
        source=source,
    )
    return locked


@transaction.atomic
def division_create(
    *, actor: Any = SYSTEM_ACTOR, bureau: Bureau, name: str, source: str = AuditSource.SYSTEM
) -> Division:
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, bureau.region_id)
    if Division.objects.filter(bureau=bureau, name=name).exists():
        raise ServiceError.for_field("name", _("This bureau already has a division of this name."))
    division = Division.objects.create(bureau=bureau, name=name)
    audit_record(
        actor=actor,
        action="accounts.division.created",
        obj=division,
        region=bureau.region_id,
        changes={"bureau": bureau.pk, "name": name},
        source=source,
    )
    return division


def _validate_roles(
    roles: list[str], *, bureau: Bureau | None, enterprise_activation: bool = False
) -> list[str]:
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ServiceError.for_field("roles", _("Unknown role: %s") % ", ".join(unknown))
    if Role.ENTERPRISE in roles and not enterprise_activation:
        # An enterprise account exists only through an invitation the bureau issued for its
        # entity (enterprise app, `enterprise_account_create`): never granted by hand.
        raise ServiceError.for_field(
            "roles",
            _("An enterprise account is created only by activating an invitation for its entity."),
        )
    if bureau is None and any(r in STAFF_ROLES for r in roles):
        raise ServiceError.for_field("bureau", _("Staff roles need a bureau."))
    if Role.ENTERPRISE in roles and len(set(roles)) > 1:
        raise ServiceError.for_field("roles", _("An enterprise account cannot hold staff roles."))
    for pair in INCOMPATIBLE_ROLES:
        if pair <= set(roles):
            raise ServiceError.for_field(
                "roles",
                _("The system administrator and the audit administrator must be different people."),
            )
    return sorted(set(roles))


def _validate_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(
            _("The password does not meet the rules."), fields={"password": list(exc.messages)}
        ) from None


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    full_name: str = "",
    bureau: Bureau | None = None,
    division: Division | None = None,
    roles: list[str] | None = None,
    phone: str = "",
    email: str = "",
    source: str = AuditSource.WEB,
) -> User:
    _require(actor, Capability.USERS_MANAGE)
    if bureau is not None:
        _require_in_scope(actor, bureau.region_id)
    elif not isinstance(actor, Actor) and not actor.is_superuser:
        # Only the platform operator creates accounts outside any bureau (enterprise users
        # come with the entity registry).
        raise ServiceError.for_field("bureau", _("Choose a bureau."))
    if division is not None and division.bureau_id != (bureau.pk if bureau else None):
        raise ServiceError.for_field("division", _("The division does not belong to the bureau."))
    username = username.strip()
    if not username:
        raise ServiceError.for_field("username", _("Enter a user name."))
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError.for_field("username", _("This user name is already taken."))
    role_list = _validate_roles(roles or [], bureau=bureau)
    user = User(
        username=username,
        full_name=full_name,
        bureau=bureau,
        division=division,
        phone=phone,
        email=email,
        is_staff=Role.ADMINISTRATOR in role_list,
    )
    if password is None:
        # The account exists (e.g. in the inspector pool) but cannot log in until an
        # administrator sets a password.
        user.set_unusable_password()
    else:
        _validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = clock.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ServiceError.for_field("username", _("This user name is already taken.")) from None
    if password is not None:
        PasswordHistory.objects.create(user=user, password=user.password)
    for role in role_list:
        RoleAssignment.objects.create(user=user, role=role)
    if not isinstance(actor, Actor) and role_list:
        ensure_visible(user, actor)
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        region=user.scope_region_code or "",
        changes={
            "username": username,
            "full_name": full_name,
            "bureau": bureau.pk if bureau else None,
            "division": division.pk if division else None,
            "roles": role_list,
        },
        source=source,
    )
    return user


@transaction.atomic
def enterprise_account_create(
    *,
    actor: Any,
    username: str,
    password: str,
    phone: str,
    full_name: str = "",
    source: str = AuditSource.WEB,
) -> User:
    """An enterprise user's account, with the enterprise role and nothing else, no bureau.
    Only the enterprise app's activation of an invitation calls this (it binds the account to
    the invitation's entity in the same transaction); `actor` is who the trail names (the
    invitation's activation). The password follows the staff rules."""
    username = username.strip()
    if not username:
        raise ServiceError.for_field("username", _("Enter a user name."))
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError.for_field("username", _("This user name is already taken."))
    role_list = _validate_roles([Role.ENTERPRISE], bureau=None, enterprise_activation=True)
    user = User(username=username, full_name=full_name, phone=phone)
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = clock.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ServiceError.for_field("username", _("This user name is already taken.")) from None
    PasswordHistory.objects.create(user=user, password=user.password)
    RoleAssignment.objects.create(user=user, role=Role.ENTERPRISE)
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        changes={"username": username, "full_name": full_name, "roles": role_list},
        source=source,
    )
    return user


@transaction.atomic
def user_roles_set(
    *, actor: Any, user: User, roles: list[str], source: str = AuditSource.WEB
) -> User:
    """Replace a user's roles. A privilege change: audited with the old and new sets."""
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, user.scope_region_code)
    user = User.objects.select_for_update().get(pk=user.pk)
    new = _validate_roles(roles, bureau=user.bureau)
    old = sorted(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    removes_own_admin = Role.ADMINISTRATOR in old and Role.ADMINISTRATOR not in new
    if not isinstance(actor, Actor) and actor.pk == user.pk and removes_own_admin:
        raise ServiceError.for_field("roles", _("You cannot remove your own administrator role."))
    if new == old:
        return user
    RoleAssignment.objects.filter(user=user).exclude(role__in=new).delete()
    for role in set(new) - set(old):
        RoleAssignment.objects.create(user=user, role=role)
    user.is_staff = Role.ADMINISTRATOR in new or user.is_superuser
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("capabilities", None)
    audit_record(
        actor=actor,
        action="accounts.user.roles_changed",
        obj=user,
        region=user.scope_region_code or "",
        changes={"roles": [old, new]},
        source=source,
    )
    return user


@transaction.atomic
def user_set_active(
    *, actor: Any, user: User, active: bool, reason: str = "", source: str = AuditSource.WEB
) -> User:
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, user.scope_region_code)
    if not isinstance(actor, Actor) and actor.pk == user.pk and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    audit_record(
        actor=actor,
        action="accounts.user.activated" if active else "accounts.user.deactivated",
        obj=user,
        region=user.scope_region_code or "",
        changes={"is_active": [not active, active], "reason": reason},
        source=source,
    )
    return user


@transaction.atomic
def user_password_change(
    *, actor: Any, user: User, new_password: str, source: str = AuditSource.WEB
) -> User:
    """Set a new password: rules, history (no reuse of the last N) and the 90-day clock."""
    if not isinstance(actor, Actor) and actor.pk != user.pk:
        _require(actor, Capability.USERS_MANAGE)
        _require_in_scope(actor, user.scope_region_code)
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = clock.now()
    user.save(update_fields=["password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    audit_record(
        actor=actor,
        action="accounts.user.password_changed",
        obj=user,
        region=user.scope_region_code or "",
        changes={"by_self": not isinstance(actor, Actor) and actor.pk == user.pk},
        source=source,
    )
    return user


def _check_specialties(specialties: list[str]) -> list[str]:
    unknown = [s for s in specialties if s not in Industry.values]
    if unknown:
        raise ServiceError.for_field(
            "specialties", _("Unknown industry category: %s") % ", ".join(unknown)
        )
    return sorted(set(specialties))


@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    holder: User,
    number: str,
    issued_by: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    specialties: list[str],
    source: str = AuditSource.WEB,
) -> EnforcementCertificate:
    """Record an enforcement certificate for an inspector in the actor's scope."""
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, holder.scope_region_code)
    number = number.strip()
    errors: dict[str, list[Any]] = {}
    if not number:
        errors["number"] = [_("Enter the certificate number.")]
    elif EnforcementCertificate.objects.filter(number=number).exists():
        errors["number"] = [_("A certificate with this number is already recorded.")]
    if not issued_by.strip():
        errors["issued_by"] = [_("Enter the issuing body.")]
    if valid_until < valid_from:
        errors["valid_until"] = [_("The end of validity is before its start.")]
    if errors:
        raise ServiceError.for_fields(errors)
    cert = EnforcementCertificate.objects.create(
        holder=holder,
        number=number,
        issued_by=issued_by.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        specialties=_check_specialties(specialties),
    )
    audit_record(
        actor=actor,
        action="accounts.certificate.issued",
        obj=cert,
        region=holder.scope_region_code or "",
        changes={
            "holder": holder.pk,
            "number": number,
            "issued_by": cert.issued_by,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "specialties": cert.specialties,
        },
        source=source,
    )
    return cert


@transaction.atomic
def certificate_revoke(
    *, actor: Any, certificate: EnforcementCertificate, reason: str, source: str = AuditSource.WEB
) -> EnforcementCertificate:
    _require(actor, Capability.USERS_MANAGE)
    _require_in_scope(actor, certificate.holder.scope_region_code)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Give the reason for revocation."))
    cert = EnforcementCertificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.revoked_at is not None:
        raise Conflict(_("This certificate is already revoked."))
    cert.revoked_at = clock.now()
    cert.revoked_reason = reason.strip()
    cert.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        action="accounts.certificate.revoked",
        obj=cert,
        region=cert.holder.scope_region_code or "",
        changes={"reason": cert.revoked_reason},
        source=source,
    )
    return cert


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    user: User,
    name: str,
    valid_days: int | None = 365,
    source: str = AuditSource.WEB,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plain key, which is never stored or shown again."""
    if not isinstance(actor, Actor) and actor.pk != user.pk:
        _require(actor, Capability.USERS_MANAGE)
        _require_in_scope(actor, user.scope_region_code)
    if not name.strip():
        raise ServiceError.for_field("name", _("Name the token after what will use it."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[:12],
        key_hash=_hash_token(key),
        expires_at=clock.now() + datetime.timedelta(days=valid_days) if valid_days else None,
    )
    audit_record(
        actor=actor,
        action="accounts.api_token.created",
        obj=token,
        region=user.scope_region_code or "",
        changes={"user": user.pk, "name": token.name, "prefix": token.prefix},
        source=source,
    )
    return token, key


def api_token_authenticate(key: str) -> User | None:
    """The active user a bearer key belongs to, or None. Marks the token as used."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user", "user__bureau")
        .filter(key_hash=_hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    # A token acts for its user, so it stops when the user could not log in: an expired
    # password (it must be changed on the page first) or a locked account.
    if selectors.user_password_expired(token.user) or selectors.user_locked_out(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, source: str = AuditSource.WEB) -> ApiToken:
    if not isinstance(actor, Actor) and actor.pk != token.user_id:
        _require(actor, Capability.USERS_MANAGE)
        _require_in_scope(actor, token.user.scope_region_code)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="accounts.api_token.revoked",
            obj=token,
            region=token.user.scope_region_code or "",
            changes={"prefix": token.prefix},
            source=source,
        )
    return token


def login_record(
    *, user: User | None, username: str, outcome: str, ip: str = "", purpose: str = ""
) -> None:
    """Audit a login attempt (success, failure, lockout, logout). 等保 requires all of them.
    `purpose` says when a password was checked outside the login page (password_change)."""
    actor = Actor.of(user) if user is not None else Actor(id=None, name=username[:150])
    changes = {"username": username[:150], "ip": ip}
    if purpose:
        changes["purpose"] = purpose
    audit_record(
        actor=actor,
        action=f"accounts.login.{outcome}",
        object_type="accounts.user",
        object_id=str(user.pk) if user is not None else "",
        region=(user.scope_region_code or "") if user is not None else "",
        changes=changes,
        source=AuditSource.WEB,
    )


def password_check_failed(*, user: User, request: Any) -> bool:
    """A wrong current password on the password-change form: counted and audited as a failed
    login (django-axes counts by user name, the login signal audits), so the lockout rules of
    the login page hold for whoever holds a session. True when the account is now locked."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth.signals import user_login_failed

    credentials = {"username": user.get_username(), "purpose": "password_change"}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return bool(AxesProxyHandler.is_locked(request, credentials))


def password_history_hashes(user: User, count: int) -> list[str]:
    return list(
        PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
    )


__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "bureau_create",
    "bureau_document_details_set",
    "certificate_issue",
    "certificate_revoke",
    "division_create",
    "login_record",
    "password_check_failed",
    "user_create",
    "user_password_change",
    "user_roles_set",
    "user_set_active",
]
