from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "anjian.inspections"
    verbose_name = _("Inspections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The entity's inspections, findings and correction orders, on its profile.
        from anjian.inspections import (
            audit,
            timeline,  # noqa: F401
        )

        audit.register()  # the audit trail's words for this app's codes and records

        # Its counts on the home page (accounts.home knows no later app).
        from anjian.inspections import home  # noqa: F401

        # The daily escalation of overdue rectifications, on the platform's job queue.
        if apps.is_installed("anjian.jobs"):
            from anjian.inspections import jobs  # noqa: F401

        if apps.is_installed("anjian.evidence"):
            from anjian.inspections.evidence import evidence_subjects_register

            evidence_subjects_register()
