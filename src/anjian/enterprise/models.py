"""The enterprise side (N4.2): an enterprise account is bound to one market entity by its
unified social credit code, and sees that entity's records only.

A binding is made when a user activates an invitation the bureau issued for the entity (one
user may in principle be bound to several entities of one group; today each binding is made
separately). The position (principal, safety manager, staff) decides what the user may sign
for the enterprise: an accident report or a statement in a case is the principal's or the
safety manager's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class Position(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    SAFETY_MANAGER = "safety_manager", _("Safety manager")
    STAFF = "staff", _("Staff member")


class EnterpriseMember(models.Model):
    """A user's binding to an entity: what makes an account an enterprise's account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="enterprise_members",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    active = models.BooleanField(_("active"), default=True)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["EnterpriseMember"]()

    class Meta:
        verbose_name = _("enterprise member")
        verbose_name_plural = _("enterprise members")
        constraints = [
            models.UniqueConstraint(fields=["user", "entity"], name="enterprise_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_position_display()}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for activation")
    USED = "used", _("Activated")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    """The bureau's invitation to open an account for an entity (开通邀请): a one-time code of
    100 bits from `secrets`, shown once to the officer who issues it and stored only as an
    Argon2id hash; it expires (ANJIAN_ENTERPRISE_INVITATION_DAYS) and may be revoked."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="enterprise_invitations",
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    code_hash = models.CharField(_("code hash"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default="pending"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    issued_at = ClockDateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("activated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["Invitation"]()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.get_position_display()}"
