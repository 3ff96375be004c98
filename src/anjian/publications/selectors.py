"""Reads for 执法公示: what a bureau still has to publish (and what is late), what it has
published, and what the public may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.core.scope import get_visible_or_404
from anjian.core.workdays import workdays_between
from anjian.publications.models import Publication, PublicationStatus


@dataclass(frozen=True)
class PendingPublication:
    publication: Publication
    overdue: bool
    # Working days left until the due date (0 on the day itself), or, once overdue, working
    # days since it (0 when the days since are holidays).
    workdays: int


def publication_list(viewer: Any) -> QuerySet[Publication]:
    return Publication.objects.visible_to(viewer).select_related("bureau", "published_by")


def publication_get(viewer: Any, pk: int) -> Publication:
    return get_visible_or_404(
        Publication.objects.select_related("bureau", "published_by"), viewer, pk=pk
    )


def publications_pending(
    viewer: Any, *, today: datetime.date | None = None
) -> list[PendingPublication]:
    """Scheduled publications, most urgent first, with the working days left or overdue."""
    today = today or timezone.localdate()
    rows = []
    for pub in (
        publication_list(viewer).filter(status=PublicationStatus.SCHEDULED).order_by("due_on", "id")
    ):
        overdue = today > pub.due_on
        days = (
            workdays_between(pub.due_on, today) if overdue else workdays_between(today, pub.due_on)
        )
        rows.append(PendingPublication(publication=pub, overdue=overdue, workdays=days))
    return rows


def publications_overdue(
    viewer: Any, *, today: datetime.date | None = None
) -> QuerySet[Publication]:
    """Scheduled publications whose due date has passed."""
    today = today or timezone.localdate()
    return (
        publication_list(viewer)
        .filter(status=PublicationStatus.SCHEDULED, due_on__lt=today)
        .order_by("due_on", "id")
    )


def publications_published(viewer: Any) -> QuerySet[Publication]:
    """Published and withdrawn publications, newest first."""
    return (
        publication_list(viewer)
        .exclude(status=PublicationStatus.SCHEDULED)
        .order_by("-published_on", "-id")
    )


def publications_public(
    *, query: str = "", today: datetime.date | None = None
) -> QuerySet[Publication]:
    """What the portal shows: published, not withdrawn, period not over; searched by party name
    or credit code (both as masked: a natural person is found by their masked name only)."""
    today = today or timezone.localdate()
    qs = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, published_on__lte=today, ends_on__gte=today
    )
    query = query.strip()
    if query:
        qs = qs.filter(Q(party_name__icontains=query) | Q(party_uscc__iexact=query.upper()))
    return qs.select_related("bureau").order_by("-published_on", "-id")


def publication_public_get(pk: int, *, today: datetime.date | None = None) -> Publication:
    publication = publications_public(today=today).filter(pk=pk).first()
    if publication is None:
        raise Http404
    return publication
