from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntitiesConfig(AppConfig):
    name = "anjian.entities"
    verbose_name = _("Market entities")
    default_auto_field = "django.db.models.BigAutoField"
