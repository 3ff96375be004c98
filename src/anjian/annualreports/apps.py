from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualReportsConfig(AppConfig):
    name = "anjian.annualreports"
    label = "annualreports"
    verbose_name = _("Annual safety reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.annualreports import audit

        audit.register()
