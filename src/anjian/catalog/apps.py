from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "anjian.catalog"
    verbose_name = _("Supervision catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.catalog import audit

        audit.register()  # the audit trail's words for this app's codes and records

        # The standards an entity declared, on its profile's timeline.
        from anjian.catalog import timeline  # noqa: F401
