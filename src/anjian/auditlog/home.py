"""The administrator's and the audit administrator's alert: open forks of the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import HomeCount, HomePanel, home_panel
from anjian.auditlog import selectors


@home_panel
def fork_alert_panels(user: Any) -> Iterable[HomePanel]:
    if not selectors.may_see_fork_alerts(user):
        return
    count = selectors.fork_alerts_open().count()
    if not count:
        return
    yield HomePanel(
        _("Audit log alerts"),
        [
            HomeCount(
                _("Forks of the audit log detected"), count, reverse("auditlog:alerts"), "danger"
            )
        ],
        icon="exclamation-octagon",
        order=1,
    )
