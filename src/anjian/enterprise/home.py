"""The enterprise's part of the shared home page: a panel that leads to its own pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import HomeCount, HomePanel, home_panel
from anjian.accounts.roles import Capability
from anjian.enterprise import selectors


@home_panel
def enterprise_panels(user: Any) -> Iterable[HomePanel]:
    if not user.can(Capability.ENTERPRISE_SELF):
        return
    counts = [
        HomeCount(label, count, url, tone)
        for label, count, url, tone in selectors.home_waiting(user)
    ]
    if not counts:
        counts = [
            HomeCount(
                _("Our enterprise"),
                len(selectors.bound_entity_ids(user)),
                reverse("enterprise:home"),
            )
        ]
    yield HomePanel(_("Enterprise service"), counts, icon="buildings", order=10)
