"""Admin for bureaus and divisions (reference data). Users are managed on the users pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from anjian.accounts import services
from anjian.accounts.models import Bureau, Division, EnforcementCertificate, User
from anjian.accounts.roles import Capability
from anjian.core.admin import ScopedAdmin
from anjian.core.services import AuditSource


@admin.register(Bureau)
class BureauAdmin(ScopedAdmin):
    view_capability = Capability.BUREAUS_VIEW
    add_capability = Capability.USERS_MANAGE
    list_display = ["name", "short_name", "region", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "region__name", "region__code"]
    fields = ["name", "short_name", "region", "credit_code"]

    def save_model(self, request: HttpRequest, obj: Bureau, form: Any, change: bool) -> None:
        created = services.bureau_create(
            actor=request.user,
            name=obj.name,
            region_code=obj.region_id,
            short_name=obj.short_name,
            credit_code=obj.credit_code,
            source=AuditSource.ADMIN,
        )
        obj.pk = created.pk


@admin.register(Division)
class DivisionAdmin(ScopedAdmin):
    view_capability = Capability.BUREAUS_VIEW
    add_capability = Capability.USERS_MANAGE
    list_display = ["name", "bureau", "is_active"]
    search_fields = ["name", "bureau__name"]
    fields = ["bureau", "name"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "bureau":
            kwargs["queryset"] = Bureau.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Division, form: Any, change: bool) -> None:
        created = services.division_create(
            actor=request.user, bureau=obj.bureau, name=obj.name, source=AuditSource.ADMIN
        )
        obj.pk = created.pk


@admin.register(User)
class UserAdmin(ScopedAdmin):
    view_capability = Capability.USERS_VIEW
    list_display = ["username", "full_name", "bureau", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    exclude = ["password", "user_permissions", "groups"]


@admin.register(EnforcementCertificate)
class EnforcementCertificateAdmin(ScopedAdmin):
    view_capability = Capability.USERS_VIEW
    list_display = ["number", "holder", "valid_from", "valid_until", "revoked_at"]
    search_fields = ["number", "holder__full_name"]
