"""Pages of the case file (issue 19): the whole file as one PDF, the on-demand documents of
the case (casefile_documents.py) and the art. 70 supply stop (supply_stop.py)."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.cases import casefile, casefile_documents, selectors, supply_stop
from anjian.core.errors import ServiceError
from anjian.core.web import button_step_run, capability_required, message_service_error
from anjian.documents.models import DocumentKind


@capability_required(Capability.WORKSPACE)
def casefile_download(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    try:
        data, _entries = casefile.casefile_pdf(request.user, case)
    except ServiceError as exc:
        message_service_error(request, exc)
        return redirect("cases:case_detail", pk=case.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{case.number}案卷.pdf"
    )
    return response


@capability_required(Capability.DOCUMENTS_ISSUE)
def casefile_issue(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    spec = casefile_documents.ON_DEMAND.get(kind)
    if spec is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    message = ""
    if request.method == "POST":
        try:
            values = casefile_documents.form_values(kind, request.POST)
            doc = casefile_documents.casefile_document_issue(
                actor=request.user, case=case, kind=kind, values=values
            )
        except ServiceError as exc:
            errors = {k: [str(m) for m in v] for k, v in (exc.fields or {}).items()}
            message = "" if errors else "；".join(exc.reasons())
            if errors and not set(errors) <= {f.name for f in spec.fields}:
                message = "；".join(exc.reasons())
        else:
            from django.contrib import messages

            messages.success(request, _("Issued %(number)s.") % {"number": doc.number})
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/casefile_issue.html",
        {
            "case": case,
            "kind": kind,
            "kind_label": DocumentKind(kind).label,
            "fields": spec.fields,
            "values": request.POST if request.method == "POST" else {},
            "errors": errors,
            "message": message,
        },
        status=400 if message or errors else 200,
    )


def _datetime(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise ServiceError.for_field(name, _("Enter a valid date and time.")) from None


@require_POST
@capability_required(Capability.WORKSPACE)
def supply_stop_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    p = request.POST

    def release() -> object:
        raw = p.get("stop", "")
        stop = case.supply_stops.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if stop is None:
            raise Http404
        return supply_stop.supply_stop_release(
            actor=request.user, case=case, stop=stop, reason=p.get("note", "")
        )

    calls = {
        "decide": lambda: supply_stop.supply_stop_decide(
            actor=request.user,
            case=case,
            supply=p.get("supply", ""),
            supplier=p.get("supplier", ""),
            order=p.get("order", ""),
            facts=p.get("facts", ""),
            approved_by=p.get("approved_by", ""),
            effective_at=_datetime(request, "effective_at"),
            emergency=p.get("emergency", ""),
        ),
        "release": release,
    }
    button_step_run(request, calls, action)
    return redirect("cases:case_detail", pk=case.pk)
