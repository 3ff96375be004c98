"""The enterprise side on the entity's profile (registered from apps.py; entities knows no
later app): the enterprise's accounts, and (further on) its self-inspections and answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.enterprise.models import EnterpriseMember
from anjian.entities.models import Entity
from anjian.entities.timeline import (
    PROVIDER_LIMIT,
    ProfileSection,
    TimelineEntry,
    profile_section,
    timeline_provider,
)

profile_section(
    ProfileSection(
        key="enterprise",
        title=gettext_lazy("Enterprise service"),
        kind="enterprise",
        empty=gettext_lazy("The enterprise has no account and has filed nothing yet."),
        order=60,
        limit=6,
    )
)


@timeline_provider
def enterprise_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    if not getattr(user, "has_staff_role", False) and not getattr(user, "is_superuser", False):
        return
    accounts_url = (
        reverse("enterprise:entity_accounts", args=[entity.uscc])
        if user.can(Capability.ENTITIES_MANAGE)
        else ""
    )
    if accounts_url:
        # Where the officer issues an invitation: always at the top of the section.
        yield TimelineEntry(
            when=clock.today(),
            kind="enterprise",
            label=pgettext("timeline", "Enterprise"),
            title=_("Enterprise accounts and invitations"),
            url=accounts_url,
        )
    members = (
        EnterpriseMember.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("user")
        .only("created_at", "active", "position", "user__full_name", "user__username")
        .order_by("-created_at")[:PROVIDER_LIMIT]
    )
    for m in members:
        yield TimelineEntry(
            when=timezone.localdate(m.created_at),
            kind="enterprise",
            label=pgettext("timeline", "Enterprise"),
            title=_("Enterprise account %(name)s (%(position)s)")
            % {"name": m.user.full_name or m.user.username, "position": m.get_position_display()},
            detail="" if m.active else _("deactivated"),
            url=accounts_url,
        )


@timeline_provider
def self_inspection_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    from anjian.enterprise.models import SelfInspection

    if not getattr(user, "has_staff_role", False) and not getattr(user, "is_superuser", False):
        return
    # The hazards counted in the same query, not read row by row.
    rows = (
        SelfInspection.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("item_version")
        .only("inspected_on", "item_version__name")
        .annotate(
            hazard_count=Count("hazards"),
            open_count=Count("hazards", filter=Q(hazards__done_on__isnull=True)),
        )
        .order_by("-inspected_on", "-id")[:PROVIDER_LIMIT]
    )
    for s in rows:
        open_count = s.open_count
        yield TimelineEntry(
            when=s.inspected_on,
            kind="enterprise",
            label=pgettext("timeline", "Self-inspection"),
            title=_("Self-inspection: %(checklist)s") % {"checklist": s.item_version.name},
            detail=_("%(n)d hazards found, %(open)d not yet rectified")
            % {"n": s.hazard_count, "open": open_count},
            url=reverse("enterprise:bureau_self_inspection", args=[entity.uscc, s.pk])
            if user.can(Capability.WORKSPACE)
            else "",
            open=bool(open_count),
        )
