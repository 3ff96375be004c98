"""Industry associations: the bureau's register of them, the association's own page, and the
portal's conventions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.associations import selectors, services
from anjian.associations.models import Association, RequestKind, RequestStatus
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.web import capability_required, message_service_error, paginate


@capability_required(Capability.WORKSPACE)
def association_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        if not user.can(Capability.ENTITIES_MANAGE):
            raise Http404
        try:
            a = services.association_create(
                actor=user, name=request.POST.get("name", ""), code=request.POST.get("code", "")
            )
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            return redirect("associations:association_detail", pk=a.pk)
    return render(
        request,
        "associations/association_list.html",
        {
            "page": paginate(request, Association.objects.visible_to(user)),
            "can_manage": user.can(Capability.ENTITIES_MANAGE),
        },
    )


@capability_required(Capability.WORKSPACE)
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    a = get_visible_or_404(Association.objects, user, pk=pk)
    return render(
        request,
        "associations/association_detail.html",
        {
            "association": a,
            "members": a.members.select_related("region").order_by("name"),
            "accounts": a.accounts.select_related("user"),
            "conventions": a.conventions.all(),
            "requests": a.member_requests.select_related("entity", "requested_by", "decided_by"),
            "can_manage": user.can(Capability.ENTITIES_MANAGE),
            "can_bind": user.can(Capability.USERS_MANAGE),
        },
    )


@require_POST
@capability_required(Capability.ENTITIES_MANAGE)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(Association.objects, request.user, pk=pk)
    try:
        services.member_add(actor=request.user, association=a, uscc=request.POST.get("uscc", ""))
    except ServiceError as exc:
        message_service_error(request, exc)
    return redirect("associations:association_detail", pk=a.pk)


@require_POST
@capability_required(Capability.ENTITIES_MANAGE)
def member_remove(request: HttpRequest, pk: int, entity_pk: int) -> HttpResponse:
    a = get_visible_or_404(Association.objects, request.user, pk=pk)
    entity = a.members.filter(pk=entity_pk).first()
    if entity is None:
        raise Http404
    try:
        services.member_remove(
            actor=request.user,
            association=a,
            entity=entity,
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("%(unit)s is no longer a member.") % {"unit": entity.name})
    return redirect("associations:association_detail", pk=a.pk)


@require_POST
@capability_required(Capability.ENTITIES_MANAGE)
def request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    a = get_visible_or_404(Association.objects, request.user, pk=pk)
    req = selectors.member_request_of(a, request_pk)
    if req is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        services.member_request_decide(
            actor=request.user, request=req, approve=approve, note=request.POST.get("note", "")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(
            request, _("The request was approved.") if approve else _("The request was refused.")
        )
    return redirect("associations:association_detail", pk=a.pk)


@require_POST
@capability_required(Capability.USERS_MANAGE)
def account_bind(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_visible_or_404(Association.objects, request.user, pk=pk)
    try:
        services.account_bind(
            actor=request.user, association=a, username=request.POST.get("username", "")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    return redirect("associations:association_detail", pk=a.pk)


@capability_required(Capability.ASSOCIATION_SELF)
def my_page(request: HttpRequest) -> HttpResponse:
    """The association's members with their public data, and its conventions."""
    a = services.association_of(request.user)
    if a is None:  # not bound yet: the navigation must not lead to an error page
        if request.method == "POST":
            raise Http404
        return render(request, "associations/my_page.html", {"association": None})
    if request.method == "POST":
        try:
            services.convention_publish(
                actor=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
            )
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(request, _("The convention is published on the portal."))
            return redirect("associations:my_page")
    return render(
        request,
        "associations/my_page.html",
        {
            "association": a,
            "members": a.members.select_related("region").order_by("name"),
            "conventions": a.conventions.all(),
            "requests": a.member_requests.select_related("entity"),
            "kinds": RequestKind.choices,
            "pending": RequestStatus.PENDING,
            "own": True,
        },
    )


@require_POST
@capability_required(Capability.ASSOCIATION_SELF)
def my_request(request: HttpRequest) -> HttpResponse:
    """The association asks the bureau to add or remove a member unit."""
    if services.association_of(request.user) is None:
        raise Http404
    try:
        services.member_request(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            uscc=request.POST.get("uscc", ""),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The request was sent to the bureau."))
    return redirect("associations:my_page")


@require_POST
@capability_required(Capability.ASSOCIATION_SELF)
def my_convention_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    a = services.association_of(request.user)
    convention = selectors.convention_of(a, pk)
    if convention is None:
        raise Http404
    try:
        services.convention_withdraw(
            actor=request.user, convention=convention, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The convention is withdrawn from the portal."))
    return redirect("associations:my_page")


def portal_conventions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "associations/portal_conventions.html",
        {"page": paginate(request, selectors.published_conventions())},
    )
