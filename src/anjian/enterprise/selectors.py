"""Reads of the enterprise side."""

from __future__ import annotations

from typing import Any

from anjian.enterprise.models import EnterpriseMember


def bound_entity_ids(user: Any) -> list[int]:
    """The entities an enterprise account is bound to (active bindings only)."""
    if not getattr(user, "pk", None):
        return []
    return list(
        EnterpriseMember.objects.filter(user_id=user.pk, active=True).values_list(
            "entity_id", flat=True
        )
    )
