"""The audit trail's words for the verifiable log (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.auditlog.models import ForkAlert

    register_actions(
        "auditlog",
        _("Verifiable audit log"),
        {
            "auditlog.fork.detected": _("Fork of the audit log detected"),
            "auditlog.fork.closed": _("Fork alert closed"),
        },
    )
    register_model(ForkAlert, lambda a: f"{a.origin} #{a.offered_size}")
