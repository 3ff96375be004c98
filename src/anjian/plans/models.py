"""Annual inspection plans (年度监督检查计划, N1.3, N3.4): which entities, which items, how often,
by which division; the workflow history of each plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.scope import ScopedManager
from anjian.plans.states import PlanAction, PlanStatus


class Plan(models.Model):
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("drafted by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["Plan"]()

    class Meta:
        ordering = ["-year", "bureau_id", "id"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Frequency(models.IntegerChoices):
    YEARLY = 1, _("Once a year")
    HALF_YEARLY = 2, _("Twice a year")
    QUARTERLY = 4, _("Quarterly")
    MONTHLY = 12, _("Monthly")


class PlanLine(models.Model):
    """One line of a plan: an item, applied to entities chosen by rule or by list, so often."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        "catalog.SupervisionItem", verbose_name=_("supervision item"), on_delete=models.PROTECT
    )
    division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # Rule: industries (empty: any), key supervision only, major hazard sources only.
    industries = models.JSONField(_("industries"), default=list, blank=True)
    key_supervision_only = models.BooleanField(_("key-supervision entities only"), default=False)
    major_hazard_only = models.BooleanField(_("major hazard sources only"), default=False)
    entities = models.ManyToManyField(
        "entities.Entity", verbose_name=_("listed entities"), blank=True, related_name="+"
    )
    frequency = models.PositiveSmallIntegerField(
        _("frequency"), choices=Frequency.choices, default=Frequency.YEARLY
    )

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")

    def __str__(self) -> str:
        return f"{self.plan} / {self.item}"


class PlanEvent(models.Model):
    """The plan's history: one row per step, never changed (the audit trail has it too)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=PlanAction.choices)
    from_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"
