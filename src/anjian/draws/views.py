"""Pages of random inspections: the random-check list, conflicts, draws (configure, commit,
run, redo), and the public record on the portal."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.catalog.selectors import item_name_expression
from anjian.core.errors import ServiceError
from anjian.core.exporting import XLSX_CONTENT_TYPE, xlsx_bytes
from anjian.core.services import AuditSource
from anjian.core.web import (
    capability_required,
    form_apply_service_error,
    message_service_error,
    paginate,
)
from anjian.draws import publication, selectors, services
from anjian.draws.forms import ConflictForm, DrawForm, RandomCheckItemForm
from anjian.draws.joint import joint_merge, joint_plan
from anjian.draws.models import Draw
from anjian.draws.states import DrawStatus
from anjian.entities.models import Entity

logger = logging.getLogger(__name__)


@capability_required(Capability.WORKSPACE)
def draw_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in DrawStatus.values else ""
    own = request.GET.get("own") == "1"
    filters = [str(label) for on, label in ((own, _("my bureau")),) if on]
    if status:
        filters.append(str(DrawStatus(status).label))
    return render(
        request,
        "draws/draw_list.html",
        {
            "page": paginate(
                request, selectors.draw_list(request.user, status=status, own_bureau=own), 30
            ),
            "home_filter": "、".join(filters),
            "can_manage": request.user.can(Capability.DRAWS_MANAGE),  # type: ignore[union-attr]
            "can_declare": request.user.can(Capability.CONFLICTS_DECLARE),  # type: ignore[union-attr]
        },
    )


def _draw_form_page(request: HttpRequest, redo_of: Draw | None = None) -> HttpResponse:
    bureau = request.user.bureau  # type: ignore[union-attr]
    if bureau is None:
        raise Http404
    initial = DrawForm.initial_from(redo_of) if redo_of else None
    form = DrawForm(request.POST or None, bureau=bureau, redo=redo_of is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_create(
                actor=request.user,
                bureau=bureau,
                values=form.values(),
                redo_of=redo_of,
                redo_reason=form.cleaned_data.get("redo_reason", ""),
            )
        except ServiceError as exc:
            form_apply_service_error(form, exc)
        else:
            messages.success(request, _("The draw is configured; check it, then commit it."))
            return redirect("draws:draw_detail", pk=draw.pk)
    return render(request, "draws/draw_form.html", {"form": form, "redo_of": redo_of})


@capability_required(Capability.DRAWS_MANAGE)
def draw_new(request: HttpRequest) -> HttpResponse:
    return _draw_form_page(request)


@capability_required(Capability.DRAWS_MANAGE)
def draw_redo(request: HttpRequest, pk: int) -> HttpResponse:
    return _draw_form_page(request, redo_of=selectors.draw_get(request.user, pk))


def _selection_page(request: HttpRequest, draw: Draw, *, avoidances: bool = True) -> Page:
    page = paginate(request, selectors.selection_rows(draw), 100)
    rows = selectors.teams_attach(page.object_list)
    labels = selectors.stratum_labels({s.stratum for s in rows})
    for s in rows:
        s.stratum_label = labels[s.stratum]  # type: ignore[attr-defined]
    # Who was kept off a team, by name, is for the bureau: a declared conflict says something
    # about an officer's family. The portal keeps to the published files.
    page.object_list = selectors.avoidances_attach(draw, rows) if avoidances else rows
    return page


@capability_required(Capability.WORKSPACE)
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.draw_get(request.user, pk)
    mine = getattr(request.user, "bureau_id", None) == draw.bureau_id and request.user.can(  # type: ignore[union-attr]
        Capability.DRAWS_MANAGE
    )
    return render(
        request,
        "draws/draw_detail.html",
        {
            "draw": draw,
            "quotas": selectors.quota_rows(draw),
            "words": selectors.parameter_words(draw),
            "page": _selection_page(request, draw) if draw.status == DrawStatus.DRAWN else None,
            "can_manage": mine,
            "redos": draw.redos.all(),
        },
    )


@capability_required(Capability.WORKSPACE)
def draw_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What committing this draft would freeze (loaded into the draft's page): the directory's
    size, the quotas, and whether the pool can staff them."""
    draw = selectors.draw_get(request.user, pk)
    if draw.status != DrawStatus.DRAFT:
        raise Http404
    return render(request, "draws/_preview.html", {"draw": draw, "p": selectors.draw_preview(draw)})


@require_POST
@capability_required(Capability.DRAWS_MANAGE)
def draw_step(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.draw_get(request.user, pk)
    action = request.POST.get("action", "")
    steps = {
        "commit": lambda: services.draw_commit(actor=request.user, draw=draw),
        "run": lambda: services.draw_run(
            actor=request.user,
            draw=draw,
            over_limit_reason=request.POST.get("over_limit_reason", ""),
        ),
        "abandon": lambda: services.draw_abandon(
            actor=request.user, draw=draw, reason=request.POST.get("reason", "")
        ),
    }
    if action not in steps:
        raise Http404
    try:
        steps[action]()
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("draws:draw_detail", pk=draw.pk)


def _file_response(request: HttpRequest, draw: Draw, kind: str) -> HttpResponse:
    """A published file, only if its bytes still hash to what the draw recorded; otherwise a
    page that says so (409), never the altered bytes and never a server error."""
    if kind not in publication.FILES:
        raise Http404
    try:
        body = publication.read(draw, kind)
    except LookupError:
        raise Http404 from None
    except publication.PublishedFileAltered as exc:
        logger.error("draw %s: published file refused: %s", draw.pk, exc.reason)
        return render(
            request,
            "draws/file_refused.html",
            {
                "draw": draw,
                "name": publication.FILES[kind],
                "recorded": publication.recorded(draw, kind),
            },
            status=409,
        )
    content_type = (
        "application/json" if kind == "result" else "text/tab-separated-values"
    ) + "; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    name = publication.FILES[kind]
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-{name}"'
    return response


@capability_required(Capability.WORKSPACE)
def draw_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    draw = selectors.draw_get(request.user, pk)
    if draw.status not in selectors.PUBLIC_STATUSES:
        raise Http404
    return _file_response(request, draw, kind)


@capability_required(Capability.WORKSPACE)
def draw_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The drawn entities as a spreadsheet (抽查结果表), for the divisions that carry them out."""
    draw = selectors.draw_get(request.user, pk)
    if draw.status != DrawStatus.DRAWN:
        raise Http404
    rows = list(selectors.selection_export_rows(draw))
    services.draw_export_record(
        actor=request.user, draw=draw, rows=len(rows), source=AuditSource.WEB
    )
    response = HttpResponse(
        xlsx_bytes(selectors.selection_export_header(), rows), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-result.xlsx"'
    return response


@capability_required(Capability.WORKSPACE)
def item_list(request: HttpRequest) -> HttpResponse:
    form = RandomCheckItemForm(request.POST or None)
    can_manage = request.user.can(Capability.DRAWS_MANAGE)  # type: ignore[union-attr]
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.random_check_item_add(
                    actor=request.user,
                    bureau=request.user.bureau,  # type: ignore[union-attr]
                    item=form.cleaned_data["item"],
                    division=getattr(request.user, "division", None),
                )
            except ServiceError as exc:
                form_apply_service_error(form, exc)
            else:
                messages.success(request, _("Added to the random-check list."))
                return redirect("draws:item_list")
    return render(
        request,
        "draws/item_list.html",
        {
            "items": selectors.random_check_items(request.user),
            "form": form,
            "can_manage": can_manage,
        },
    )


@capability_required(Capability.CONFLICTS_DECLARE)
def conflict_list(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = (
            Entity.objects.visible_to(request.user)
            .filter(uscc=form.cleaned_data["uscc"].strip().upper())
            .first()
        )
        if entity is None:
            form.add_error("uscc", _("No entity in your jurisdiction has this code."))
        else:
            try:
                services.conflict_declare(
                    actor=request.user,
                    inspector=request.user,  # type: ignore[arg-type]
                    entity=entity,
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as exc:
                form_apply_service_error(form, exc)
            else:
                messages.success(request, _("The conflict is declared."))
                return redirect("draws:conflict_list")
    return render(
        request,
        "draws/conflict_list.html",
        {"page": paginate(request, selectors.conflict_list(request.user), 50), "form": form},
    )


@capability_required(Capability.WORKSPACE)
def joint(request: HttpRequest) -> HttpResponse:
    """Merge draws of the same period into joint visits (进一次门，查多项事)."""
    drawn = selectors.draw_list(request.user).filter(status=DrawStatus.DRAWN)
    source = request.POST if request.method == "POST" else request.GET
    chosen_ids = [int(v) for v in source.getlist("draws") if v.isdigit()]
    chosen = list(drawn.filter(pk__in=chosen_ids))
    if request.method == "POST":
        if not request.user.can(Capability.DRAWS_MANAGE):  # type: ignore[union-attr]
            raise PermissionDenied
        try:
            plan, made = joint_merge(actor=request.user, draws=chosen)
        except ServiceError as exc:
            message_service_error(request, exc)
        else:
            messages.success(
                request,
                _("%(n)d joint visits made; %(saved)d visits saved.")
                % {"n": made, "saved": plan.visits_saved},
            )
        return redirect(f"{request.path}?" + "&".join(f"draws={d.pk}" for d in chosen))
    return render(
        request,
        "draws/joint.html",
        {
            "draws": drawn[:100],
            "chosen": {d.pk for d in chosen},
            "plan": joint_plan(chosen) if len(chosen) >= 2 else None,
            "can_manage": request.user.can(Capability.DRAWS_MANAGE),  # type: ignore[union-attr]
        },
    )


# --- the portal ---------------------------------------------------------------------------


def portal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "draws/portal_list.html", {"page": paginate(request, selectors.public_draws(), 30)}
    )


def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.public_draw(pk)
    shown = selectors.results_public(draw)
    return render(
        request,
        "draws/portal_detail.html",
        {
            "draw": draw,
            "quotas": selectors.quota_rows(draw),
            "words": selectors.parameter_words(draw),
            "results_public": shown,
            "page": _selection_page(request, draw, avoidances=False) if shown else None,
            "redos": draw.redos.filter(status__in=selectors.PUBLIC_STATUSES),
            "results": draw.tasks.filter(published_on__isnull=False)
            .select_related("entity", "item")
            .annotate(item_name=item_name_expression("item"))
            .order_by("entity__uscc", "item__code"),
        },
    )


def portal_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    draw = selectors.public_draw(pk)
    if kind in publication.WITH_RESULTS and not selectors.results_public(draw):
        raise Http404
    return _file_response(request, draw, kind)


def portal_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw's public record as data (docs/algorithms/draw.md, section 16): what the page
    shows, with ids and keys instead of words, and each published file's SHA-256."""
    draw = selectors.public_draw(pk)
    body = publication.canonical_json(
        selectors.public_record(draw, results=selectors.results_public(draw))
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="draw-{draw.pk}-record.json"'
    return response
