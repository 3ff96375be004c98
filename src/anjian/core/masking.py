"""Masking of personal data (个人信息) shown to people who may not read it in full.

There is one masking service. Pages that show one known value use `mask_person_name` and
`mask_id_number`; everything that publishes free text (the facts of a penalty decision on the
portal, 执法公示) goes through `mask_text`. docs/masking.md explains the rules with examples.

What `mask_text` masks, and how (the masked form keeps enough to tell records apart, as
government disclosure practice does):

- **Natural persons' names.** Every occurrence of a name passed in `persons` (the parties,
  witnesses and workers the case knows by name), and names found after labels that introduce a
  person in published decisions: 当事人, 姓名, 被处罚人, 违法行为人, 证人, 作业人员, 从业人员, 职工,
  员工, 工人, 驾驶员, 司机, 操作工, 安全员, 被询问人, 举报人, 联系人, 经营者, … (`PERSON_LABELS`).
  A name found by a label is then masked everywhere in the text. 张三 → 张*, 王小明 → 王*明.
  After a label, a name is a known surname followed by one or two characters; a phrase that ends
  like a unit (…有限公司, …煤矿, …厂) or starts with a common word (安全, 井下, 陈述…) is not a
  name. Label detection is a safety net: the caller should always pass the persons it knows.
- **Not masked:** company and other unit names, bureau and place names, and the legal
  representative (法定代表人) of a unit: 国家发改委 and the 双公示 data standard publish a unit's
  legal representative in full, so the label 法定代表人 introduces no person to mask. A name in
  `persons` is masked wherever it appears, even after 法定代表人 (privacy wins over a caller's
  mistake), except inside a string passed in `keep` (e.g. the unit's own name, which may contain
  its owner's name, as 个体工商户 often do).
- **ID numbers** (公民身份号码, GB 11643): 18 digits whose check digit (python-stdnum `cn.ric`)
  and birth date are valid, and 15-digit numbers of the old form with a valid birth date; spaces
  or hyphens between the digits are allowed; a letter may stand right before (特种作业操作证 are
  numbered T + ID number). After a label (身份证号码, 公民身份号码, 证件号码) any run of six or more
  digits is masked, valid or not: a mistyped ID number is still personal. 140602********1234.
- **Mobile numbers**: 1[3-9] and nine more digits, with +86 / 86 / (+86) in front and spaces or
  dashes inside; 138****5678.
- **Landlines with an area code**: 0351-7654321, (0351)7654321, 0351 7654321 → 0351-*******.
- **Any number after a phone label** (联系电话, 手机, …), valid or not.
- **Home addresses**: after 住址, 家庭住址, 现住址, 户籍所在地, 居住地, …, after the running-text
  phrases 家住, 居住于, 现居, 暂住, … and 住所 (住所 only for a
  natural person: when the same sentence shows a credit code, a legal representative or a unit
  name, 住所 is a unit's domicile and stays), and every occurrence of an address in `addresses`.
  The province, city and county stay, the rest becomes ****.
- **Bank accounts**: 12 to 19 digits (spaces allowed) after 账号, 卡号, 账户, 银行账户, …; the last
  four digits stay.

What survives untouched: unified social credit codes (GB 32100, `cn.uscc`; after its label a
code is never masked; without a label a string that is at the same time a valid ID number is
treated as one), old registration numbers after their label (注册号, 组织机构代码), decision
numbers (晋朔应急罚〔2026〕15号), amounts (a 12-digit number of 元 is not an account: accounts are
only masked after a label, and phone-like numbers followed by 元/万元 are amounts), dates
(2026年3月5日, 2026-03-05) and article numbers. Masking is idempotent: masking masked text
changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from stdnum.cn import ric, uscc

MASK = "*"
ADDRESS_MASK = MASK * 4


def mask_person_name(name: str) -> str:
    """张三 → 张*, 王小明 → 王*明, 欧阳小明 → 欧**明; empty stays empty."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + MASK
    return name[0] + MASK * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """140602199001011234 → 140602********1234."""
    number = number.strip()
    if len(number) <= 10:
        return MASK * len(number)
    return number[:6] + MASK * (len(number) - 10) + number[-4:]


# --- vocabulary ---------------------------------------------------------------------------

# Common single-character surnames (the ~300 most frequent), without the few that are far more
# often a preposition or a verb right after a label (于, 和, 向, 从, 将, 应, 在, 对, 把, 被): a
# person with such a surname is still masked when the caller names them in `persons`.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳"
    "时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和"
    "仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封郜郗"
) - frozenset("于和向从将应在对把被")
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "轩辕",
    }
)  # fmt: skip
# Words that start with a surname character but begin no name, as they follow a person label
# in enforcement texts (作业人员安全培训, 当事人陈述申辩, 职工宿舍, …).
_NOT_NAME_WORDS = (
    "安全 安排 安装 井下 高处 高空 高压 管理 管道 金额 时间 时候 明确 "
    "明显 文件 原因 常规 程序 申请 申辩 方案 方式 周边 周围 何时 许可 "
    "严重 严格 万元 施工 查处 查明 余额 孔洞 费用 封闭 宿舍 花名册 信息 "
    "车辆 车间 班组 班长 任务 任意 马上 陈述 全部 全员 全体 共计 共同 "
    "单位 单独 成立 成为 路线 华北 关于 关闭 项目 连续 党员 师傅 尚未 "
    "季度 毕业 齐全 易燃 易爆 左右 冷却 卫生 司机 上岗 简易 房屋 房间 "
    "温度 童工 包括 阳泉 吕梁 安徽 吉林 甘肃 宁夏 宁武 江苏 江西 黄河 "
    "石家庄 武乡 和顺 左权 左云 龙门 康复 曲沃 古交 柳林 孟县 盂县 乔家 "
    "谷歌 农民 农业 包装 卓越 明细 季节 毛重 沙土 景区 游客 简单"
)
NOT_NAMES = tuple(_NOT_NAME_WORDS.split())
# The character after a one-character given name that shows the name has ended (张三未取得…).
NAME_STOPS = frozenset(
    "未在于等的因系违擅持无已为被与和及将对从私驾操进拒不没仍也均都曾称说所是负到向由经用使"
)
# Phrases that end like these name a unit, not a person.
UNIT_SUFFIXES = (
    "公司", "集团", "煤矿", "煤业", "矿业", "矿", "厂", "场", "站", "店", "部", "中心", "合作社",
    "企业", "单位", "委员会", "政府", "局", "院", "所", "队", "社", "会", "行", "馆", "园",
)  # fmt: skip

PERSON_LABELS = (
    "当事人", "姓名", "被处罚人", "违法行为人", "证人", "作业人员", "从业人员", "操作人员", "职工",
    "员工", "工人", "驾驶员", "司机", "操作工", "电工", "焊工", "矿工", "爆破工", "瓦检员",
    "安全员", "班组长", "带班人员", "被调查人", "被询问人", "受伤人员", "伤者", "死者", "遇难者",
    "遇难人员", "举报人", "投诉人", "委托代理人", "监护人", "联系人", "经营者", "户主",
)  # fmt: skip
ID_LABELS = ("公民身份号码", "身份证号码", "身份证号", "身份证件号码", "证件号码", "身份证")
ADDRESS_LABELS = (
    "家庭住址", "现住址", "户籍所在地", "户籍地址", "户籍地", "家庭地址", "居住地址", "居住地",
    "现居住地", "现住", "住址", "住所地", "住所",
    # The phrases drafters write in running text rather than as a field label: 家住…, 居住于…,
    # 现居…, 暂住于…; they introduce a person's home as surely as 住址 does.
    "家住", "家住于", "家住在", "居住于", "居住在", "现居住于", "现居住在", "现居于",
    "现居", "暂住地", "暂住于", "暂住在", "暂住", "寄住于", "寄住在", "户籍在", "户籍所在",
    "住于", "住在",
)  # fmt: skip
# A run of digits after these labels is a phone number whatever its shape (a mistyped number, an
# extension, a short in-mine number): privacy does not depend on the number being valid.
PHONE_LABELS = (
    "联系电话", "电话号码", "手机号码", "手机号", "联系方式", "移动电话", "电话", "手机",
)  # fmt: skip
BANK_LABELS = ("银行账户", "银行账号", "银行卡号", "开户账号", "账号", "卡号", "账户")
CODE_LABELS = (
    "统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "注册号",
    "组织机构代码",
    "纳税人识别号",
)
# 住所 names a unit's domicile when its sentence shows one of these.
UNIT_MARKERS = ("统一社会信用代码", "信用代码", "法定代表人", "有限公司", "公司", "煤矿", "厂")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_SEP = r"[ \-\u00a0]?"
_LABEL_TAIL = r"[ \u00a0]*(?:为[ \u00a0]*)?(?:[：:][ \u00a0]*)?(?:为[ \u00a0]*)?"
_QUANTITY_AFTER = re.compile(r"[ \u00a0]*(?:元|万|亿|吨|米|千克|公斤|平方|立方|%|％)")
_MONEY_BEFORE = re.compile(r"[¥￥$]\s*$")


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_USCC_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")
_CODE_LABEL_RE = re.compile(rf"(?:{_alternation(CODE_LABELS)}){_LABEL_TAIL}$")
_ID18_RE = re.compile(rf"(?<!\d)(?=([1-8１-８]\d(?:{_SEP}\d){{15}}{_SEP}[\dXx])(?![\dXx]))")
_ID15_RE = re.compile(rf"(?<!\d)(?=([1-8１-８]\d(?:{_SEP}\d){{13}})(?!\d))")
_ID_LABELLED_RE = re.compile(
    rf"(?:{_alternation(ID_LABELS)}){_LABEL_TAIL}(\d(?:{_SEP}\d){{5,}}(?:{_SEP}[Xx])?)(?![\dXx*])"
)
_PHONE_LABELLED_RE = re.compile(
    rf"(?:{_alternation(PHONE_LABELS)}){_LABEL_TAIL}"
    rf"((?:[(（+＋]|\d)[\d()（）+＋ \-－]{{5,}}\d)(?![\d{MASK}])"
)
_ID_LABEL_BEFORE_RE = re.compile(rf"(?:{_alternation(ID_LABELS)}){_LABEL_TAIL}$")
_BANK_RE = re.compile(
    rf"(?:{_alternation(BANK_LABELS)}){_LABEL_TAIL}(\d(?:{_SEP}\d){{11,18}})(?![\d{MASK}])"
)
_MOBILE_RE = re.compile(
    r"(?<![\d+＋])((?:[(（][+＋]?86[)）]|[+＋]?86)[ \-]?)?"
    r"(1[3-9]\d)[ \-]?(\d{4})[ \-]?(\d{4})(?!\d)"
)
_LANDLINE_RE = re.compile(
    r"(?<![\d+＋])([(（]?0[1-9]\d{1,2}[)）]?)([ \-－]?)([2-9]\d{6,7})(?:([-－转])(\d{1,5}))?(?!\d)"
)
_PERSON_LABEL_RE = re.compile(rf"(?:{_alternation(PERSON_LABELS)}){_LABEL_TAIL}")
_RUN_RE = re.compile(rf"[{_CJK}]+")
_NAME_RE = re.compile(rf"[{_CJK}]{{1,6}}(?:·[{_CJK}]{{1,8}})+")
_PARTY_LABEL_RE = re.compile(rf"(?:当事人|被处罚人|违法行为人|单位名称){_LABEL_TAIL}")
_ADDRESS_LABEL_RE = re.compile(rf"(?:{_alternation(ADDRESS_LABELS)}){_LABEL_TAIL}")
_ADDRESS_END = re.compile(r"[，,。；;\n]|$")
_ADMIN_PART = re.compile(
    rf"([{_CJK}]{{1,7}}?)(省|自治区|特别行政区|自治州|地区|盟|市|自治县|区|县|旗)"
)
_NOT_ADMIN = re.compile(
    r"[镇乡村街路巷道号楼栋室组院场厂矿]|小$|社$|园$|校$|营$|景$|开发$|工业$|新$"
)


class _Text:
    """The text being masked, with the spans no rule may touch (credit codes, `keep`)."""

    def __init__(self, text: str, keep: Iterable[str]) -> None:
        self.text = text
        self.keep = [k for k in {k.strip() for k in keep} if k]

    def protected(self) -> list[tuple[int, int]]:
        spans = []
        for m in _USCC_RE.finditer(self.text):
            code = m.group().upper()
            if not uscc.is_valid(code):
                continue
            before = self.text[max(0, m.start() - 12) : m.start()]
            if _ID_LABEL_BEFORE_RE.search(before):
                # After 身份证号码 it is a person's number, even when its characters also happen
                # to form a valid credit code (a mistyped ID number often does).
                continue
            labelled = _CODE_LABEL_RE.search(self.text, 0, m.start()) is not None
            if labelled or not _is_id18(code):
                spans.append(m.span())
        for label in CODE_LABELS:  # old 15-digit registration numbers after their label
            for m in re.finditer(
                rf"{re.escape(label)}{_LABEL_TAIL}([0-9A-Za-z]{{15,18}})", self.text
            ):
                spans.append(m.span(1))
        for kept in self.keep:
            start = self.text.find(kept)
            while start != -1:
                spans.append((start, start + len(kept)))
                start = self.text.find(kept, start + 1)
        return spans

    def replace(self, spans: list[tuple[int, int, str]]) -> None:
        """Apply replacements, skipping any that overlap a protected span or an earlier one."""
        if not spans:
            return
        protected = self.protected()
        out, pos = [], 0
        for start, end, new in sorted(spans, key=lambda s: (s[0], -s[1])):
            if start < pos or any(start < pe and ps < end for ps, pe in protected):
                continue
            out.append(self.text[pos:start])
            out.append(new)
            pos = end
        out.append(self.text[pos:])
        self.text = "".join(out)


def _ascii_digits(value: str) -> str:
    return unicodedata.normalize("NFKC", value).replace(" ", "").replace("-", "").upper()


def _plausible_birth(value: str) -> bool:
    try:
        born = datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= datetime.date.today()


def _is_id18(value: str) -> bool:
    number = _ascii_digits(value).replace("\u00a0", "")
    return (
        len(number) == 18
        and number[:17].isdigit()
        and _plausible_birth(number[6:14])
        and ric.calc_check_digit(number) == number[-1]
    )


def _is_id15(value: str) -> bool:
    number = _ascii_digits(value).replace("\u00a0", "")
    return len(number) == 15 and number.isdigit() and _plausible_birth("19" + number[6:12])


def _quantity_context(text: str, start: int, end: int) -> bool:
    """A number followed by 元/万元/吨… or preceded by ¥ is an amount, not a phone number."""
    return bool(
        _QUANTITY_AFTER.match(text, end) or _MONEY_BEFORE.search(text[max(0, start - 3) : start])
    )


def _overlapping(
    pattern: re.Pattern[str], text: str, accept: Callable[[str, int, int], bool]
) -> list[tuple[int, int]]:
    """Non-overlapping spans of group 1 of a lookahead pattern that `accept` takes, leftmost
    first: a candidate that fails does not hide a valid one starting inside it."""
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        start, end = m.span(1)
        if spans and start < spans[-1][1]:
            continue
        if accept(m.group(1), start, end):
            spans.append((start, end))
    return spans


def _mask_ids(t: _Text) -> None:
    spans = [
        (s, e, mask_id_number(_ascii_digits(t.text[s:e])))
        for s, e in _overlapping(_ID18_RE, t.text, lambda v, s, e: _is_id18(v))
    ]
    t.replace(spans)
    spans = [
        (s, e, mask_id_number(_ascii_digits(t.text[s:e])))
        for s, e in _overlapping(
            _ID15_RE,
            t.text,
            lambda v, s, e: _is_id15(v) and not _quantity_context(t.text, s, e),
        )
    ]
    t.replace(spans)
    t.replace(
        [
            (m.start(1), m.end(1), mask_id_number(_ascii_digits(m.group(1))))
            for m in _ID_LABELLED_RE.finditer(t.text)
        ]
    )


def _mask_bank_accounts(t: _Text) -> None:
    spans = []
    for m in _BANK_RE.finditer(t.text):
        digits = _ascii_digits(m.group(1))
        spans.append((m.start(1), m.end(1), MASK * (len(digits) - 4) + digits[-4:]))
    t.replace(spans)


def _mask_phones(t: _Text) -> None:
    spans = []
    for m in _MOBILE_RE.finditer(t.text):
        if _quantity_context(t.text, m.start(), m.end()):
            continue
        prefix = m.group(1) or ""
        spans.append((m.start(), m.end(), f"{prefix}{m.group(2)}{MASK * 4}{m.group(4)}"))
    t.replace(spans)
    spans = []
    for m in _LANDLINE_RE.finditer(t.text):
        if _quantity_context(t.text, m.start(), m.end()):
            continue
        area, sep, number = m.group(1), m.group(2), m.group(3)
        if not (area.startswith(("(", "（")) or sep or len(area) + len(number) in (11, 12)):
            continue
        spans.append((m.start(), m.end(), f"{area}{sep}{MASK * len(number)}"))
    t.replace(spans)
    spans = []
    for m in _PHONE_LABELLED_RE.finditer(t.text):
        run = m.group(1)
        digits = sum(c.isdigit() for c in run)
        keep = 3 if digits >= 11 else 0  # a mobile-like number keeps its network prefix
        out, seen = [], 0
        for c in run:
            if c.isdigit():
                seen += 1
                out.append(c if seen <= keep else MASK)
            else:
                out.append(c)
        spans.append((m.start(1), m.end(1), "".join(out)))
    t.replace(spans)


@functools.cache
def _known_division_names() -> frozenset[str]:
    """The names of the register's divisions (天镇县, 乡宁县): a county whose own name holds 镇
    or 乡 is still a county, which the character rule below alone would miss."""
    path = Path(__file__).resolve().parent / "data" / "regions_140000.csv"
    with path.open(encoding="utf-8") as f:
        return frozenset(row["name"] for row in csv.DictReader(f))


def _address_masked(address: str) -> str:
    """Keep the province, city and county (not personal); mask the rest."""
    kept, pos = "", 0
    while True:
        m = _ADMIN_PART.match(address, pos)
        if m is None:
            break
        if _NOT_ADMIN.search(m.group(1)) and m.group() not in _known_division_names():
            break
        kept += m.group()
        pos = m.end()
    rest = address[pos:]
    return kept + (ADDRESS_MASK if rest.strip() else rest)


def _domicile_of_unit(text: str, label_start: int) -> bool:
    """住所 is a unit's domicile when the party it belongs to is a unit: the party named after
    the last 当事人 label before it ends like a unit (…有限公司); without such a label, when its
    sentence shows a credit code, a legal representative or a unit name."""
    window = text[max(0, label_start - 400) : label_start]
    party = None
    for m in _PARTY_LABEL_RE.finditer(window):
        party = m
    if party is not None:
        run = _RUN_RE.match(window, party.end())
        return bool(run and run.group().endswith(UNIT_SUFFIXES))
    sentence_start = max(text.rfind("。", 0, label_start), text.rfind("\n", 0, label_start)) + 1
    sentence = text[sentence_start:label_start]
    return any(marker in sentence for marker in UNIT_MARKERS)


def _mask_addresses(t: _Text, addresses: Iterable[str]) -> None:
    spans = []
    for m in _ADDRESS_LABEL_RE.finditer(t.text):
        label = m.group().rstrip("：: \u00a0为")
        if label in ("住所", "住所地") and _domicile_of_unit(t.text, m.start()):
            continue
        end = _ADDRESS_END.search(t.text, m.end())
        stop = end.start() if end else len(t.text)
        address = t.text[m.end() : stop]
        if address.strip():
            spans.append((m.end(), stop, _address_masked(address)))
    t.replace(spans)
    spans = []
    for address in {a.strip() for a in addresses}:
        if len(address) < 2:
            continue
        masked = _address_masked(address)
        start = t.text.find(address)
        while start != -1:
            spans.append((start, start + len(address), masked))
            start = t.text.find(address, start + len(address))
    t.replace(spans)


def _surname_length(run: str) -> int:
    if run[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if run[:1] in SURNAMES else 0


def _name_after_label(text: str, pos: int) -> str | None:
    """The name at `pos`, right after a person label, or None when what follows is no name."""
    dotted = _NAME_RE.match(text, pos)
    if dotted:  # names of ethnic minorities: 阿依古丽·买买提
        name = dotted.group()
        for i in range(name.rindex("·") + 2, len(name)):
            if name[i] in NAME_STOPS:
                return name[:i]
        return name
    run_match = _RUN_RE.match(text, pos)
    if run_match is None:
        return None
    run = run_match.group()
    if run.startswith(NOT_NAMES):
        return None
    surname = _surname_length(run)
    given = len(run) - surname
    if not surname or given < 1:
        return None
    if given == 1 or run[surname + 1] in NAME_STOPS:  # 张三 / 张三未取得…
        return run[: surname + 1]
    if given > 2 and run[surname + 2] in NAME_STOPS:  # 王小明在场
        return run[: surname + 2]
    if run.endswith(UNIT_SUFFIXES):  # 王家岭煤矿, 李村洗煤厂
        return None
    return run[: surname + 2]


def _names_found(text: str) -> set[str]:
    found: set[str] = set()
    for m in _PERSON_LABEL_RE.finditer(text):
        pos = m.end()
        while True:  # 证人张三、李四、王五
            name = _name_after_label(text, pos)
            if name is None:
                break
            found.add(name)
            pos += len(name)
            if text[pos : pos + 1] != "、":
                break
            pos += 1
    return found


def _mask_names(t: _Text, persons: Iterable[str]) -> None:
    names = {p.strip() for p in persons if len(p.strip()) >= 2} | _names_found(t.text)
    names = {n for n in names if MASK not in n}
    if not names:
        return
    pattern = re.compile(_alternation(names))
    t.replace([(m.start(), m.end(), mask_person_name(m.group())) for m in pattern.finditer(t.text)])


def mask_text(
    text: str,
    *,
    persons: Iterable[str] = (),
    addresses: Iterable[str] = (),
    keep: Iterable[str] = (),
) -> str:
    """Mask natural persons' names, ID numbers, phone numbers, home addresses and bank accounts
    in free text (see the module docstring for the rules). `persons` and `addresses` are masked
    wherever they occur; `keep` (a unit's name, the deciding organ) is never touched."""
    if not text:
        return text
    persons, addresses = list(persons), list(addresses)
    t = _Text(text, keep)
    # Until nothing changes: a mask can set a number apart from the digits it was glued to, and
    # then that number is read on its own. Each round that changes something removes digits or
    # letters, so the loop ends; in practice after one or two rounds.
    for _round in range(10):
        before = t.text
        _mask_ids(t)
        _mask_bank_accounts(t)
        _mask_phones(t)
        _mask_addresses(t, addresses)
        _mask_names(t, persons)
        if t.text == before:
            break
    return t.text
