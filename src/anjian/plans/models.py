"""Annual inspection plans (年度监督检查计划, N1.3, N3.4): which entities, which items, how often,
by which division; the workflow history of each plan."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager
from anjian.plans.states import PlanAction, PlanStatus


class InspectionPlan(models.Model):
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
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)
    updated_at = ClockDateTimeField(_("updated"), auto_now=True)

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["InspectionPlan"]()

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

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="lines")
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
    # Empty: any grade / any level (N3.2, N3.4: frequency by credit grade and risk level).
    credit_grades = models.JSONField(_("credit grades"), default=list, blank=True)
    risk_levels = models.JSONField(_("risk levels"), default=list, blank=True)
    # The months of the year the line runs in (whole months; the services fill both).
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # A line names its entities either by rule or by an explicit list; with a list, the list
    # alone decides and the rule fields above are ignored.
    by_list = models.BooleanField(_("by explicit list"), default=False)
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

    def period(self, year: int) -> tuple[datetime.date, datetime.date]:
        return (
            self.starts_on or datetime.date(year, 1, 1),
            self.ends_on or datetime.date(year, 12, 31),
        )


class PlanEvent(models.Model):
    """The plan's history: one row per step, never changed (the audit trail has it too)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=16, choices=PlanAction.choices)
    from_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    comment = models.TextField(_("comment"), blank=True)
    at = ClockDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"
