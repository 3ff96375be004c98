from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "anjian.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.jobs import audit, registry

        audit.register()  # the audit trail's words for this app's codes and records
        registry.connect_signals()  # every run that fails (or a periodic one that ends) is kept
