from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "anjian.complaints"
    verbose_name = _("Complaints and whistleblowing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.complaints import audit

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.complaints import home  # noqa: F401

        # The daily escalation of overdue reports, through the background worker (ADR 0012).
        if apps.is_installed("anjian.jobs"):
            from anjian.complaints import jobs  # noqa: F401
