"""The audit trail's words for the publication of enforcement results (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.publications.models import Publication

    register_actions(
        "publications",
        _("Publication of enforcement results"),
        {
            "publications.publication.scheduled": _("Result queued for publication"),
            "publications.publication.published": _("Result published"),
            "publications.publication.withdrawn": _("Publication withdrawn"),
        },
    )
    register_model(Publication, lambda p: f"{p.get_kind_display()} {p.party_name}")
