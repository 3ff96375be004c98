"""Accident reports (事故快报, N4.2 事故强制报告; 生产安全事故报告和调查处理条例).

A unit's principal or safety manager reports an accident to the county bureau of its region
within ANJIAN_ACCIDENT_REPORT_HOURS (1) of it; an officer may instead record a report phoned in.
The bureau that receives it forwards it upward, each within ANJIAN_ACCIDENT_FORWARD_HOURS (2) of
receiving it, as far as the accident's level requires (art. 10): 一般 to the city, 较大 to the
province, 重大 and 特别重大 to the province and by it to the Ministry. Each level is one
`ChainStep`: when it received the report, by when it had to forward it, when and by whom it
did, and when an officer of that level first opened it (the "new" marker). Changes in
casualties within the supplement period are `Supplement`s; the report keeps the latest figures
and the level they give.

Who sees a report: the enterprise its entity's bound accounts; staff the bureaus of its chain
(the county at once, a level above once the report was forwarded to it), within their region.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.crypto import EncryptedTextField
from anjian.core.scope import ScopedQuerySet, visible_region_codes


class Source(models.TextChoices):
    ENTERPRISE = "enterprise", _("Reported by the enterprise online")
    PHONE = "phone", _("Received by phone and recorded by an officer")
    FOUND = "found", _("Found by the bureau, not reported by the unit")


class AccidentType(models.TextChoices):
    """What decides the supplement period (art. 13): road traffic and fire have 7 days."""

    WORKPLACE = "workplace", _("Production safety accident")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic accident")
    FIRE = "fire", _("Fire")


SHORT_SUPPLEMENT_TYPES = (AccidentType.ROAD_TRAFFIC, AccidentType.FIRE)


class Level(models.TextChoices):
    GENERAL = "general", _("General accident")
    LARGER = "larger", _("Larger accident")
    MAJOR = "major", _("Major accident")
    EXTRAORDINARY = "extraordinary", _("Extraordinarily serious accident")


class ChainLevel(models.TextChoices):
    COUNTY = "county", _("County level")
    CITY = "city", _("City level")
    PROVINCE = "province", _("Province level")


class AccidentQuerySet(ScopedQuerySet["AccidentReport"]):
    def visible_to(self, user: Any) -> AccidentQuerySet:
        """Region scope; and for staff (the province too) only the reports whose chain reached
        their bureau: a city sees a county's report once the county forwarded it."""
        codes = visible_region_codes(user)
        qs: Any = super().visible_to(user)
        if getattr(user, "is_superuser", False) or (codes is not None and not codes):
            return qs
        reached = ChainStep.objects.filter(bureau__region_id=user.scope_region_code).values(
            "report_id"
        )
        return qs.filter(pk__in=reached)


class AccidentManager(models.Manager["AccidentReport"]):
    def get_queryset(self) -> AccidentQuerySet:
        return AccidentQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> AccidentQuerySet:
        return self.get_queryset().visible_to(user)


class AccidentReport(models.Model):
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="accident_reports",
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    accident_type = models.CharField(
        _("type of accident"), max_length=16, choices=AccidentType.choices
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_at = ClockDateTimeField(_("reported at"), auto_now_add=True)
    place = models.CharField(_("place of the accident"), max_length=200)
    dead = models.PositiveIntegerField(_("dead"), default=0)
    injured = models.PositiveIntegerField(_("seriously injured"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    direct_loss = models.PositiveBigIntegerField(
        _("direct economic loss (yuan)"), null=True, blank=True
    )
    cause = models.TextField(_("preliminary cause"))
    measures = models.TextField(_("measures taken after the accident"))
    reporter_name = EncryptedTextField(_("name of the person reporting"))
    reporter_phone = EncryptedTextField(_("phone of the person reporting"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    level = models.CharField(_("accident level"), max_length=16, choices=Level.choices)
    late = models.BooleanField(_("reported late"), default=False)
    concealed_at = models.DateTimeField(_("concealment recorded at"), null=True, blank=True)
    concealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concealment recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    concealment = models.TextField(_("concealment found"), blank=True)

    scope_region_field = "region_id"
    scope_entity_field = "entity_id"
    objects = AccidentManager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("accident report")
        verbose_name_plural = _("accident reports")
        indexes = [models.Index(fields=["region", "-occurred_at"], name="accident_region_idx")]

    def __str__(self) -> str:
        return f"{self.entity.name} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def report_delay(self) -> datetime.timedelta:
        return self.reported_at - self.occurred_at

    def supplement_until(self) -> datetime.datetime:
        days = (
            settings.ANJIAN_ACCIDENT_SUPPLEMENT_DAYS_SHORT
            if self.accident_type in SHORT_SUPPLEMENT_TYPES
            else settings.ANJIAN_ACCIDENT_SUPPLEMENT_DAYS
        )
        return self.occurred_at + datetime.timedelta(days=days)


class ChainStep(models.Model):
    """One level of the chain: received, due to forward, forwarded (or not yet)."""

    report = models.ForeignKey(
        AccidentReport,
        verbose_name=_("accident report"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    level = models.CharField(_("level"), max_length=16, choices=ChainLevel.choices)
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"))
    # Blank where the chain ends for the accident's level (art. 10: 一般 at the city, 较大 at the
    # province); the province's step of a 重大 or 特别重大 accident is due too: its "forwarding"
    # is the report to the Ministry (应急管理部), which is not on the platform.
    due_at = models.DateTimeField(_("forward by"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    # Stamped when it forwarded after its due time: kept, so the flag does not depend on reading
    # the clock against two timestamps in every list.
    late = models.BooleanField(_("forwarded late"), default=False)
    # A supplement raised the level past the level where the chain had ended (art. 10): the
    # report goes on from this step, due two hours from the supplement, not from receipt.
    reopened_at = models.DateTimeField(_("reopened by a supplement at"), null=True, blank=True)

    class Meta:
        ordering = ["report", "received_at", "id"]
        verbose_name = _("reporting step")
        verbose_name_plural = _("reporting steps")
        constraints = [
            models.UniqueConstraint(fields=["report", "level"], name="accident_step_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.received_at:%Y-%m-%d %H:%M}"

    def late_at(self, now: datetime.datetime) -> bool:
        """Forwarded after its due time, or still not forwarded past it."""
        if self.due_at is None:
            return False
        return (self.forwarded_at or now) > self.due_at


class Supplement(models.Model):
    """A change in casualties (补报): the figures as they now stand."""

    report = models.ForeignKey(
        AccidentReport,
        verbose_name=_("accident report"),
        on_delete=models.CASCADE,
        related_name="supplements",
    )
    at = ClockDateTimeField(_("reported at"), auto_now_add=True)
    dead = models.PositiveIntegerField(_("dead"))
    injured = models.PositiveIntegerField(_("seriously injured"))
    missing = models.PositiveIntegerField(_("missing"))
    direct_loss = models.PositiveBigIntegerField(
        _("direct economic loss (yuan)"), null=True, blank=True
    )
    note = models.TextField(_("what changed"))
    level = models.CharField(_("accident level"), max_length=16, choices=Level.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("supplementary report")
        verbose_name_plural = _("supplementary reports")

    def __str__(self) -> str:
        return f"{self.report_id} {self.at:%Y-%m-%d %H:%M}"
