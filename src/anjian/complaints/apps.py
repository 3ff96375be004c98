from django.apps import AppConfig
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
