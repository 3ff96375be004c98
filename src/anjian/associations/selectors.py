"""Reads of the industry associations."""

from __future__ import annotations

from django.db.models import QuerySet

from anjian.associations.models import Association, Convention, MemberRequest


def published_conventions() -> QuerySet[Convention]:
    """The conventions associations have published and not withdrawn, for the portal (public
    by nature)."""
    return Convention.objects.filter(withdrawn_at__isnull=True).select_related("association")


def member_request_of(association: Association, pk: int) -> MemberRequest | None:
    """A request of `association` (an association the caller already fetched in scope)."""
    return MemberRequest.objects.filter(association=association, pk=pk).first()


def convention_of(association: Association | None, pk: int) -> Convention | None:
    """A convention of `association` (the caller's own), or None: another's is not found."""
    if association is None:
        return None
    return Convention.objects.filter(association=association, pk=pk).first()
