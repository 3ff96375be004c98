"""The audit trail's words for inspections and rectification (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.inspections.models import (
        CorrectionOrder,
        Finding,
        InspectionRecord,
        InspectionTask,
        RectificationReport,
        Reinspection,
    )

    register_actions(
        "inspections",
        _("Inspections"),
        {
            "inspections.task.created": _("Inspection task created"),
            "inspections.task.assigned": _("Inspection task assigned"),
            "inspections.task.done": _("Inspection task completed"),
            "inspections.task.published": _("Inspection result published"),
            "inspections.record.started": _("On-site inspection started"),
            "inspections.record.answered": _("Check point result recorded"),
            "inspections.finding.added": _("Problem found recorded"),
            "inspections.finding.removed": _("Problem found deleted"),
            "inspections.record.submitted": _("Inspection record submitted"),
            "inspections.order.issued": _("Order to rectify within a time limit issued"),
            "inspections.rectification.reported": _("Rectification report received"),
            "inspections.reinspection.recorded": _("Re-inspection recorded"),
            "inspections.order.escalated": _("Overdue rectification escalated"),
        },
    )
    register_model(
        InspectionTask,
        lambda t: f"{t.entity.name} {t.item.code}",
        related=("entity", "item"),
    )
    register_model(InspectionRecord, lambda r: r.number)
    register_model(Finding, lambda f: f.record.number, related=("record",))
    register_model(CorrectionOrder, lambda o: o.record.number, related=("record",))
    register_model(RectificationReport, lambda r: r.order.record.number, related=("order__record",))
    register_model(Reinspection, lambda r: r.order.record.number, related=("order__record",))
