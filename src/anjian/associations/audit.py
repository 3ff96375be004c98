"""The audit trail's words for industry associations (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.associations.models import Association

    register_actions(
        "associations",
        _("Industry associations"),
        {
            "associations.association.created": _("Industry association registered"),
            "associations.association.member_added": _("Member unit added to an association"),
            "associations.association.account_bound": _("Account bound to an association"),
            "associations.association.convention_published": _("Convention published"),
            "associations.association.member_removed": _("Member unit removed from an association"),
            "associations.association.member_requested": _(
                "Association asked to add or remove a member unit"
            ),
            "associations.association.member_request_decided": _(
                "Association's membership request decided"
            ),
            "associations.association.convention_withdrawn": _("Convention withdrawn"),
        },
    )
    register_model(Association, lambda a: a.name)
