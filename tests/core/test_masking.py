"""The masking service on text written like published 行政处罚决定书 of 应急管理局, and its
properties: idempotent, no valid ID number survives, every valid credit code survives."""

from __future__ import annotations

import datetime
import re

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from anjian.core.masking import mask_id_number, mask_person_name, mask_text


def _id(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def _uscc(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


ID_MAN = _id("14060219850312451")  # 平鲁区, born 1985-03-12
ID_WOMAN = _id("14060319920708002")
ID_OLD = "140602850312451"  # the 15-digit form of the 1980s and 1990s
MINE_USCC = _uscc("91140603MA0K4B2C3")
BUREAU_USCC = "11140600012345678X"  # not a valid code: shown as written, masked by nothing

UNIT_DECISION = f"""朔州市平鲁区应急管理局
行政处罚决定书
平应急罚〔2026〕15号

当事人：朔州市平鲁区东山煤业有限公司
统一社会信用代码：{MINE_USCC}
住所：山西省朔州市平鲁区井坪镇东山村
法定代表人：李建国  联系电话：0349-6012345

违法事实及证据：2026年3月5日，我局执法人员对你单位进行现场检查时发现：9101综采工作面作业人员\
王小明、赵六未取得特种作业操作证上岗作业；井下作业人员安全培训档案不全。以上事实有现场检查记录、\
询问笔录（被询问人：王小明，公民身份号码：{ID_MAN}，联系电话：（+86）139 1234 5678）、\
特种作业人员花名册等证据为证。
你单位的上述行为违反了《中华人民共和国安全生产法》第三十条第一款的规定，依据《中华人民共和国\
安全生产法》第九十七条第（七）项的规定，决定给予罚款人民币伍万元整（¥50,000.00）的行政处罚。
请于收到本决定书之日起十五日内缴至指定银行，户名：朔州市平鲁区财政局，\
账号：6222 0212 3456 7890 123。
2026年3月20日"""

INDIVIDUAL_DECISION = f"""当事人：张三，男，汉族，1985年3月12日出生，身份证号码：{ID_MAN}，\
住址：山西省朔州市平鲁区井坪镇新建街12号院3单元，现住址：山西省太原市小店区坞城路88号，\
联系电话：13812345678，开户银行：中国农业银行平鲁支行，卡号：6228480123456789012。
经查，当事人张三系朔州市平鲁区东山煤业有限公司（统一社会信用代码{MINE_USCC}）主要负责人，\
于2026年3月5日未履行安全生产管理职责，导致发生一般生产安全事故，死者刘德华（身份证号{ID_OLD}）\
系该矿掘进工。证人孙小红（手机号+86-158-0349-1234）证实张三当日未下井带班。依据《中华人民共和国\
安全生产法》第九十五条第（一）项，对张三处上一年年收入百分之四十的罚款，计人民币123456789012元，\
决定书文号平应急罚〔2026〕16号，决定日期2026年3月5日（2026-03-05）。"""


def test_a_units_decision_keeps_the_unit_and_masks_the_persons() -> None:
    masked = mask_text(UNIT_DECISION)
    # the unit, its code, its domicile and its legal representative stay
    assert "朔州市平鲁区东山煤业有限公司" in masked
    assert MINE_USCC in masked
    assert "住所：山西省朔州市平鲁区井坪镇东山村" in masked
    assert "法定代表人：李建国" in masked
    assert "朔州市平鲁区应急管理局" in masked
    # persons named after labels are masked, every time they occur
    assert "王小明" not in masked and "王*明" in masked
    assert "赵六" not in masked and "赵*" in masked
    assert ID_MAN not in masked and "140602********" + ID_MAN[-4:] in masked
    assert "1234 5678" not in masked and "139****5678" in masked
    assert "6012345" not in masked and "0349-*******" in masked
    assert "3456 7890" not in masked and masked.count(MASK_RUN := "*" * 15) >= 1
    assert MASK_RUN + "0123" in masked
    # words that follow person labels but are no names
    assert "作业人员安全培训档案不全" in masked
    assert "特种作业人员花名册" in masked
    # decision number, articles, amounts and dates
    for kept in ("平应急罚〔2026〕15号", "第三十条第一款", "第九十七条第（七）项", "¥50,000.00",
                 "2026年3月5日", "2026年3月20日", "9101综采工作面"):  # fmt: skip
        assert kept in masked


def test_an_individuals_decision_masks_name_id_address_phone_and_account() -> None:
    masked = mask_text(INDIVIDUAL_DECISION, persons=["张三"])
    assert "张三" not in masked and masked.count("张*") == 4
    assert ID_MAN not in masked and ID_OLD not in masked
    assert "140602*****" + ID_OLD[-4:] in masked
    assert "住址：山西省朔州市平鲁区****，" in masked
    assert "现住址：山西省太原市小店区****，" in masked
    assert "新建街" not in masked and "坞城路" not in masked
    assert "13812345678" not in masked and "138****5678" in masked
    assert "0349-1234" not in masked and "+86-158****1234" in masked
    assert "6228480123456789012" not in masked and "*" * 15 + "9012" in masked
    assert "刘德华" not in masked and "刘*华" in masked
    assert "孙小红" not in masked and "孙*红" in masked
    # the unit and its code survive, next to personal data
    assert f"朔州市平鲁区东山煤业有限公司（统一社会信用代码{MINE_USCC}）" in masked
    # a 12-digit fine is an amount, not an account
    assert "计人民币123456789012元" in masked
    for kept in ("平应急罚〔2026〕16号", "2026年3月5日", "2026-03-05", "第九十五条第（一）项",
                 "1985年3月12日出生", "中国农业银行平鲁支行"):  # fmt: skip
        assert kept in masked


def test_a_credit_code_right_next_to_an_id_number() -> None:
    masked = mask_text(f"统一社会信用代码{MINE_USCC}{ID_WOMAN}；{MINE_USCC}、{ID_WOMAN}")
    assert masked.count(MINE_USCC) == 2
    assert ID_WOMAN not in masked
    assert masked.count(mask_id_number(ID_WOMAN)) == 2


def test_phone_numbers_in_parentheses_and_with_country_codes() -> None:
    cases = {
        "（13912345678）": "（139****5678）",
        "(电话:139-1234-5678)": "(电话:139****5678)",
        "（+86）13912345678": "（+86）139****5678",
        "86 139 1234 5678": "86 139****5678",
        "（0351）7654321": "（0351）*******",
        "0351 7654321转8001": "0351 *******",
        "电话010-62345678": "电话010-********",
    }
    for text, expected in cases.items():
        assert mask_text(text) == expected, text


def test_amounts_dates_and_numbers_that_look_like_others_survive() -> None:
    text = (
        "罚款人民币13800000000元；¥13912345678；罚款15000000000万元；2026年3月5日；"
        "2026-03-05 14:30；第一百一十四条；编号20260305001；平应急罚〔2026〕1号"
    )
    assert mask_text(text) == text


def test_a_mistyped_id_number_after_its_label_is_still_masked() -> None:
    masked = mask_text("身份证号码：14060219850312451，身份证：1406 0219 8503 1245")
    assert "12451" not in masked and "1245，" not in masked
    assert masked == "身份证号码：140602*******2451，身份证：140602******1245"


def test_special_operations_certificate_numbers_carry_the_id_number() -> None:
    masked = mask_text(f"特种作业操作证号T{ID_MAN}，有效期至2027年1月1日")
    assert ID_MAN not in masked and f"T{mask_id_number(ID_MAN)}" in masked


def test_residence_of_a_unit_stays_and_of_a_person_goes() -> None:
    unit = "当事人：平鲁区红星洗煤厂，住所：平鲁区井坪镇红星村"
    assert mask_text(unit) == unit
    person = "当事人：孙大伟，男，住所：平鲁区井坪镇红星村"
    assert mask_text(person) == "当事人：孙*伟，男，住所：平鲁区****"
    assert mask_text("户籍所在地：山西省应县南河种镇") == "户籍所在地：山西省应县****"


def test_addresses_passed_in_are_masked_wherever_they_appear() -> None:
    text = "其在平鲁区井坪镇新建街12号家中存放雷管。"
    masked = mask_text(text, addresses=["平鲁区井坪镇新建街12号"])
    assert masked == "其在平鲁区****家中存放雷管。"


def test_names_in_a_list_after_a_label_and_minority_names() -> None:
    masked = mask_text("证人张三、李小四、欧阳明辉在场；驾驶员阿依古丽·买买提无证驾驶。")
    assert masked == "证人张*、李*四、欧**辉在场；驾驶员阿******提无证驾驶。"


def test_kept_strings_protect_a_unit_named_after_its_owner() -> None:
    text = "当事人：平鲁区王小明煤炭经销部，经营者：王小明"
    masked = mask_text(text, persons=["王小明"], keep=["平鲁区王小明煤炭经销部"])
    assert masked == "当事人：平鲁区王小明煤炭经销部，经营者：王*明"
    # without `keep`, privacy wins
    assert "王小明" not in mask_text(text, persons=["王小明"])


def test_legal_representative_is_masked_only_when_the_caller_names_them() -> None:
    text = "法定代表人：李建国"
    assert mask_text(text) == text
    assert mask_text(text, persons=["李建国"]) == "法定代表人：李*国"


def test_the_single_value_helpers() -> None:
    assert mask_person_name("张三") == "张*"
    assert mask_person_name("王小明") == "王*明"
    assert mask_person_name("欧阳小明") == "欧**明"
    assert mask_person_name(" ") == ""
    assert mask_id_number(ID_MAN) == ID_MAN[:6] + "********" + ID_MAN[-4:]


def test_empty_and_plain_text() -> None:
    assert mask_text("") == ""
    plain = "对煤矿企业瓦斯防治情况的行政检查，依据第六十五条。"
    assert mask_text(plain) == plain


# --- properties ---------------------------------------------------------------------------

_REGIONS = ["110101", "140602", "140603", "140525", "510104", "650102", "820000", "370202"]


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from(_REGIONS))
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date(2025, 12, 31)))
    serial = draw(st.integers(0, 999))
    number = _id(f"{region}{born:%Y%m%d}{serial:03d}")
    return number if number[-1] != "X" or draw(st.booleans()) else number[:-1] + "x"


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["91", "92", "93", "11", "12", "13", "51", "52", "53", "59"]))
    region = draw(st.sampled_from(["140603", "140600", "140000", "110108"]))
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    organisation = draw(st.text(alphabet=alphabet, min_size=9, max_size=9))
    return _uscc(f"{head}{region}{organisation}")


def _spaced(number: str) -> str:
    return f"{number[:6]} {number[6:14]} {number[14:]}"


PIECES = st.sampled_from(
    [
        "当事人：", "证人", "作业人员", "职工", "驾驶员", "法定代表人：", "住址：", "住所：",
        "身份证号码：", "联系电话：", "账号：", "统一社会信用代码：", "张三", "王小明", "欧阳明辉",
        "，", "。", "、", "（", "）", " ", "\n", "罚款人民币", "元", "2026年3月5日", "第九十七条",
        "平应急罚〔2026〕15号", "有限公司", "煤矿", "未取得", "安全培训", "山西省朔州市平鲁区",
        "井坪镇新建街12号", "13812345678", "0349-6012345", "6222021234567890123", "*", "男",
    ]
)  # fmt: skip
FILLER = st.text(
    alphabet="经查当事人未在于井下作业，。、（）：:张三李四市区县镇村号 -", max_size=12
)
TEXTS = st.lists(
    st.one_of(PIECES, FILLER, valid_ids(), valid_usccs(), valid_ids().map(_spaced)),
    max_size=14,
).map("".join)


def _compact(text: str) -> str:
    return re.sub(r"[ \-]", "", text).upper()


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.lists(st.sampled_from(["张三", "李四", "王小明"]), max_size=2))
@example("当事人：张三，住址：平鲁区井坪镇12号，电话138 1234 5678。", ["张三"])
def test_masking_is_idempotent(text: str, persons: list[str]) -> None:
    once = mask_text(text, persons=persons)
    assert mask_text(once, persons=persons) == once


@settings(max_examples=300, deadline=None)
@given(valid_ids(), FILLER, FILLER, st.booleans(), st.sampled_from(["", "身份证号码：", "T", "，"]))
def test_a_valid_id_number_never_survives(
    number: str, before: str, after: str, spaced: bool, label: str
) -> None:
    shown = _spaced(number) if spaced else number
    masked = mask_text(f"{before}{label}{shown}{after}")
    assert number.upper() not in _compact(masked)


@settings(max_examples=300, deadline=None)
@given(valid_usccs(), FILLER, FILLER, st.sampled_from(["统一社会信用代码：", "（", "代码", ""]))
def test_a_valid_credit_code_always_survives(
    code: str, before: str, after: str, label: str
) -> None:
    # Without a label, a code that is at the same time a valid ID number is masked as one
    # (privacy first); after its label it always stays.
    if not label.startswith("统一社会信用代码"):
        assume(not ric.is_valid(code))
    masked = mask_text(f"{before}{label}{code}{after}")
    assert code in masked
