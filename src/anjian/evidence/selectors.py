"""Reads of evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from anjian.evidence.models import Evidence
from anjian.evidence.registry import evidence_subject_get, subject_key


def evidence_for(subject: Any) -> QuerySet[Evidence]:
    """Every attachment of `subject`, withdrawn ones included, oldest first.

    Not narrowed by user: the caller has already fetched `subject` through its own scoped
    selector, and evidence carries its subject's region.
    """
    subject_type, subject_id = subject_key(subject)
    return (
        Evidence.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("stored_file", "added_by", "withdrawn_by")
        .order_by("added_at", "id")
    )


def evidence_subject_visible(user: Any, evidence: Evidence) -> Any:
    """The record `evidence` is attached to, if the user may see the evidence, else None.

    The record must be visible to the user as its app decides (registry). The evidence must
    be in the user's jurisdiction too, or lie where its record lies: an inspector of a county
    on a province bureau's team sees the photos of that record (its region is the
    province's), and no other of the province's evidence."""
    registration = evidence_subject_get(evidence.subject_type)
    record = registration.get_visible(user, evidence.subject_id) if registration else None
    if record is None or registration is None:
        return None
    if evidence.region_id == registration.region_of(record):
        return record
    if Evidence.objects.visible_to(user).filter(pk=evidence.pk).exists():
        return record
    return None


def evidence_get_visible(user: Any, pk: Any) -> Evidence:
    """One attachment the user may see (`evidence_subject_visible`); otherwise 404, exactly
    like a missing one."""
    try:
        evidence = Evidence.objects.select_related("stored_file").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if evidence_subject_visible(user, evidence) is None:
        raise Http404
    return evidence
