"""The accident reports' part of the home page: new reports my bureau has not opened yet, those
it still has to forward, and those some level forwarded late."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accidents import selectors
from anjian.accounts.home import HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability

ACCIDENTS = _("Accident reports")


@home_panel
def accident_panels(user: Any) -> Iterable[HomePanel]:
    if not user.can(Capability.ACCIDENTS_RECEIVE) or not user.bureau_id:
        return
    url = reverse("accidents:report_list")
    F = selectors.Filters
    yield HomePanel(
        ACCIDENTS,
        [
            HomeCount(
                _("New accident reports"),
                selectors.report_list(user, F(new=True)).count(),
                with_query(url, new=1),
                "danger",
            ),
            HomeCount(
                _("Accident reports to forward"),
                selectors.report_list(user, F(waiting=True)).count(),
                with_query(url, waiting=1),
                "warning",
            ),
            HomeCount(
                _("Accident reports forwarded late"),
                selectors.overdue_list(user).count(),
                reverse("accidents:overdue_list"),
                "danger",
            ),
        ],
        icon="exclamation-triangle",
        order=5,
    )
