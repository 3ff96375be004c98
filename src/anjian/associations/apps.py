from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "anjian.associations"
    label = "associations"
    verbose_name = _("Industry associations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.associations import audit

        audit.register()
