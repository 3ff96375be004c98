"""The inspections' part of the home page: the inspector's week, the division's overdue work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import TO_PUBLISH, HomeCount, HomePanel, home_panel, with_query
from anjian.accounts.roles import Capability, Role
from anjian.inspections import selectors
from anjian.inspections.models import RecordStatus


@home_panel
def inspection_panels(user: Any) -> Iterable[HomePanel]:
    today = timezone.localdate()
    tasks = reverse("inspections:task_list")
    if user.has_role(Role.INSPECTOR):
        yield HomePanel(
            _("My inspections"),
            [
                HomeCount(
                    _("My tasks due this week"),
                    selectors.task_list(
                        user, today=today, assigned_to=user, due_this_week=True
                    ).count(),
                    with_query(tasks, mine=1, due="week"),
                    "warning",
                ),
                HomeCount(
                    _("My overdue tasks"),
                    selectors.task_list(
                        user, today=today, assigned_to=user, overdue_only=True
                    ).count(),
                    with_query(tasks, mine=1, overdue=1),
                    "danger",
                ),
                HomeCount(
                    _("My open inspection records"),
                    selectors.record_list(
                        user, status=RecordStatus.DRAFT, team_member=user
                    ).count(),
                    with_query(
                        reverse("inspections:record_list"), status=RecordStatus.DRAFT.value, mine=1
                    ),
                ),
            ],
            icon="clipboard-check",
            order=10,
        )
    if user.has_role(Role.DIVISION_HEAD):
        counts = [
            HomeCount(
                _("Overdue inspection tasks"),
                selectors.task_list(user, today=today, overdue_only=True).count(),
                with_query(tasks, overdue=1),
                "danger",
            ),
            HomeCount(
                _("Overdue rectifications"),
                selectors.rectifications_overdue_count(user, today=today),
                reverse("inspections:rectification_overdue"),
                "danger",
            ),
        ]
        yield HomePanel(_("Supervision in my jurisdiction"), counts, icon="alarm", order=20)
        if user.can(Capability.TASKS_RECORD):
            pending, overdue = selectors.publication_counts(user, today=today)
            url = reverse("inspections:publication_list")
            yield HomePanel(
                TO_PUBLISH,
                [
                    HomeCount(_("Inspection results to publish"), pending, url, "warning"),
                    HomeCount(
                        _("Inspection results overdue for publication"),
                        overdue,
                        with_query(url, overdue=1),
                        "danger",
                    ),
                ],
                icon="broadcast",
                order=25,
            )
