"""The audit trail's words for double-random draws (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.draws.models import Draw, InspectorConflict, JointVisit, RandomCheckItem

    register_actions(
        "draws",
        _("Random inspections"),
        {
            "draws.draw.created": _("Draw created"),
            "draws.draw.abandoned": _("Draw abandoned"),
            "draws.draw.committed": _("Draw committed and its commitment published"),
            "draws.draw.drawn": _("Random draw carried out"),
            "draws.draw.exported": _("Draw result exported"),
            "draws.conflict.declared": _("Conflict of interest declared"),
            "draws.item.added": _("Random check item added"),
            "draws.joint.merged": _("Joint inspection arranged"),
        },
    )
    register_model(Draw, lambda d: d.title)
    register_model(
        InspectorConflict,
        lambda c: f"{c.inspector.full_name or c.inspector.username} × {c.entity.name}",
        related=("inspector", "entity"),
    )
    register_model(RandomCheckItem, lambda r: r.item.code, related=("item",))
    register_model(JointVisit, lambda v: v.entity.name, related=("entity",))
