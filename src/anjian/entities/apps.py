from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "anjian.entities"
    verbose_name = _("Market entities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.entities import audit

        audit.register()  # the audit trail's words for this app's codes and records
