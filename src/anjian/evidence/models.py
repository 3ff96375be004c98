"""Evidence (证据): files kept by their SHA-256, and their attachment to records.

`StoredFile` is the bytes, once: its primary key is the SHA-256 of the content, its name in the
"evidence" storage is derived from it (storage.path_for). `Evidence` is one attachment of such a
file to a record of another app (an inspection record, a finding, a case): who added it, when,
under which name and caption. Evidence is never deleted: a mistaken attachment is withdrawn with
a reason, kept and shown struck through.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
from anjian.core.scope import ScopedManager
from anjian.evidence import storage
from anjian.evidence.filetypes import BY_CONTENT_TYPE


class StoredFile(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    size = models.BigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = ClockDateTimeField(_("stored"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256

    @property
    def path(self) -> str:
        return storage.path_for(self.sha256)


class Evidence(models.Model):
    stored_file = models.ForeignKey(
        StoredFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        related_name="attachments",
        db_column="sha256",
    )
    # The record it is attached to: the model's label ("inspections.finding") and primary key.
    # Not a generic foreign key on purpose: evidence outlives any mistake in the record's app,
    # and the registry (registry.py) decides who may see and attach.
    subject_type = models.CharField(_("record type"), max_length=100)
    subject_id = models.CharField(_("record id"), max_length=64)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by_name = models.CharField(_("added by"), max_length=150, blank=True)
    added_at = models.DateTimeField(_("added"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    scope_region_field = "region_id"
    objects = ScopedManager["Evidence"]()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="evidence_subject_idx")]
        constraints = [
            # The same bytes attached twice to one record are one attachment (the service
            # returns the existing one); after a withdrawal they may be attached again.
            models.UniqueConstraint(
                fields=["stored_file", "subject_type", "subject_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="evidence_once_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def sha256(self) -> str:
        return self.stored_file_id

    @property
    def size(self) -> int:
        return self.stored_file.size

    @property
    def content_type(self) -> str:
        return self.stored_file.content_type

    @property
    def type_label(self) -> str:
        kind = BY_CONTENT_TYPE.get(self.content_type)
        return kind.label if kind else self.content_type

    @property
    def is_image(self) -> bool:
        kind = BY_CONTENT_TYPE.get(self.content_type)
        return bool(kind and kind.inline)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
