"""Reads of evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from anjian.core.scope import get_visible_or_404
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


def evidence_get_visible(user: Any, pk: Any) -> Evidence:
    """One attachment the user may see: in their scope, and its record visible to them as its
    app decides (registry). Otherwise 404, exactly like a missing one."""
    evidence: Evidence = get_visible_or_404(
        Evidence.objects.select_related("stored_file"), user, pk=pk
    )
    registration = evidence_subject_get(evidence.subject_type)
    if registration is None or registration.get_visible(user, evidence.subject_id) is None:
        raise Http404
    return evidence
