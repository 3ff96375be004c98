"""Checks of entity, licence and filing values, shared by the import, the forms and the API.

Each check takes the text a person typed or a spreadsheet held and returns the clean value, or
raises `FieldInvalid` whose message says, in the user's language, what is wrong. The services
call the same checks, so a value refused on one path is refused on every path.
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import CreditGrade, Industry, RiskLevel, StandardisationGrade
from anjian.core.models import Region, RegionLevel
from anjian.core.tabular import parse_bool, parse_date
from anjian.entities.models import (
    BusinessStatus,
    FilingActivity,
    LicenceStatus,
    LicenceType,
    Scale,
)
from anjian.entities.sectors import SUB_SECTORS


class FieldInvalid(ValueError):
    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015 check character: python-stdnum's `calc_check_digit` arithmetic without its
    per-call input cleaning, which was a quarter of a million-row import's time.
    tests/entities/test_validation.py checks the two agree."""
    total = sum(map(operator.mul, map(_USCC_VALUE.__getitem__, first17), _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total) % 31]


def uscc_clean(text: str) -> str:
    """A unified social credit code (GB 32100-2015), upper-cased, spaces and dashes removed."""
    code = (text or "").strip().upper()
    if not _USCC_SHAPE.fullmatch(code):
        code = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", code)).upper()
        _uscc_shape_check(code)
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise FieldInvalid(
            _("The check character of the credit code is wrong (it should be %(c)s).")
            % {"c": expected}
        )
    return code


def _uscc_shape_check(code: str) -> None:
    if not code:
        raise FieldInvalid(_("The unified social credit code is required."))
    if len(code) != 18:
        raise FieldInvalid(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)}
        )
    bad = sorted({c for c in code if c not in _USCC_VALUE})
    if bad:
        raise FieldInvalid(
            _("The unified social credit code contains characters it cannot contain: %(chars)s.")
            % {"chars": "、".join(bad)}
        )
    if not code[2:8].isdigit():
        raise FieldInvalid(_("Characters 3–8 of the credit code must be the region code digits."))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Direction controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) make a name or address display
# differently from what it is, to the officer and in every export: refused. Zero-width spaces and
# a stray byte-order mark come with text copied from web pages and Word: dropped silently.
_BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def text_clean(text: str, *, max_length: int, required: bool = False, label: Any = "") -> str:
    """Free text: no spreadsheet formulas (CSV injection), no control characters (direction
    controls included), not too long."""
    value = _ZERO_WIDTH.sub("", text or "").strip()
    if not value:
        if required:
            raise FieldInvalid(_("This value is required."))
        return ""
    if value.startswith(_FORMULA_START):
        raise FieldInvalid(
            _("The value starts with %(c)s and looks like a spreadsheet formula; it is refused.")
            % {"c": repr(value[0])}
        )
    if _CONTROL.search(value):
        raise FieldInvalid(_("The value contains control characters."))
    bidi = _BIDI_CONTROL.search(value)
    if bidi:
        raise FieldInvalid(
            _(
                "The value contains an invisible text-direction character (%(code)s), which "
                "makes it display differently from what it is; delete it and type the value again."
            )
            % {"code": f"U+{ord(bidi.group()):04X}"}
        )
    if len(value) > max_length:
        raise FieldInvalid(
            _("At most %(max)d characters are allowed (this value has %(n)d).")
            % {"max": max_length, "n": len(value)}
        )
    return value


# The column checks below answer, for a whole column of a large import at once, whether every
# cell is already what the one-cell check returns. When they say no, the caller checks each
# distinct cell; they never refuse anything themselves. tests/entities/test_reading.py holds them
# to the one-cell checks on random and adversarial columns.
# A cell's first or last character is a space, or its first a formula's; between new lines.
_EDGE = re.compile(r"\n[^\S\n]|[^\S\n]\n|\n[=+\-@\t\r]")
# Any character `text_clean` drops or refuses: control, direction control, zero width.
_UNCLEAN = re.compile("|".join(p.pattern for p in (_CONTROL, _BIDI_CONTROL, _ZERO_WIDTH)))


def texts_clean(texts: Sequence[str], max_length: int, *, required: bool) -> bool:
    """True if `text_clean` returns every text unchanged and refuses none. Checked on the
    column joined by new lines (a cell holding a new line, rare, sends the column the slow way):
    a Python call per cell of a million-row file was most of its reading time."""
    if not texts:
        return True
    if (required and not all(texts)) or max(map(len, texts)) > max_length:
        return False
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return False
    return not (_EDGE.search(f"\n{joined}\n") or _UNCLEAN.search(joined))


_USCC_POINT = np.full(128, -1, dtype=np.int64)
_USCC_POINT[[ord(c) for c in _USCC_ALPHABET]] = np.arange(len(_USCC_ALPHABET))


def usccs_valid(texts: Sequence[str]) -> bool:
    """True if `uscc_clean` returns every text unchanged and refuses none: 18 characters of the
    code's alphabet each, region digits in places 3–8, the right check character, computed for
    the whole column at once with NumPy."""
    if not texts:
        return True
    if min(map(len, texts)) != 18 or max(map(len, texts)) != 18:
        return False
    joined = "".join(texts)
    if not joined.isascii():
        return False
    points = _USCC_POINT[np.frombuffer(joined.encode("ascii"), dtype=np.uint8)].reshape(-1, 18)
    if (points < 0).any() or (points[:, 2:8] > 9).any():
        return False
    total = points[:, :17] @ np.asarray(_USCC_WEIGHTS, dtype=np.int64)
    return bool(((31 - total % 31) % 31 == points[:, 17]).all())


def names_split(text: str) -> list[str]:
    parts = re.split(r"[；;、\n]+", text or "")
    return [p.strip() for p in parts if p.strip()]


def _choice_key(text: str) -> str:
    """The form a choice is looked up in: NFKC (full-width letters and brackets as half-width),
    without spaces, case-folded."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").casefold()


def _labels(choices: Any, extra: Mapping[str, str]) -> dict[str, str]:
    """Map value, English label and Chinese label (and aliases) to the stored value. Keys are
    normalised as the cell is, so a label written with full-width brackets (重大风险（红）, as
    an export writes it) is found too."""
    from django.utils import translation

    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[_choice_key(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                out[_choice_key(str(label))] = value
    for alias, value in extra.items():
        out[_choice_key(alias)] = value
    return out


_INDUSTRY_ALIASES = {
    "煤矿": Industry.COAL_MINE,
    "煤炭": Industry.COAL_MINE,
    "煤矿企业": Industry.COAL_MINE,
    "非煤矿山": Industry.NON_COAL_MINE,
    "非煤": Industry.NON_COAL_MINE,
    "危险化学品": Industry.HAZARDOUS_CHEMICALS,
    "危化": Industry.HAZARDOUS_CHEMICALS,
    "危化品": Industry.HAZARDOUS_CHEMICALS,
    "化工": Industry.HAZARDOUS_CHEMICALS,
    "烟花爆竹": Industry.FIREWORKS,
    "冶金": Industry.METALLURGY,
    "钢铁": Industry.METALLURGY,
    "有色": Industry.NON_FERROUS,
    "有色金属": Industry.NON_FERROUS,
    "建材": Industry.BUILDING_MATERIALS,
    "机械": Industry.MACHINERY,
    "轻工": Industry.LIGHT_INDUSTRY,
    "纺织": Industry.TEXTILES,
    "烟草": Industry.TOBACCO,
    "商贸": Industry.COMMERCE_TRADE,
}
_STATUS_ALIASES = {
    "在营": BusinessStatus.OPERATING,
    "存续": BusinessStatus.OPERATING,
    "开业": BusinessStatus.OPERATING,
    "在业": BusinessStatus.OPERATING,
    "正常": BusinessStatus.OPERATING,
    "停业": BusinessStatus.SUSPENDED,
    "停产": BusinessStatus.SUSPENDED,
    "停产停业": BusinessStatus.SUSPENDED,
    "歇业": BusinessStatus.SUSPENDED,
    "注销": BusinessStatus.CLOSED,
    "已注销": BusinessStatus.CLOSED,
    "吊销": BusinessStatus.REVOKED,
    "吊销营业执照": BusinessStatus.REVOKED,
    "已吊销": BusinessStatus.REVOKED,
}
_SCALE_ALIASES = {
    "大型": Scale.LARGE,
    "大": Scale.LARGE,
    "中型": Scale.MEDIUM,
    "中": Scale.MEDIUM,
    "小型": Scale.SMALL,
    "小": Scale.SMALL,
    "微型": Scale.MICRO,
    "微": Scale.MICRO,
}
# Grades as bureaus write them: A or A级, in either width and case (the lookup folds both).
_CREDIT_GRADE_ALIASES = {
    "A": CreditGrade.A,
    "A级": CreditGrade.A,
    "B": CreditGrade.B,
    "B级": CreditGrade.B,
    "C": CreditGrade.C,
    "C级": CreditGrade.C,
    "D": CreditGrade.D,
    "D级": CreditGrade.D,
}
# 重大/较大/一般/低, with or without 风险, or the colour of the four-colour risk map.
_RISK_LEVEL_ALIASES = {
    "重大风险": RiskLevel.MAJOR,
    "重大": RiskLevel.MAJOR,
    "红": RiskLevel.MAJOR,
    "红色": RiskLevel.MAJOR,
    "较大风险": RiskLevel.SIGNIFICANT,
    "较大": RiskLevel.SIGNIFICANT,
    "橙": RiskLevel.SIGNIFICANT,
    "橙色": RiskLevel.SIGNIFICANT,
    "一般风险": RiskLevel.GENERAL,
    "一般": RiskLevel.GENERAL,
    "黄": RiskLevel.GENERAL,
    "黄色": RiskLevel.GENERAL,
    "低风险": RiskLevel.LOW,
    "低": RiskLevel.LOW,
    "蓝": RiskLevel.LOW,
    "蓝色": RiskLevel.LOW,
}
# As bureaus' sheets write the standardisation grade: 一级, 一级企业, 1级, 二级达标, 安全生产
# 标准化二级, Ⅲ级 …; the decoration is stripped before the look-up (`standardisation_grade_parse`).
_STANDARDISATION_ALIASES = {
    **{
        f"{numeral}级": grade
        for grade, numerals in (
            (StandardisationGrade.LEVEL_1, ("一", "1", "Ⅰ", "I")),
            (StandardisationGrade.LEVEL_2, ("二", "2", "Ⅱ", "II")),
            (StandardisationGrade.LEVEL_3, ("三", "3", "Ⅲ", "III")),
        )
        for numeral in numerals
    },
    "未达标": "",
    "未评定": "",
    "未评级": "",
    "无": "",
    "未达标或未评定": "",
}
_STANDARDISATION_DECORATION = re.compile(
    r"^(安全生产)?(标准化)?(等级)?[:：]?|(安全生产)?(标准化)?(达标)?(企业|单位)?$"
)
_STANDARDISATION_KEYS = {
    _choice_key(k): str(v)
    for k, v in {
        **_STANDARDISATION_ALIASES,
        **{value: value for value in StandardisationGrade.values if value},
    }.items()
}
_STANDARDISATION_LABELS = StandardisationGrade.choices
_LICENCE_TYPE_ALIASES = {
    "安全生产许可证": LicenceType.SAFETY_PRODUCTION,
    "危险化学品经营许可证": LicenceType.HAZCHEM_OPERATION,
    "危化品经营许可证": LicenceType.HAZCHEM_OPERATION,
    "危险化学品安全使用许可证": LicenceType.HAZCHEM_SAFE_USE,
    "烟花爆竹经营(批发)许可证": LicenceType.FIREWORKS_WHOLESALE,
    "烟花爆竹批发许可证": LicenceType.FIREWORKS_WHOLESALE,
    "烟花爆竹经营(零售)许可证": LicenceType.FIREWORKS_RETAIL,
    "烟花爆竹零售许可证": LicenceType.FIREWORKS_RETAIL,
    "第一类非药品类易制毒化学品生产/经营许可证": LicenceType.PRECURSOR_CHEM,
    "第一类非药品类易制毒化学品生产许可证": LicenceType.PRECURSOR_CHEM,
    "第一类非药品类易制毒化学品经营许可证": LicenceType.PRECURSOR_CHEM,
}
_LICENCE_STATUS_ALIASES = {
    "有效": LicenceStatus.VALID,
    "正常": LicenceStatus.VALID,
    "暂扣": LicenceStatus.SUSPENDED,
    "吊销": LicenceStatus.REVOKED,
    "注销": LicenceStatus.CANCELLED,
}
_FILING_ALIASES = {
    "应急预案备案": FilingActivity.EMERGENCY_PLAN,
    "应急预案": FilingActivity.EMERGENCY_PLAN,
    "生产安全事故应急预案备案": FilingActivity.EMERGENCY_PLAN,
    "重大危险源备案": FilingActivity.MAJOR_HAZARD,
    "重大危险源": FilingActivity.MAJOR_HAZARD,
    "第二类、第三类非药品类易制毒化学品备案": FilingActivity.PRECURSOR_CHEM,
    "易制毒化学品备案": FilingActivity.PRECURSOR_CHEM,
}


class ChoiceParser:
    """Reads a choice from its stored value, its label in either language, or an alias."""

    def __init__(self, choices: Any, aliases: Mapping[str, str], label: Any) -> None:
        self.choices = choices
        self.aliases = aliases
        self.label = label
        self._map: dict[str, str] | None = None

    def __call__(self, text: str, *, default: str | None = None) -> str:
        key = _choice_key((text or "").strip())
        if not key:
            if default is not None:
                return default
            raise FieldInvalid(_("This value is required."))
        if self._map is None:
            self._map = _labels(self.choices, self.aliases)
        try:
            return self._map[key]
        except KeyError:
            allowed = "、".join(sorted(set(self.aliases)))
            raise FieldInvalid(
                _("“%(value)s” is not a known %(what)s; use one of: %(allowed)s.")
                % {"value": text.strip(), "what": self.label, "allowed": allowed}
            ) from None


industry_parse = ChoiceParser(Industry, _INDUSTRY_ALIASES, _("industry"))
business_status_parse = ChoiceParser(BusinessStatus, _STATUS_ALIASES, _("business status"))
scale_parse = ChoiceParser(Scale, _SCALE_ALIASES, _("scale"))
# Said wherever a grade is offered by hand (the API; the import ignores its column).
GRADE_NOT_TYPED = _(
    "The credit grade is computed from the credit records and cannot be entered; to set it by "
    "hand, propose a grade override on the entity's credit page (with a reason, an approver and "
    "an end date)."
)
credit_grade_parse = ChoiceParser(CreditGrade, _CREDIT_GRADE_ALIASES, _("credit grade"))
risk_level_parse = ChoiceParser(RiskLevel, _RISK_LEVEL_ALIASES, _("risk level"))


def standardisation_grade_parse(text: str) -> str:
    """一级, 一级企业, 1级, 二级达标, 安全生产标准化三级企业, Ⅱ级 … → the grade; empty, 未达标 or
    未评定 → "" (not up to standard or not rated). Anything else is refused naming the forms."""
    key = _choice_key(text or "").replace("(", "").replace(")", "")
    if not key:
        return ""
    found = _STANDARDISATION_KEYS.get(key)
    if found is None:
        found = _STANDARDISATION_KEYS.get(_STANDARDISATION_DECORATION.sub("", key))
    if found is None:  # an export in English writes the English labels
        with translation.override("en"):
            labels = {_choice_key(str(label)): value for value, label in _STANDARDISATION_LABELS}
        found = labels.get(key)
    if found is None:
        raise FieldInvalid(
            _("“%(value)s” is not a known %(what)s; use one of: %(allowed)s.")
            % {
                "value": text.strip(),
                "what": _("work-safety standardisation grade"),
                "allowed": "一级、二级、三级（一级企业、1级、二级达标 等写法均可）、未达标、未评定",
            }
        )
    return found


licence_type_parse = ChoiceParser(LicenceType, _LICENCE_TYPE_ALIASES, _("licence type"))
licence_status_parse = ChoiceParser(LicenceStatus, _LICENCE_STATUS_ALIASES, _("licence status"))
filing_activity_parse = ChoiceParser(FilingActivity, _FILING_ALIASES, _("filing activity"))


def sub_sector_clean(text: str, industry: str) -> str:
    code = unicodedata.normalize("NFKC", text or "").strip()
    if not code:
        return ""
    if not re.fullmatch(r"[0-9]{4}", code):
        raise FieldInvalid(_("A GB/T 4754 class code has four digits, e.g. 0610."))
    known = SUB_SECTORS.get(code)
    if known is not None and known[1] != industry:
        raise FieldInvalid(
            _("Class %(code)s (%(name)s) does not belong to the industry given.")
            % {"code": code, "name": known[0]}
        )
    return code


def date_clean(text: str, *, required: bool = False) -> datetime.date | None:
    if not (text or "").strip():
        if required:
            raise FieldInvalid(_("This value is required."))
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise FieldInvalid(exc.args[0] if exc.args else _("Not a date.")) from None


def bool_clean(text: str) -> bool:
    try:
        return parse_bool(text)
    except ValueError as exc:
        raise FieldInvalid(exc.args[0] if exc.args else _("Not yes or no.")) from None


class RegionResolver:
    """Finds the county-level region a spreadsheet names: by code, by name, or by city + name.

    Loaded once per import; names shared by two counties (城区 in 阳泉 and 晋城) must be given
    with their city or as a code.
    """

    def __init__(self, regions: Iterable[Region] | None = None) -> None:
        rows = list(regions if regions is not None else Region.objects.all())
        self.by_code = {r.code: r for r in rows}
        self.counties: dict[str, list[Region]] = {}
        for r in rows:
            if r.level == RegionLevel.COUNTY:
                self.counties.setdefault(r.name, []).append(r)

    def resolve(self, text: str) -> Region:
        value = re.sub(r"\s", "", unicodedata.normalize("NFKC", text or ""))
        if not value:
            raise FieldInvalid(_("The county (region) is required."))
        if value.isdigit():
            region = self.by_code.get(value)
            if region is None:
                raise FieldInvalid(_("%(code)s is not a known region code.") % {"code": value})
            if region.level != RegionLevel.COUNTY:
                raise FieldInvalid(
                    _("%(code)s is a province or city code; give the county-level code.")
                    % {"code": value}
                )
            return region
        for prefix in ("山西省", "山西"):
            if value.startswith(prefix) and len(value) > len(prefix):
                value = value[len(prefix) :]
                break
        candidates = self.counties.get(value)
        if candidates is None:
            # "朔州市平鲁区": a city name followed by a county name.
            for name, regions in self.counties.items():
                if value.endswith(name):
                    city_part = value[: -len(name)]
                    matching = [
                        r
                        for r in regions
                        if r.parent is not None
                        and city_part in (r.parent.name, r.parent.name.removesuffix("市"))
                    ]
                    if matching:
                        candidates = matching
                        break
        if not candidates:
            raise FieldInvalid(_("“%(name)s” is not a county in Shanxi.") % {"name": value})
        if len(candidates) > 1:
            raise FieldInvalid(
                _("“%(name)s” is the name of more than one county; give the city too or the code.")
                % {"name": value}
            )
        return candidates[0]


@dataclass
class EntityValues:
    """One entity's values after checking, ready to be compared with or written to the model."""

    uscc: str
    name: str
    former_names: list[str]
    industry: str
    sub_sector: str
    region_id: str
    address: str
    legal_representative: str
    business_status: str
    scale: str
    established_on: datetime.date | None
    key_supervision: bool
    new_business_form: bool
    observation_start: datetime.date | None
    observation_end: datetime.date | None
    major_hazard_source: bool
    # Last and with a default: callers written before the field existed still work. The credit
    # grade is not a registry value: credit computes it, and a grade set by hand is a credit
    # override with a reason, an approver and an end date (docs/credit.md).
    risk_level: str = ""
    standardisation_grade: str = ""

    FIELDS = (
        "name",
        "former_names",
        "industry",
        "sub_sector",
        "region_id",
        "address",
        "legal_representative",
        "business_status",
        "scale",
        "established_on",
        "key_supervision",
        "new_business_form",
        "observation_start",
        "observation_end",
        "major_hazard_source",
        "risk_level",
        "standardisation_grade",
    )

    def as_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.FIELDS}


def licence_period_error(
    valid_from: datetime.date | None, valid_until: datetime.date | None
) -> Any:
    """The reason a licence's validity is impossible, or None."""
    if valid_from and valid_until and valid_until < valid_from:
        return _("A licence cannot expire before it is valid.")
    return None


def filing_period_error(filed_on: datetime.date | None, valid_until: datetime.date | None) -> Any:
    """The reason a filing's validity is impossible, or None."""
    if filed_on and valid_until and valid_until < filed_on:
        return _("A filing cannot lapse before it is made.")
    return None


def observation_check(
    new_business_form: bool, start: datetime.date | None, end: datetime.date | None
) -> dict[str, Any]:
    """The observation period's own rules; returns {field: message} for each broken one."""
    errors: dict[str, Any] = {}
    if new_business_form and start is None:
        errors["observation_start"] = _("A new business form needs an observation period start.")
    if new_business_form and end is None:
        # N3.5: inclusive-prudent supervision is for a set time; an open period would shelter
        # the entity's violations for ever.
        errors["observation_end"] = _(
            "An observation period must have an end date: an open observation period is not "
            "allowed."
        )
    if start and end and end < start:
        errors["observation_end"] = _("The observation period cannot end before it starts.")
    if not new_business_form and (start or end):
        errors["new_business_form"] = _(
            "An observation period applies only to a new business form; mark it as one."
        )
    return errors
