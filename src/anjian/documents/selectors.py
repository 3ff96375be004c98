"""Reads of enforcement documents."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from anjian.core.scope import get_visible_or_404
from anjian.documents.models import OfficialDocument


def documents_for(subject: models.Model) -> models.QuerySet[OfficialDocument]:
    """The documents issued about `subject`, newest first. The caller has already checked that
    the viewer may see `subject`; documents of a subject share its jurisdiction."""
    return (
        OfficialDocument.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
        .select_related("bureau", "issued_by")
        .order_by("-issued_on", "-id")
    )


def documents_visible_for(user: Any, subjects: Iterable[models.Model]) -> list[OfficialDocument]:
    """The documents about any of `subjects` that `user` may open (the data scope: the same rows
    the download answers for), grouped in the order of `subjects`, each group newest first."""
    keys: dict[tuple[int, str], int] = {}
    for subject in subjects:
        if subject is not None and subject.pk is not None:
            ct = ContentType.objects.get_for_model(subject)
            keys.setdefault((ct.pk, str(subject.pk)), len(keys))
    if not keys:
        return []
    match = models.Q(pk__in=[])
    for type_id, subject_id in keys:
        match |= models.Q(subject_type_id=type_id, subject_id=subject_id)
    docs = list(
        OfficialDocument.objects.visible_to(user)
        .filter(match)
        .select_related("bureau")
        .order_by("-issued_on", "-id")
    )
    docs.sort(key=lambda d: keys[(d.subject_type_id, d.subject_id)])
    return docs


def document_get(user: Any, pk: int) -> OfficialDocument:
    doc: OfficialDocument = get_visible_or_404(
        OfficialDocument.objects.select_related("bureau"), user, pk=pk
    )
    return doc


def document_by_code(code: str) -> OfficialDocument:
    """The public check: a document by its verification code (canonical form), or 404."""
    doc = (
        OfficialDocument.objects.select_related("bureau").filter(verification_code=code).first()
        if code
        else None
    )
    if doc is None:
        raise Http404
    return doc
