"""The publications' part of the home page: penalty decisions to publish, and those overdue."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import TO_PUBLISH, HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability, Role
from anjian.publications import selectors
from anjian.publications.models import PublicationStatus


@home_panel
def publication_panels(user: Any) -> Iterable[HomePanel]:
    if not (user.has_role(Role.DIVISION_HEAD) and user.can(Capability.PUBLICATIONS_MANAGE)):
        return
    today = timezone.localdate()
    url = reverse("publications:publication_list")
    yield HomePanel(
        TO_PUBLISH,
        [
            HomeCount(
                _("Penalty decisions to publish"),
                selectors.publication_list(user).filter(status=PublicationStatus.SCHEDULED).count(),
                url,
                "warning",
            ),
            HomeCount(
                _("Penalty decisions overdue for publication"),
                selectors.publications_overdue(user, today=today).count(),
                with_query(url, overdue=1),
                "danger",
            ),
        ],
        icon="broadcast",
        order=25,
    )
