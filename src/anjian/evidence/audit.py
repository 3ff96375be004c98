"""The audit trail's words for evidence (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.evidence.models import Evidence

    register_actions(
        "evidence",
        _("Evidence"),
        {
            "evidence.file.added": _("Evidence added"),
            "evidence.file.withdrawn": _("Evidence withdrawn"),
        },
    )
    register_model(Evidence, lambda e: e.caption or e.original_name)
