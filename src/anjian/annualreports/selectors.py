"""Reads of the annual safety reports."""

from __future__ import annotations

from django.db.models import QuerySet

from anjian.annualreports.models import AnnualReport


def published_reports() -> QuerySet[AnnualReport]:
    """What the portal shows: the latest version of each unit's report (public figures only;
    the template shows the fields the industry's form marks public)."""
    return AnnualReport.objects.filter(latest=True).select_related("entity")
