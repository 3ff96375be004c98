"""The audit trail's words for enforcement documents (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.documents.models import OfficialDocument

    register_actions(
        "documents",
        _("Enforcement documents"),
        {
            "documents.document.issued": _("Enforcement document issued"),
            "documents.document.revoked": _("Enforcement document revoked"),
        },
    )
    register_model(OfficialDocument, lambda d: f"{d.get_kind_display()} {d.number}")
