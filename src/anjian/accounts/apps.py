from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from anjian.accounts import audit

        audit.register()  # the audit trail's words for this app's codes and records

        from anjian.accounts import signals  # noqa: F401  (login auditing)
