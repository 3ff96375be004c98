"""The draws' part of the home page: draws still being configured by the division."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import DRAFTS, HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability, Role
from anjian.draws import selectors
from anjian.draws.states import DrawStatus


@home_panel
def draw_panels(user: Any) -> Iterable[HomePanel]:
    if not (user.has_role(Role.DIVISION_HEAD) and user.can(Capability.DRAWS_MANAGE)):
        return
    yield HomePanel(
        DRAFTS,
        [
            HomeCount(
                _("Draws being configured"),
                selectors.draw_list(user, status=DrawStatus.DRAFT, own_bureau=True).count(),
                with_query(reverse("draws:draw_list"), status=DrawStatus.DRAFT.value, own=1),
                "warning",
            )
        ],
        icon="pencil-square",
        order=30,
    )
