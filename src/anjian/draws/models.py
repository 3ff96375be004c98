"""Random inspections (双随机、一公开, N3.3): the random-check item list, the ratio table, declared
conflicts of inspectors, and draws with their frozen directory, commitment, selection and
inspector assignment. docs/algorithms/draw.md specifies the draw itself."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import CreditGrade, RiskLevel
from anjian.core.clock import ClockDateTimeField
from anjian.core.crypto import EncryptedTextField
from anjian.core.scope import ScopedManager
from anjian.draws.states import DrawStatus, StrataBy


class RandomCheckItem(models.Model):
    """抽查事项清单: a supervision item that is checked by random draw, by which division."""

    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "catalog.SupervisionItem",
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The orders of the check points (of the item version in force) that a random check covers;
    # empty: all of them.
    check_points = models.JSONField(_("check points"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["RandomCheckItem"]()

    class Meta:
        ordering = ["bureau_id", "id"]
        verbose_name = _("random-check item")
        verbose_name_plural = _("random-check items")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "item"], name="random_check_item_once"),
        ]

    def __str__(self) -> str:
        return str(self.item)


class SamplingRatio(models.Model):
    """One cell of a bureau's ratio table (N3.2 差异化抽查比例): the share of entities of a credit
    grade and risk level to draw, in parts per ten thousand. Blank grade or level: not graded."""

    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.CASCADE, related_name="+"
    )
    credit_grade = models.CharField(
        _("credit grade"), max_length=1, choices=CreditGrade.choices, blank=True
    )
    risk_level = models.CharField(
        _("risk level"), max_length=16, choices=RiskLevel.choices, blank=True
    )
    ratio = models.PositiveIntegerField(_("ratio (per ten thousand)"))

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["SamplingRatio"]()

    class Meta:
        ordering = ["bureau_id", "credit_grade", "risk_level"]
        verbose_name = _("sampling ratio")
        verbose_name_plural = _("sampling ratios")
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "credit_grade", "risk_level"], name="sampling_ratio_cell_once"
            ),
            models.CheckConstraint(condition=models.Q(ratio__lte=10000), name="ratio_at_most_all"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_grade or '—'}/{self.risk_level or '—'}: {self.ratio}"


class InspectorConflict(models.Model):
    """回避: an inspector's declared conflict of interest with an entity."""

    inspector = models.ForeignKey(
        "accounts.User", verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="+"
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200)
    declared_at = ClockDateTimeField(_("declared"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["InspectorConflict"]()

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "entity"], name="conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inspector_id} × {self.entity_id}"


class Draw(models.Model):
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    items = models.ManyToManyField(RandomCheckItem, verbose_name=_("random-check items"))
    status = models.CharField(
        _("status"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.DRAFT
    )
    # What is drawn from (the directory) and how.
    filters = models.JSONField(_("directory filters"), default=dict, blank=True)
    strata_by = models.CharField(
        _("strata"), max_length=16, choices=StrataBy.choices, default=StrataBy.INDUSTRY
    )
    ratios = models.JSONField(_("ratio table"), default=dict, blank=True)  # "grade|level": per 10k
    default_ratio = models.PositiveIntegerField(_("default ratio (per ten thousand)"), default=500)
    recent_months = models.PositiveSmallIntegerField(_("recently inspected: months"), default=0)
    recent_factor = models.PositiveSmallIntegerField(
        _("recently inspected: weight in percent (0 excludes)"), default=100
    )
    forced = models.JSONField(_("forced in (credit codes)"), default=list, blank=True)
    # How inspectors are assigned.
    inspection_from = models.DateField(_("inspections from"))
    inspection_until = models.DateField(_("inspections until"))
    inspectors_per_entity = models.PositiveSmallIntegerField(_("inspectors per entity"), default=2)
    avoid_own_county = models.BooleanField(
        _("no inspector from the entity's county"), default=False
    )
    max_per_inspector = models.PositiveIntegerField(_("most entities per inspector"), default=20)
    # A redo names the draw it redoes and why; both stay published.
    redo_of = models.ForeignKey(
        "self",
        verbose_name=_("redo of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redos",
    )
    redo_reason = models.TextField(_("reason for the redo"), blank=True)
    # The commitment (published at commit) and what the draw produced (published at the draw).
    directory_size = models.PositiveIntegerField(_("directory size"), default=0)
    directory_hash = models.CharField(_("directory hash"), max_length=64, blank=True)
    directory_file = models.CharField(max_length=300, blank=True, editable=False)
    commitment = models.CharField(_("commitment"), max_length=64, blank=True)
    # Sealed (SM4-GCM, key outside the database) from the commit until and after the draw; the
    # page and the API show it once drawn.
    secret = EncryptedTextField(blank=True, editable=False)
    pool_hash = models.CharField(_("inspector pool hash"), max_length=64, blank=True)
    pool_file = models.CharField(max_length=300, blank=True, editable=False)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    quotas = models.JSONField(_("quotas"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The SHA-256 of each published file (draws/publication.py), kind -> hash: the file is stored
    # under that hash, and a stored file that no longer hashes to it is refused when served.
    files = models.JSONField(_("published files"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["Draw"]()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")

    def __str__(self) -> str:
        return self.title

    @property
    def public(self) -> bool:
        return self.status in (DrawStatus.COMMITTED, DrawStatus.DRAWN)


# Why an inspector was not eligible, rule by rule (draws.algorithm.RULES).
RULE_LABELS = {
    "specialty": _("specialty does not fit"),
    "certificate": _("certificate not valid on the day"),
    "own_county": _("from the entity's county"),
    "conflict": _("declared conflict"),
    "last_inspector": _("inspected it last time"),
    "workload": _("at the most entities allowed"),
}


def unassigned_text(reasons: dict[str, Any] | None) -> str:
    """A refusal in words (`DrawSelection.unassigned_reasons`): how many inspectors each rule
    excluded."""
    excluded = (reasons or {}).get("excluded", {})
    return "；".join(
        f"{RULE_LABELS.get(rule, rule)} {count}" for rule, count in excluded.items() if count
    )


class DrawSelection(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="selections")
    entity = models.ForeignKey(
        "entities.Entity", verbose_name=_("market entity"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    stratum = models.CharField(_("stratum"), max_length=64)
    forced = models.BooleanField(_("forced in"), default=False)
    probability = models.FloatField(_("inclusion probability"))
    # Why the pool could not supply inspectors for this entity, rule by rule; empty when assigned.
    unassigned_reasons = models.JSONField(default=dict, blank=True)
    # The team as drawn: user pks in the order the algorithm chose them (section 9). A fact of
    # the published result, kept with it on this row and never edited; the working team is the
    # tasks' (InspectionTask.inspectors), which a division may later change. One list per row
    # instead of a table of (selection, user) rows: a province-wide draw writes 89,640 fewer
    # rows and foreign-key checks (docs/decisions/0009-draw-time-budget.md).
    team = models.JSONField(_("inspectors"), default=list, blank=True)

    class Meta:
        ordering = ["draw_id", "id"]
        verbose_name = _("drawn entity")
        verbose_name_plural = _("drawn entities")
        constraints = [
            models.UniqueConstraint(fields=["draw", "entity"], name="drawn_once_per_draw"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.entity_id}"

    def team_members(self) -> list[Any]:
        """The team's users in drawn order (set by `selectors.teams_attach` for a page of rows,
        fetched here otherwise)."""
        members = getattr(self, "_team_members", None)
        if members is None:
            from anjian.accounts.models import User

            by_pk = User.objects.in_bulk(self.team)
            members = [by_pk[pk] for pk in self.team if pk in by_pk]
        return members

    def unassigned_text(self) -> str:
        return unassigned_text(self.unassigned_reasons)


class JointVisit(models.Model):
    """进一次门，查多项事: one visit to an entity that several draws of the same period drew, with
    all their items. The tasks of those draws for the entity point here."""

    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "entities.Entity", verbose_name=_("market entity"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    draws = models.ManyToManyField(Draw, verbose_name=_("draws"), related_name="joint_visits")
    window_from = models.DateField(_("inspections from"))
    window_until = models.DateField(_("inspections until"))
    inspectors = models.ManyToManyField(
        "accounts.User", verbose_name=_("inspectors"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "entity__region_id"
    objects = ScopedManager["JointVisit"]()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("joint visit")
        verbose_name_plural = _("joint visits")

    def __str__(self) -> str:
        return f"{self.entity_id} {self.window_from}"
