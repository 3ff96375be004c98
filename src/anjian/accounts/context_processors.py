"""The navigation: only what the user's roles may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    icon: str
    capability: Capability | None


NAV_ITEMS = [
    NavItem(_("Home"), "accounts:home", "house", None),
    NavItem(_("Market entities"), "entities:entity_list", "buildings", Capability.ENTITIES_VIEW),
    NavItem(
        _("Expiring licences"),
        "entities:licence_expiring",
        "hourglass-split",
        Capability.ENTITIES_VIEW,
    ),
    NavItem(
        _("Missing filings"), "entities:filing_missing", "clipboard-x", Capability.ENTITIES_VIEW
    ),
    NavItem(_("Import"), "entities:import_upload", "upload", Capability.ENTITIES_MANAGE),
    NavItem(_("Supervision catalog"), "catalog:item_list", "journal-text", Capability.WORKSPACE),
    NavItem(_("Annual plans"), "plans:plan_list", "calendar3", Capability.WORKSPACE),
    NavItem(_("Inspection tasks"), "inspections:task_list", "list-check", Capability.WORKSPACE),
    NavItem(
        _("Inspection records"), "inspections:record_list", "clipboard-check", Capability.WORKSPACE
    ),
    NavItem(
        _("Overdue rectifications"),
        "inspections:rectification_overdue",
        "alarm",
        Capability.WORKSPACE,
    ),
    NavItem(_("Random inspections"), "draws:draw_list", "shuffle", Capability.WORKSPACE),
    NavItem(_("Publications"), "publications:publication_list", "megaphone", Capability.WORKSPACE),
    NavItem(_("Bureaus"), "accounts:bureau_list", "building", Capability.BUREAUS_VIEW),
    NavItem(_("Users"), "accounts:user_list", "people", Capability.USERS_VIEW),
    NavItem(
        _("Enforcement certificates"),
        "accounts:certificate_list",
        "person-vcard",
        Capability.USERS_VIEW,
    ),
    NavItem(_("Audit trail"), "core:audit_list", "shield-check", Capability.AUDIT_VIEW),
    NavItem(_("Regions"), "core:region_list", "geo-alt", Capability.WORKSPACE),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for item in NAV_ITEMS:
            if item.capability is None or user.can(item.capability):
                url = reverse(item.url_name)
                items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        # The entry whose address is the longest start of this page's: /entities/import/ is
        # Import, not also Market entities (/entities/).
        matches = [
            i
            for i in items
            if request.path == i["url"]
            or (i["url"] != "/home/" and request.path.startswith(i["url"]))
        ]
        if matches:
            max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items, "platform_name": settings.ANJIAN_PLATFORM_NAME}
