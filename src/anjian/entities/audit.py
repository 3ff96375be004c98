"""The audit trail's words for market entities (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.entities.models import Entity, Filing, ImportBatch, Licence

    register_actions(
        "entities",
        _("Market entities"),
        {
            "entities.entity.created": _("Market entity added"),
            "entities.entity.updated": _("Market entity's details changed"),
            "entities.entity.exported": _("Market entities exported"),
            "entities.licence.created": _("Licence recorded"),
            "entities.licence.status_changed": _("Licence status changed"),
            "entities.filing.created": _("Filing recorded"),
            "entities.import.entities": _("Market entities imported"),
            "entities.import.licences": _("Licences imported"),
            "entities.import.filings": _("Filings imported"),
        },
    )
    register_model(Entity, lambda e: e.name)
    register_model(Licence, lambda lic: f"{lic.number} {lic.entity.name}", related=("entity",))
    register_model(Filing, lambda f: f"{f.number} {f.entity.name}", related=("entity",))
    register_model(ImportBatch, lambda b: b.file_name)
