"""The audit trail's words for annual inspection plans (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.plans.models import InspectionPlan

    register_actions(
        "plans",
        _("Annual inspection plans"),
        {
            "plans.plan.created": _("Annual plan drafted"),
            "plans.line.added": _("Plan line added"),
            "plans.line.removed": _("Plan line removed"),
            "plans.plan.submit": _("Annual plan submitted for approval"),
            "plans.plan.approve": _("Annual plan approved"),
            "plans.plan.reject": _("Annual plan returned for revision"),
            "plans.plan.issue": _("Annual plan issued"),
            "plans.plan.file": _("Annual plan filed with the bureau above"),
        },
    )
    register_model(InspectionPlan, lambda p: p.title)
