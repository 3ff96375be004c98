from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "anjian.documents"
    verbose_name = _("Enforcement documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from anjian.documents import audit

        audit.register()  # the audit trail's words for this app's codes and records

        from anjian.core.verification import audit_check_register
        from anjian.documents.checks import public_base_url_check
        from anjian.documents.verify import documents_files_verify

        audit_check_register("documents.files", documents_files_verify, files=True)
        checks.register(public_base_url_check, checks.Tags.security, deploy=True)
