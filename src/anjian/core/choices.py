"""Choices shared by several apps: the work-safety industry categories (GLOSSARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    COAL_MINE = "coal_mine", _("Coal mines")
    NON_COAL_MINE = "non_coal_mine", _("Non-coal mines")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    FIREWORKS = "fireworks", _("Fireworks and firecrackers")
    METALLURGY = "metallurgy", _("Metallurgy")
    NON_FERROUS = "non_ferrous", _("Non-ferrous metals")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    MACHINERY = "machinery", _("Machinery")
    LIGHT_INDUSTRY = "light_industry", _("Light industry")
    TEXTILES = "textiles", _("Textiles")
    TOBACCO = "tobacco", _("Tobacco")
    COMMERCE_TRADE = "commerce_trade", _("Commerce and trade")
