from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_regions(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Keep the region register in step with the shipped data file after every migrate."""
    from anjian.core.services import regions_load

    regions_load()


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from anjian.core import audit

        audit.register()  # the audit trail's words for this app's codes and records

        from anjian.core import bulk  # noqa: F401  (registers the `in_array` lookup)
        from anjian.core.db_roles import roles_check

        checks.register(roles_check, checks.Tags.security, deploy=True)
        post_migrate.connect(_load_regions, sender=self, dispatch_uid="anjian.core.load_regions")
