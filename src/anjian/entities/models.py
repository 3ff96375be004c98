"""Market entities (市场主体) keyed by unified social credit code, their licences and filings.

Every record the platform holds is finally attributed to an entity by its USCC (N3.1). The
entity's region is a county-level code, and it is the entity's jurisdiction for data scope.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.core.choices import CreditGrade, Industry, RiskLevel, StandardisationGrade
from anjian.core.clock import ClockDateTimeField
from anjian.core.models import Region
from anjian.core.scope import ScopedManager


class BusinessStatus(models.TextChoices):
    OPERATING = "operating", pgettext_lazy("business status", "Operating")
    SUSPENDED = "suspended", pgettext_lazy("business status", "Suspended")
    CLOSED = "closed", pgettext_lazy("business status", "Deregistered")
    REVOKED = "revoked", pgettext_lazy("business status", "Licence revoked")


class Scale(models.TextChoices):
    LARGE = "large", pgettext_lazy("enterprise scale", "Large")
    MEDIUM = "medium", pgettext_lazy("enterprise scale", "Medium")
    SMALL = "small", pgettext_lazy("enterprise scale", "Small")
    MICRO = "micro", pgettext_lazy("enterprise scale", "Micro")


class Entity(models.Model):
    """A regulated enterprise or other market entity."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    former_names = models.JSONField(_("former names"), default=list, blank=True)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    sub_sector = models.CharField(
        _("sub-sector (GB/T 4754)"), max_length=4, blank=True, help_text=_("Four-digit class.")
    )
    # No index of its own: the (region, industry) index below serves lookups by region.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="entities",
        db_index=False,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    business_status = models.CharField(
        _("business status"),
        max_length=16,
        choices=BusinessStatus.choices,
        default=BusinessStatus.OPERATING,
    )
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices, blank=True)
    established_on = models.DateField(_("date established"), null=True, blank=True)
    key_supervision = models.BooleanField(_("key supervision"), default=False)
    new_business_form = models.BooleanField(_("new business form"), default=False)
    observation_start = models.DateField(_("observation period start"), null=True, blank=True)
    observation_end = models.DateField(_("observation period end"), null=True, blank=True)
    major_hazard_source = models.BooleanField(_("major hazard source"), default=False)
    # Set by import or by hand until the credit and risk capabilities compute them (issue 8);
    # "" is unknown (not graded yet). Annual plans and random draws select entities by them.
    credit_grade = models.CharField(
        _("credit grade"), max_length=1, choices=CreditGrade.choices, blank=True, default=""
    )
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, blank=True, default=""
    )
    # A registry value (the bureau's review of the enterprise), entered like the risk level.
    # db_default: the registry import's COPY of new rows names its columns.
    standardisation_grade = models.CharField(
        _("work-safety standardisation grade"),
        max_length=8,
        choices=StandardisationGrade.choices,
        blank=True,
        default="",
        db_default="",
    )
    # Normalised name and former names (NFKC, case-folded), what the search matches against.
    search_text = models.TextField(editable=False, default="")
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    scope_region_field = "region_id"
    scope_entity_field = "id"  # an enterprise account sees its own entity (core/scope.py)
    objects = ScopedManager["Entity"]()

    class Meta:
        # Newest first, by primary key: lists and searches page by the key they are indexed
        # by. (A name order would need a second text index on a million rows, maintained on
        # every import, for an order — code points, not pinyin — nobody reads by.)
        ordering = ["-id"]
        verbose_name = _("market entity")
        verbose_name_plural = _("market entities")
        indexes = [
            models.Index(fields=["region", "industry"], name="entity_region_industry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observation_end__isnull=True)
                | models.Q(observation_start__isnull=True)
                | models.Q(observation_end__gte=models.F("observation_start")),
                name="entity_observation_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def in_observation_on(self, day: datetime.date) -> bool:
        """Inclusive-prudent supervision applies on `day` (N3.5)."""
        if not self.new_business_form or self.observation_start is None:
            return False
        # An open period (no end date, refused since issue 19) is no observation period.
        if self.observation_end is None:
            return False
        return self.observation_start <= day <= self.observation_end


class EntityNameGram(models.Model):
    """One two-character piece (bigram) of an entity's normalised names: the search index.

    A query of two or more characters is looked up by its bigrams here and then checked against
    `Entity.search_text`; see docs/decisions/0004-entity-search-bigram-table.md for why a table
    of our own rather than pg_trgm or SQLite FTS5.
    """

    pk = models.CompositePrimaryKey("gram", "entity")
    gram = models.BigIntegerField()
    # No database constraint and no index of its own: the rows are derived data that the
    # services rewrite with the name (by primary key: they know the old bigrams), and a
    # deferred foreign-key check plus a second B-tree per bigram were half of a million-row
    # import. Entities are closed, never deleted; a name change goes through
    # `services.entity_grams_replace`.
    entity = models.ForeignKey(
        Entity,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("name bigram")
        verbose_name_plural = _("name bigrams")

    def __str__(self) -> str:
        return chr(self.gram >> 21) + chr(self.gram & 0x1FFFFF)


class LicenceType(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("Work safety licence (安全生产许可证)")
    HAZCHEM_OPERATION = "hazchem_operation", _("Hazardous chemicals operation licence")
    HAZCHEM_SAFE_USE = "hazchem_safe_use", _("Hazardous chemicals safe-use licence")
    FIREWORKS_WHOLESALE = "fireworks_wholesale", _("Fireworks operation licence (wholesale)")
    FIREWORKS_RETAIL = "fireworks_retail", _("Fireworks operation licence (retail)")
    PRECURSOR_CHEM = "precursor_chem", _("Category-1 non-pharmaceutical precursor licence")


class LicenceStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("licence status", "Valid")
    SUSPENDED = "suspended", pgettext_lazy("licence status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("licence status", "Revoked")
    CANCELLED = "cancelled", pgettext_lazy("licence status", "Cancelled")


class Licence(models.Model):
    """An administrative licence held by an entity (N1.2): who approved it, and until when."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("market entity"), on_delete=models.CASCADE, related_name="licences"
    )
    licence_type = models.CharField(_("licence type"), max_length=32, choices=LicenceType.choices)
    number = models.CharField(_("licence number"), max_length=64)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100, blank=True)
    scope = models.CharField(_("licensed scope"), max_length=500, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    # Why the status is what it is, as the registry shows it: the decision that suspended or
    # revoked the licence (its number) and its date.
    status_reason = models.CharField(_("status changed by"), max_length=200, blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["Licence"]()

    class Meta:
        ordering = ["valid_until", "id"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        indexes = [models.Index(fields=["valid_until", "status"], name="licence_expiry_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_type", "number"], name="licence_unique_type_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_licence_type_display()} {self.number}"

    def in_force_on(self, day: datetime.date) -> bool:
        return (
            self.status == LicenceStatus.VALID
            and (self.valid_from is None or self.valid_from <= day)
            and day <= self.valid_until
        )


class FilingActivity(models.TextChoices):
    """Activities that require a filing (备案) with the supervising bureau."""

    EMERGENCY_PLAN = "emergency_plan", _("Emergency response plan (应急预案备案)")
    MAJOR_HAZARD = "major_hazard", _("Major hazard source (重大危险源备案)")
    PRECURSOR_CHEM = "precursor_chem", _("Category-2/3 non-pharmaceutical precursors")


class Filing(models.Model):
    """A filing (备案) for an activity that needs no approval but must be reported (N1.2)."""

    entity = models.ForeignKey(
        Entity, verbose_name=_("market entity"), on_delete=models.CASCADE, related_name="filings"
    )
    activity = models.CharField(_("activity"), max_length=32, choices=FilingActivity.choices)
    number = models.CharField(_("filing number"), max_length=64, blank=True)
    authority = models.CharField(_("filed with"), max_length=100, blank=True)
    filed_on = models.DateField(_("filed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["Filing"]()

    class Meta:
        ordering = ["-filed_on", "id"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        indexes = [models.Index(fields=["entity", "activity"], name="filing_entity_activity_idx")]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.filed_on}"

    def current_on(self, day: datetime.date) -> bool:
        return self.filed_on <= day and (self.valid_until is None or day <= self.valid_until)


class ImportKind(models.TextChoices):
    ENTITIES = "entities", _("Market entities")
    LICENCES = "licences", _("Licences")
    FILINGS = "filings", _("Filings")


class ImportBatch(models.Model):
    """One import of a file: what came in, what was accepted, and each rejected row's reason."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("importing jurisdiction"), on_delete=models.PROTECT, null=True
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("imported by"), on_delete=models.PROTECT, null=True
    )
    created_at = ClockDateTimeField(_("imported at"), auto_now_add=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"row": 7, "column": "统一社会信用代码", "value": "...", "reason": "..."}], first 10,000.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    scope_region_field = "region_id"
    objects = ScopedManager["ImportBatch"]()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
