"""The value checks shared by the import, the forms and the API."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from anjian.core.models import Region
from anjian.entities.validation import (
    FieldInvalid,
    RegionResolver,
    industry_parse,
    text_clean,
    uscc_check_character,
    uscc_clean,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_our_check_character_is_python_stdnums(first17: str) -> None:
    assert uscc_check_character(first17) == stdnum_uscc.calc_check_digit(first17)


@given(
    st.text(alphabet="0123456789", min_size=2, max_size=2),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
    st.sampled_from(ALPHABET),
)
def test_uscc_clean_accepts_exactly_what_python_stdnum_accepts(
    head: str, body: str, last: str
) -> None:
    # python-stdnum also insists on digits in the first two places; GB 32100-2015 allows the
    # letters of its registration-authority table there (A, N, Y), and so do we.
    code = head + "140603" + body + last
    try:
        uscc_clean(code)
        ours = True
    except FieldInvalid:
        ours = False
    assert ours == stdnum_uscc.is_valid(code)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "required"),
        ("91140603MA0K1234X", "18"),
        ("91140603MA0K1234XI", "I"),  # I is not in the alphabet
        ("9114A603MA0K1234XE", "3–8"),
    ],
)
def test_uscc_clean_explains_each_kind_of_mistake(text: str, fragment: str) -> None:
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(FieldInvalid) as exc:
            uscc_clean(text)
        assert fragment in str(exc.value.message)


def test_full_width_and_spaced_codes_are_normalised() -> None:
    assert uscc_clean(" ９１１４０６０３ＭＡ０Ｋ１２３４ＸＥ ") == "91140603MA0K1234XE"
    assert uscc_clean("91140603-MA0K1234XE") == "91140603MA0K1234XE"


def test_text_clean_refuses_formulas_and_control_characters() -> None:
    for text in ("=1+2", "+86", "-x", "@SUM(A1)", " =1+2"):
        with pytest.raises(FieldInvalid):
            text_clean(text, max_length=100)
    with pytest.raises(FieldInvalid):
        text_clean("a\x07b", max_length=100)
    assert text_clean("  有限公司 ", max_length=100) == "有限公司"


def test_direction_controls_are_refused_and_zero_width_spaces_dropped() -> None:
    """U+202E made a name display reversed on every page and export; it was stored raw."""
    for control in ("\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"):
        with pytest.raises(FieldInvalid) as exc:
            text_clean(f"平鲁区{control}司公限有业煤", max_length=100)
        assert f"U+{ord(control):04X}" in str(exc.value.message)
    assert text_clean("\ufeff平鲁区\u200b东山煤业", max_length=100) == "平鲁区东山煤业"


def test_industry_aliases_and_labels() -> None:
    assert industry_parse("危化") == "hazardous_chemicals"
    assert industry_parse("Coal mines") == "coal_mine"
    assert industry_parse(" 烟花爆竹 ") == "fireworks"
    with pytest.raises(FieldInvalid):
        industry_parse("工贸")  # ambiguous: several categories


@pytest.mark.django_db
def test_the_region_resolver_reads_codes_names_and_city_plus_name() -> None:
    resolver = RegionResolver(Region.objects.select_related("parent"))
    assert resolver.resolve("140603").code == "140603"
    assert resolver.resolve("平鲁区").code == "140603"
    assert resolver.resolve("朔州市平鲁区").code == "140603"
    assert resolver.resolve("山西省朔州市平鲁区").code == "140603"
    assert resolver.resolve("晋城市城区").code == "140502"
    assert resolver.resolve("阳泉城区").code == "140302"
    for bad in ("城区", "140600", "999999", "火星区"):
        with pytest.raises(FieldInvalid):
            resolver.resolve(bad)


def test_dates_from_spreadsheets() -> None:
    from anjian.entities.validation import date_clean

    assert date_clean("2024年3月1日") == datetime.date(2024, 3, 1)
    assert date_clean("") is None
    with pytest.raises(FieldInvalid):
        date_clean("2024-02-30")


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("A", "A"),
        ("a", "A"),
        ("A级", "A"),
        ("a级", "A"),
        ("Ａ", "A"),  # full-width
        ("Ａ级", "A"),
        (" B ", "B"),
        ("C级", "C"),
        ("d", "D"),
        ("Credit grade A", "A"),  # the English label, as an English export writes it
    ],
)
def test_credit_grades_as_bureaus_write_them(text: str, grade: str) -> None:
    from anjian.entities.validation import credit_grade_parse

    assert credit_grade_parse(text) == grade


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("重大风险", "major"),
        ("重大", "major"),
        ("红", "major"),
        ("红色", "major"),
        ("重大风险（红）", "major"),  # the Chinese label, as an export writes it
        ("较大风险", "significant"),
        ("较大", "significant"),
        ("橙", "significant"),
        ("一般风险", "general"),
        ("一般", "general"),
        ("黄", "general"),
        ("低风险", "low"),
        ("低", "low"),
        ("蓝", "low"),
        ("low", "low"),
        ("Significant risk (orange)", "significant"),
    ],
)
def test_risk_levels_as_bureaus_write_them(text: str, level: str) -> None:
    from anjian.entities.validation import risk_level_parse

    assert risk_level_parse(text) == level


def test_an_empty_grade_or_risk_level_is_unknown_and_another_value_is_refused_naming_it() -> None:
    from django.utils import translation

    from anjian.entities.validation import credit_grade_parse, risk_level_parse

    assert credit_grade_parse("", default="") == ""
    assert risk_level_parse("  ", default="") == ""
    with translation.override("zh-hans"):
        for parse, bad, field in (
            (credit_grade_parse, "E", "信用等级"),
            (credit_grade_parse, "AA", "信用等级"),
            (risk_level_parse, "高", "风险等级"),
            (risk_level_parse, "绿", "风险等级"),
        ):
            with pytest.raises(FieldInvalid) as exc:
                parse(bad)
            message = str(exc.value.message)
            assert field in message and bad in message


def test_every_choice_label_in_either_language_reads_back_as_its_value() -> None:
    """An export writes labels (with full-width brackets in Chinese); the import reads them."""
    from django.utils import translation

    from anjian.entities import validation

    for parse in (
        validation.industry_parse,
        validation.business_status_parse,
        validation.scale_parse,
        validation.credit_grade_parse,
        validation.risk_level_parse,
        validation.licence_type_parse,
        validation.licence_status_parse,
        validation.filing_activity_parse,
    ):
        for value, label in parse.choices.choices:
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    assert parse(str(label)) == value, (language, str(label))
