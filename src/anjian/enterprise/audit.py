"""The audit trail's words for the enterprise side (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.enterprise.models import (
        DocumentReceipt,
        EnterpriseMember,
        Invitation,
        ServiceAgreement,
    )

    register_actions(
        "enterprise",
        _("Enterprise service"),
        {
            "enterprise.invitation.issued": _("Enterprise invitation issued"),
            "enterprise.invitation.revoked": _("Enterprise invitation revoked"),
            "enterprise.invitation.activated": _("Enterprise account activated"),
            "enterprise.member.deactivated": _("Enterprise user deactivated"),
            "enterprise.member.activated": _("Enterprise user reactivated"),
            "enterprise.service.agreed": _("Agreement to electronic service recorded"),
            "enterprise.service.withdrawn": _("Agreement to electronic service withdrawn"),
            "enterprise.document.received": _("Receipt of a document confirmed"),
            "enterprise.self_inspection.submitted": _("Self-inspection filed"),
            "enterprise.self_hazard.rectified": _("Self-found hazard rectified"),
        },
    )
    register_model(
        EnterpriseMember, lambda m: f"{m.user} {m.entity.name}", related=("user", "entity")
    )
    register_model(
        Invitation, lambda i: f"{i.entity.name} {i.get_position_display()}", related=("entity",)
    )
    register_model(
        ServiceAgreement, lambda a: f"{a.entity.name} {a.agreed_on}", related=("entity",)
    )
    register_model(DocumentReceipt, lambda r: f"{r.document.number}", related=("document",))
