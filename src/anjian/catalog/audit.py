"""The audit trail's words for the catalog (registered from apps.py)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model, register_object_type


def _item_names(ids: Sequence[str]) -> dict[str, str]:
    from anjian.catalog.models import SupervisionItem
    from anjian.catalog.selectors import item_name_expression

    keys = [int(i) for i in ids if i.isdigit()]
    rows = (
        SupervisionItem.objects.filter(pk__in=keys)
        .annotate(name=item_name_expression("pk"))
        .values_list("pk", "code", "name")
    )
    return {str(pk): f"{code} {name or ''}".strip() for pk, code, name in rows}


def register() -> None:
    from anjian.catalog.models import (
        DiscretionBenchmark,
        ExemptionEntry,
        Standard,
        StandardDeclaration,
        SupervisionItem,
    )

    register_actions(
        "catalog",
        _("Supervision catalog"),
        {
            "catalog.item.created": _("Supervision item added"),
            "catalog.item.version_created": _("New version of a supervision item"),
            "catalog.benchmark.created": _("Discretion benchmark added"),
            "catalog.benchmark.version_created": _("New version of a discretion benchmark"),
            "catalog.standard.created": _("Standard added"),
            "catalog.standard.check_points_set": _("Standard's check points set"),
            "catalog.standard.declared": _("Self-declared standard recorded"),
            "catalog.standards.loaded": _("Standards catalogue loaded"),
            "catalog.responsibility.set": _("Responsibilities for a supervision item named"),
            "catalog.exemption.added": _("Exemption list entry added"),
            "catalog.exemption.withdrawn": _("Exemption list entry withdrawn"),
        },
    )
    register_object_type(SupervisionItem._meta.label_lower, _("supervision item"), _item_names)
    register_model(DiscretionBenchmark, lambda b: f"{b.code} {b.violation}"[:60])
    register_model(Standard, lambda s: f"{s.code} {s.title}")
    register_model(ExemptionEntry, lambda e: f"{e.get_kind_display()} {e.benchmark_code}")
    register_model(
        StandardDeclaration,
        lambda d: f"{d.standard.code} {d.entity.name}",
        related=("standard", "entity"),
    )
