"""Checks every service makes before it writes: the actor's role, and the record's jurisdiction."""

from __future__ import annotations

from typing import Any

from anjian.core.errors import NotFound, NotPermitted
from anjian.core.scope import visible_region_codes
from anjian.core.services import Actor


def actor_require(actor: Any, capability: Any) -> None:
    """Refuse an actor whose roles lack the capability. The system itself (an `Actor`: the demo
    loader, migrations, the CLI run by an operator) is not a person with roles and passes."""
    if isinstance(actor, Actor):
        return
    if not actor.can(capability):
        raise NotPermitted()


def actor_require_region(actor: Any, region_code: str | None) -> None:
    """Refuse a region outside the actor's jurisdiction, as not found (scope errors are 404)."""
    if isinstance(actor, Actor):
        return
    codes = visible_region_codes(actor)
    if codes is None:
        return
    if not region_code or region_code not in codes:
        raise NotFound()


def actor_require_visible(actor: Any, obj: Any) -> None:
    """Refuse a record the actor may not see, as not found: the data-scope rule of its model
    (`visible_to`: its jurisdiction, and its team where the model has `scope_member_field`)."""
    if isinstance(actor, Actor):
        return
    if not type(obj)._default_manager.visible_to(actor).filter(pk=obj.pk).exists():
        raise NotFound()
