from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "anjian.publications"
    verbose_name = _("Publication of enforcement results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.publications import audit

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.publications import home  # noqa: F401
