"""The inbox on every role's home page and its unread count in the navigation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.home import HomeCount, HomePanel, home_panel, with_query
from anjian.notifications.models import Notification

INBOX = _("Inbox")


def unread_count(user: Any) -> int:
    """Counted once per request (the home panel and the navigation both show it)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    cached = getattr(user, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.visible_to(user).unread().count()
        user._unread_notifications = cached
    return int(cached)


def inbox_panel(user: Any) -> Iterable[HomePanel]:
    yield HomePanel(
        INBOX,
        [
            HomeCount(
                _("Unread notifications"),
                unread_count(user),
                with_query(reverse("notifications:inbox"), unread=1),
                "warning",
            )
        ],
        icon="bell",
        order=1,
    )


def register() -> None:
    from anjian.accounts.context_processors import nav_badge

    home_panel(inbox_panel)
    nav_badge("notifications:inbox", unread_count)
