"""The verifiable log over the audit events: Merkle tree nodes, signed checkpoints, witnesses.

See docs/algorithms/audit-log.md. The tree is kept as its complete subtrees (`LogNode`): a leaf
is level 0, and the hash of the 2^level leaves starting at leaf `index * 2^level` is the node
(level, index). A node is written once, when its last leaf arrives, and never changes; it does not
refer to the event rows, so purging old event bodies leaves every root and proof computable.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField


class LogState(models.Model):
    """One row per hash algorithm: how many leaves the stored tree holds."""

    algorithm = models.CharField(max_length=8, primary_key=True)
    size = models.BigIntegerField(default=0)

    # Advanced on every append, never deleted (core/db_roles.py).
    db_app_privileges = "no_delete"

    class Meta:
        verbose_name = _("log state")

    def __str__(self) -> str:
        return f"{self.algorithm}: {self.size}"


def node_key(level: int, index: int) -> int:
    """One indexed integer per node, so that the O(log n) nodes of a proof are one `IN` query
    (SQLite does not use a two-column index for an OR of (level, index) pairs)."""
    return (level << 48) | index


class LogNode(models.Model):
    algorithm = models.CharField(max_length=8)
    key = models.BigIntegerField()  # node_key(level, index); for a leaf, its index
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    # A complete subtree's hash never changes once written: the application role may only add nodes.
    db_app_privileges = "append_only"

    class Meta:
        verbose_name = _("log tree node")
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "key"], name="auditlog_node_unique")
        ]

    def __str__(self) -> str:
        return f"{self.algorithm} {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed statement of the tree's size and root (c2sp.org/tlog-checkpoint)."""

    origin = models.CharField(_("origin"), max_length=200)
    algorithm = models.CharField(_("hash algorithm"), max_length=8)
    tree_size = models.BigIntegerField(_("tree size"))
    root_hash = models.CharField(_("root hash"), max_length=64)  # lower-case hex
    note = models.TextField(_("signed note"))  # the text and the log's own signature line
    key_name = models.CharField(_("signing key"), max_length=200)
    created_at = ClockDateTimeField(_("created at"))

    # A signed checkpoint is a published statement: never rewritten nor removed.
    db_app_privileges = "append_only"

    class Meta:
        verbose_name = _("checkpoint")
        ordering = ["-tree_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "algorithm", "tree_size"], name="auditlog_checkpoint_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin} #{self.tree_size}"


class Cosignature(models.Model):
    """A witness's signature line on a checkpoint (c2sp.org/tlog-cosignature)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures"
    )
    witness = models.CharField(_("witness"), max_length=200)
    line = models.TextField(_("signature line"))
    signed_at = models.DateTimeField(_("signed at"))

    # A witness may sign again (update_or_create), never remove a signature.
    db_app_privileges = "no_delete"

    class Meta:
        verbose_name = _("cosignature")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="auditlog_cosig_unique")
        ]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.checkpoint_id}"


class WitnessState(models.Model):
    """What this platform, acting as a witness, last cosigned for a log (by origin)."""

    witness = models.CharField(max_length=200)
    origin = models.CharField(max_length=200)
    tree_size = models.BigIntegerField()
    root_hash = models.CharField(max_length=64)
    updated_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("witness state")
        constraints = [
            models.UniqueConstraint(fields=["witness", "origin"], name="auditlog_witness_unique")
        ]

    def __str__(self) -> str:
        return f"{self.witness}: {self.origin} #{self.tree_size}"


class ForkReason(models.TextChoices):
    ROLLBACK = "rollback", _("The log is smaller than a checkpoint witnessed before")
    SPLIT = "split", _("Two checkpoints of the same size with different roots")
    INCONSISTENT = "inconsistent", _("The checkpoint does not extend the one witnessed before")
    NO_PROOF = "no_proof", _("The log gave no consistency proof")


class ForkAlert(models.Model):
    """A checkpoint that contradicts one already witnessed: shown to administrators until closed."""

    origin = models.CharField(_("origin"), max_length=200)
    witness = models.CharField(_("witness"), max_length=200)
    known_size = models.BigIntegerField(_("size witnessed before"))
    known_root = models.CharField(_("root witnessed before"), max_length=64)
    offered_size = models.BigIntegerField(_("size offered"))
    offered_root = models.CharField(_("root offered"), max_length=64)
    reason = models.CharField(_("reason"), max_length=16, choices=ForkReason.choices)
    note = models.TextField(_("offered checkpoint"))
    detected_at = ClockDateTimeField(_("detected at"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("fork alert")
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{self.origin} #{self.offered_size}"
