from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "anjian.plans"
    verbose_name = _("Annual inspection plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.plans import audit

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.plans import home  # noqa: F401
