"""The draws' entries on an entity's profile: each random draw that drew it (one query, draws in
the viewer's scope). A draft or committed draw has drawn no one yet, so only drawn ones count.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anjian.draws.models import Draw, DrawSelection
from anjian.draws.states import DrawStatus
from anjian.entities.models import Entity
from anjian.entities.timeline import PROVIDER_LIMIT, TimelineEntry, timeline_provider


@timeline_provider
def draw_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    selections = (
        DrawSelection.objects.filter(
            entity=entity,
            draw__in=Draw.objects.visible_to(user).filter(status=DrawStatus.DRAWN),
        )
        .select_related("draw")
        # A draw row carries its quotas, summary and files: read only what the entry shows.
        .only("draw__title", "draw__drawn_at", "draw__inspection_from", "draw__inspection_until")
        .order_by("-draw__drawn_at", "-id")[:PROVIDER_LIMIT]
    )
    for selection in selections:
        draw = selection.draw
        window = _("inspections %(start)s to %(end)s") % {
            "start": draw.inspection_from.isoformat(),
            "end": draw.inspection_until.isoformat(),
        }
        yield TimelineEntry(
            when=timezone.localdate(draw.drawn_at) if draw.drawn_at else draw.inspection_from,
            kind="draw",
            label=pgettext("timeline", "Random draw"),
            title=_("Drawn in %(title)s") % {"title": draw.title},
            detail=window,
            url=reverse("draws:draw_detail", args=[draw.pk]),
        )
