"""Regions (GB/T 2260) and the append-only audit trail.

Region codes are the primary key, so every record that carries a region stores the six-digit
code itself: a county's data can be found, exported and scoped without a join.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField

GENESIS_HASH = "0" * 64


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class Region(models.Model):
    """An administrative division: the province, a prefecture-level city or a county-level one."""

    code = models.CharField(_("region code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    statistical_only = models.BooleanField(
        _("statistics-only zone"),
        default=False,
        help_text=_("A zone used in statistics (e.g. 140171) that is not a GB/T 2260 division."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def full_name(self) -> str:
        parts = [self.name]
        parent = self.parent
        while parent is not None:
            parts.append(parent.name)
            parent = parent.parent
        return "".join(reversed(parts))


class AuditChainHead(models.Model):
    """The last link of the audit chain: one row, locked by every writer of the chain.

    Locking this row (SELECT ... FOR UPDATE on PostgreSQL, an IMMEDIATE transaction on SQLite)
    serialises appends, so two concurrent writers can never both extend the same event.
    """

    # The application role may lock and advance the row, never delete it (core/db_roles.py).
    db_app_privileges = "no_delete"

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)
    updated_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditEvent(models.Model):
    """One recorded step (全过程记录). Append-only: database triggers refuse UPDATE and DELETE.

    The hash covers the fields listed in docs/audit-chain.md; `changes` is covered through
    `digest`. No foreign keys: deleting or renaming a user must never touch an audit row.
    """

    # The application role may only read and append (core/db_roles.py).
    db_app_privileges = "append_only"

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    region = models.CharField(_("region code"), max_length=6, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=16)
    changes = models.JSONField(_("changes"), default=dict)
    digest = models.CharField(_("digest of the changes"), max_length=64)
    prev_hash = models.CharField(_("previous hash"), max_length=64, unique=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditPurge(models.Model):
    """A purge of the oldest audit events (retention, docs/security.md): the anchor from which
    the chain verifies afterwards. Append-only like the events (database triggers).

    `upto_seq`/`upto_hash` are the sequence number and hash of the last purged event: the first
    kept event's `prev_hash` must equal `upto_hash`. The purge itself is an event of the chain
    (`core.audit.purged`, with the same two values), appended right after the deletion."""

    upto_seq = models.BigIntegerField(_("last purged event"), unique=True)
    upto_hash = models.CharField(_("hash of the last purged event"), max_length=64)
    count = models.PositiveIntegerField(_("events purged"))
    cutoff = models.DateTimeField(_("purged events older than"))
    retention_days = models.PositiveIntegerField(_("retention (days)"))
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    purged_at = ClockDateTimeField(_("purged at"), auto_now_add=True)

    class Meta:
        ordering = ["-upto_seq"]
        verbose_name = _("audit purge")
        verbose_name_plural = _("audit purges")

    def __str__(self) -> str:
        return f"≤#{self.upto_seq}"
