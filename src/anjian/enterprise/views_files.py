"""Files the enterprise downloads: the photos it sent with its rectification reports.

The evidence app's download is a staff page; an enterprise account reaches only the files its
own accounts attached to a correction order of its own entity (the order through the entity
scope: another entity's order is 404), served with the same hash check as the staff download.
Files the inspectors attached to the order are the bureau's and are not offered here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from anjian.accounts.roles import Capability
from anjian.core.web import capability_required
from anjian.enterprise.models import EnterpriseMember


def order_files(user: Any, order: Any) -> list[Any]:
    """The files the entity's own accounts sent on `order` (an order the user sees), not
    withdrawn, oldest first."""
    from anjian.evidence.selectors import evidence_for

    senders = EnterpriseMember.objects.filter(entity_id=order.record.entity_id).values("user_id")
    return list(evidence_for(order).filter(withdrawn_at__isnull=True, added_by_id__in=senders))


@capability_required(Capability.ENTERPRISE_SELF)
def order_file(request: HttpRequest, order_pk: int, pk: int) -> HttpResponseBase:
    from anjian.evidence.views import evidence_response
    from anjian.inspections.models import CorrectionOrder

    order = (
        CorrectionOrder.objects.visible_to(request.user)
        .select_related("record")
        .filter(pk=order_pk)
        .first()
    )
    if order is None:
        raise Http404
    evidence = next((e for e in order_files(request.user, order) if e.pk == pk), None)
    if evidence is None:
        raise Http404
    return evidence_response(evidence)
