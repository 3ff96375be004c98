"""Reads of the enterprise side."""

from __future__ import annotations

from typing import Any

from anjian.enterprise.models import EnterpriseMember


def bound_entity_ids(user: Any) -> list[int]:
    """The entities an enterprise account is bound to (active bindings only)."""
    if not getattr(user, "pk", None):
        return []
    return list(
        EnterpriseMember.objects.filter(user_id=user.pk, active=True).values_list(
            "entity_id", flat=True
        )
    )


def invitations_of(*, user: Any, entity: Any) -> list[Any]:
    from anjian.enterprise.models import Invitation

    return list(
        Invitation.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("issued_by", "used_by")[:50]
    )


def members_of(*, user: Any, entity: Any) -> list[EnterpriseMember]:
    """The entity's users, for its bureau or for the enterprise's own users."""
    return list(
        EnterpriseMember.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("user")
        .order_by("-active", "position", "id")
    )


def home_counts(user: Any) -> dict[str, Any]:
    """What the enterprise's home shows beside its card: links with what waits behind them."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from anjian.cases.models import Case
    from anjian.documents.models import OfficialDocument

    links = [
        {
            "label": _("Our inspections and correction orders"),
            "url": reverse("enterprise:inspection_list"),
            "count": open_orders(user).count(),
            "tone": "warning",
        },
        {
            "label": _("Our cases"),
            "url": reverse("enterprise:case_list"),
            "count": Case.objects.visible_to(user).filter(closed_on__isnull=True).count(),
        },
        {
            "label": _("Documents addressed to us"),
            "url": reverse("enterprise:document_list"),
            "count": OfficialDocument.objects.visible_to(user).count(),
        },
        {"label": _("Our credit records"), "url": reverse("enterprise:credit"), "count": 0},
    ]
    return {"links": links}


def inspection_records(user: Any) -> Any:
    from anjian.inspections.models import InspectionRecord

    return (
        InspectionRecord.objects.visible_to(user)
        .select_related("bureau", "entity")
        .order_by("-started_at", "-id")
    )


def open_orders(user: Any) -> Any:
    from anjian.inspections.models import CorrectionOrder, OrderStatus

    return (
        CorrectionOrder.objects.visible_to(user)
        .filter(status=OrderStatus.OPEN)
        .select_related("record")
        .order_by("deadline", "id")
    )


def record_get(user: Any, pk: int) -> Any:
    from anjian.core.scope import get_visible_or_404
    from anjian.inspections.models import InspectionRecord

    return get_visible_or_404(
        InspectionRecord.objects.select_related("bureau", "entity"), user, pk=pk
    )


def record_orders(user: Any, record: Any) -> list[Any]:
    """The record's correction orders with their findings, reports and re-inspections."""
    from anjian.inspections.models import CorrectionOrder

    return list(
        CorrectionOrder.objects.visible_to(user)
        .filter(record=record)
        .prefetch_related("findings", "reports", "reinspections")
        .order_by("deadline", "id")
    )


def record_findings(user: Any, record: Any) -> list[Any]:
    from anjian.inspections.models import Finding

    return list(Finding.objects.visible_to(user).filter(record=record).order_by("id"))


def cases(user: Any) -> Any:
    from anjian.cases.models import Case

    return Case.objects.visible_to(user).select_related("bureau").order_by("-opened_on", "-id")


def case_get(user: Any, pk: int) -> Any:
    from anjian.cases.models import Case
    from anjian.core.scope import get_visible_or_404

    return get_visible_or_404(Case.objects.select_related("bureau", "entity"), user, pk=pk)


def documents(user: Any) -> Any:
    from anjian.documents.models import OfficialDocument

    return OfficialDocument.objects.visible_to(user).order_by("-issued_on", "-id")


def documents_about(user: Any, obj: Any) -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        documents(user).filter(
            subject_type=ContentType.objects.get_for_model(obj), subject_id=str(obj.pk)
        )
    )


def document_get(user: Any, pk: int) -> Any:
    from anjian.core.scope import get_visible_or_404
    from anjian.documents.models import OfficialDocument

    return get_visible_or_404(OfficialDocument.objects.select_related("bureau"), user, pk=pk)


def credit_of(user: Any, entity: Any) -> dict[str, Any]:
    from anjian.credit import selectors as credit_selectors

    return {
        "credit": credit_selectors.entity_credit(user, entity),
        "records": list(credit_selectors.records_of(user, entity)[:100]),
        "requests": list(credit_selectors.requests_of(user, entity)[:50]),
    }


def home_waiting(user: Any) -> list[tuple[Any, int, str, str]]:
    """(label, count, url, tone) of what waits for the enterprise, a line per kind, for the
    shared home page: red when something of the kind is overdue."""
    from anjian.core import clock
    from anjian.enterprise.waiting import waiting_for

    today = clock.today()
    groups: dict[str, list[Any]] = {}
    for item in waiting_for(user, today):
        groups.setdefault(item.kind, []).append(item)
    return [
        (
            kind,
            len(items),
            items[0].list_url or items[0].url,
            "danger" if any(i.overdue(today) for i in items) else "warning",
        )
        for kind, items in groups.items()
    ]


def with_receipts(page: Any, entity: Any) -> Any:
    """Mark each document of the page with the entity's confirmation of receipt, if any."""
    from anjian.enterprise.models import DocumentReceipt

    receipts = {
        r.document_id: r
        for r in DocumentReceipt.objects.filter(
            entity=entity, document__in=[d.pk for d in page]
        ).select_related("confirmed_by")
    }
    for doc in page:
        doc.receipt = receipts.get(doc.pk)
    return page
