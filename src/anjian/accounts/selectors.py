"""Reads for organisations, users and certificates. All start from `.visible_to(user)`."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anjian.accounts.models import Bureau, Division, EnforcementCertificate, User
from anjian.core.scope import get_visible_or_404


def bureau_list(*, user: Any, level: str = "", q: str = "") -> QuerySet[Bureau]:
    qs = Bureau.objects.visible_to(user).select_related("region", "region__parent")
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(region__name__contains=q) | Q(region_id=q))
    return qs.annotate(user_count=Count("users", distinct=True)).order_by("region_id", "name")


def bureau_get(*, user: Any, pk: int) -> Bureau:
    return get_visible_or_404(Bureau.objects.select_related("region"), user, pk=pk)


def division_list(*, user: Any, bureau: Bureau | None = None) -> QuerySet[Division]:
    qs = Division.objects.visible_to(user).select_related("bureau")
    if bureau is not None:
        qs = qs.filter(bureau=bureau)
    return qs


def user_list(
    *, user: Any, q: str = "", role: str = "", bureau_id: int | None = None
) -> QuerySet[User]:
    qs = User.objects.visible_to(user).select_related("bureau", "division")
    if q:
        qs = qs.filter(
            Q(username__icontains=q) | Q(full_name__contains=q) | Q(bureau__name__contains=q)
        )
    if role:
        qs = qs.filter(role_assignments__role=role)
    if bureau_id:
        qs = qs.filter(bureau_id=bureau_id)
    return qs.prefetch_related("role_assignments").order_by("bureau__region_id", "username")


def user_get(*, user: Any, pk: int) -> User:
    return get_visible_or_404(User.objects.select_related("bureau", "division"), user, pk=pk)


def certificate_list(
    *, user: Any, status: str = "", holder: User | None = None
) -> QuerySet[EnforcementCertificate]:
    qs = EnforcementCertificate.objects.visible_to(user).select_related("holder", "holder__bureau")
    if holder is not None:
        qs = qs.filter(holder=holder)
    today = timezone.localdate()
    if status == "expired":
        qs = qs.filter(revoked_at__isnull=True, valid_until__lt=today)
    elif status == "expiring":
        warn = today + datetime.timedelta(days=settings.ANJIAN_CERTIFICATE_EXPIRY_WARNING_DAYS)
        qs = qs.filter(revoked_at__isnull=True, valid_until__gte=today, valid_until__lte=warn)
    elif status == "valid":
        qs = qs.filter(revoked_at__isnull=True, valid_from__lte=today, valid_until__gte=today)
    elif status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    return qs.order_by("valid_until", "number")


def certificate_get(*, user: Any, pk: int) -> EnforcementCertificate:
    return get_visible_or_404(
        EnforcementCertificate.objects.select_related("holder", "holder__bureau"), user, pk=pk
    )


def certificates_valid_on(holders: Any, day: datetime.date) -> QuerySet[EnforcementCertificate]:
    """The enforcement certificates of `holders` (users or pks) valid on `day`: not revoked,
    within their dates. An enforcement act needs its officers' certificates valid that day."""
    return EnforcementCertificate.objects.filter(
        holder__in=holders, revoked_at__isnull=True, valid_from__lte=day, valid_until__gte=day
    )


def user_has_valid_certificate(holder: User, day: datetime.date | None = None) -> bool:
    """Whether the holder may perform enforcement acts on that day (later capabilities ask)."""
    return certificates_valid_on([holder], day or timezone.localdate()).exists()


def scope_summary(*, user: Any) -> dict[str, int]:
    """Counts for a leader's home page, all within scope."""
    today = timezone.localdate()
    warn = today + datetime.timedelta(days=settings.ANJIAN_CERTIFICATE_EXPIRY_WARNING_DAYS)
    certs = EnforcementCertificate.objects.visible_to(user).filter(revoked_at__isnull=True)
    return {
        "bureaus": Bureau.objects.visible_to(user).count(),
        "users": User.objects.visible_to(user).filter(is_active=True).count(),
        "certificates_valid": certs.filter(valid_from__lte=today, valid_until__gte=today).count(),
        "certificates_expiring": certs.filter(
            valid_until__gte=today, valid_until__lte=warn
        ).count(),
        "certificates_expired": certs.filter(valid_until__lt=today).count(),
    }


def user_password_expired(user: User) -> bool:
    """The password is older than ANJIAN_PASSWORD_MAX_AGE_DAYS (or was never set through the
    password service): the user must change it before anything else."""
    max_age = settings.ANJIAN_PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    changed = user.password_changed_at
    return changed is None or timezone.now() - changed > datetime.timedelta(days=max_age)


def user_locked_out(user: User) -> bool:
    """django-axes has locked the user name (too many failed logins, cool-off not over)."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=user.get_username(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()
