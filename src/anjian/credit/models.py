"""Credit supervision (信用监管, N3.2): the credit records of an entity, gathered from what the
platform holds or entered by hand with a reason and an approver; the grade computed from them
(docs/algorithms/credit.md) and a hand-set grade as an override with reason, approver and end.

A record counts from the day of its act (`occurred_on`) until `counts_until` (exclusive), with
its `weight` in points (negative lowers the score). Records gathered from the platform name
their source (`source_type`, `source_id`: a case, an inspection record, a correction order);
one source gives a record of one kind at most once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import CreditGrade
from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class RecordKind(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    JUDICIAL_TRANSFER = "judicial_transfer", _("Transferred to judicial organs")
    INSPECTION_CLEAN = "inspection_clean", _("Inspected, no problem found")
    INSPECTION_HAZARDS = "inspection_hazards", _("Inspected, hazards or violations found")
    MAJOR_HAZARD = "major_hazard", _("Major accident hazard found")
    RECTIFIED_ON_TIME = "rectified_on_time", _("Rectified on time")
    RECTIFIED_LATE = "rectified_late", _("Rectified late")
    RECTIFICATION_ESCALATED = "rectification_escalated", _("Not rectified, escalated")
    REINSPECTION_FAILED = "reinspection_failed", _("Failed a re-inspection")
    ACCIDENT = "accident", _("Production safety accident")
    COMMITMENT_BROKEN = "commitment_broken", _("Credit commitment broken")
    COMMENDATION = "commendation", _("Reward or commendation")
    OTHER = "other", _("Other record")
    # The facts of 应急管理部令第11号 that put an entity on the serious-dishonesty list
    # (`dishonesty.py`), entered by hand with a reason and approved like the other manual kinds.
    ACCIDENT_MAJOR = "accident_major", _("Major or especially major production safety accident")
    ACCIDENT_LARGER = "accident_larger", _("Larger production safety accident")
    ACCIDENT_CONCEALED = (
        "accident_concealed",
        _("Production safety accident concealed or misreported"),
    )
    RESCUE_FAILED = "rescue_failed", _("Principal failed to organise rescue or fled")
    UNLICENSED = "unlicensed", _("Operated without, or under a suspended or revoked, licence")
    FINE_MULTIPLIED = (
        "fine_multiplied",
        _("Fine multiplied under article 114 of the Work Safety Law"),
    )
    FALSE_REPORT = "false_report", _("Agency rented out its qualification or issued a false report")


# Kinds an officer may enter by hand (with a reason and a leader's approval); the others come
# from the platform's own records.
MANUAL_KINDS = (
    RecordKind.ACCIDENT,
    RecordKind.COMMITMENT_BROKEN,
    RecordKind.COMMENDATION,
    RecordKind.OTHER,
    RecordKind.ACCIDENT_MAJOR,
    RecordKind.ACCIDENT_LARGER,
    RecordKind.ACCIDENT_CONCEALED,
    RecordKind.RESCUE_FAILED,
    RecordKind.UNLICENSED,
    RecordKind.FINE_MULTIPLIED,
    RecordKind.FALSE_REPORT,
)


class RecordStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    ACTIVE = "active", _("In force")
    REJECTED = "rejected", _("Not approved")
    # The source no longer says so (a decision revoked, a record withdrawn): kept, not counted.
    VOID = "void", _("Void")
    # An objection was granted: the record was wrong. Kept, never counted again.
    WITHDRAWN = "withdrawn", _("Withdrawn after an objection")


class CreditRecord(models.Model):
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="credit_records",
    )
    # The entity's county, copied for the data scope and the nightly aggregate.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The organ whose act it records (the bureau that imposed the penalty); for a manual
    # record, the proposer's bureau.
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RecordKind.choices)
    # The supervision item the record concerns, when its source says so (the inspection's
    # task; a case's findings, when they are all of one item): a commitment made for an item
    # is broken only by a record of that item (commitments.py).
    item = models.ForeignKey(
        "catalog.SupervisionItem",
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    title = models.CharField(_("record"), max_length=300)
    occurred_on = models.DateField(_("date"))
    weight = models.SmallIntegerField(_("points"))
    counts_until = models.DateField(_("counts until"))
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    # Shown on the portal's credit query (penalties, listings); the rest is the bureau's file.
    public = models.BooleanField(_("public"), default=False)
    source_type = models.CharField(_("source type"), max_length=64, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    # What the weight was computed from (measures, fine, days late), for the explanation.
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    # Manual records: why, who proposed, who approved (or refused) and when.
    reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Credit repair granted (信用修复): out of public view from this day; still in the file and
    # still counted until `counts_until`.
    repaired_on = models.DateField(_("repaired on"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    # The enterprise reads its records in force and those withdrawn after its objection; not a
    # manual record still awaiting approval or refused.
    scope_entity_field = "entity_id"
    scope_entity_only = models.Q(status__in=["active", "withdrawn"])
    objects = ScopedManager["CreditRecord"]()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        indexes = [
            models.Index(fields=["entity", "occurred_on"], name="credit_record_entity"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"],
                condition=~models.Q(source_type=""),
                name="credit_record_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def manual(self) -> bool:
        return not self.source_type


class EntityCredit(models.Model):
    """An entity's computed score and grade, and the grade in force (the override's while one
    is approved and not ended, else the computed one). The grade in force is also written to
    `Entity.credit_grade`, which plans and draws read.

    Derived: every row is written by the grading statements from a join with the registry
    (`grading.py`), so the database's foreign-key checks would prove nothing new, and they
    cost a locking look-up of the entity and of the region per row inserted (the first night
    inserts a row per entity: about a third of the writing, docs/PERFORMANCE.md). Without
    them, an entity deleted through the ORM still takes its row along (on_delete)."""

    entity = models.OneToOneField(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.CASCADE,
        related_name="credit",
        primary_key=True,
        db_constraint=False,
    )
    region = models.ForeignKey(
        "core.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    score = models.SmallIntegerField(_("score"))
    computed_grade = models.CharField(
        _("computed grade"), max_length=1, choices=CreditGrade.choices
    )
    grade = models.CharField(_("grade in force"), max_length=1, choices=CreditGrade.choices)
    records_counted = models.PositiveIntegerField(_("records counted"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    computed_on = models.DateField(_("computed for the day"))

    scope_region_field = "region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["EntityCredit"]()

    class Meta:
        verbose_name = _("entity credit")
        verbose_name_plural = _("entity credit")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.grade}"


class OverrideStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    ENDED = "ended", _("Ended early")


class GradeOverride(models.Model):
    """A grade set by hand (人工调整): proposed with a reason, approved by a leader of the
    entity's bureau, in force until `ends_on` (inclusive) unless ended early."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="credit_overrides",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=1, choices=CreditGrade.choices)
    reason = models.TextField(_("reason"))
    ends_on = models.DateField(_("in force until"))
    status = models.CharField(
        _("status"), max_length=16, choices=OverrideStatus.choices, default=OverrideStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["GradeOverride"]()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("grade override")
        verbose_name_plural = _("grade overrides")

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.grade}"


class RequestKind(models.TextChoices):
    OBJECTION = "objection", _("Objection")
    REPAIR = "repair", _("Credit repair")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting acceptance")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted, awaiting the answer")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class CreditRequest(models.Model):
    """An enterprise's objection to a credit record (异议: the record is wrong) or request for
    credit repair (信用修复: take a penalty out of public view after its minimum publication
    period), recorded by an officer until the enterprise side exists. Deadlines in working days:
    acceptance by `accept_due`, the answer by `answer_due` (from acceptance)."""

    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("credit record"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.CharField(_("submitted by (for the enterprise)"), max_length=100)
    content = models.TextField(_("what the enterprise asks and why"))
    submitted_on = models.DateField(_("submitted on"))
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    accept_due = models.DateField(_("accept by"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    answer_due = models.DateField(_("answer by"), null=True, blank=True)
    decided_on = models.DateField(_("answered on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("answered by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["CreditRequest"]()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("objection or repair request")
        verbose_name_plural = _("objections and repair requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_id}"


class ListingTrigger(models.TextChoices):
    """The facts of 应急管理部令第11号 that put an entity on the serious-dishonesty list."""

    ACCIDENT_MAJOR = "accident_major", _("A major or especially major accident")
    ACCIDENTS_LARGER = "accidents_larger", _("Two or more larger accidents within 12 months")
    ACCIDENT_CONCEALED = "accident_concealed", _("An accident concealed or misreported")
    RESCUE_FAILED = "rescue_failed", _("The principal failed to organise rescue or fled")
    UNLICENSED = "unlicensed", _("Operating without, or under a suspended or revoked, licence")
    FINE_MULTIPLIED = "fine_multiplied", _("A fine multiplied under article 114")
    FALSE_REPORT = "false_report", _("An agency renting out its qualification or reporting falsely")


class ListingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting legal review")
    REVIEWED = "reviewed", _("Legal review passed, awaiting the decision")
    NOT_LISTED = "not_listed", _("Not listed")
    LISTED = "listed", _("Listed")
    REMOVED = "removed", _("Removed early")
    EXPIRED = "expired", _("Removed at the end of the period")


class DishonestyListing(models.Model):
    """A listing on the serious-dishonesty list (严重失信主体名单, 应急管理部令第11号):
    detected from a credit record and proposed to the bureau that imposed the penalty or
    recorded the fact (谁处罚、谁决定、谁负责); legal review (法制审核), then the bureau's
    decision with its decision document; listed for `ANJIAN_CREDIT_LISTING_YEARS` (3), early
    removal requested no sooner than `ANJIAN_CREDIT_LISTING_EARLY_MONTHS` (12) after listing."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="dishonesty_listings",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("deciding bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(_("ground"), max_length=32, choices=ListingTrigger.choices)
    record = models.ForeignKey(
        CreditRecord,
        verbose_name=_("credit record"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    facts = models.TextField(_("facts"))
    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("legal reviewer"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_opinion = models.TextField(_("legal review opinion"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decision = models.ForeignKey(
        "documents.OfficialDocument", verbose_name=_("decision document"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    ends_on = models.DateField(_("listed until"), null=True, blank=True)
    removal_from = models.DateField(_("early removal possible from"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["DishonestyListing"]()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("serious-dishonesty listing")
        verbose_name_plural = _("serious-dishonesty list")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "trigger"], name="credit_listing_once_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.get_trigger_display()}"


class CommitmentTemplate(models.TextChoices):
    """The templates a credit commitment (信用承诺) is made from, for one supervision item; the
    records that break each are in `commitments.BREAKING_KINDS`."""

    COMPLIANCE = "compliance", _("Lawful operation on the item")
    RECTIFICATION = "rectification", _("Rectification on time on the item")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("In force")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Commitment(models.Model):
    """A credit commitment (信用承诺) an entity made for one supervision item, from a template,
    for a period; checked against its later credit records: a breaking record within the
    period breaks it (and becomes a credit record of a broken commitment); the period over
    without one, it is kept."""

    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="credit_commitments",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.SupervisionItem",
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.CharField(_("template"), max_length=32, choices=CommitmentTemplate.choices)
    text = models.TextField(_("commitment"))
    made_on = models.DateField(_("made on"))
    until = models.DateField(_("in force until"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.OPEN,
    )
    broken_by = models.ForeignKey(
        CreditRecord, verbose_name=_("broken by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True,
        related_name="+",
    )  # fmt: skip
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["Commitment"]()

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = _("credit commitment")
        verbose_name_plural = _("credit commitments")

    def __str__(self) -> str:
        return self.text[:60]
