from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrawsConfig(AppConfig):
    name = "anjian.draws"
    verbose_name = _("Random inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its counts on the home page (accounts.home knows no later app).
        from anjian.draws import home  # noqa: F401
