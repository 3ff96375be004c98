from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AccidentsConfig(AppConfig):
    name = "anjian.accidents"
    label = "accidents"
    verbose_name = _("Accident reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.accidents import audit

        audit.register()  # the audit trail's words for this app's codes and records
        # The reports to read and forward on the home page (accounts.home knows no later app).
        from anjian.accidents import home  # noqa: F401

        # The supplements still open, in what waits for the enterprise (its earlier app).
        if apps.is_installed("anjian.enterprise"):
            from anjian.accidents import waiting  # noqa: F401

        # A late report and the accident itself become credit records when credit is installed:
        # credit knows no accident app, so this app adds its collector and subscription.
        if apps.is_installed("anjian.credit"):
            from anjian.accidents import credit

            credit.register()
