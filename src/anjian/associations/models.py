"""Industry associations (行业协会, N4.3): an organisation with member units that publishes its
conventions (行业自律公约) on the portal and sees its members' public data.

An association is registered by the bureau (region: where it is registered; the province for a
provincial association); its accounts (role `association`) are bound to it here, and see the
association's own pages only: its members and their public data (the register's public fields,
published penalties and credit on the portal), never a bureau's records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class Association(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        "entities.Entity", verbose_name=_("member units"), related_name="associations", blank=True
    )
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["Association"]()

    class Meta:
        ordering = ["name"]
        verbose_name = _("industry association")
        verbose_name_plural = _("industry associations")

    def __str__(self) -> str:
        return self.name


class AssociationAccount(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="association_accounts",
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("industry association"),
        on_delete=models.CASCADE,
        related_name="accounts",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("association account")
        verbose_name_plural = _("association accounts")
        constraints = [
            models.UniqueConstraint(fields=["user", "association"], name="association_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.association}"


class Convention(models.Model):
    association = models.ForeignKey(
        Association,
        verbose_name=_("industry association"),
        on_delete=models.PROTECT,
        related_name="conventions",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = ClockDateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    # Withdrawn: off the portal, kept in the record with who, when and why.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return self.title


class RequestKind(models.TextChoices):
    ADD = "add", _("Add a member unit")
    REMOVE = "remove", _("Remove a member unit")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bureau")
    APPROVED = "approved", _("Approved by the bureau")
    REFUSED = "refused", _("Refused by the bureau")


class MemberRequest(models.Model):
    """The association asks the bureau that registered it to add or remove a member unit; the
    bureau decides (the membership changes only on approval)."""

    association = models.ForeignKey(
        Association,
        verbose_name=_("industry association"),
        on_delete=models.CASCADE,
        related_name="member_requests",
    )
    kind = models.CharField(_("request"), max_length=8, choices=RequestKind.choices)
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    requested_at = ClockDateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decision_note = models.TextField(_("the bureau's note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")

    def __str__(self) -> str:
        return f"{self.association} {self.get_kind_display()} {self.entity_id}"
