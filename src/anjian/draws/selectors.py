"""Reads for draws: lists in scope, one draw with its selection, and what the public may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core.scope import get_visible_or_404
from anjian.draws.models import Draw, DrawSelection, InspectorConflict, RandomCheckItem
from anjian.draws.states import DrawStatus

PUBLIC_STATUSES = (DrawStatus.COMMITTED, DrawStatus.DRAWN)


def draw_list(viewer: Any) -> QuerySet[Draw]:
    return (
        Draw.objects.visible_to(viewer)
        .select_related("bureau", "redo_of")
        .annotate(selected=Count("selections"))
        .order_by("-id")
    )


def draw_get(viewer: Any, pk: int) -> Draw:
    return get_visible_or_404(
        Draw.objects.select_related("bureau", "redo_of", "created_by"), viewer, pk=pk
    )


def selection_rows(draw: Draw) -> QuerySet[DrawSelection]:
    return draw.selections.select_related("entity", "entity__region").order_by("entity__uscc")


def teams_attach(selections: Iterable[DrawSelection]) -> list[DrawSelection]:
    """Fetch the drawn teams' users of a page of selections in one query (for
    `DrawSelection.team_members`)."""
    rows = list(selections)
    by_pk = User.objects.in_bulk({pk for s in rows for pk in s.team})
    for s in rows:
        s._team_members = [by_pk[pk] for pk in s.team if pk in by_pk]  # type: ignore[attr-defined]
    return rows


def results_public(draw: Draw, today: datetime.date | None = None) -> bool:
    """The selection is published once the inspection window has closed: verifiable by anyone,
    without telling the drawn enterprises in advance that an inspection is coming. The
    commitment, the directory hash and the parameters are public from the commitment on."""
    today = today or timezone.localdate()
    return draw.status == DrawStatus.DRAWN and today > draw.inspection_until


def public_draws() -> QuerySet[Draw]:
    return (
        Draw.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("bureau", "redo_of")
        .order_by("-committed_at", "-id")
    )


def public_draw(pk: int) -> Draw:
    draw = public_draws().filter(pk=pk).first()
    if draw is None:
        raise Http404
    return draw


def random_check_items(viewer: Any) -> QuerySet[RandomCheckItem]:
    return RandomCheckItem.objects.visible_to(viewer).select_related("item", "division", "bureau")


def conflict_list(viewer: Any) -> QuerySet[InspectorConflict]:
    return InspectorConflict.objects.visible_to(viewer).select_related("inspector", "entity")
