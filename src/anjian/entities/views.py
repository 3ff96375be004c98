"""Pages of the entity registry: list and search, profile, forms, import and the two checks.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.catalog.selectors import entity_standard_declarations
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.errors import ServiceError
from anjian.core.exporting import XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes
from anjian.core.scope import get_visible_or_404
from anjian.core.services import AuditSource
from anjian.core.web import capability_required, form_apply_service_error, htmx_partial, paginate
from anjian.entities import exports, importing, selectors, services
from anjian.entities.forms import EntityForm, FilingForm, ImportForm, LicenceForm, county_choices
from anjian.entities.models import BusinessStatus, FilingActivity, ImportBatch, ImportKind
from anjian.entities.timeline import entity_profile

SEARCH_COUNT_CAP = 10_000


def _filters(request: HttpRequest) -> selectors.EntityFilters:
    get = request.GET
    days = get.get("expiring", "").strip()
    return selectors.EntityFilters(
        q=get.get("q", "").strip()[:100],
        industry=get.get("industry", "") if get.get("industry") in Industry.values else "",
        region=get.get("region", "").strip()[:6] if get.get("region", "").isdigit() else "",
        status=get.get("status", "") if get.get("status") in BusinessStatus.values else "",
        key_supervision=get.get("key") == "1",
        new_business_form=get.get("new_form") == "1",
        major_hazard_source=get.get("hazard") == "1",
        licence_expiring_days=int(days) if days.isdigit() and 0 < int(days) <= 3650 else None,
        credit_grade=get.get("grade", "") if get.get("grade") in CreditGrade.values else "",
        risk_level=get.get("risk", "") if get.get("risk") in RiskLevel.values else "",
    )


def _can_manage(request: HttpRequest) -> bool:
    return bool(request.user.can(Capability.ENTITIES_MANAGE))  # type: ignore[union-attr]


@capability_required(Capability.ENTITIES_VIEW)
def entity_list(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    filters = _filters(request)
    entities = selectors.entity_list(user=request.user, filters=filters)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _export(request, entities, filters, export)
    page = paginate(
        request,
        entities,
        count_cap=SEARCH_COUNT_CAP if filters.q else None,
        counter=lambda cap: selectors.entity_list_count(
            user=request.user, filters=filters, cap=cap
        ),
    )
    template = (
        "entities/_entity_rows.html" if htmx_partial(request) else "entities/entity_list.html"
    )
    return render(
        request,
        template,
        {
            "page": page,
            "f": filters,
            "industries": Industry.choices,
            "statuses": BusinessStatus.choices,
            "grades": CreditGrade.choices,
            "risk_levels": RiskLevel.choices,
            "counties": county_choices(request.user),
            "can_manage": _can_manage(request),
        },
    )


def _export(
    request: HttpRequest, entities: Any, filters: Any, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    limit = settings.ANJIAN_EXPORT_MAX_ROWS
    rows = list(exports.entity_export_rows(user=request.user, entities=entities[: limit + 1]))
    if len(rows) > limit:
        messages.error(
            request,
            _("The list has more than %(n)d entities; narrow the filters to export it.")
            % {"n": limit},
        )
        return redirect(request.path)
    services.entity_export_record(
        actor=request.user,
        file_format=file_format,
        rows=len(rows),
        filters=filters.as_dict(),
        source=AuditSource.WEB,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"entities-{stamp}.{file_format}"
    header = exports.entity_export_header()
    response: HttpResponse | StreamingHttpResponse
    if file_format == "csv":
        response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv")
    else:
        response = HttpResponse(xlsx_bytes(header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@capability_required(Capability.ENTITIES_VIEW)
def entity_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    entity = selectors.entity_profile_get(user=request.user, uscc=uscc)
    today = timezone.localdate()
    # Licences, filings and declared standards were prefetched with the entity, in the
    # viewer's scope; the timeline reads the same lists.
    licences = list(entity.licences.all())
    for licence in licences:
        licence.state = selectors.licence_state(licence, today=today)  # type: ignore[attr-defined]
    timeline, sections = entity_profile(user=request.user, entity=entity)
    return render(
        request,
        "entities/entity_detail.html",
        {
            "entity": entity,
            "legal_representative": selectors.legal_representative_shown(
                user=request.user, entity=entity
            ),
            "licences": licences,
            "filings": entity.filings.all(),
            "missing_filings": [
                FilingActivity(a).label for a in selectors.filing_missing_activities(entity)
            ],
            "timeline": timeline,
            "sections": sections,
            "declared_standards": entity_standard_declarations(entity=entity),
            "today": today,
            "can_manage": _can_manage(request),
        },
    )


@capability_required(Capability.ENTITIES_MANAGE)
def entity_create(request: HttpRequest) -> HttpResponse:
    form = EntityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_create(actor=request.user, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The entity has been registered."))
            return redirect("entities:entity_detail", uscc=entity.uscc)
    return render(request, "entities/entity_form.html", {"form": form, "entity": None})


@capability_required(Capability.ENTITIES_MANAGE)
def entity_edit(request: HttpRequest, uscc: str) -> HttpResponse:
    entity = selectors.entity_get(user=request.user, uscc=uscc)
    form = EntityForm(request.POST or None, user=request.user, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            services.entity_update(actor=request.user, entity=entity, values=form.values())
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("entities:entity_detail", uscc=entity.uscc)
    return render(request, "entities/entity_form.html", {"form": form, "entity": entity})


def _entity_record(
    request: HttpRequest,
    uscc: str,
    form_class: Any,
    create: Any,
    title: str,
    done: str,
) -> HttpResponse:
    """Record a licence or a filing on an entity: one form, one service call."""
    entity = selectors.entity_get(user=request.user, uscc=uscc)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create(actor=request.user, entity=entity, **form.cleaned_data)
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("entities:entity_detail", uscc=entity.uscc)
    return render(
        request, "entities/record_form.html", {"form": form, "entity": entity, "title": title}
    )


@capability_required(Capability.ENTITIES_MANAGE)
def licence_create(request: HttpRequest, uscc: str) -> HttpResponse:
    return _entity_record(
        request,
        uscc,
        LicenceForm,
        services.licence_create,
        _("Record a licence"),
        _("The licence has been recorded."),
    )


@capability_required(Capability.ENTITIES_MANAGE)
def filing_create(request: HttpRequest, uscc: str) -> HttpResponse:
    return _entity_record(
        request,
        uscc,
        FilingForm,
        services.filing_create,
        _("Record a filing"),
        _("The filing has been recorded."),
    )


@capability_required(Capability.ENTITIES_MANAGE)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.IMPORTERS[form.cleaned_data["kind"]](
                actor=request.user,
                source_file=upload.read(),
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                strict=form.cleaned_data["strict"],
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            return redirect("entities:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).select_related("created_by")[:20]
    return render(
        request,
        "entities/import_upload.html",
        {"form": form, "batches": batches, "kinds": ImportKind.choices},
    )


@capability_required(Capability.ENTITIES_MANAGE)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_visible_or_404(
        ImportBatch.objects.select_related("created_by"), request.user, pk=pk
    )
    return render(
        request,
        "entities/import_detail.html",
        {"batch": batch, "errors": batch.errors[:500], "more": max(0, len(batch.errors) - 500)},
    )


@capability_required(Capability.ENTITIES_MANAGE)
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_visible_or_404(ImportBatch.objects, request.user, pk=pk)
    rows = list(importing.import_report_rows(batch))
    response = HttpResponse(
        xlsx_bytes(rows[0], rows[1:], sheet_title=_("Rejected rows")),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
    return response


@capability_required(Capability.ENTITIES_MANAGE)
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ImportKind.values:
        kind = ImportKind.ENTITIES
    header, example = exports.import_template_rows(kind)
    response = HttpResponse(xlsx_bytes(header, [example]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.xlsx"'
    return response


@capability_required(Capability.ENTITIES_VIEW)
def licence_expiring(request: HttpRequest) -> HttpResponse:
    default = selectors.LICENCE_WARNING_DAYS
    raw = request.GET.get("days", str(default))
    days = int(raw) if raw.isdigit() and 0 < int(raw) <= 3650 else default
    page = paginate(request, selectors.licence_expiring_list(user=request.user, days=days))
    today = timezone.localdate()
    for licence in page:
        licence.days_left = (licence.valid_until - today).days
    return render(request, "entities/licence_expiring.html", {"page": page, "days": days})


@capability_required(Capability.ENTITIES_VIEW)
def filing_missing(request: HttpRequest) -> HttpResponse:
    activity = request.GET.get("activity", "")
    if activity not in FilingActivity.values:
        activity = ""
    page = paginate(request, selectors.filing_missing_list(user=request.user, activity=activity))
    return render(
        request,
        "entities/filing_missing.html",
        {"page": page, "activity": activity, "activities": FilingActivity.choices},
    )
