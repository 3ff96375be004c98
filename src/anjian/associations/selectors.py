"""Reads of the industry associations."""

from __future__ import annotations

from django.db.models import QuerySet

from anjian.associations.models import Convention


def published_conventions() -> QuerySet[Convention]:
    """The conventions associations have published and not withdrawn, for the portal (public
    by nature)."""
    return Convention.objects.filter(withdrawn_at__isnull=True).select_related("association")
