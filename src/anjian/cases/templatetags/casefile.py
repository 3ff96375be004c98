"""{% casefile_panel case %}: the case file on the case page (issue 19): the link to the whole
file as one PDF, the documents the viewer may issue now, and the art. 70 supply stops."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.accounts.roles import Capability
from anjian.cases.casefile_documents import on_demand_for
from anjian.cases.models import SupplyKind
from anjian.cases.states import ENDED_STATES, CaseState
from anjian.documents.models import DocumentKind

register = template.Library()


@register.inclusion_tag("cases/_casefile.html", takes_context=True)
def casefile_panel(context: Any, case: Any) -> dict[str, Any]:
    user = context["request"].user
    may_stop = (
        case.state not in ENDED_STATES
        and case.state != CaseState.FILING
        and getattr(user, "bureau_id", None) == case.bureau_id
        and bool(user.can(Capability.CASES_APPROVE))
    )
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "on_demand": [(k, DocumentKind(k).label) for k in on_demand_for(user, case)],
        "supply_stops": list(case.supply_stops.all()),
        "may_stop": may_stop,
        "supply_kinds": SupplyKind.choices,
    }
