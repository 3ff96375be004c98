"""The public pages (no login, made for a phone): send a report, follow it up with the receipt
code, the exposure page and the monthly counts.

Protection: these views hand the services the report's values only. They read the client's
address for one thing, the rate limit of wrong receipt codes, where it is turned into a keyed
hash in the cache (receipts.py); nothing here logs, stores or audits it, nor the user agent.
They set no session (no `messages`, no login): the receipt code is rendered in the answer to the
POST itself, marked `no-store`, and is never put in a cookie or a redirect.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anjian.complaints import receipts, selectors, services
from anjian.complaints.forms import FollowUpForm, ReportForm
from anjian.complaints.models import ReportChannel
from anjian.core.choices import Industry
from anjian.core.errors import ServiceError
from anjian.core.web import form_apply_service_error
from anjian.entities.models import BusinessStatus, Entity
from anjian.entities.selectors import entity_search_filter


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not receipts.intake_allowed(receipts.client_of(request)):
            form.add_error(None, _("Too many reports from this network. Try again later."))
            status = 429
        else:
            try:
                report, code = services.report_receive(
                    actor=services.PUBLIC,
                    values=form.values(),
                    channel=ReportChannel.WEB,
                    files=request.FILES.getlist("files"),
                )
            except ServiceError as exc:
                form_apply_service_error(form, exc)
            else:
                return _private(
                    render(
                        request,
                        "complaints/portal_report_done.html",
                        {"report": report, "code": code},
                    )
                )
    return _private(
        render(
            request,
            "complaints/portal_report_new.html",
            {
                "form": form,
                "max_files": settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES,
                "max_mb": settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES // 2**20,
            },
            status=status,
        )
    )


@require_GET
def entity_search(request: HttpRequest) -> HttpResponse:
    """Registered units by name or credit code (public register data: name, code, county)."""
    q = request.GET.get("q", "").strip()[:60]
    rows: list[Any] = []
    if len(q) >= 2:
        qs = Entity.objects.exclude(business_status=BusinessStatus.CLOSED).select_related("region")
        rows = list(entity_search_filter(qs, q).order_by("name")[:10])
    return render(request, "complaints/_entity_choices.html", {"rows": rows, "q": q})


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """Read the answers with the receipt number and code; add information."""
    form = FollowUpForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_by_receipt(
                receipt_id=form.cleaned_data["receipt_id"],
                code=form.cleaned_data["code"],
                client=receipts.client_of(request),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
            return _private(
                render(request, "complaints/portal_follow_up.html", context, status=exc.status)
            )
        if request.POST.get("action") == "supplement":
            try:
                services.report_supplement(
                    report=report,
                    text=request.POST.get("text", ""),
                    files=request.FILES.getlist("files"),
                )
            except ServiceError as exc:
                context["supplement_errors"] = exc.reasons()
            else:
                context["supplemented"] = True
        services.report_follow_up_record(report=report)
        context.update(
            {
                "report": report,
                "messages_list": selectors.report_messages(report),
                "code": form.cleaned_data["code"],
                "max_files": settings.ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES,
            }
        )
    return _private(render(request, "complaints/portal_follow_up.html", context))


@require_GET
def exposure(request: HttpRequest) -> HttpResponse:
    from anjian.core.web import paginate

    return render(
        request,
        "complaints/portal_exposure.html",
        {"page": paginate(request, selectors.exposure_public(), 20)},
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    rows = selectors.monthly_counts()
    industries = dict(Industry.choices)
    for row in rows:
        row["outcome_label"] = selectors.outcome_label(row)
        row["industry_label"] = industries.get(row["industry"], "—")
    return render(request, "complaints/portal_statistics.html", {"rows": rows})
