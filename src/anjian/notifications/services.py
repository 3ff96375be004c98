"""Writes of notifications: who is told, once per subject, and the SMS for what is urgent.

Recipients are found here, not given by the apps that act: staff by bureau and capability (the
officers on duty of the bureau a report waits at), and the active enterprise accounts bound to
an entity (EnterpriseMember) for what is addressed to the unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction

from anjian.accounts.models import User
from anjian.core import clock
from anjian.notifications.models import Notification
from anjian.notifications.sms import sms_send


def staff_of_bureau(bureau_id: int, capability: Any) -> list[User]:
    """The active users of a bureau whose roles hold `capability`."""
    users = User.objects.filter(bureau_id=bureau_id, is_active=True).prefetch_related(
        "role_assignments"
    )
    return [u for u in users if u.can(capability)]


def enterprise_users(entity_id: int) -> list[User]:
    """The active accounts bound to the entity."""
    if not apps.is_installed("anjian.enterprise"):
        return []
    member = apps.get_model("enterprise", "EnterpriseMember")
    ids = member.objects.filter(entity_id=entity_id, active=True).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids), is_active=True))


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    text: str,
    subject: str,
    link: str = "",
    sms: bool = False,
) -> list[Notification]:
    """One notification per recipient (none again for the same kind and subject); with `sms`,
    also a message to the recipient's phone through the gateway."""
    made = []
    for user in {u.pk: u for u in recipients}.values():
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    recipient=user, kind=kind, text=text[:500], link=link, subject=subject
                )
        except IntegrityError:
            continue  # told already
        made.append(n)
        if sms and user.phone:
            sms_send(user.phone, text)
    return made


def mark_read(*, user: Any, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(*, user: Any) -> int:
    return Notification.objects.visible_to(user).unread().update(read_at=clock.now())
