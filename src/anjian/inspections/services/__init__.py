"""Writes for inspections: tasks (made from an issued plan, by a draw or ad hoc), the on-site
record with its answers and findings, correction orders, rectification reports, re-inspections
and the escalation of overdue rectifications. Every write is checked, audited and scoped.

Callers import from here: `from anjian.inspections import services`.
"""

from anjian.inspections.services.records import (
    finding_add,
    finding_remove,
    record_answer,
    record_check_points,
    record_start,
    record_submit,
)
from anjian.inspections.services.rectification import (
    correction_order_issue,
    deadline_suggest,
    escalation_due,
    rectification_escalate,
    rectification_report,
    reinspection_record,
)
from anjian.inspections.services.tasks import (
    inspectors_check,
    period_slices,
    publication_due,
    task_assign_inspectors,
    task_complete,
    task_create_ad_hoc,
    task_result_publish,
    tasks_assign_inspectors,
    tasks_from_plan,
)

__all__ = [
    "correction_order_issue",
    "deadline_suggest",
    "escalation_due",
    "finding_add",
    "finding_remove",
    "inspectors_check",
    "period_slices",
    "publication_due",
    "record_answer",
    "record_check_points",
    "record_start",
    "record_submit",
    "rectification_escalate",
    "rectification_report",
    "reinspection_record",
    "task_assign_inspectors",
    "task_complete",
    "task_create_ad_hoc",
    "task_result_publish",
    "tasks_assign_inspectors",
    "tasks_from_plan",
]
