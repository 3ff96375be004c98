"""The navigation: only what the user's roles may use, in sections so the sidebar stays readable.

Each entry names the capability its page requires (so an entry never leads to 无权访问) and,
where a page is open to the whole workspace but is the work of a few roles, the capabilities of
those roles (`for_roles_with`): the system administrator does not need the case list in the
sidebar, though the page would open for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability

DAILY = _("Daily work")
ENFORCEMENT = _("Supervision and enforcement")
REFERENCE = _("Reference data")
ADMINISTRATION = _("Administration")
SECTIONS = [DAILY, ENFORCEMENT, REFERENCE, ADMINISTRATION]

_CASE_WORK = (Capability.CASES_HANDLE, Capability.CASES_APPROVE, Capability.REVIEW)


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    icon: str
    capability: Capability | None
    section: Any = DAILY
    for_roles_with: tuple[Capability, ...] = ()
    # The platform's own pages (background jobs): only to those who see the whole province.
    province_only: bool = False

    def shown_to(self, user: Any) -> bool:
        if self.capability is not None and not user.can(self.capability):
            return False
        if self.province_only:
            from anjian.core.scope import ALL, visible_region_codes

            if visible_region_codes(user) is not ALL:
                return False
        return not self.for_roles_with or any(user.can(c) for c in self.for_roles_with)


NAV_ITEMS = [
    # 日常工作: what comes to a desk every day.
    NavItem(_("Home"), "accounts:home", "house", None),
    NavItem(_("Inspection tasks"), "inspections:task_list", "list-check", Capability.WORKSPACE),
    NavItem(
        _("Inspection records"), "inspections:record_list", "clipboard-check", Capability.WORKSPACE
    ),
    NavItem(
        _("Results to publish"),
        "inspections:publication_list",
        "broadcast",
        Capability.TASKS_RECORD,
    ),
    NavItem(
        _("Overdue rectifications"),
        "inspections:rectification_overdue",
        "alarm",
        Capability.WORKSPACE,
    ),
    NavItem(_("Legal review"), "cases:review_queue", "patch-check", Capability.REVIEW),
    NavItem(
        _("Accident reports"),
        "accidents:report_list",
        "exclamation-triangle",
        Capability.WORKSPACE,
        DAILY,
        (Capability.ACCIDENTS_RECEIVE,),
    ),
    # The enterprise's own pages (docs/accidents.md); the inbox is everyone's.
    NavItem(
        _("Accident reports"),
        "accidents:my_list",
        "exclamation-triangle",
        Capability.ENTERPRISE_SELF,
    ),
    NavItem(
        _("Annual safety reports"),
        "annualreports:my_list",
        "journal-check",
        Capability.ENTERPRISE_SELF,
    ),
    NavItem(
        _("Industry association"),
        "associations:my_page",
        "people-fill",
        Capability.ASSOCIATION_SELF,
    ),
    NavItem(
        _("Inbox"),
        "notifications:inbox",
        "bell",
        None,
        DAILY,
        (Capability.WORKSPACE, Capability.ENTERPRISE_SELF),
    ),
    NavItem(
        _("Complaints and reports"),
        "complaints:report_list",
        "megaphone",
        Capability.WORKSPACE,
        DAILY,
        (Capability.COMPLAINTS_RECEIVE, Capability.COMPLAINTS_HANDLE),
    ),
    NavItem(
        _("Report rewards"),
        "complaints:reward_list",
        "award",
        Capability.WORKSPACE,
        DAILY,
        (Capability.COMPLAINTS_RECEIVE, Capability.REWARDS_APPROVE),
    ),
    # The enterprise's own pages (enterprise app, docs/enterprise.md).
    NavItem(_("Our enterprise"), "enterprise:home", "buildings", Capability.ENTERPRISE_SELF),
    NavItem(
        _("Our inspections"),
        "enterprise:inspection_list",
        "clipboard-check",
        Capability.ENTERPRISE_SELF,
    ),
    NavItem(
        _("Self-inspections"),
        "enterprise:self_inspection_list",
        "check2-square",
        Capability.ENTERPRISE_SELF,
    ),
    NavItem(_("Our standards"), "enterprise:standards", "journal-text", Capability.ENTERPRISE_SELF),
    NavItem(_("Our cases"), "enterprise:case_list", "folder2-open", Capability.ENTERPRISE_SELF),
    NavItem(
        _("Documents addressed to us"),
        "enterprise:document_list",
        "file-earmark-text",
        Capability.ENTERPRISE_SELF,
    ),
    NavItem(_("Our credit records"), "enterprise:credit", "award", Capability.ENTERPRISE_SELF),
    NavItem(
        _("Electronic service"), "enterprise:service", "envelope-check", Capability.ENTERPRISE_SELF
    ),
    NavItem(_("Our users"), "enterprise:member_list", "people", Capability.ENTERPRISE_SELF),
    # 监管执法: plans, random inspections, cases and their publication.
    NavItem(_("Annual plans"), "plans:plan_list", "calendar3", Capability.WORKSPACE, ENFORCEMENT),
    NavItem(
        _("Random inspections"), "draws:draw_list", "shuffle", Capability.WORKSPACE, ENFORCEMENT
    ),
    NavItem(
        _("Declared conflicts"),
        "draws:conflict_list",
        "person-x",
        Capability.CONFLICTS_DECLARE,
        ENFORCEMENT,
    ),
    NavItem(
        _("Enforcement cases"),
        "cases:case_list",
        "folder2-open",
        Capability.WORKSPACE,
        ENFORCEMENT,
        _CASE_WORK,
    ),
    NavItem(
        _("Clue transfers"),
        "cases:transfer_list",
        "send",
        Capability.WORKSPACE,
        ENFORCEMENT,
        _CASE_WORK,
    ),
    NavItem(
        _("Publications"),
        "publications:publication_list",
        "megaphone",
        Capability.WORKSPACE,
        ENFORCEMENT,
    ),
    NavItem(
        _("Exposure page"),
        "complaints:exposure_list",
        "exclamation-octagon",
        Capability.EXPOSURE_MANAGE,
        ENFORCEMENT,
    ),
    NavItem(
        _("Annual safety reports"),
        "annualreports:report_list",
        "journal-check",
        Capability.WORKSPACE,
        ENFORCEMENT,
    ),
    NavItem(
        _("Credit supervision"),
        "credit:overview",
        "award",
        Capability.WORKSPACE,
        ENFORCEMENT,
    ),
    # 基础数据: the registers the work refers to.
    NavItem(
        _("Market entities"),
        "entities:entity_list",
        "buildings",
        Capability.ENTITIES_VIEW,
        REFERENCE,
    ),
    NavItem(
        _("Expiring licences"),
        "entities:licence_expiring",
        "hourglass-split",
        Capability.ENTITIES_VIEW,
        REFERENCE,
    ),
    NavItem(
        _("Missing filings"),
        "entities:filing_missing",
        "clipboard-x",
        Capability.ENTITIES_VIEW,
        REFERENCE,
    ),
    NavItem(_("Import"), "entities:import_upload", "upload", Capability.ENTITIES_MANAGE, REFERENCE),
    NavItem(
        _("Supervision catalog"),
        "catalog:item_list",
        "journal-text",
        Capability.WORKSPACE,
        REFERENCE,
    ),
    NavItem(
        _("Industry associations"),
        "associations:association_list",
        "people-fill",
        Capability.WORKSPACE,
        REFERENCE,
    ),
    NavItem(_("Regions"), "core:region_list", "geo-alt", Capability.WORKSPACE, REFERENCE),
    # 系统管理
    NavItem(
        _("Bureaus"), "accounts:bureau_list", "building", Capability.BUREAUS_VIEW, ADMINISTRATION
    ),
    NavItem(_("Users"), "accounts:user_list", "people", Capability.USERS_VIEW, ADMINISTRATION),
    NavItem(
        _("Enforcement certificates"),
        "accounts:certificate_list",
        "person-vcard",
        Capability.USERS_VIEW,
        ADMINISTRATION,
    ),
    NavItem(
        _("Audit trail"), "core:audit_list", "shield-check", Capability.AUDIT_VIEW, ADMINISTRATION
    ),
    NavItem(
        _("Background jobs"),
        "jobs:job_list",
        "gear",
        Capability.JOBS_MANAGE,
        ADMINISTRATION,
        province_only=True,
    ),
]


# A later app may put a count next to an entry (the inbox's unread notifications): url name ->
# a function of the user (accounts knows no later app).
_badges: dict[str, Any] = {}


def nav_badge(url_name: str, count: Any) -> None:
    _badges[url_name] = count


def nav_items_for(user: Any) -> list[NavItem]:
    """The entries this user sees, in order (also what the tests walk)."""
    if user is None or not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.shown_to(user)]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "section": item.section,
            "active": False,
            "badge": _badges[item.url_name](user) if item.url_name in _badges else 0,
        }
        for item in nav_items_for(user)
    ]
    # The entry whose address is the longest start of this page's: /entities/import/ is
    # Import, not also Market entities (/entities/); /cases/transfers/ is Clue transfers.
    matches = [
        i
        for i in items
        if request.path == i["url"] or (i["url"] != "/home/" and request.path.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    sections = [
        {"label": label, "items": [i for i in items if i["section"] == label]} for label in SECTIONS
    ]
    return {
        "nav_items": items,
        "nav_sections": [s for s in sections if s["items"]],
        "platform_name": settings.ANJIAN_PLATFORM_NAME,
    }
