"""The cases' part of the home page: the leader's approvals, deliberations and decisions, the
legal reviewer's queue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import WAITING_FOR_ME, HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability
from anjian.cases import selectors
from anjian.cases.states import CaseState

_LEADER_STATES = [
    (CaseState.FILING, _("Cases waiting for filing approval")),
    (CaseState.DELIBERATION, _("Cases waiting for collective deliberation")),
    (CaseState.AWAITING_DECISION, _("Cases waiting for a decision")),
]


@home_panel
def case_panels(user: Any) -> Iterable[HomePanel]:
    if user.can(Capability.REVIEW):
        yield HomePanel(
            _("Legal review"),
            [
                HomeCount(
                    _("Cases waiting for my legal review"),
                    selectors.review_queue(user).count(),
                    reverse("cases:review_queue"),
                    "warning",
                )
            ],
            icon="patch-check",
            order=15,
        )
    if user.can(Capability.CASES_APPROVE):
        # One query for the three states the leadership acts on, in its own bureau.
        counted = selectors.case_list(user, own_bureau=True).aggregate(
            **{state.value: Count("pk", filter=Q(state=state)) for state, _label in _LEADER_STATES}
        )
        url = reverse("cases:case_list")
        yield HomePanel(
            WAITING_FOR_ME,
            [
                HomeCount(
                    label,
                    counted[state.value],
                    with_query(url, state=state.value, own=1),
                    "warning",
                )
                for state, label in _LEADER_STATES
            ],
            icon="pen",
            order=15,
        )
