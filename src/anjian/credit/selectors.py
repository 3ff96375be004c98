"""Reads of credit supervision, each in the viewer's data scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anjian.credit.models import (
    CreditRecord,
    CreditRequest,
    EntityCredit,
    GradeOverride,
    OverrideStatus,
    RecordStatus,
)
from anjian.entities.models import Entity


def entity_credit(user: Any, entity: Entity) -> EntityCredit | None:
    return EntityCredit.objects.visible_to(user).filter(entity=entity).first()


def records_of(user: Any, entity: Entity) -> QuerySet[CreditRecord]:
    """Every record of the entity, newest first (void and refused ones too: the file)."""
    return (
        CreditRecord.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("bureau", "proposed_by", "decided_by")
        .order_by("-occurred_on", "-id")
    )


def overrides_of(user: Any, entity: Entity) -> QuerySet[GradeOverride]:
    return (
        GradeOverride.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("proposed_by", "decided_by")
    )


def records_proposed(user: Any) -> QuerySet[CreditRecord]:
    return (
        CreditRecord.objects.visible_to(user)
        .filter(status=RecordStatus.PROPOSED)
        .select_related("entity", "proposed_by")
        .order_by("created_at", "id")
    )


def overrides_proposed(user: Any) -> QuerySet[GradeOverride]:
    return (
        GradeOverride.objects.visible_to(user)
        .filter(status=OverrideStatus.PROPOSED)
        .select_related("entity", "proposed_by")
        .order_by("created_at", "id")
    )


def record_get(user: Any, pk: int) -> CreditRecord:
    from anjian.core.scope import get_visible_or_404

    return get_visible_or_404(CreditRecord.objects.select_related("entity"), user, pk=pk)


def override_get(user: Any, pk: int) -> GradeOverride:
    from anjian.core.scope import get_visible_or_404

    return get_visible_or_404(GradeOverride.objects.select_related("entity"), user, pk=pk)


def grade_counts(user: Any) -> dict[str, int]:
    from django.db.models import Count

    rows = EntityCredit.objects.visible_to(user).values("grade").annotate(n=Count("pk"))
    return {r["grade"]: r["n"] for r in rows}


def requests_of(user: Any, entity: Entity) -> QuerySet[CreditRequest]:
    return (
        CreditRequest.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("record", "recorded_by", "decided_by")
    )


def request_get(user: Any, pk: int) -> CreditRequest:
    from anjian.core.scope import get_visible_or_404

    return get_visible_or_404(CreditRequest.objects.select_related("entity"), user, pk=pk)


def requests_open(user: Any) -> QuerySet[CreditRequest]:
    from anjian.credit.models import RequestStatus

    return (
        CreditRequest.objects.visible_to(user)
        .filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED])
        .select_related("entity", "record")
        .order_by("accept_due", "id")
    )
