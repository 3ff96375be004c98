"""Bureaus, divisions, users, roles and enforcement certificates (N6.1, N6.3)."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import STAFF_ROLES, Capability, Role, capabilities_of
from anjian.core.choices import Industry
from anjian.core.crypto import EncryptedTextField
from anjian.core.models import Region, RegionLevel
from anjian.core.scope import ScopedManager, ScopedQuerySet


class Bureau(models.Model):
    """An emergency-management bureau (应急管理厅/局) at province, city or county level."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="bureaus"
    )
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    # The bureau's part of its document and case numbers: 晋朔平 in （晋朔平）应急罚〔2026〕12号.
    # Blank: the region's default (core/abbreviations.py). Two bureaus never share one.
    document_abbreviation = models.CharField(
        _("abbreviation in document numbers"), max_length=20, blank=True
    )
    # What the bureau's enforcement documents print (cases/documents.py): where a party makes a
    # statement and whom to call (行政处罚告知书), where the fine is paid, and where the party may
    # apply for reconsideration or sue (行政处罚决定书). Set by the bureau's administrator.
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    payment_place = models.CharField(_("where fines are paid"), max_length=200, blank=True)
    reconsideration_organ = models.CharField(_("reconsideration organ"), max_length=100, blank=True)
    court = models.CharField(_("people's court"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    scope_region_field = "region"
    objects = ScopedManager["Bureau"]()

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        constraints = [
            models.UniqueConstraint(
                fields=["document_abbreviation"],
                condition=~models.Q(document_abbreviation=""),
                name="bureau_document_abbreviation_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    """A division (处室 / 科室 / 大队) inside a bureau."""

    bureau = models.ForeignKey(
        Bureau, verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="divisions"
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    scope_region_field = "bureau__region"
    objects = ScopedManager["Division"]()

    class Meta:
        ordering = ["bureau_id", "id"]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "name"], name="division_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.bureau.short_name or self.bureau.name} {self.name}"


class ScopedUserManager(UserManager["User"]):
    def get_queryset(self) -> ScopedQuerySet[User]:
        return ScopedQuerySet(self.model, using=self._db)

    def visible_to(self, user: object) -> ScopedQuerySet[User]:
        return self.get_queryset().visible_to(user)


class User(AbstractUser):
    """A person who logs in: a bureau's staff member, or an enterprise's user."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    bureau = models.ForeignKey(
        Bureau,
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    division = models.ForeignKey(
        Division,
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = EncryptedTextField(
        _("phone"), max_length=20, blank=True
    )  # personal data: sealed at rest
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    scope_region_field = "bureau__region"
    # AbstractUser declares `objects` a ClassVar; ours adds visible_to().
    objects = ScopedUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def scope_region_code(self) -> str | None:
        return self.bureau.region_id if self.bureau_id and self.bureau else None

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    @property
    def has_staff_role(self) -> bool:
        return bool(self.role_codes & STAFF_ROLES)

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_codes

    @cached_property
    def capabilities(self) -> frozenset[Capability]:
        if self.is_superuser:
            return frozenset(Capability)
        return capabilities_of(self.role_codes)

    def can(self, capability: Capability | str) -> bool:
        return self.is_active and Capability(capability) in self.capabilities

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.role_codes)]


class RoleAssignment(models.Model):
    """A role held by a user. Granting and revoking are audited by the services."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    scope_region_field = "user__bureau__region"
    objects = ScopedManager["RoleAssignment"]()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
    REVOKED = "revoked", _("Revoked")


class EnforcementCertificate(models.Model):
    """An enforcement certificate (执法证). Without a valid one, no enforcement act."""

    holder = models.ForeignKey(
        User,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    issued_by = models.CharField(_("issuing body"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    specialties = models.JSONField(
        _("specialties"), default=list, help_text=_("Industry categories the holder may inspect.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)

    scope_region_field = "holder__bureau__region"
    objects = ScopedManager["EnforcementCertificate"]()

    class Meta:
        ordering = ["holder_id", "-valid_until"]
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="certificate_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    def status_on(self, day: datetime.date | None = None) -> CertificateStatus:
        day = day or timezone.localdate()
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if day < self.valid_from:
            return CertificateStatus.NOT_YET_VALID
        if day > self.valid_until:
            return CertificateStatus.EXPIRED
        warn = datetime.timedelta(days=settings.ANJIAN_CERTIFICATE_EXPIRY_WARNING_DAYS)
        if self.valid_until - day <= warn:
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID

    @property
    def status(self) -> CertificateStatus:
        return self.status_on()

    def specialty_labels(self) -> list[str]:
        return [str(Industry(s).label) for s in self.specialties if s in Industry.values]


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last N cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    scope_region_field = "user__bureau__region"
    objects = ScopedManager["ApiToken"]()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
