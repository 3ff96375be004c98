"""The supervision catalog (监管事项目录清单, N1.1), checklists and guidelines (N2.3), the
standards register (N2.2) and discretion benchmarks (N5.1).

The law changes (REFERENCE.md: the 2021 安全生产法 renumbered and raised the penalties), and every
act must follow the law in force on its own date. So items and benchmarks are versioned by
effective date: a change is a new version with the date it takes effect and the reason, the
old version stays, and an inspection or a case keeps a reference to the version it used.
The catalog is province-wide and public (N2.1): it carries no region and no data scope.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class ActKind(models.TextChoices):
    INSPECTION = "inspection", _("Administrative inspection")
    PENALTY = "penalty", _("Administrative penalty")
    COERCION = "coercion", _("Administrative coercion")
    OTHER = "other", _("Other administrative act")


class CheckMethod(models.TextChoices):
    ONSITE = "onsite", _("On site")
    DOCUMENTS = "documents", pgettext_lazy("check method", "Documents")
    REMOTE = "remote", _("Remote")


class SupervisionItem(models.Model):
    """One supervision item; what it says lives in its versions."""

    code = models.CharField(_("item code"), max_length=20, unique=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")

    def __str__(self) -> str:
        return self.code

    def version_on(self, day: datetime.date) -> ItemVersion | None:
        """The version in force on `day`: the latest that took effect on or before it."""
        return self.versions.filter(effective_from__lte=day).order_by("-effective_from").first()

    def version_for(self, day: datetime.date) -> ItemVersion | None:
        """The version in force on `day`, or, for an item whose first version takes effect
        later, its latest: what a draw or task planned for `day` goes by."""
        return self.version_on(day) or self.versions.order_by("-effective_from").first()


class ItemVersion(models.Model):
    item = models.ForeignKey(
        SupervisionItem,
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    act_kind = models.CharField(_("kind of act"), max_length=16, choices=ActKind.choices)
    industries = models.JSONField(_("supervised industries"), default=list)
    scope = models.TextField(_("scope"), blank=True)
    levels = models.JSONField(_("levels that exercise it"), default=list)
    division = models.CharField(_("handling division"), max_length=100, blank=True)
    responsible_leader = models.CharField(_("responsible leader"), max_length=100, blank=True)
    handling_officer = models.CharField(_("handling officer"), max_length=100, blank=True)
    # [{"law", "version", "article", "clause", "text", "text_kind", "verified"}]
    legal_basis = models.JSONField(pgettext_lazy("supervision item", "legal basis"), default=list)
    # {"content", "method", "basis", "handling"}: the work guideline (监管工作指引)
    guideline = models.JSONField(_("work guideline"), default=dict, blank=True)
    effective_from = models.DateField(_("effective from"))
    reason = models.TextField(_("reason for the change"), blank=True)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["item_id", "number"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique_number"),
            models.UniqueConstraint(
                fields=["item", "effective_from"], name="item_version_unique_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number} {self.name}"


class CheckPoint(models.Model):
    """One point of an item version's inspection checklist (检查实施清单)."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="check_points")
    order = models.PositiveIntegerField(_("order"))
    content = models.TextField(_("what to check"))
    method = models.CharField(_("method"), max_length=16, choices=CheckMethod.choices)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    handling = models.TextField(_("handling of each result"), blank=True)

    class Meta:
        ordering = ["version_id", "order"]
        verbose_name = _("check point")
        verbose_name_plural = _("check points")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="check_point_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.content[:40]}"


class StandardKind(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("standard", "National")
    INDUSTRY = "industry", pgettext_lazy("standard", "Industry")
    LOCAL = "local", pgettext_lazy("standard", "Local")
    ENTERPRISE = "enterprise", pgettext_lazy("standard", "Enterprise self-declared")


class Standard(models.Model):
    """The standards register (N2.2): national, industry, local and enterprise standards."""

    code = models.CharField(_("standard code"), max_length=50, unique=True)
    title = models.CharField(pgettext_lazy("standard", "title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=StandardKind.choices)
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    industries = models.JSONField(_("industries"), default=list, blank=True)
    check_points = models.ManyToManyField(
        CheckPoint, verbose_name=_("check points"), related_name="standards", blank=True
    )
    declared_by = models.ManyToManyField(
        "entities.Entity",
        verbose_name=_("declared by"),
        related_name="declared_standards",
        blank=True,
        through="StandardDeclaration",
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class StandardDeclaration(models.Model):
    """An entity's public self-declaration of a standard it applies (企业标准自我声明公开, N2.2),
    recorded by the bureau that supervises the entity. The entity's name is public data; the
    record belongs to the entity's region, so only that jurisdiction records it.

    It is the through table of `Standard.declared_by` and keeps that table's name: it began as
    a plain many-to-many link and gained the date and the address when declarations got a page.
    """

    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.CASCADE,
        related_name="standard_declarations",
    )
    declared_on = models.DateField(_("declared on"))
    url = models.URLField(_("where it is published"), max_length=300, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True)
    recorded_at = ClockDateTimeField(_("recorded"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["StandardDeclaration"]()

    class Meta:
        db_table = "catalog_standard_declared_by"
        ordering = ["-declared_on", "-id"]
        unique_together = [("standard", "entity")]
        verbose_name = _("standard declaration")
        verbose_name_plural = _("standard declarations")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.standard_id}"


class CircumstanceLevel(models.TextChoices):
    MINOR = "minor", pgettext_lazy("circumstances", "Minor")
    ORDINARY = "ordinary", pgettext_lazy("circumstances", "Ordinary")
    SERIOUS = "serious", pgettext_lazy("circumstances", "Serious")
    GRAVE = "grave", pgettext_lazy("circumstances", "Grave")


LEVEL_ORDER = [c.value for c in CircumstanceLevel]


def level_label(level: dict[str, Any]) -> str:
    """A tier as the benchmark writes it: its own label, the circumstance level's name, or
    阶次A for a lettered tier."""
    name = str(level.get("level", ""))
    if level.get("label"):
        return str(level["label"])
    if name in LEVEL_ORDER:
        return str(CircumstanceLevel(name).label)
    return str(_("tier %(name)s") % {"name": name})


class PenaltyKind(models.TextChoices):
    ORDER_CORRECTION = "order_correction", _("Order to correct")
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    CONFISCATION = "confiscation", _("Confiscation of illegal gains")
    SUSPENSION = "suspension", _("Suspension of production or business")
    LICENCE_REVOCATION = "licence_revocation", _("Licence revocation")
    CLOSURE = "closure", _("Closure")


class DiscretionBenchmark(models.Model):
    """A discretion benchmark (自由裁量基准) for one violation, in force from a date.

    `levels`: [{"level", "conditions", "penalty_kinds", "fine_min", "fine_max"}], ordered from
    the lightest tier to the heaviest with fines rising (a benchmark whose tiers do not rise is
    refused). A tier is named as the benchmark writes it: the four circumstance levels of the
    older standards (minor … grave) or the letters of 应急〔2024〕90号 (A, B, C …); optional
    keys: "label", "when" (the conditions that choose it, over `questions`), "default",
    "fixed" (factors do not move it) and "grave".
    `questions`: what the officer answers about the facts, [{"key", "label", "kind":
    "count"|"share"|"yes_no"|"amount"|"repeat", "unit"}] (see catalog/discretion.py).
    `factors`: [{"name", "effect": "aggravating"|"mitigating", "description", "steps"}].
    """

    code = models.CharField(_("benchmark code"), max_length=30)
    violation = models.CharField(_("violation"), max_length=300)
    legal_provision = models.CharField(_("provision violated"), max_length=300)
    penalty_basis = models.CharField(_("penalty basis"), max_length=300)
    items = models.ManyToManyField(
        SupervisionItem, verbose_name=_("supervision items"), related_name="benchmarks"
    )
    levels = models.JSONField(_("circumstance levels"), default=list)
    factors = models.JSONField(_("factors"), default=list, blank=True)
    questions = models.JSONField(_("questions on the conditions"), default=list, blank=True)
    # Operating without the licence the activity needs (无证经营: 安全生产许可证条例 art. 19 …):
    # never sheltered by the observation period unless the exemption list names it (N3.5).
    unlicensed_operation = models.BooleanField(_("operating without a licence"), default=False)
    effective_from = models.DateField(_("effective from"))
    reason = models.TextField(_("reason for the change"), blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "effective_from"], name="benchmark_unique_code_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.violation}"

    @property
    def tiers(self) -> list[dict[str, Any]]:
        """The tiers with the name a reader sees (较重, 阶次C …), lightest first."""
        return [{**lv, "label": level_label(lv)} for lv in self.levels]


class ItemResponsibility(models.Model):
    """Who answers for a supervision item in one bureau (N1.1: 逐条明确分管负责人、承办机构、
    承办人员). Each province, city and county bureau names its own; a change here is not a
    change of the law, so it makes no new item version. Public with the catalog."""

    item = models.ForeignKey(
        SupervisionItem,
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="item_responsibilities",
    )
    leader = models.CharField(_("leader in charge"), max_length=50)
    handling_unit = models.CharField(_("handling unit"), max_length=100)
    officers = models.JSONField(_("handling officers"), default=list)
    updated_by = models.CharField(_("updated by"), max_length=150, blank=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    scope_region_field = "bureau__region"
    objects = ScopedManager["ItemResponsibility"]()

    class Meta:
        ordering = ["item_id", "bureau_id"]
        verbose_name = _("item responsibility")
        verbose_name_plural = _("item responsibilities")
        constraints = [
            models.UniqueConstraint(fields=["item", "bureau"], name="item_responsibility_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.bureau_id}"


class ExemptionKind(models.TextChoices):
    FIRST_OFFENCE = "first_offence", _("No penalty for a first offence (首违不罚)")
    MINOR = "minor", _("No penalty for a minor violation (轻微不罚)")


class ExemptionEntry(models.Model):
    """One row of the province's published exemption list (首违不罚清单 / 轻微违法行为免罚清单,
    行政处罚法 art. 33). Within an observation period (N3.5) a violation the list names is
    handled by guidance first even when unlicensed or of an ordinary or heavier tier. A row is
    never edited: it is withdrawn from a date and, if its wording changes, added again."""

    kind = models.CharField(_("kind of exemption"), max_length=16, choices=ExemptionKind.choices)
    benchmark_code = models.CharField(_("benchmark code"), max_length=30)
    violation = models.CharField(_("violation"), max_length=300)
    conditions = models.TextField(_("conditions of the exemption"))
    # The benchmark's tiers the row covers (["A"], ["minor", "ordinary"]); empty: any tier but
    # a grave one.
    tiers = models.JSONField(_("tiers covered"), default=list, blank=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    follow_up = models.CharField(_("follow-up supervision"), max_length=300, blank=True)
    source = models.CharField(_("published in"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    withdrawn_on = models.DateField(_("withdrawn from"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    verified = models.BooleanField(_("checked against the published text"), default=False)
    created_by = models.CharField(_("created by"), max_length=150, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "benchmark_code", "effective_from"]
        verbose_name = _("exemption list entry")
        verbose_name_plural = _("exemption list entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gt=models.F("effective_from")),
                name="exemption_withdrawn_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.benchmark_code}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.withdrawn_on is None or day < self.withdrawn_on)
