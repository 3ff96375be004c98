"""Pages of credit supervision: the overview (proposals awaiting approval, grades), an entity's
credit (the grade, how each record moved it, overrides), and the forms that propose and
decide manual records and overrides."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.core.web import capability_required, form_apply_service_error, message_service_error
from anjian.credit import grading, selectors, services
from anjian.credit.forms import OverrideProposeForm, RecordProposeForm
from anjian.credit.links import source_url
from anjian.credit.models import Commitment, CommitmentTemplate, RequestKind
from anjian.entities.selectors import entity_get


def _can(request: HttpRequest, capability: Capability) -> bool:
    return bool(request.user.can(capability))  # type: ignore[union-attr]


@capability_required(Capability.WORKSPACE)
def overview(request: HttpRequest) -> HttpResponse:
    counts = selectors.grade_counts(request.user)
    return render(
        request,
        "credit/overview.html",
        {
            "records": selectors.records_proposed(request.user)[:200],
            "overrides": selectors.overrides_proposed(request.user)[:200],
            "open_requests": selectors.requests_open(request.user)[:200],
            "today": clock.today(),
            "counts": [(g, counts.get(g, 0)) for g in "ABCD"],
            "can_approve": _can(request, Capability.CREDIT_APPROVE),
        },
    )


def _entity_page(
    request: HttpRequest,
    uscc: str,
    record_form: RecordProposeForm | None = None,
    override_form: OverrideProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    entity = entity_get(user=request.user, uscc=uscc)
    explanation = grading.explain(entity)
    records = list(selectors.records_of(request.user, entity))
    for record in records:
        record.url = source_url(record)  # type: ignore[attr-defined]
    for c in explanation.contributions:
        c.record.url = source_url(c.record)  # type: ignore[attr-defined]
    return render(
        request,
        "credit/entity_credit.html",
        {
            "entity": entity,
            "credit": selectors.entity_credit(request.user, entity),
            "explanation": explanation,
            "records": records,
            "overrides": selectors.overrides_of(request.user, entity),
            "requests": selectors.requests_of(request.user, entity),
            "request_kinds": RequestKind.choices,
            "today": clock.today(),
            "can_manage": _can(request, Capability.CREDIT_MANAGE),
            "can_approve": _can(request, Capability.CREDIT_APPROVE),
            "record_form": record_form or RecordProposeForm(),
            "commitments": Commitment.objects.visible_to(request.user)
            .filter(entity=entity)
            .select_related("item", "broken_by"),
            "commitment_templates": CommitmentTemplate.choices,
            "override_form": override_form or OverrideProposeForm(),
        },
        status=status,
    )


@capability_required(Capability.WORKSPACE)
def entity_credit(request: HttpRequest, uscc: str) -> HttpResponse:
    return _entity_page(request, uscc)


@require_POST
@capability_required(Capability.CREDIT_MANAGE)
def record_propose(request: HttpRequest, uscc: str) -> HttpResponse:
    entity = entity_get(user=request.user, uscc=uscc)
    form = RecordProposeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_propose(
                actor=request.user,
                entity=entity,
                kind=d["kind"],
                title=d["title"],
                occurred_on=d["occurred_on"],
                weight=d["weight"],
                public=d["public"],
                reason=d["reason"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The record is proposed; it counts once approved."))
            return redirect("credit:entity_credit", uscc=entity.uscc)
    return _entity_page(request, uscc, record_form=form, status=400)


@require_POST
@capability_required(Capability.CREDIT_MANAGE)
def override_propose(request: HttpRequest, uscc: str) -> HttpResponse:
    entity = entity_get(user=request.user, uscc=uscc)
    form = OverrideProposeForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.override_propose(
                actor=request.user,
                entity=entity,
                grade=d["grade"],
                ends_on=d["ends_on"],
                reason=d["reason"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The override is proposed; it applies once approved."))
            return redirect("credit:entity_credit", uscc=entity.uscc)
    return _entity_page(request, uscc, override_form=form, status=400)


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def record_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    try:
        services.record_decide(
            actor=request.user,
            record=record,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("credit:entity_credit", uscc=record.entity.uscc)


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def override_decide(request: HttpRequest, pk: int) -> HttpResponse:
    override = selectors.override_get(request.user, pk)
    try:
        services.override_decide(
            actor=request.user,
            override=override,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("credit:entity_credit", uscc=override.entity.uscc)


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def override_end(request: HttpRequest, pk: int) -> HttpResponse:
    override = selectors.override_get(request.user, pk)
    try:
        services.override_end(
            actor=request.user, override=override, reason=request.POST.get("reason", "")
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("credit:entity_credit", uscc=override.entity.uscc)


@capability_required(Capability.WORKSPACE)
def caps(request: HttpRequest) -> HttpResponse:
    from anjian.credit.caps import caps_report, class_label

    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    over, under = caps_report(request.user, year)
    from django.conf import settings

    from anjian.core.choices import StandardisationGrade
    from anjian.credit.caps import NOT_RATED

    table: list[tuple[str, list[str]]] = []
    for cls, caps_of in settings.ANJIAN_CREDIT_YEARLY_CAPS.items():
        if NOT_RATED in caps_of:  # capped by the standardisation grade: say which is which
            cells = [
                f"{StandardisationGrade(g).label} {caps_of[g or NOT_RATED]}"
                for g in StandardisationGrade.values
            ]
            table.append((class_label(cls), cells))
        else:
            table.append((class_label(cls), [str(caps_of[g]) for g in "ABCD"]))
    return render(
        request,
        "credit/caps.html",
        {"year": year, "over": over, "under": under, "table": table},
    )


@require_POST
@capability_required(Capability.CREDIT_MANAGE)
def commitment_record(request: HttpRequest, uscc: str) -> HttpResponse:
    import datetime

    from anjian.catalog.selectors import item_find
    from anjian.credit.commitments import commitment_record as record

    entity = entity_get(user=request.user, uscc=uscc)

    def day(name: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(request.POST.get(name, "") or "")
        except ValueError:
            return None

    try:
        record(
            actor=request.user,
            entity=entity,
            item=item_find(code=request.POST.get("item", "")),
            template=request.POST.get("template", ""),
            made_on=day("made_on"),
            until=day("until"),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The commitment is recorded; later records are checked."))
    return redirect(f"{reverse('credit:entity_credit', args=[entity.uscc])}#commitments")


@capability_required(Capability.WORKSPACE)
def under_inspected(request: HttpRequest) -> HttpResponse:
    """The grade D entities of the viewer's jurisdiction inspected fewer times this year than
    their class's yearly cap (N3.2: under-inspection of a D entity is listed)."""
    from anjian.credit.caps import caps_report

    year = clock.today().year
    _over, under = caps_report(request.user, year)
    return render(request, "credit/under_inspected.html", {"year": year, "under": under})


@require_POST
@capability_required(Capability.CREDIT_MANAGE)
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    import datetime

    from anjian.credit import requests as credit_requests

    record = selectors.record_get(request.user, pk)
    try:
        day = datetime.date.fromisoformat(request.POST.get("submitted_on", "") or "")
    except ValueError:
        day = None
    try:
        credit_requests.request_submit(
            actor=request.user,
            record=record,
            kind=request.POST.get("kind", ""),
            applicant=request.POST.get("applicant", ""),
            content=request.POST.get("content", ""),
            submitted_on=day,
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The request is recorded; acceptance is due as shown."))
    return redirect(f"{reverse('credit:entity_credit', args=[record.entity.uscc])}#requests")


@require_POST
@capability_required(Capability.CREDIT_MANAGE)
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.credit import requests as credit_requests

    req = selectors.request_get(request.user, pk)
    try:
        credit_requests.request_accept(
            actor=request.user,
            request=req,
            accept=request.POST.get("decision") == "accept",
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(f"{reverse('credit:entity_credit', args=[req.entity.uscc])}#requests")


@require_POST
@capability_required(Capability.CREDIT_APPROVE)
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.credit import requests as credit_requests

    req = selectors.request_get(request.user, pk)
    try:
        credit_requests.request_decide(
            actor=request.user,
            request=req,
            grant=request.POST.get("decision") == "grant",
            outcome=request.POST.get("outcome", ""),
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(f"{reverse('credit:entity_credit', args=[req.entity.uscc])}#requests")
