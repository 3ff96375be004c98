"""`{% if region_code|in_scope_of:user %}`: whether a page may link to a record of that region.

A county inspector drawn onto a city's or the province's inspection team sees that task (the
task's member scope), but the entity it names lies in another county, whose profile answers
404 for them. A link that leads to 404 is a broken promise: show the name without the link.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import template

from anjian.core.scope import ALL, visible_region_codes

register = template.Library()


@register.filter
def in_scope_of(region_code: str, user: Any) -> bool:
    cached: Any = getattr(user, "_anjian_visible_codes", False)
    if cached is False:  # once per request's user: a list page asks for every row
        raw = visible_region_codes(user)
        cached = ALL if raw is ALL else frozenset(raw)
        with contextlib.suppress(AttributeError):
            user._anjian_visible_codes = cached
    codes: frozenset[str] | None = cached
    return codes is ALL or (codes is not None and region_code in codes)
