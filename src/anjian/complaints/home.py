"""The complaints' part of the home page: reports to accept, due soon and overdue, escalated to
the bureau, assigned to me; rewards awaiting the committee."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import WAITING_FOR_ME, HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability
from anjian.complaints import selectors
from anjian.complaints.models import ReportState

REPORTS = _("Complaints and reports")


@home_panel
def report_panels(user: Any) -> Iterable[HomePanel]:
    url = reverse("complaints:report_list")
    counts: list[HomeCount] = []
    if user.can(Capability.COMPLAINTS_RECEIVE):
        base = selectors.report_list(user).filter(bureau=user.bureau_id)
        counts += [
            HomeCount(
                _("Reports awaiting acceptance"),
                base.filter(state=ReportState.RECEIVED).count(),
                with_query(url, state=ReportState.RECEIVED),
            ),
            HomeCount(
                _("Reports escalated to my bureau"),
                selectors.report_list(user, selectors.ReportFilters(escalated=True)).count(),
                with_query(url, escalated=1),
                "danger",
            ),
        ]
    if user.can(Capability.COMPLAINTS_RECEIVE) or user.can(Capability.COMPLAINTS_HANDLE):
        mine_only = not user.can(Capability.COMPLAINTS_RECEIVE)
        counts += [
            HomeCount(
                _("Reports assigned to me"),
                selectors.report_list(user, selectors.ReportFilters(mine=True))
                .filter(state__in=[ReportState.ACCEPTED, ReportState.HANDLING])
                .count(),
                with_query(url, mine=1),
            ),
            HomeCount(
                _("Reports due soon"),
                selectors.report_list(
                    user, selectors.ReportFilters(due_soon=True, mine=mine_only)
                ).count(),
                with_query(url, due_soon=1, **({"mine": 1} if mine_only else {})),
                "warning",
            ),
            HomeCount(
                _("Overdue reports"),
                selectors.report_list(
                    user, selectors.ReportFilters(overdue=True, mine=mine_only)
                ).count(),
                with_query(url, overdue=1, **({"mine": 1} if mine_only else {})),
                "danger",
            ),
        ]
    if counts:
        yield HomePanel(REPORTS, counts, icon="megaphone", order=20)
    if user.can(Capability.REWARDS_APPROVE):
        yield HomePanel(
            WAITING_FOR_ME,
            [
                HomeCount(
                    _("Rewards awaiting the committee"),
                    selectors.rewards_waiting(user).count(),
                    with_query(reverse("complaints:reward_list"), state="proposed"),
                    "warning",
                )
            ],
            icon="award",
            order=10,
        )
