"""The public credit query (信用查询) on the portal, without login: an entity by name or unified
social credit code, its grade in force, its public records that still count (penalties,
judicial transfers; a manual record marked public), and its list status. Every text shown is
masked (`core.masking.mask_text`: natural persons' names, ID numbers, phones, home addresses,
bank accounts), keeping the entity's own name; the legal representative is not shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core import clock
from anjian.core.masking import mask_text
from anjian.credit.dishonesty import in_force
from anjian.credit.models import CreditRecord, EntityCredit, RecordStatus
from anjian.entities.models import Entity

MAX_RESULTS = 20


@dataclass
class PublicRecord:
    occurred_on: object
    kind: str
    title: str
    counts_until: object
    organ: str


def _search(q: str) -> list[Entity]:
    q = q.strip()
    if not q:
        return []
    if len(q) == 18 and q.isalnum():
        return list(Entity.objects.filter(uscc=q.upper()).select_related("region"))
    if len(q) < 2:
        return []
    return list(
        Entity.objects.filter(Q(name__contains=q))
        .select_related("region")
        .order_by("name", "id")[:MAX_RESULTS]
    )


def portal_credit_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    found = _search(q)
    grades = dict(
        EntityCredit.objects.filter(pk__in=[e.pk for e in found]).values_list("pk", "grade")
    )
    rows = [(e, grades.get(e.pk) or e.credit_grade) for e in found]
    return render(
        request,
        "credit/portal_search.html",
        {"q": q, "rows": rows, "searched": bool(q.strip()), "max": MAX_RESULTS},
    )


def public_records(entity: Entity) -> list[PublicRecord]:
    today = clock.today()
    records = (
        CreditRecord.objects.filter(
            entity=entity,
            public=True,
            status=RecordStatus.ACTIVE,
            occurred_on__lte=today,
            counts_until__gt=today,
        )
        .select_related("bureau")
        .order_by("-occurred_on", "-id")
    )
    return [
        PublicRecord(
            occurred_on=r.occurred_on,
            kind=r.get_kind_display(),
            title=mask_text(r.title, keep=[entity.name]),
            counts_until=r.counts_until,
            organ=r.bureau.name if r.bureau else "",
        )
        for r in records
    ]


def portal_credit_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    entity = Entity.objects.select_related("region").filter(uscc=uscc.upper()).first()
    if entity is None:
        raise Http404
    credit = EntityCredit.objects.filter(pk=entity.pk).first()
    return render(
        request,
        "credit/portal_detail.html",
        {
            "entity": entity,
            "grade": credit.grade if credit else entity.credit_grade,
            "computed_on": credit.computed_on if credit else None,
            "records": public_records(entity),
            "listing": in_force()
            .filter(entity=entity)
            .select_related("bureau")
            .order_by("-listed_on")
            .first(),
        },
    )
