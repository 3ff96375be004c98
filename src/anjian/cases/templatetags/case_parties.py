"""{% parties_panel case %}: the case's parties (双罚, cases/parties.py) on its page, each with
their proposal, hearing, decision and payment, kept in one include apart from the main steps."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.cases import parties

register = template.Library()


@register.inclusion_tag("cases/_parties.html", takes_context=True)
def parties_panel(context: Any, case: Any) -> dict[str, Any]:
    viewer = context["request"].user
    rows = parties.parties_of(viewer, case)
    return {
        "case": case,
        "rows": rows,
        "several": len(rows) > 1,
        "may_add": parties.may_add(viewer, case),
    }
