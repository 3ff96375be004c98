"""Enforcement documents (执法文书, N5.2): what was issued, under which number, with which
bytes. A document is never edited once issued; a correction is a revocation and a new document."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager


class DocumentKind(models.TextChoices):
    INSPECTION_RECORD = "inspection_record", _("On-site inspection record")
    CORRECTION_ORDER = "correction_order", _("Order to correct within a time limit")
    REINSPECTION_OPINION = "reinspection_opinion", _("Re-inspection opinion")
    PENALTY_NOTICE = "penalty_notice", _("Notice of proposed administrative penalty")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")
    # The case file (issue 19, kinds_casefile.py).
    FILING_APPROVAL = "filing_approval", _("Case filing approval form")
    CASE_HANDLING_APPROVAL = "case_handling_approval", _("Case handling approval form")
    HEARING_RIGHTS_NOTICE = "hearing_rights_notice", _("Notice of the right to a hearing")
    HEARING_NOTICE = "hearing_notice", _("Hearing notice")
    HEARING_RECORD = "hearing_record", _("Hearing record")
    STATEMENT_RECORD = "statement_record", _("Record of statement and defence")
    INTERVIEW_RECORD = "interview_record", _("Interview record")
    ONSITE_MEASURES = "onsite_measures", _("On-site measures decision")
    SEIZURE_DECISION = "seizure_decision", _("Sealing up or seizure decision")
    SEIZURE_RELEASE = "seizure_release", _("Release of sealing up or seizure decision")
    PAYMENT_REMINDER = "payment_reminder", _("Written reminder to pay")
    SURCHARGE_DECISION = "surcharge_decision", _("Late-payment surcharge decision")
    ENFORCEMENT_APPLICATION = "enforcement_application", _("Application for court enforcement")
    PAYMENT_DEFERRAL = "payment_deferral", _("Approval of deferred or instalment payment")
    CASE_TRANSFER = "case_transfer", _("Case transfer letter")
    CLOSING_APPROVAL = "closing_approval", _("Case closing approval form")
    SUPPLY_STOP_DECISION = "supply_stop_decision", _("Decision to stop power or explosives supply")
    SUPPLY_STOP_NOTICE = "supply_stop_notice", _("Notice to the supplier to stop supply")
    SUPPLY_STOP_RELEASE = "supply_stop_release", _("Notice lifting the stop of supply")
    # Credit supervision (issue 20, kinds_credit.py).
    DISHONESTY_LISTING = "dishonesty_listing", _("Decision to list as a seriously dishonest entity")


# The documents addressed to the party and served on it: what its enterprise account reads
# (the approval forms, interview and hearing records, transfers and the notice to a supplier
# are the bureau's own papers).
PARTY_KINDS = frozenset(
    {
        DocumentKind.INSPECTION_RECORD,
        DocumentKind.CORRECTION_ORDER,
        DocumentKind.REINSPECTION_OPINION,
        DocumentKind.PENALTY_NOTICE,
        DocumentKind.PENALTY_DECISION,
        DocumentKind.HEARING_RIGHTS_NOTICE,
        DocumentKind.HEARING_NOTICE,
        DocumentKind.ONSITE_MEASURES,
        DocumentKind.SEIZURE_DECISION,
        DocumentKind.SEIZURE_RELEASE,
        DocumentKind.PAYMENT_REMINDER,
        DocumentKind.SURCHARGE_DECISION,
        DocumentKind.PAYMENT_DEFERRAL,
        DocumentKind.SUPPLY_STOP_DECISION,
        DocumentKind.SUPPLY_STOP_RELEASE,
    }
)


def addressed_to_entities(entity_ids: list[int]) -> models.Q:
    """The documents addressed to the entities: a party kind, about a subject the entities may
    read under the subject model's own entity scope (a record, an order, the unit's case …).
    Documents know no subject app: every installed model declaring `scope_entity_field` counts,
    each as one subquery."""
    from django.apps import apps
    from django.db.models.functions import Cast

    from anjian.core.scope import entity_rows_q

    condition = models.Q(pk__in=[])
    for model in apps.get_models():
        field = getattr(model, "scope_entity_field", None)
        if not isinstance(field, str) or model is OfficialDocument:
            continue
        rows = (
            model._default_manager.filter(entity_rows_q(model, entity_ids))
            .annotate(subject_key=Cast("pk", models.CharField()))
            .values("subject_key")
        )
        condition |= models.Q(
            subject_type=ContentType.objects.get_for_model(model), subject_id__in=rows
        )
    return condition & models.Q(kind__in=PARTY_KINDS)


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class OfficialDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(_("subject"), max_length=64)
    # The head as printed: the organ's name then, and the check page's address then.
    organ_name = models.CharField(_("issuing organ"), max_length=100)
    check_url = models.CharField(_("check page"), max_length=300)
    # The validated context as rendered: with the number, the code and the date it re-renders
    # the same document.
    context = models.JSONField(_("context"))
    docx_file = models.CharField(_("DOCX file"), max_length=200)
    pdf_file = models.CharField(_("PDF file"), max_length=200)
    docx_sha256 = models.CharField(_("SHA-256 of the DOCX"), max_length=64)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    docx_size = models.PositiveIntegerField(_("DOCX size"))
    pdf_size = models.PositiveIntegerField(_("PDF size"))
    verification_code = models.CharField(_("verification code"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The electronic seal stamped on it (BureauSeal.sha256), blank: the placeholder "（印章）".
    seal_sha256 = models.CharField(_("SHA-256 of the seal"), max_length=64, blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    scope_entity_field = staticmethod(addressed_to_entities)
    objects = ScopedManager["OfficialDocument"]()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("enforcement document")
        verbose_name_plural = _("enforcement documents")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "kind", "year", "sequence"], name="document_number_once"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def verification_code_display(self) -> str:
        """The code in groups of four, as printed on the document."""
        c = self.verification_code
        return "-".join(c[i : i + 4] for i in range(0, len(c), 4))


class DocumentCounter(models.Model):
    """The last sequence number used per bureau, kind and year. Issuing locks the row, so
    numbers are allocated without gaps or duplicates (the issue rolls back with its number)."""

    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["bureau", "kind", "year"], name="document_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.bureau_id}/{self.kind}/{self.year}: {self.last}"


class BureauSeal(models.Model):
    """An electronic seal image (电子印章) a bureau's administrator uploaded. Rows are never
    deleted: a document names the seal it was stamped with by hash, and re-rendering it needs
    that image. The bureau's current seal is its newest active row."""

    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.CharField(_("file"), max_length=200)
    width = models.PositiveIntegerField(_("width (pixels)"))
    height = models.PositiveIntegerField(_("height (pixels)"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    uploaded_at = ClockDateTimeField(_("uploaded at"), auto_now_add=True)

    scope_region_field = "region_id"
    objects = ScopedManager["BureauSeal"]()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("electronic seal")
        verbose_name_plural = _("electronic seals")

    def __str__(self) -> str:
        return f"{self.bureau_id} {self.sha256[:12]}"
