from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrawsConfig(AppConfig):
    name = "anjian.draws"
    verbose_name = _("Random inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The draws that drew an entity, on its profile.
        from anjian.draws import (
            audit,
            timeline,  # noqa: F401
        )

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.draws import home  # noqa: F401
