from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditLogConfig(AppConfig):
    name = "anjian.auditlog"
    label = "auditlog"
    verbose_name = _("Verifiable audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from anjian.auditlog import audit

        audit.register()  # the audit trail's words for this app's codes

        from anjian.auditlog import home  # noqa: F401  (registers the fork alert panel)
        from anjian.auditlog.services import tree_verify
        from anjian.core.verification import audit_check_register

        audit_check_register("auditlog.tree", tree_verify)

        from django.apps import apps

        if apps.is_installed("anjian.jobs"):
            from anjian.auditlog import jobs  # noqa: F401  (the checkpoint every N minutes)
