"""Read-only admin list of publications, scoped; changes go through the services."""

from __future__ import annotations

from django.contrib import admin

from anjian.core.admin import ScopedAdmin
from anjian.publications.models import Publication


@admin.register(Publication)
class PublicationAdmin(ScopedAdmin):
    list_display = ["id", "party_name", "kind", "status", "decided_on", "due_on", "ends_on"]
    list_filter = ["status", "kind"]
    search_fields = ["party_name", "party_uscc"]
