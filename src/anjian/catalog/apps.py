from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "anjian.catalog"
    verbose_name = _("Supervision catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The standards an entity declared, on its profile's timeline.
        from anjian.catalog import timeline  # noqa: F401
