"""Publication of enforcement results (执法公示): what is shown on the portal about a decision,
already masked, from when, until when.

A publication is scheduled when a penalty decision is made, due within N working days of the
decision (`ANJIAN_PUBLICATION_DUE_WORKDAYS`, default 7), published by the bureau, and shown
until its period ends (国家发改委令第58号: 3 months to 3 years from the decision; work-safety
penalties at least `ANJIAN_PUBLICATION_MIN_MONTHS`, default 12). "Ended" is not stored: it is
`ends_on < today`. A withdrawn publication (the decision was revoked, or corrected and published
again) leaves the portal at once and keeps its reason.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class PublicationKind(models.TextChoices):
    PENALTY_DECISION = "penalty_decision", _("Penalty decision")


class PublicationStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PartyKind(models.TextChoices):
    UNIT = "unit", _("Unit")
    INDIVIDUAL_BUSINESS = "individual_business", _("Individual business")
    PERSON = "person", _("Natural person")


# The fields a publication may show, in the order the portal shows them (REFERENCE.md
# "Publication"; the 双公示 data standard). Values are plain strings, masked before storage.
FIELD_LABELS: dict[str, object] = {
    "party_name": _("Party"),
    "party_kind": _("Kind of party"),
    "party_uscc": _("Unified social credit code"),
    "legal_representative": _("Legal representative"),
    "decision_number": _("Decision number"),
    "violation": _("Type of violation"),
    "facts": _("Facts of the violation"),
    "basis": _("Basis of the penalty"),
    "penalty_kinds": _("Kinds of penalty"),
    "penalty": _("Content of the penalty"),
    "fine_wan": _("Fine (10,000 yuan)"),
    "confiscated_wan": _("Confiscated (10,000 yuan)"),
    "licence": _("Licence suspended or revoked"),
    "decided_on": _("Date of the decision"),
    "organ": _("Deciding organ"),
    "organ_uscc": _("Credit code of the deciding organ"),
    "data_source": _("Source of the data"),
}
# Accepted from callers and turned into a shown field: the fine in yuan becomes `fine_wan`.
INPUT_ONLY_FIELDS = frozenset({"fine_amount", "confiscated_amount"})


class Publication(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=PublicationKind.choices)
    # What is published: any record (a case, later a credit record), named by its model label.
    subject_type = models.CharField(_("subject type"), max_length=100)
    subject_id = models.CharField(_("subject id"), max_length=64)
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("publish by"))
    period_months = models.PositiveSmallIntegerField(_("period (months)"))
    ends_on = models.DateField(_("published until"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.SCHEDULED,
    )
    # Already masked (core.masking.mask_text); the portal shows these and nothing else.
    fields = models.JSONField(_("published fields"), default=dict)
    # Copies of two masked fields, for the portal's search.
    party_name = models.CharField(_("party"), max_length=200, db_index=True)
    party_uscc = models.CharField(_("unified social credit code"), max_length=32, db_index=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["Publication"]()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=~models.Q(status="withdrawn"),
                name="publication_once_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("decided_on")),
                name="publication_ends_after_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="publication_status_due"),
            # A record's publications, e.g. the cases of an entity on its profile: the unique
            # constraint above leads with the kind and holds only the rows not withdrawn, so
            # without this the profile read every publication (issue 24).
            models.Index(fields=["subject_type", "subject_id"], name="publication_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.fields.get('decision_number', '')} {self.party_name}".strip()

    def ended(self, today: datetime.date | None = None) -> bool:
        return self.ends_on < (today or timezone.localdate())

    def shown_fields(self) -> list[tuple[object, str]]:
        """(label, value) of the non-empty fields, in the portal's order."""
        shown = []
        for key, label in FIELD_LABELS.items():
            value = self.fields.get(key)
            if not value:
                continue
            if key == "party_kind" and value in PartyKind.values:
                value = PartyKind(value).label
            shown.append((label, value))
        return shown
