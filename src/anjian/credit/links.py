"""Where a credit record's source is read: one click from the record to the case, the
inspection record or the correction order it came from."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def source_url(record: Any) -> str:
    kind, pk, facts = record.source_type, record.source_id, record.facts or {}
    try:
        if kind == "cases.case":
            return reverse("cases:case_detail", args=[int(pk)])
        if kind == "inspections.inspectionrecord":
            return reverse("inspections:record_detail", args=[int(pk)])
        if kind == "inspections.finding" and facts.get("record"):
            return reverse("inspections:record_detail", args=[int(facts["record"])])
        if kind == "inspections.correctionorder":
            return reverse("inspections:order_detail", args=[int(pk)])
        if kind == "inspections.reinspection" and facts.get("order"):
            return reverse("inspections:order_detail", args=[int(facts["order"])])
    except (NoReverseMatch, ValueError):
        return ""
    return ""
