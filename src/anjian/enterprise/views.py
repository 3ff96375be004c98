"""Pages of the enterprise side: the bureau's invitations on an entity, the public activation
page, and the enterprise's own pages under /enterprise/.

An enterprise user's pages start from the user's binding (`_member`): another entity's record
is not in `visible_to` and answers 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import ServiceError
from anjian.core.scope import get_visible_or_404
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.credit.models import RequestKind
from anjian.enterprise import codes, selectors, services
from anjian.enterprise.forms import ActivationForm, InvitationForm
from anjian.enterprise.models import EnterpriseMember, Invitation, Position
from anjian.entities.selectors import entity_get


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- the bureau ------------------------------------------------------------------------------


@capability_required(Capability.ENTITIES_MANAGE)
@require_http_methods(["GET", "POST"])
def entity_accounts(request: HttpRequest, uscc: str) -> HttpResponse:
    """An entity's enterprise accounts and invitations; issuing one shows its code once."""
    entity = entity_get(user=request.user, uscc=uscc)
    form = InvitationForm(request.POST or None)
    issued: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, code = services.invitation_issue(
                actor=request.user,
                entity=entity,
                position=form.cleaned_data["position"],
                sms_phone=form.cleaned_data.get("sms_phone") or "",
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            # Sent by SMS: the code is the invitee's alone, never on the officer's page.
            issued = {"invitation": invitation, "code": "" if invitation.sms_phone else code}
            form = InvitationForm()
    response = render(
        request,
        "enterprise/entity_accounts.html",
        {
            "entity": entity,
            "form": form,
            "issued": issued,
            "invitations": selectors.invitations_of(user=request.user, entity=entity),
            "members": selectors.members_of(user=request.user, entity=entity),
        },
    )
    return _private(response) if issued else response


@capability_required(Capability.ENTITIES_MANAGE)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_visible_or_404(
        Invitation.objects.select_related("entity"), request.user, pk=pk
    )
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The invitation has been revoked."))
    return redirect("enterprise:entity_accounts", uscc=invitation.entity.uscc)


# --- the invitee (public) --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    form = ActivationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.invitation_activate(
                values=services.ActivationValues(
                    uscc=data["uscc"],
                    code=data["code"],
                    username=data["username"],
                    password=data["password"],
                    phone=data["phone"],
                    full_name=data.get("full_name") or "",
                ),
                client=codes.client_of(request),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
            status = exc.status
        else:
            return _private(render(request, "enterprise/activate_done.html", {"member": member}))
    return _private(render(request, "enterprise/activate.html", {"form": form}, status=status))


# --- the enterprise --------------------------------------------------------------------------


def member_of(request: HttpRequest) -> EnterpriseMember:
    from django.http import Http404

    from anjian.core.errors import NotFound

    try:
        return services.membership_of(request.user)
    except NotFound:
        raise Http404 from None


@capability_required(Capability.ENTERPRISE_SELF)
def member_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return render(
        request,
        "enterprise/member_list.html",
        {
            "member": member,
            "entity": member.entity,
            "members": selectors.members_of(user=request.user, entity=member.entity),
            "is_principal": member.position == Position.PRINCIPAL,
        },
    )


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def member_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(
        EnterpriseMember.objects.select_related("entity", "user"), request.user, pk=pk
    )
    try:
        services.member_set_active(
            actor=request.user, member=target, active=request.POST.get("active") == "1"
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("enterprise:member_list")


@capability_required(Capability.ENTERPRISE_SELF)
def home(request: HttpRequest) -> HttpResponse:
    """The enterprise's home: its entity card and what waits for it."""
    from anjian.enterprise.waiting import waiting_for

    member = member_of(request)
    today = clock.today()
    waiting = [
        {"item": w, "overdue": w.overdue(today), "days": w.working_days(today)}
        for w in waiting_for(request.user, today)
    ]
    return render(
        request,
        "enterprise/home.html",
        {
            "member": member,
            "entity": member.entity,
            "waiting": waiting,
            **selectors.home_counts(request.user),
        },
    )


# --- what the bureau did about the enterprise (read) -----------------------------------------


@capability_required(Capability.ENTERPRISE_SELF)
def inspection_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return render(
        request,
        "enterprise/inspection_list.html",
        {
            "entity": member.entity,
            "page": paginate(request, selectors.inspection_records(request.user), 20),
            "open_orders": list(selectors.open_orders(request.user)[:50]),
            "today": clock.today(),
        },
    )


@capability_required(Capability.ENTERPRISE_SELF)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_get(request.user, pk)
    return render(request, "enterprise/inspection_detail.html", _record_context(request, record))


def _record_context(request: HttpRequest, record: Any, **extra: Any) -> dict[str, Any]:
    from anjian.enterprise.views_files import order_files

    orders = selectors.record_orders(request.user, record)
    for order in orders:
        order.sent_files = order_files(request.user, order)
    return {
        "record": record,
        "findings": selectors.record_findings(request.user, record),
        "orders": orders,
        "documents": selectors.documents_about(request.user, record),
        "today": clock.today(),
        "can_sign": services.may_sign(request.user, record.entity),
        "max_photos": settings.ANJIAN_ENTERPRISE_REPORT_MAX_PHOTOS,
        **extra,
    }


@capability_required(Capability.ENTERPRISE_SELF)
def case_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return render(
        request,
        "enterprise/case_list.html",
        {"entity": member.entity, "page": paginate(request, selectors.cases(request.user), 20)},
    )


@capability_required(Capability.ENTERPRISE_SELF)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    return render(request, "enterprise/case_detail.html", _case_context(request, case))


def _case_context(request: HttpRequest, case: Any, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "documents": selectors.documents_about(request.user, case),
        "today": clock.today(),
        "can_sign": services.may_sign(request.user, case.entity),
        **extra,
    }


@capability_required(Capability.ENTERPRISE_SELF)
def document_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return render(
        request,
        "enterprise/document_list.html",
        {
            "entity": member.entity,
            "page": selectors.with_receipts(
                paginate(request, selectors.documents(request.user), 20), member.entity
            ),
            "agreement": services.agreement_in_force(member.entity),
        },
    )


@capability_required(Capability.ENTERPRISE_SELF)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.documents.views import _download

    return _download(selectors.document_get(request.user, pk), "pdf")


@capability_required(Capability.ENTERPRISE_SELF)
def credit(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return render(
        request,
        "enterprise/credit.html",
        {
            "entity": member.entity,
            "can_sign": services.may_sign(request.user, member.entity),
            "request_kinds": RequestKind.choices,
            **selectors.credit_of(request.user, member.entity),
        },
    )


# --- answers to the bureau -------------------------------------------------------------------


def _step_done(request: HttpRequest, call: Any, success: str) -> bool:
    try:
        call()
    except ServiceError as exc:
        message_service_error(request, exc)
        return False
    messages.success(request, success)
    return True


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def order_report(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.inspections.models import CorrectionOrder

    order = get_visible_or_404(
        CorrectionOrder.objects.select_related("record"), request.user, pk=pk
    )
    _step_done(
        request,
        lambda: services.rectification_submit(
            actor=request.user,
            order=order,
            text=request.POST.get("text", ""),
            photos=request.FILES.getlist("photos"),
        ),
        _("Your rectification report has been sent to the bureau."),
    )
    return redirect(f"{_record_url(order.record_id)}#order-{order.pk}")


def _record_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("enterprise:inspection_detail", args=[pk])


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def case_answer(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    from django.http import Http404

    case = selectors.case_get(request.user, pk)
    if action == "statement":
        _step_done(
            request,
            lambda: services.case_statement_submit(
                actor=request.user, case=case, text=request.POST.get("text", "")
            ),
            _("Your statement and defence has been sent to the bureau."),
        )
    elif action == "hearing":
        _step_done(
            request,
            lambda: services.case_hearing_request_submit(actor=request.user, case=case),
            _("Your request for a hearing has been sent to the bureau."),
        )
    else:
        raise Http404
    return redirect("enterprise:case_detail", pk=case.pk)


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def credit_request(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.credit.models import CreditRecord

    record = get_visible_or_404(CreditRecord.objects.select_related("entity"), request.user, pk=pk)
    _step_done(
        request,
        lambda: services.credit_request_submit(
            actor=request.user,
            record=record,
            kind=request.POST.get("kind", ""),
            content=request.POST.get("content", ""),
        ),
        _("Your request has been sent to the bureau."),
    )
    return redirect("enterprise:credit")


# --- electronic service ----------------------------------------------------------------------


@capability_required(Capability.ENTERPRISE_SELF)
@require_http_methods(["GET", "POST"])
def service(request: HttpRequest) -> HttpResponse:
    from anjian.enterprise.models import ServiceScope

    member = member_of(request)
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            call = lambda: services.service_agreement_withdraw(  # noqa: E731
                actor=request.user, entity=member.entity
            )
        else:
            call = lambda: services.service_agreement_record(  # noqa: E731
                actor=request.user, entity=member.entity, scope=request.POST.get("scope", "")
            )
        _step_done(request, call, _("Done."))
        return redirect("enterprise:service")
    return render(
        request,
        "enterprise/service.html",
        {
            "entity": member.entity,
            "agreement": services.agreement_in_force(member.entity),
            "scopes": ServiceScope.choices,
            "is_principal": member.position == Position.PRINCIPAL,
        },
    )


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def document_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(request.user, pk)
    _step_done(
        request,
        lambda: services.receipt_confirm(actor=request.user, document=document),
        _("The receipt is confirmed."),
    )
    return redirect("enterprise:document_list")


# --- self-inspections ------------------------------------------------------------------------

HAZARD_ROWS = 3


@capability_required(Capability.ENTERPRISE_SELF)
def self_inspection_list(request: HttpRequest) -> HttpResponse:
    from anjian.enterprise.models import SelfInspection

    member = member_of(request)
    rows = (
        SelfInspection.objects.visible_to(request.user)
        .select_related("item_version__item")
        .prefetch_related("hazards")
    )
    return render(
        request,
        "enterprise/self_inspection_list.html",
        {"entity": member.entity, "page": paginate(request, rows, 20), "today": clock.today()},
    )


@capability_required(Capability.ENTERPRISE_SELF)
@require_http_methods(["GET", "POST"])
def self_inspection_new(request: HttpRequest) -> HttpResponse:
    import datetime

    member = member_of(request)
    checklists = services.checklists_for(member.entity)
    chosen = next((v for v in checklists if str(v.pk) == request.GET.get("checklist", "")), None)
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and chosen is not None:
        points = list(chosen.check_points.order_by("order"))
        answers = {
            p.pk: (request.POST.get(f"answer_{p.pk}", ""), request.POST.get(f"note_{p.pk}", ""))
            for p in points
        }
        hazards: list[dict[str, Any]] = []
        photos: dict[int, list[Any]] = {}
        for i in range(HAZARD_ROWS):
            text = request.POST.get(f"hazard_{i}_description", "").strip()
            if not text:
                continue
            try:
                deadline = datetime.date.fromisoformat(request.POST.get(f"hazard_{i}_deadline", ""))
            except ValueError:
                deadline = None
            photos[len(hazards)] = request.FILES.getlist(f"hazard_{i}_photos")
            hazards.append(
                {
                    "description": text,
                    "measures": request.POST.get(f"hazard_{i}_measures", ""),
                    "deadline": deadline,
                    "done": request.POST.get(f"hazard_{i}_done") == "1",
                }
            )
        try:
            inspection = services.self_inspection_record(
                actor=request.user,
                entity=member.entity,
                item_version=chosen,
                answers=answers,
                hazards=hazards,
                photos=photos,
            )
        except ServiceError as exc:
            errors = {k: [str(m) for m in v] for k, v in exc.fields.items()} or {
                "": [str(exc.message)]
            }
        else:
            messages.success(request, _("The self-inspection has been filed."))
            return redirect("enterprise:self_inspection_detail", pk=inspection.pk)
    from anjian.enterprise.models import SelfAnswer

    return render(
        request,
        "enterprise/self_inspection_new.html",
        {
            "entity": member.entity,
            "checklists": checklists,
            "chosen": chosen,
            "points": list(chosen.check_points.order_by("order")) if chosen else [],
            "answer_choices": SelfAnswer.choices,
            "hazard_rows": range(HAZARD_ROWS),
            "errors": [m for ms in errors.values() for m in ms],
            "posted": request.POST,
        },
        status=400 if errors else 200,
    )


def _self_inspection_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    from anjian.enterprise.models import SelfInspection

    inspection = get_visible_or_404(
        SelfInspection.objects.select_related("entity", "item_version__item", "created_by"),
        request.user,
        pk=pk,
    )
    return {
        "inspection": inspection,
        "answers": list(
            inspection.answers.select_related("check_point").order_by("check_point__order")
        ),
        "hazards": list(inspection.hazards.all()),
        "today": clock.today(),
    }


@capability_required(Capability.ENTERPRISE_SELF)
def self_inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = _self_inspection_context(request, pk)
    return render(request, "enterprise/self_inspection_detail.html", {**context, "own": True})


@capability_required(Capability.ENTERPRISE_SELF)
@require_POST
def self_hazard_done(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.enterprise.models import SelfHazard

    hazard = get_visible_or_404(SelfHazard.objects.all(), request.user, pk=pk)
    _step_done(
        request,
        lambda: services.self_hazard_done(actor=request.user, hazard=hazard),
        _("Done."),
    )
    return redirect("enterprise:self_inspection_detail", pk=hazard.inspection_id)


@capability_required(Capability.WORKSPACE)
def bureau_self_inspection(request: HttpRequest, uscc: str, pk: int) -> HttpResponse:
    """The bureau reads an entity's self-inspection (its jurisdiction's entities only)."""
    entity = entity_get(user=request.user, uscc=uscc)
    context = _self_inspection_context(request, pk)
    if context["inspection"].entity_id != entity.pk:
        from django.http import Http404

        raise Http404
    return render(request, "enterprise/self_inspection_detail.html", {**context, "own": False})


# --- self-declared standards (N2.2) ----------------------------------------------------------


@capability_required(Capability.ENTERPRISE_SELF)
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest) -> HttpResponse:
    """The enterprise publishes its own standard (number, title, where the full text is
    published); it enters the public standards register."""
    from anjian.catalog.selectors import entity_standard_declarations
    from anjian.catalog.services import standard_declaration_record

    member = member_of(request)
    errors: list[str] = []
    if request.method == "POST":
        if not services.may_sign(request.user, member.entity):
            errors = [_("Only the principal or the safety manager signs for the enterprise.")]
        else:
            try:
                standard_declaration_record(
                    actor=request.user,
                    entity=member.entity,
                    declared_on=clock.today(),
                    new_code=request.POST.get("new_code", ""),
                    new_title=request.POST.get("new_title", ""),
                    url=request.POST.get("url", ""),
                )
            except ServiceError as exc:
                errors = exc.reasons()
            else:
                messages.success(request, _("Our standard is published in the register."))
                return redirect("enterprise:standards")
    return render(
        request,
        "enterprise/standards.html",
        {
            "entity": member.entity,
            "declarations": entity_standard_declarations(entity=member.entity),
            "errors": errors,
            "posted": request.POST,
            "can_sign": services.may_sign(request.user, member.entity),
        },
        status=400 if errors else 200,
    )
