"""Annual safety reports (年报, N4.2 年报公示).

An enterprise files one report per entity and year, in the form of its industry (the fields are
data: data/forms.json, read by fields.py). A report once filed is not edited: a correction is a
new version with its reason, and the latest version is the report. The portal shows the public
fields of the latest version (docs/annual-reports.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class AnnualReport(models.Model):
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    industry = models.CharField(_("industry"), max_length=32)
    values = models.JSONField(_("figures"), default=dict)
    reason = models.TextField(_("reason for the correction"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    filed_at = ClockDateTimeField(_("filed at"), auto_now_add=True)
    latest = models.BooleanField(_("latest version"), default=True)

    scope_region_field = "region_id"
    scope_entity_field = "entity_id"
    objects = ScopedManager["AnnualReport"]()

    class Meta:
        ordering = ["-year", "entity_id", "-version"]
        verbose_name = _("annual safety report")
        verbose_name_plural = _("annual safety reports")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "version"], name="annual_report_version_unique"
            ),
            models.UniqueConstraint(
                fields=["entity", "year"],
                condition=models.Q(latest=True),
                name="annual_report_one_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.name} {self.year} v{self.version}"
