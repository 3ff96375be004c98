"""Pages of 执法公示: the bureau's list (to publish, overdue, published), one publication with
its publish and withdraw buttons, and the public pages on the portal."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import ServiceError
from anjian.core.web import capability_required, message_service_error, paginate
from anjian.publications import selectors, services


@capability_required(Capability.WORKSPACE)
def publication_list(request: HttpRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    pending = selectors.publications_pending(request.user)
    if overdue:
        pending = [row for row in pending if row.overdue]
    return render(
        request,
        "publications/publication_list.html",
        {
            "pending": pending,
            "overdue_count": sum(1 for row in pending if row.overdue),
            "due_workdays": settings.ANJIAN_PUBLICATION_DUE_WORKDAYS,
            "page": paginate(request, selectors.publications_published(request.user), 50),
            "can_manage": request.user.can(Capability.PUBLICATIONS_MANAGE),  # type: ignore[union-attr]
            "home_filter": _("overdue") if overdue else "",
        },
    )


@capability_required(Capability.WORKSPACE)
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(request.user, pk)
    return render(
        request,
        "publications/publication_detail.html",
        {
            "publication": publication,
            "can_manage": request.user.can(Capability.PUBLICATIONS_MANAGE),  # type: ignore[union-attr]
        },
    )


@require_POST
@capability_required(Capability.PUBLICATIONS_MANAGE)
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(request.user, pk)
    try:
        services.publication_publish(request.user, publication)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The decision is published on the portal."))
    return redirect("publications:publication_detail", pk=publication.pk)


@require_POST
@capability_required(Capability.PUBLICATIONS_MANAGE)
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get(request.user, pk)
    try:
        services.publication_withdraw(request.user, publication, request.POST.get("reason", ""))
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The publication is withdrawn."))
    return redirect("publications:publication_detail", pk=publication.pk)


# --- the portal ---------------------------------------------------------------------------


def portal_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    return render(
        request,
        "publications/portal_list.html",
        {"page": paginate(request, selectors.publications_public(query=query), 20), "q": query},
    )


def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "publications/portal_detail.html",
        {"publication": selectors.publication_public_get(pk)},
    )
