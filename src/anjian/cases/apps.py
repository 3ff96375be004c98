from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "anjian.cases"
    verbose_name = _("Enforcement cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The cases against an entity and their publications, on its profile.
        from anjian.cases import (
            audit,
            timeline,  # noqa: F401
        )

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.cases import home  # noqa: F401
