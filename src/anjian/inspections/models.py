"""Inspection tasks (检查任务) and the on-site inspection (现场检查, N2.3): what is to be
inspected, where, by whom and by when; the record of the inspection with each check point's
answer; the hazards and violations found; correction orders, the enterprise's rectification
reports and re-inspections.

Tasks come from annual plans, draws and ad hoc decisions; reports and warnings will add their
own sources. Submitting the on-site record completes its task.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField
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
    # Fewer and smaller indexes than Django's one per foreign key: a province-wide draw inserts
    # tens of thousands of tasks in one transaction and pays for every index on every row. The
    # (bureau, status, due_on) index serves lookups by bureau; plan lines, joint visits and
    # recorders are absent from most rows, so their indexes hold only the rows that have one.
    bureau = models.ForeignKey(
        "accounts.Bureau",
        verbose_name=_("bureau"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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
        db_index=False,
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
        db_index=False,
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
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    record_number = models.CharField(_("inspection record number"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Publication of a random inspection's result (一公开), due within N working days
    # (ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS, default 20).
    outcome = models.CharField(
        _("result"), max_length=16, choices=InspectionOutcome.choices, blank=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "bureau__region_id"
    scope_member_field = "inspectors"  # its team sees it, wherever they work
    objects = ScopedManager["InspectionTask"]()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        indexes = [
            models.Index(fields=["bureau", "status", "due_on"], name="task_bureau_status_due_idx"),
            models.Index(fields=["entity", "due_on"], name="task_entity_due_idx"),
            models.Index(
                fields=["plan_line"],
                name="task_plan_line_idx",
                condition=models.Q(plan_line__isnull=False),
            ),
            models.Index(
                fields=["joint_visit"],
                name="task_joint_visit_idx",
                condition=models.Q(joint_visit__isnull=False),
            ),
            models.Index(
                fields=["done_by"],
                name="task_done_by_idx",
                condition=models.Q(done_by__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("period_start")),
                name="task_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.item_id} {self.due_on}"


# --- The on-site inspection (issue 6, N2.3) -------------------------------------------------


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Answer(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    HAZARD = "hazard", _("Hazard")
    VIOLATION = "violation", _("Violation")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# A hazard or violation answer is backed by a finding of the same kind before submission.
ANSWERS_NEEDING_FINDING = frozenset({Answer.HAZARD, Answer.VIOLATION})


class FindingKind(models.TextChoices):
    HAZARD = "hazard", _("Hazard")
    VIOLATION = "violation", _("Violation")


class HazardSeverity(models.TextChoices):
    """A hazard is general or major (重大事故隐患, by the ministry's criteria for each industry).
    A violation carries no severity here: its circumstance level is decided in the case."""

    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major accident hazard")


class InspectionRecord(models.Model):
    """The on-site inspection record (现场检查记录): who inspected what, when, where, in whose
    presence, each check point's answer and what was found. Every record belongs to a task; an
    ad hoc inspection first creates an ad hoc task. Submitted, it is final."""

    task = models.OneToOneField(
        InspectionTask,
        verbose_name=_("inspection task"),
        on_delete=models.PROTECT,
        related_name="record",
    )
    entity = models.ForeignKey(
        "entities.Entity",
        verbose_name=_("market entity"),
        on_delete=models.PROTECT,
        related_name="inspection_records",
    )
    bureau = models.ForeignKey(
        "accounts.Bureau", verbose_name=_("bureau"), on_delete=models.PROTECT, related_name="+"
    )
    # The bureau's region: the record is in the jurisdiction of the bureau that inspects.
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("record number"), max_length=64, unique=True)
    # Its place in the documents' inspection-record series of the start year (the number above).
    number_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The checklist versions in force on the inspection day (the law of the act's own date).
    item_versions = models.ManyToManyField(
        "catalog.ItemVersion", verbose_name=_("checklist versions"), related_name="+"
    )
    inspectors = models.ManyToManyField(
        "accounts.User", verbose_name=_("inspectors"), related_name="+"
    )
    place = models.CharField(_("place of inspection"), max_length=300)
    present_name = models.CharField(_("person present for the entity"), max_length=50)
    present_post = models.CharField(_("post of the person present"), max_length=50, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "region_id"
    scope_member_field = "inspectors"
    # The inspected enterprise reads its records once the inspectors have submitted them.
    scope_entity_field = "entity_id"
    scope_entity_only = models.Q(status="submitted")
    objects = ScopedManager["InspectionRecord"]()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")
        indexes = [
            models.Index(fields=["region", "status"], name="record_region_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CheckAnswer(models.Model):
    """One check point's answer in a record. Saved one at a time, so nothing is lost if the
    phone's signal drops in the middle of a mine site."""

    record = models.ForeignKey(
        InspectionRecord,
        verbose_name=_("inspection record"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    check_point = models.ForeignKey(
        "catalog.CheckPoint",
        verbose_name=_("check point"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered"))

    scope_region_field = "record__region_id"
    scope_member_field = "record__inspectors"
    scope_entity_field = "record__entity_id"
    scope_entity_only = models.Q(record__status="submitted")
    objects = ScopedManager["CheckAnswer"]()

    class Meta:
        ordering = ["record_id", "check_point__version_id", "check_point__order"]
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "check_point"], name="check_answer_unique_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.check_point_id} {self.answer}"


class Finding(models.Model):
    """A hazard (隐患) or violation (违法行为) found in an inspection. A hazard leads to a
    correction order; a violation to a case (cases.Case.findings)."""

    record = models.ForeignKey(
        InspectionRecord,
        verbose_name=_("inspection record"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    check_point = models.ForeignKey(
        "catalog.CheckPoint",
        verbose_name=_("check point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    description = models.TextField(_("description"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=HazardSeverity.choices, blank=True
    )
    benchmark = models.ForeignKey(
        "catalog.DiscretionBenchmark",
        verbose_name=_("discretion benchmark"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fact_date = models.DateField(_("date of the fact"))
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = ClockDateTimeField(_("recorded"), auto_now_add=True)

    scope_region_field = "record__region_id"
    scope_member_field = "record__inspectors"
    scope_entity_field = "record__entity_id"
    scope_entity_only = models.Q(record__status="submitted")
    objects = ScopedManager["Finding"]()

    class Meta:
        ordering = ["record_id", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="hazard", severity__in=["general", "major"])
                | models.Q(kind="violation", severity=""),
                name="finding_severity_for_hazards_only",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class OrderStatus(models.TextChoices):
    """Overdue is not stored: an open order past its deadline is overdue (see selectors)."""

    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified")
    ESCALATED = "escalated", _("Escalated")


class CorrectionOrder(models.Model):
    """An order to rectify within a time limit (责令限期整改指令书): which findings, by when."""

    record = models.ForeignKey(
        InspectionRecord,
        verbose_name=_("inspection record"),
        on_delete=models.PROTECT,
        related_name="correction_orders",
    )
    findings = models.ManyToManyField(
        Finding, verbose_name=_("findings"), related_name="correction_orders"
    )
    deadline = models.DateField(_("deadline"))
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.OPEN
    )
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_at = ClockDateTimeField(_("created"), auto_now_add=True)

    scope_region_field = "record__region_id"
    scope_member_field = "record__inspectors"
    scope_entity_field = "record__entity_id"
    scope_entity_only = models.Q(record__status="submitted")
    objects = ScopedManager["CorrectionOrder"]()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("correction order")
        verbose_name_plural = _("correction orders")
        indexes = [
            models.Index(fields=["status", "deadline"], name="order_status_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("issued_on")),
                name="order_deadline_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record.number} / {self.pk}"


class RectificationReport(models.Model):
    """The enterprise's report that it has rectified (整改报告): sent by an enterprise user, or a
    paper report recorded by an officer."""

    order = models.ForeignKey(
        CorrectionOrder,
        verbose_name=_("correction order"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    submitted_on = models.DateField(_("submitted on"))
    text = models.TextField(_("report"))
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    on_paper = models.BooleanField(_("paper report recorded by an officer"), default=False)
    created_at = ClockDateTimeField(_("recorded"), auto_now_add=True)

    scope_region_field = "order__record__region_id"
    scope_member_field = "order__record__inspectors"
    scope_entity_field = "order__record__entity_id"
    objects = ScopedManager["RectificationReport"]()

    class Meta:
        ordering = ["order_id", "submitted_on", "id"]
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")

    def __str__(self) -> str:
        return f"{self.order_id} {self.submitted_on}"


class ReinspectionResult(models.TextChoices):
    PASSED = "passed", _("Rectified")
    FAILED = "failed", _("Not rectified")


class Reinspection(models.Model):
    """A re-inspection (复查) of a correction order: passed closes the order, failed keeps it
    open (and the violation may go to a case)."""

    order = models.ForeignKey(
        CorrectionOrder,
        verbose_name=_("correction order"),
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    on = models.DateField(_("re-inspected on"))
    inspectors = models.ManyToManyField(
        "accounts.User", verbose_name=_("inspectors"), related_name="+"
    )
    result = models.CharField(_("result"), max_length=16, choices=ReinspectionResult.choices)
    opinion = models.TextField(_("opinion"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = ClockDateTimeField(_("recorded"), auto_now_add=True)

    scope_region_field = "order__record__region_id"
    scope_member_field = "order__record__inspectors"
    scope_entity_field = "order__record__entity_id"
    objects = ScopedManager["Reinspection"]()

    class Meta:
        ordering = ["order_id", "on", "id"]
        verbose_name = _("re-inspection")
        verbose_name_plural = _("re-inspections")

    def __str__(self) -> str:
        return f"{self.order_id} {self.on} {self.result}"
