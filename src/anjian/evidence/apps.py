from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "anjian.evidence"
    verbose_name = _("Evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.evidence import audit

        audit.register()  # the audit trail's words for this app's codes and records

        from anjian.core.verification import audit_check_register
        from anjian.evidence.verify import evidence_files_verify

        audit_check_register("evidence.files", evidence_files_verify, files=True)
