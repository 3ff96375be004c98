"""The plans' part of the home page: drafts to submit, plans waiting for the leader's approval."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import (
    DRAFTS,
    WAITING_FOR_ME,
    HomeCount,
    HomePanel,
    home_panel,
    with_query,
)
from anjian.accounts.roles import Capability, Role
from anjian.plans import selectors
from anjian.plans.states import PlanStatus


@home_panel
def plan_panels(user: Any) -> Iterable[HomePanel]:
    url = reverse("plans:plan_list")
    if user.has_role(Role.DIVISION_HEAD) and user.can(Capability.PLANS_MANAGE):
        yield HomePanel(
            DRAFTS,
            [
                HomeCount(
                    _("Plan drafts to submit"),
                    selectors.plan_list(user, status=PlanStatus.DRAFT, own_bureau=True).count(),
                    with_query(url, status=PlanStatus.DRAFT.value, own=1),
                    "warning",
                )
            ],
            icon="pencil-square",
            order=30,
        )
    if user.can(Capability.PLANS_APPROVE):
        yield HomePanel(
            WAITING_FOR_ME,
            [
                HomeCount(
                    _("Plans waiting for my approval"),
                    selectors.plan_list(user, awaiting_me=True).count(),
                    with_query(url, awaiting=1),
                    "warning",
                )
            ],
            icon="pen",
            order=15,
        )
