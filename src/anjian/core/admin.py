"""Django admin for reference data. Scoped like every other view; writes go through services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from anjian.accounts.roles import Capability
from anjian.core import selectors
from anjian.core.models import AuditEvent, Region


class CapabilityAdmin(admin.ModelAdmin):
    """Admin permissions from the platform's roles instead of Django's per-model permissions."""

    view_capability: Capability = Capability.WORKSPACE
    add_capability: Capability | None = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and request.user.can(self.view_capability)
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(
            self.add_capability and request.user.is_staff and request.user.can(self.add_capability)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # changes go through service functions, which write the audit trail

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ScopedAdmin(CapabilityAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.objects.visible_to(request.user)


@admin.register(Region)
class RegionAdmin(CapabilityAdmin):
    list_display = ["code", "name", "level", "parent", "statistical_only"]
    list_filter = ["level", "statistical_only"]
    search_fields = ["code", "name"]


@admin.register(AuditEvent)
class AuditEventAdmin(CapabilityAdmin):
    view_capability = Capability.AUDIT_VIEW
    list_display = ["seq", "occurred_at", "actor", "action", "object_type", "object_id", "region"]
    list_filter = ["source"]
    search_fields = ["action", "actor", "object_id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return selectors.audit_event_list(user=request.user)
