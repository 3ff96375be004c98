"""What waits for an enterprise, each item with its deadline in working days and a link: the
"waiting for us" panel of /enterprise/ and the counts on the shared home page.

The enterprise app knows the bureau's steps it answers (correction orders, documents, case
periods, credit requests). A later app adds its own through `waiting_provider` (accidents: the
supplements still open), as the home panels and timeline providers do.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.core.workdays import workdays_between


@dataclass(frozen=True)
class Waiting:
    kind: str  # what it is (a short label), also the group on the home page
    title: str
    url: str
    due: datetime.date | None = None
    # For the group's link on the shared home page.
    list_url: str = ""
    # Waiting for the bureau rather than for us (a request awaiting its answer).
    on_bureau: bool = False

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today

    def working_days(self, today: datetime.date) -> int | None:
        """Working days left until the due day (0: due today), or days late when overdue."""
        if self.due is None:
            return None
        if self.due < today:
            return workdays_between(self.due, today)
        return workdays_between(today, self.due)


Provider = Callable[[Any, datetime.date], Iterable[Waiting]]
_providers: list[Provider] = []


def waiting_provider(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def waiting_for(user: Any, today: datetime.date) -> list[Waiting]:
    """Everything waiting for the user's enterprise, soonest deadline first (those without a
    deadline last). Each provider reads through `visible_to`: only the user's own entity."""
    items = [item for provider in _providers for item in provider(user, today)]
    far = datetime.date.max
    return sorted(items, key=lambda w: (w.on_bureau, w.due or far, w.kind))


# --- the enterprise app's own ----------------------------------------------------------------

ORDERS = _("Correction order")
RECEIPT = _("Document to confirm")
STATEMENT = _("Statement and defence")
HEARING = _("Hearing request")
CREDIT = _("Credit request")


@waiting_provider
def _orders(user: Any, today: datetime.date) -> Iterable[Waiting]:
    from anjian.enterprise import selectors

    url = reverse("enterprise:inspection_list")
    for order in selectors.open_orders(user)[:50]:
        yield Waiting(
            str(ORDERS),
            f"{order.record.number}",
            reverse("enterprise:inspection_detail", args=[order.record_id]) + f"#order-{order.pk}",
            order.deadline,
            url,
        )


@waiting_provider
def _documents(user: Any, today: datetime.date) -> Iterable[Waiting]:
    from anjian.enterprise import selectors
    from anjian.enterprise.models import DocumentReceipt

    bound = selectors.bound_entity_ids(user)
    confirmed = DocumentReceipt.objects.filter(entity_id__in=bound).values("document_id")
    url = reverse("enterprise:document_list")
    for doc in selectors.documents(user).exclude(pk__in=confirmed)[:50]:
        yield Waiting(str(RECEIPT), f"{doc.get_kind_display()} {doc.number}", url, None, url)


@waiting_provider
def _case_periods(user: Any, today: datetime.date) -> Iterable[Waiting]:
    from anjian.cases.models import Case

    url = reverse("enterprise:case_list")
    cases = (
        Case.objects.visible_to(user)
        .filter(state="notified", closed_on__isnull=True)
        .order_by("statement_deadline", "pk")[:50]
    )
    for case in cases:
        link = reverse("enterprise:case_detail", args=[case.pk])
        if case.statement_deadline and case.statement_deadline >= today:
            yield Waiting(str(STATEMENT), case.title, link, case.statement_deadline, url)
        if (
            case.hearing_entitled
            and case.hearing_requested_on is None
            and case.hearing_deadline
            and case.hearing_deadline >= today
        ):
            yield Waiting(str(HEARING), case.title, link, case.hearing_deadline, url)


@waiting_provider
def _credit_requests(user: Any, today: datetime.date) -> Iterable[Waiting]:
    from anjian.credit.models import CreditRequest, RequestStatus

    url = reverse("enterprise:credit")
    rows = (
        CreditRequest.objects.visible_to(user)
        .filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.ACCEPTED])
        .select_related("record")
        .order_by("submitted_on", "pk")[:50]
    )
    for request in rows:
        due = request.answer_due if request.status == RequestStatus.ACCEPTED else request.accept_due
        title = f"{request.get_kind_display()}：{request.record.title}"
        yield Waiting(
            str(CREDIT),
            f"{title} · {request.get_status_display()}",
            url,
            due,
            url,
            on_bureau=True,
        )
