"""The audit trail's words for enforcement documents (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.documents.models import BureauSeal, OfficialDocument

    register_actions(
        "documents",
        _("Enforcement documents"),
        {
            "documents.document.issued": _("Enforcement document issued"),
            "documents.document.revoked": _("Enforcement document revoked"),
            "documents.seal.uploaded": _("Electronic seal uploaded"),
            "documents.seal.removed": _("Electronic seal removed"),
            "documents.seal.used": _("Electronic seal stamped on a document"),
        },
    )
    register_model(OfficialDocument, lambda d: f"{d.get_kind_display()} {d.number}")
    register_model(BureauSeal, lambda s: f"{s.bureau} {s.sha256[:12]}")
