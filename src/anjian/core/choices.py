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


class CreditGrade(models.TextChoices):
    """信用等级. Until the credit capability computes grades, the grade is a field on the entity,
    set by import or by hand (issue 8 asks for exactly this)."""

    A = "A", _("Credit grade A")
    B = "B", _("Credit grade B")
    C = "C", _("Credit grade C")
    D = "D", _("Credit grade D")


class RiskLevel(models.TextChoices):
    """风险等级 (重大/较大/一般/低; 红/橙/黄/蓝). A field on the entity until the risk model
    sets it."""

    MAJOR = "major", _("Major risk (red)")
    SIGNIFICANT = "significant", _("Significant risk (orange)")
    GENERAL = "general", _("General risk (yellow)")
    LOW = "low", _("Low risk (blue)")


class StandardisationGrade(models.TextChoices):
    """安全生产标准化等级: the grade of the enterprise's work-safety standardisation (一级 the
    highest), reviewed by the bureaus; empty: 未达标或未评定 (not up to standard, or never
    reviewed). Shanxi caps the yearly inspections of hazardous chemicals and metallurgy by it
    (docs/credit.md)."""

    LEVEL_1 = "level_1", _("Standardisation level 1")
    LEVEL_2 = "level_2", _("Standardisation level 2")
    LEVEL_3 = "level_3", _("Standardisation level 3")
    NOT_RATED = "", _("Not up to standard or not rated")
