"""Complaints and whistleblowing (投诉举报, N4.4): reports, their follow-up, rewards and the
exposure page.

What a reporter wrote, where and about whom, their identity and their files are sealed at rest
(`core.crypto`, SM4-GCM, key outside the database): a database dump shows none of it. Only what
routing, deadlines and statistics need stays plain: the region code, the industry, the entity
(a registered entity is public anyway), the dates and the state. An anonymous report carries no
identity at all; the receipt code that lets its reporter follow it up is kept only as an Argon2
hash, found through the separate, non-secret receipt id (docs/complaints.md).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.core.choices import Industry
from anjian.core.clock import ClockDateTimeField
from anjian.core.crypto import EncryptedTextField
from anjian.core.scope import ScopedManager, ScopedQuerySet, visible_region_codes


class ReportChannel(models.TextChoices):
    WEB = "web", _("Online (public page)")
    HOTLINE = "hotline", _("Hotline 12350")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    EMAIL = "email", _("E-mail or fax")
    FORWARDED = "forwarded", _("Forwarded by the 12345 hotline")


class ReportKind(models.TextChoices):
    HAZARD = "hazard", _("Major accident hazard")
    ILLEGAL_PRODUCTION = "illegal_production", _("Illegal production or operation")
    CONCEALED_ACCIDENT = "concealed_accident", _("Concealed or falsely reported accident")
    OTHER = "other", _("Other safety problem")


class ReportState(models.TextChoices):
    RECEIVED = "received", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    HANDLING = "handling", _("Being handled")
    HANDLED = "handled", _("Handled")
    REJECTED = "rejected", _("Not accepted")
    DUPLICATE = "duplicate", _("Merged with an earlier report")


OPEN_STATES = (ReportState.RECEIVED, ReportState.ACCEPTED, ReportState.HANDLING)


class ReportOutcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")


class ReportQuerySet(ScopedQuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        """Need to know: within the user's jurisdiction, the reports of the user's own bureau
        (or escalated to it) for its complaints desk and leadership, and the reports assigned to
        the user for an officer. A county officer never sees another county's report; a city's
        desk sees a county's report only once it was escalated to the city."""
        from anjian.accounts.roles import Capability

        codes = visible_region_codes(user)
        if codes is not None and not codes:
            return self.none()
        qs = super().visible_to(user)
        if getattr(user, "is_superuser", False):
            return qs  # type: ignore[return-value]
        mine = models.Q(handler=user.pk)
        if user.can(Capability.COMPLAINTS_RECEIVE) and user.bureau_id:
            mine |= models.Q(bureau=user.bureau_id) | models.Q(escalated_to=user.bureau_id)
        return qs.filter(mine)  # type: ignore[return-value]


class ReportManager(models.Manager["Report"]):
    def get_queryset(self) -> ReportQuerySet:
        return ReportQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> ReportQuerySet:
        return self.get_queryset().visible_to(user)


class Report(models.Model):
    """One complaint or report (投诉举报), whoever it came from."""

    receipt_id = models.CharField(_("receipt number"), max_length=16, unique=True)
    # Argon2id of the receipt code; the code itself is shown once and never stored.
    code_hash = models.CharField(max_length=128)
    channel = models.CharField(_("channel"), max_length=16, choices=ReportChannel.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=ReportKind.choices)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter's phone"), blank=True)
    reporter_id_number = EncryptedTextField(_("reporter's ID number"), blank=True)
    reporter_is_employee = models.BooleanField(
        _("the reporter works for the reported unit"), default=False
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entity_text = EncryptedTextField(_("reported unit (as written)"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    body = EncryptedTextField(_("what is wrong"))
    place = EncryptedTextField(_("where"), blank=True)
    occurred = EncryptedTextField(_("when"), blank=True)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices, blank=True)
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("competent bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        "accounts.User",
        verbose_name=_("handling officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    received_at = ClockDateTimeField(_("received at"), auto_now_add=True)
    received_on = models.DateField(_("received on"))
    accept_due = models.DateField(_("accept or refuse by"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    handle_due = models.DateField(_("handle by"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    refusal_reason = EncryptedTextField(_("reason for not accepting"), blank=True)
    outcome = models.CharField(
        pgettext_lazy("report", "outcome"), max_length=16, choices=ReportOutcome.choices, blank=True
    )
    result = EncryptedTextField(_("result told to the reporter"), blank=True)
    inspection_task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("inspection task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("enforcement case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_region_field = "bureau__region"
    objects = ReportManager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint or report")
        verbose_name_plural = _("complaints and reports")
        indexes = [
            models.Index(fields=["bureau", "state"]),
            models.Index(fields=["entity", "received_on"]),
            models.Index(fields=["state", "accept_due"]),
        ]

    def __str__(self) -> str:
        return self.receipt_id

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReportMessage(models.Model):
    """A message in a report's follow-up: the reporter's added information, or the bureau's
    answer (replies, the refusal, the result). Sealed like the report."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        BUREAU = "bureau", pgettext_lazy("message author", "Bureau")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("from"), max_length=16, choices=Author.choices)
    body = EncryptedTextField(_("message"))
    written_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = ClockDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up message")
        verbose_name_plural = _("follow-up messages")

    def __str__(self) -> str:
        return f"{self.report_id} {self.author} {self.at:%Y-%m-%d}"


class ReportAttachment(models.Model):
    """A photo, video or recording sent with a report, stored sealed (SM4-GCM) under a random
    name in the storage directory `complaints` (never the evidence store: its files are plain)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=80, unique=True)
    name = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    at = ClockDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.stored_name


class ReportTransfer(models.Model):
    """A report moved to another bureau, with the reason (append-only)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transfers")
    from_bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="+")
    to_bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason for the transfer"), max_length=300)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    at = ClockDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transfer of a report")
        verbose_name_plural = _("transfers of reports")

    def __str__(self) -> str:
        return f"{self.report_id} → {self.to_bureau_id}"


class AccidentLevel(models.TextChoices):
    GENERAL = "general", _("General accident")
    LARGER = "larger", _("Larger accident")
    MAJOR = "major", _("Major accident")
    ESPECIALLY_MAJOR = "especially_major", _("Especially major accident")


class RewardState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the committee")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused by the committee")
    PAID = "paid", _("Paid")


class Reward(models.Model):
    """A reward for a verified report (举报奖励): proposed by the receiving bureau (谁受理、谁奖励),
    approved by the review committee, paid; one per matter (the first valid real-name
    reporter's)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="reward")
    bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="+")
    fine_amount = models.PositiveBigIntegerField(_("fine (yuan)"), default=0)
    concealed_deaths = models.PositiveIntegerField(_("concealed deaths"), default=0)
    accident_level = models.CharField(
        _("accident level"), max_length=20, choices=AccidentLevel.choices, blank=True
    )
    amount = models.PositiveBigIntegerField(_("reward (yuan)"))
    basis = models.CharField(_("how it was computed"), max_length=300)
    state = models.CharField(
        _("state"), max_length=16, choices=RewardState.choices, default=RewardState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    proposed_at = ClockDateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("committee's note"), max_length=300, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    scope_region_field = "bureau__region"
    objects = ScopedManager["Reward"]()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")

    def __str__(self) -> str:
        return f"{self.report_id} {self.amount}"


class ExposureEntry(models.Model):
    """A typical case chosen by a bureau for the exposure page (曝光台), its text masked before
    it is stored (core.masking)."""

    bureau = models.ForeignKey("accounts.Bureau", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    party = models.CharField(_("party"), max_length=200)
    summary = models.TextField(_("summary"))
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    scope_region_field = "bureau__region"
    objects = ScopedManager["ExposureEntry"]()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("exposure entry")
        verbose_name_plural = _("exposure entries")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="exposure_one_live_entry_per_case",
            )
        ]

    def __str__(self) -> str:
        return self.title
