"""{% execution_panel case %}: the unpaid fine's dates and steps and the handling period on the
case page (cases/execution.py), kept in one include apart from the main steps."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.cases.execution import execution_panel as panel

register = template.Library()


@register.inclusion_tag("cases/_execution.html", takes_context=True)
def execution_panel(context: Any, case: Any) -> dict[str, Any]:
    out = panel(context["request"].user, case)
    out["csrf_token"] = context.get("csrf_token")
    return out
