"""Notifications (站内消息): one row per recipient, read in the inbox, counted on the home page.

They are made by this app alone, from the audit events of the others (subscriptions.py) and
from a daily job (deadlines near): no other app calls it. Each is one user's: the inbox shows
a user their own and nothing else, whoever they are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.clock import ClockDateTimeField


class Kind(models.TextChoices):
    ACCIDENT_TO_FORWARD = "accident_to_forward", _("Accident report waiting to be forwarded")
    # At the top of its chain (art. 10: a 一般 accident at the city) a report waits for nobody's
    # forwarding, but the bureau must still know at once that it has arrived.
    ACCIDENT_RECEIVED = "accident_received", _("Accident report received")
    DEADLINE_NEAR = "deadline_near", _("Rectification deadline near")
    DOCUMENT_SERVED = "document_served", _("Document issued to the unit")
    HEARING = "hearing", _("Hearing")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """A user's own notifications, and nobody else's (an inbox has no jurisdiction)."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class NotificationManager(models.Manager["Notification"]):
    def get_queryset(self) -> NotificationQuerySet:
        return NotificationQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> NotificationQuerySet:
        return self.get_queryset().visible_to(user)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What it is about ("accidents.accidentreport:12"): one notification per recipient, kind
    # and subject, so a job run twice or an event seen twice tells nobody twice.
    subject = models.CharField(_("what it is about"), max_length=100)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject"], name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return self.text
