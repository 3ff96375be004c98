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
from anjian.core.crypto import EncryptedTextField
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
    # The mobile number the code was sent to by SMS, if it was (personal data: sealed at rest;
    # shown masked). Empty when the officer was shown the code instead.
    sms_phone = EncryptedTextField(_("sent by SMS to"), max_length=20, blank=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["Invitation"]()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.get_position_display()}"

    @property
    def sms_phone_masked(self) -> str:
        """139****5678: enough for the officer to tell whom it went to."""
        digits = str(self.sms_phone or "")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else ""


class ServiceScope(models.TextChoices):
    ALL = "all", _("All enforcement documents addressed to us")
    DECISIONS = "decisions", _("Administrative penalty decisions only")


class ServiceAgreement(models.Model):
    """The enterprise's written agreement to electronic service (行政处罚法 第六十一条: service by
    electronic means with the party's consent): who agreed, on which day, for which documents.
    While in force, the enterprise's confirmation of receipt of a document in its account
    counts as service of that document."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="service_agreements",
    )
    scope = models.CharField(_("documents covered"), max_length=16, choices=ServiceScope.choices)
    agreed_on = models.DateField(_("agreed on"))
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["ServiceAgreement"]()

    class Meta:
        verbose_name = _("agreement to electronic service")
        verbose_name_plural = _("agreements to electronic service")
        ordering = ["-agreed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.agreed_on}"

    def covers(self, kind: str) -> bool:
        return self.scope == ServiceScope.ALL or kind == "penalty_decision"


class DocumentReceipt(models.Model):
    """The enterprise's confirmation that it received a document in its account: the time and
    the user; service (送达) where an agreement to electronic service covered the document."""

    document = models.ForeignKey(
        "documents.OfficialDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        verbose_name=_("agreement to electronic service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
    )

    scope_region_field = "entity__region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["DocumentReceipt"]()

    class Meta:
        verbose_name = _("confirmation of receipt")
        verbose_name_plural = _("confirmations of receipt")
        constraints = [
            models.UniqueConstraint(fields=["document", "entity"], name="document_receipt_once")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.confirmed_at}"

    @property
    def counts_as_service(self) -> bool:
        return self.agreement_id is not None


class SelfInspectionStatus(models.TextChoices):
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted")


class SelfAnswer(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Not compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class SelfInspection(models.Model):
    """The enterprise's own inspection (自查) against a checklist of the catalog (an item version
    in force): an answer per check point and the hazards found with their rectification."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="self_inspections",
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name=_("checklist"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_on = models.DateField(_("inspected on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SelfInspectionStatus.choices,
        default=SelfInspectionStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filled in by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["SelfInspection"]()

    class Meta:
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.entity} {self.inspected_on}"


class SelfInspectionAnswer(models.Model):
    inspection = models.ForeignKey(SelfInspection, on_delete=models.CASCADE, related_name="answers")
    check_point = models.ForeignKey(
        "catalog.CheckPoint",
        verbose_name=_("check point"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.CharField(_("answer"), max_length=16, choices=SelfAnswer.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    scope_region_field = "inspection__entity__region_id"
    scope_entity_field = "inspection__entity_id"
    objects = ScopedManager["SelfInspectionAnswer"]()

    class Meta:
        verbose_name = _("self-inspection answer")
        verbose_name_plural = _("self-inspection answers")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "check_point"], name="self_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.check_point_id} {self.answer}"


class SelfHazard(models.Model):
    """A hazard the enterprise found itself, and its rectification (measures, deadline, done)."""

    inspection = models.ForeignKey(SelfInspection, on_delete=models.CASCADE, related_name="hazards")
    description = models.TextField(_("hazard"))
    measures = models.TextField(_("rectification measures"))
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("rectified on"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)

    scope_region_field = "inspection__entity__region_id"
    scope_entity_field = "inspection__entity_id"
    objects = ScopedManager["SelfHazard"]()

    class Meta:
        verbose_name = _("self-found hazard")
        verbose_name_plural = _("self-found hazards")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.description[:40]
