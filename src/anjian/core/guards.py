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
