"""Pages of the platform core: the audit trail (scoped) and the region register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.roles import Capability
from anjian.core import selectors
from anjian.core.audit_labels import action_choices, changes_rows, label_events
from anjian.core.models import RegionLevel
from anjian.core.web import capability_required, htmx_partial, paginate


@capability_required(Capability.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.audit_event_list(user=request.user)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(actor=actor)
    page = paginate(request, qs)
    template = "core/_audit_rows.html" if htmx_partial(request) else "core/audit_list.html"
    return render(
        request,
        template,
        {"page": page, "action": action, "actor": actor, "action_choices": action_choices()},
    )


@capability_required(Capability.AUDIT_VIEW)
def audit_detail(request: HttpRequest, seq: int) -> HttpResponse:
    event = selectors.audit_event_get(user=request.user, seq=seq)
    label_events([event])
    return render(
        request,
        "core/audit_detail.html",
        {"event": event, "change_rows": changes_rows(event)},
    )


@capability_required(Capability.WORKSPACE)
def region_list(request: HttpRequest) -> HttpResponse:
    parent = request.GET.get("parent", "")
    level = request.GET.get("level", "") or ("" if parent else RegionLevel.CITY)
    regions = selectors.region_list(level=level or None, parent=parent or None)
    return render(
        request,
        "core/region_list.html",
        {"regions": regions, "parent": parent, "level": level, "levels": RegionLevel.choices},
    )
