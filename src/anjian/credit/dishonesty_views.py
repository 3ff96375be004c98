"""Pages of the serious-dishonesty list: the list of the viewer's jurisdiction (proposals,
reviews, decisions, listings in force), one listing with its steps, the export in the national
joint-punishment fields, and the public list on the portal (masked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.core.exporting import XLSX_CONTENT_TYPE, xlsx_bytes
from anjian.core.masking import mask_text
from anjian.core.scope import get_visible_or_404
from anjian.core.services import audit_record
from anjian.core.web import capability_required, message_service_error
from anjian.credit import dishonesty
from anjian.credit.models import DishonestyListing, ListingStatus


def _can(request: HttpRequest, capability: Capability) -> bool:
    return bool(request.user.can(capability))  # type: ignore[union-attr]


@capability_required(Capability.WORKSPACE)
def listing_list(request: HttpRequest) -> HttpResponse:
    qs = DishonestyListing.objects.visible_to(request.user).select_related(
        "entity", "bureau", "decision"
    )
    today = clock.today()
    return render(
        request,
        "credit/dishonesty_list.html",
        {
            "open": qs.filter(status__in=dishonesty.OPEN).order_by("created_at", "pk")[:500],
            "listed": qs.filter(status=ListingStatus.LISTED, ends_on__gte=today).order_by(
                "-listed_on", "-pk"
            )[:500],
            "closed": qs.filter(
                status__in=[ListingStatus.NOT_LISTED, ListingStatus.REMOVED, ListingStatus.EXPIRED]
            ).order_by("-created_at", "-pk")[:100],
        },
    )


def _listing(request: HttpRequest, pk: int) -> DishonestyListing:
    return get_visible_or_404(
        DishonestyListing.objects.select_related("entity", "bureau", "record", "decision"),
        request.user,
        pk=pk,
    )


@capability_required(Capability.WORKSPACE)
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    return render(
        request,
        "credit/dishonesty_detail.html",
        {
            "listing": listing,
            "today": clock.today(),
            "can_review": _can(request, Capability.REVIEW),
            "can_decide": _can(request, Capability.CREDIT_APPROVE),
        },
    )


def _step(request: HttpRequest, pk: int, run: object) -> HttpResponse:
    try:
        run()  # type: ignore[operator]
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("credit:listing_detail", pk=pk)


@require_POST
@capability_required(Capability.REVIEW)
def listing_review(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    return _step(
        request,
        pk,
        lambda: dishonesty.listing_review(
            actor=request.user,
            listing=listing,
            passed=request.POST.get("decision") == "pass",
            opinion=request.POST.get("opinion", ""),
        ),
    )


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def listing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    return _step(
        request,
        pk,
        lambda: dishonesty.listing_decide(
            actor=request.user,
            listing=listing,
            approve=request.POST.get("decision") == "list",
            reconsideration_organ=request.POST.get("reconsideration_organ", ""),
            court=request.POST.get("court", ""),
            note=request.POST.get("note", ""),
        ),
    )


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def listing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    return _step(
        request,
        pk,
        lambda: dishonesty.listing_remove(
            actor=request.user, listing=listing, reason=request.POST.get("reason", "")
        ),
    )


@capability_required(Capability.WORKSPACE)
def listing_export(request: HttpRequest) -> HttpResponse:
    """The listings in force of the viewer's jurisdiction in the national joint-punishment
    fields (Excel); audited."""
    rows = list(dishonesty.listings_export_rows(request.user))
    bureau = getattr(request.user, "bureau", None)
    audit_record(
        actor=request.user,
        action="credit.listing.exported",
        object_type="credit.dishonestylisting",
        object_id="",
        region=bureau.region_id if bureau else "",
        changes={"rows": len(rows) - 1},
    )
    response = HttpResponse(
        xlsx_bytes(rows[0], rows[1:], sheet_title="严重失信主体名单"),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = 'attachment; filename="dishonesty-list.xlsx"'
    return response


def portal_listing_list(request: HttpRequest) -> HttpResponse:
    """The serious-dishonesty list in force, public without login: the entity, its credit code,
    the ground, the deciding bureau, the decision's number and the period; the facts masked
    (natural persons' names and other personal data), the legal representative not shown."""
    rows = [
        {
            "entity": x.entity,
            "ground": x.get_trigger_display(),
            "facts": mask_text(x.facts, keep=[x.entity.name]),
            "bureau": x.bureau.name,
            "decision": x.decision.number if x.decision else "",
            "listed_on": x.listed_on,
            "ends_on": x.ends_on,
        }
        for x in dishonesty.in_force()
        .select_related("entity", "bureau", "decision")
        .order_by("-listed_on", "-pk")[:1000]
    ]
    return render(request, "credit/portal_dishonesty.html", {"rows": rows})
