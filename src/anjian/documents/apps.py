from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "anjian.documents"
    verbose_name = _("Enforcement documents")
    default_auto_field = "django.db.models.BigAutoField"
