from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.notifications import home, subscriptions

        # Made from the other apps' audit events: none of them calls this app.
        subscriptions.subscribe()
        home.register()  # the unread count on every home page and in the navigation
        # The one SMS gateway, for the earlier apps too (an invitation's code).
        from anjian.core.messaging import sms_gateway_register
        from anjian.notifications.sms import sms_send

        sms_gateway_register(sms_send)
        if apps.is_installed("anjian.jobs"):
            from anjian.notifications import jobs  # noqa: F401
