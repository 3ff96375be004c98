"""Inspection tasks (检查任务): what is to be inspected, where, by whom and by when.

Tasks come from annual plans now; draws, reports and warnings will add their own sources. The
on-site inspection record (issue 6) will complete a task; until then an officer records a task as
done with the date and the inspection record's number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.scope import ScopedManager


class TaskSource(models.TextChoices):
    PLAN = "plan", _("Annual plan")
    DRAW = "draw", _("Random draw")
    REPORT = "report", _("Complaint or report")
    WARNING = "warning", _("Risk warning")
    AD_HOC = "ad_hoc", _("Ad hoc")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionOutcome(models.TextChoices):
    """The published result of a random inspection (一公开): a category, never free text, so
    that nothing personal reaches the portal."""

    NO_PROBLEM = "no_problem", _("No problem found")
    CORRECTED = "corrected", _("Problems found; correction ordered")
    CASE = "case", _("Violations found; a case was opened")
    NOT_FOUND = "not_found", _("Not found at the registered address")
    CLOSED = "closed", _("Closed or not operating")


class InspectionTask(models.Model):
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
        db_index=False,  # the (entity, due_on) index serves lookups by entity
    )
    item = models.ForeignKey(
        "catalog.SupervisionItem",
        verbose_name=_("supervision item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16, choices=TaskSource.choices)
    plan_line = models.ForeignKey(
        "plans.PlanLine",
        verbose_name=_("plan line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    draw = models.ForeignKey(
        "draws.Draw",
        verbose_name=_("draw"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    joint_visit = models.ForeignKey(
        "draws.JointVisit",
        verbose_name=_("joint visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    # At least two for an enforcement act (行政处罚法 第四十二条); a draw assigns them, a plan's
    # task gets them when the division schedules it.
    inspectors = models.ManyToManyField(
        "accounts.User", verbose_name=_("inspectors"), blank=True, related_name="+"
    )
    period_start = models.DateField(_("period from"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_number = models.CharField(_("inspection record number"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Publication of a random inspection's result (一公开), due within 20 working days.
    outcome = models.CharField(
        _("result"), max_length=16, choices=InspectionOutcome.choices, blank=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "bureau__region_id"
    objects = ScopedManager["InspectionTask"]()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        indexes = [
            models.Index(fields=["bureau", "status", "due_on"], name="task_bureau_status_due_idx"),
            models.Index(fields=["entity", "due_on"], name="task_entity_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("period_start")),
                name="task_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.item_id} {self.due_on}"
