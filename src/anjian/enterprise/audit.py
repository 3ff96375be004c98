"""The audit trail's words for the enterprise side (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.enterprise.models import EnterpriseMember, Invitation

    register_actions(
        "enterprise",
        _("Enterprise service"),
        {
            "enterprise.invitation.issued": _("Enterprise invitation issued"),
            "enterprise.invitation.revoked": _("Enterprise invitation revoked"),
            "enterprise.invitation.activated": _("Enterprise account activated"),
            "enterprise.member.deactivated": _("Enterprise user deactivated"),
            "enterprise.member.activated": _("Enterprise user reactivated"),
        },
    )
    register_model(
        EnterpriseMember, lambda m: f"{m.user} {m.entity.name}", related=("user", "entity")
    )
    register_model(
        Invitation, lambda i: f"{i.entity.name} {i.get_position_display()}", related=("entity",)
    )
