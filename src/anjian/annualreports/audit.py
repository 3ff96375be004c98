"""The audit trail's words for annual safety reports (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.annualreports.models import AnnualReport

    register_actions(
        "annualreports",
        _("Annual safety reports"),
        {
            "annualreports.report.filed": _("Annual safety report filed"),
            "annualreports.report.corrected": _("Annual safety report corrected"),
        },
    )
    register_model(AnnualReport, lambda r: str(r), related=("entity",))
