"""Cases in the Django admin: read-only and scoped. Every change goes through the services,
so the admin cannot decide a case past the legal-review gate (and the database would refuse it
anyway, ADR 0008)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anjian.cases.models import Case, ClueTransfer, LegalReview
from anjian.core.admin import ScopedAdmin


@admin.register(Case)
class CaseAdmin(ScopedAdmin):
    list_display = ["number", "title", "entity", "state", "major", "opened_on", "decided_on"]
    list_filter = ["state", "major"]
    search_fields = ["number", "title"]
    # The natural person's data is not shown here; the case page masks it by role.
    exclude = ["party_name", "party_id_number"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LegalReview)
class LegalReviewAdmin(ScopedAdmin):
    list_display = ["case", "result", "reviewer", "submitted_at", "decided_at"]
    list_filter = ["result"]


@admin.register(ClueTransfer)
class ClueTransferAdmin(ScopedAdmin):
    list_display = ["entity", "from_bureau", "to_bureau", "to_department", "status", "sent_on"]
    list_filter = ["status"]
