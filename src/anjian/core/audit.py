"""The audit trail's words for the core's own records (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.core.models import Region

    register_actions(
        "core",
        _("Platform core"),
        {
            "core.region.created": _("Administrative division added"),
            "core.region.updated": _("Administrative division changed"),
            "core.audit.purged": _("Audit events past the retention period purged"),
        },
    )
    register_model(Region, lambda r: r.name, numeric=False)
