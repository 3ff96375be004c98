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


def invitations_of(*, user: Any, entity: Any) -> list[Any]:
    from anjian.enterprise.models import Invitation

    return list(
        Invitation.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("issued_by", "used_by")[:50]
    )


def members_of(*, user: Any, entity: Any) -> list[EnterpriseMember]:
    """The entity's users, for its bureau or for the enterprise's own users."""
    return list(
        EnterpriseMember.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("user")
        .order_by("-active", "position", "id")
    )


def home_counts(user: Any) -> dict[str, Any]:
    """What the enterprise's home shows beside its card (filled by the steps that follow)."""
    return {}


def home_waiting(user: Any) -> list[tuple[Any, int, str, str]]:
    """(label, count, url, tone) of what waits for the enterprise (filled by later steps)."""
    return []
