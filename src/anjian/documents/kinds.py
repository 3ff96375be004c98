"""What each kind of enforcement document needs, and how it is laid out.

Callers (inspections, cases) pass `document_issue(..., context={...})` a dict of plain values:
strings, integers, dates as `datetime.date` or ISO strings ("2026-03-05"), date-times as
`datetime.datetime` or ISO strings ("2026-03-05T09:30"), amounts as strings or integers of yuan
("50000", "10500.50"), lists of strings, and lists of small dicts (inspectors, findings). Each
kind's dataclass below lists the keys: a field without a default is required and may not be blank.
A refused context raises `ServiceError` whose `fields` name each missing or bad key, nested keys
as `inspectors.0.certificate_number`.

The bureau's name, the document number, the issue date and the verification code are not in the
context: `document_issue` supplies them. The wording follows the national set of work-safety
enforcement documents (安全生产监管监察执法文书) and the Administrative Penalty Law (行政处罚法
2021: art. 44 and 45 statement and defence, art. 63 and 64 hearing within 5 days, art. 59 the
content of a decision, art. 67 payment within 15 days, art. 72 the 3 % daily surcharge). Document
text is Chinese by nature (it is a legal instrument, not the interface) and is not translated.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import ServiceError
from anjian.documents.layout import (
    Block,
    Heading,
    Number,
    Paragraph,
    Seal,
    Signatures,
    Table,
    Title,
    Verification,
    amount_figures,
    amount_upper,
    date_cn,
    datetime_cn,
)
from anjian.documents.models import DocumentKind

# --- parts that several kinds share -------------------------------------------------------------


@dataclass(frozen=True)
class Inspector:
    """An enforcement officer as documents name them: with the certificate number (执法证号)."""

    name: str
    certificate_number: str


@dataclass(frozen=True)
class Problem:
    """A hazard or violation as a document lists it, with the provision it breaches if known.
    `point`: on the inspection record, the number (from 1) of the item of `checked` it was found
    at, so the record prints it under that item; 0 when it was found outside the checklist."""

    description: str
    legal_basis: str = ""
    point: int = 0


@dataclass(frozen=True)
class CheckResult:
    """A re-inspected problem and what the re-inspection found."""

    description: str
    result: str


# --- the five kinds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionRecordContext:
    """现场检查记录: the record of an on-site inspection, signed on site."""

    entity_name: str  # 被检查单位
    entity_address: str  # 地址
    place: str  # 检查场所
    started_at: datetime.datetime  # 检查时间 from
    finished_at: datetime.datetime  # to
    inspectors: list[Inspector]  # 检查人员 and their certificate numbers; at least two
    person_present: str  # 现场负责人 of the entity
    # 检查情况: what was checked (check points and their results), unnumbered: the layout
    # numbers them.
    checked: list[str]
    entity_uscc: str = ""  # 统一社会信用代码
    legal_representative: str = ""  # 法定代表人（负责人）
    person_present_position: str = ""  # 职务
    findings: list[Problem] = field(default_factory=list)  # 发现的问题; empty: none found
    measures: str = ""  # 现场处理措施, if any
    recorder: str = ""  # 记录人


@dataclass(frozen=True)
class CorrectionOrderContext:
    """责令限期整改指令书: the hazards, the deadline and the provision ordering correction."""

    entity_name: str
    inspected_on: datetime.date  # the inspection that found the problems
    problems: list[Problem]  # at least one
    deadline: datetime.date  # 整改期限
    provision: str  # 依据, e.g. 《中华人民共和国安全生产法》第六十五条第一款第三项
    entity_address: str = ""
    reconsideration_organ: str = ""  # 行政复议机关; blank: the wording names none
    court: str = ""  # 人民法院; blank: the wording names none


@dataclass(frozen=True)
class ReinspectionOpinionContext:
    """整改复查意见书: the re-inspection of a correction order."""

    entity_name: str
    order_number: str  # the correction order's number
    order_issued_on: datetime.date
    reinspected_on: datetime.date
    results: list[CheckResult]  # each ordered problem and its state
    conclusion: str  # 复查意见
    inspectors: list[Inspector]  # at least two


@dataclass(frozen=True)
class PenaltyNoticeContext:
    """行政处罚告知书: the facts, the provisions, the proposed penalty and the party's rights."""

    party_name: str  # 当事人
    facts: str  # 违法事实
    provisions_violated: str  # 违反的规定
    basis: str  # 处罚依据
    proposed_penalty: str  # 拟作出的行政处罚
    contact_person: str  # 联系人 at the bureau
    contact_phone: str  # the bureau's telephone
    bureau_address: str  # where statements are made
    hearing: bool = False  # whether the party may ask for a hearing (art. 63)
    statement_days: int = 3  # 陈述申辩 within this many days
    hearing_days: int = 5  # 听证 asked for within this many days (ANJIAN_CASE_HEARING_…)
    party_kind: str = "unit"  # unit | person: the notice says 你单位 or 你


@dataclass(frozen=True)
class PenaltyDecisionContext:
    """行政处罚决定书 (for a unit, or for a person when `party_kind` is "person")."""

    party_name: str  # 被处罚单位 / 被处罚人
    party_address: str
    facts: str  # 违法事实
    evidence: list[str]  # 证据
    provisions_violated: str
    basis: str  # 处罚依据
    penalty: str  # 处罚内容, e.g. 罚款人民币5万元; with a fine, give fine_amount too
    reconsideration_organ: str  # 行政复议机关 (within 60 days)
    court: str  # 人民法院 (within 6 months)
    party_kind: str = "unit"  # unit | person
    party_uscc: str = ""  # a unit's 统一社会信用代码
    legal_representative: str = ""  # required for a unit
    party_id_number: str = ""  # a person's ID number
    # A unit's responsible person fined with it (双罚): 工作单位及职务, e.g. "某公司主要负责人".
    party_workplace: str = ""
    fine_amount: Decimal = Decimal(0)  # in yuan; 0: no fine
    payment_place: str = ""  # 缴款银行 / 账户; required with a fine
    statement_summary: str = ""  # what the party stated and the bureau's view, if any


# --- parsing ----------------------------------------------------------------------------------

REQUIRED = _("This value is required.")


def _parse_value(tp: Any, value: Any, key: str, errors: dict[str, list[Any]]) -> Any:
    origin = typing.get_origin(tp)
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if value is None or value == "":
            return []
        if not isinstance(value, list | tuple):
            errors[key] = [_("Expected a list.")]
            return []
        return [_parse_value(item_tp, v, f"{key}.{i}", errors) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(tp):
        if isinstance(value, tp):  # type: ignore[arg-type]
            value = dataclasses.asdict(value)
        if not isinstance(value, dict):
            errors[key] = [_("Expected an object.")]
            return None
        return _parse_object(tp, value, f"{key}.", errors)  # type: ignore[arg-type]
    if tp is bool:
        if isinstance(value, bool):
            return value
        errors[key] = [_("Expected true or false.")]
        return False
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors[key] = [_("Expected a whole number.")]
            return 0
        try:
            return int(value)
        except ValueError:
            errors[key] = [_("Expected a whole number.")]
            return 0
    if tp is Decimal:
        try:
            amount = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            errors[key] = [_("Expected an amount in yuan.")]
            return Decimal(0)
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
            errors[key] = [_("Expected an amount in yuan, at most two decimals.")]
            return Decimal(0)
        return amount
    if tp is datetime.datetime:
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None, second=0, microsecond=0)
        try:
            return datetime.datetime.fromisoformat(str(value)).replace(
                tzinfo=None, second=0, microsecond=0
            )
        except ValueError:
            errors[key] = [_("Expected a date and time such as 2026-03-05T09:30.")]
            return None
    if tp is datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            errors[key] = [_("Expected a date such as 2026-03-05.")]
            return None
    if tp is str:
        if not isinstance(value, str):
            errors[key] = [_("Expected text.")]
            return ""
        if "\x00" in value:
            errors[key] = [_("Null characters are not allowed.")]
            return ""
        return value.strip()
    raise TypeError(f"unsupported context type {tp!r}")


def _parse_object(
    cls: type[Any], data: dict[str, Any], prefix: str, errors: dict[str, list[Any]]
) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    for extra in sorted(set(data) - known):
        errors[f"{prefix}{extra}"] = [_("Unknown key for this document.")]
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        key = f"{prefix}{f.name}"
        has_default = not (
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        )
        raw = data.get(f.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
            if not has_default:
                errors[key] = [REQUIRED]
                values[f.name] = None
            continue
        values[f.name] = _parse_value(hints[f.name], raw, key, errors)
    return cls(**values)


def _plain(value: Any) -> Any:
    """A parsed context back to JSON-ready plain values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- the rules of each kind beyond "present and well-formed" ----------------------------------


def _two_inspectors(inspectors: list[Inspector], errors: dict[str, list[Any]]) -> None:
    # 行政处罚法 第四十二条 / 第五十五条: at least two officers, who show their certificates.
    if len(inspectors) < 2 and "inspectors" not in errors:
        errors["inspectors"] = [_("Name at least two inspectors with their certificate numbers.")]


def _check_inspection_record(c: InspectionRecordContext, errors: dict[str, list[Any]]) -> None:
    _two_inspectors(c.inspectors or [], errors)
    if c.started_at and c.finished_at and c.finished_at < c.started_at:
        errors["finished_at"] = [_("The inspection cannot end before it starts.")]
    for i, p in enumerate(c.findings or []):
        if p is not None and not 0 <= p.point <= len(c.checked or []):
            errors[f"findings.{i}.point"] = [_("No checked item has this number.")]


def _check_correction_order(c: CorrectionOrderContext, errors: dict[str, list[Any]]) -> None:
    if c.inspected_on and c.deadline and c.deadline < c.inspected_on:
        errors["deadline"] = [_("The deadline cannot be before the inspection.")]


def _check_reinspection(c: ReinspectionOpinionContext, errors: dict[str, list[Any]]) -> None:
    _two_inspectors(c.inspectors or [], errors)
    if c.order_issued_on and c.reinspected_on and c.reinspected_on < c.order_issued_on:
        errors["reinspected_on"] = [_("The re-inspection cannot be before the order.")]


def _check_penalty_notice(c: PenaltyNoticeContext, errors: dict[str, list[Any]]) -> None:
    if c.party_kind not in ("unit", "person"):
        errors["party_kind"] = [_("Either unit or person.")]
    if c.statement_days is not None and not 1 <= c.statement_days <= 30:
        errors["statement_days"] = [_("Give from 1 to 30 days.")]
    if not 1 <= c.hearing_days <= 30:
        errors["hearing_days"] = [_("Give from 1 to 30 days.")]


def _check_penalty_decision(c: PenaltyDecisionContext, errors: dict[str, list[Any]]) -> None:
    if c.party_kind not in ("unit", "person"):
        errors["party_kind"] = [_("Either unit or person.")]
    elif c.party_kind == "unit" and not c.legal_representative:
        errors["legal_representative"] = [_("A unit's decision names its legal representative.")]
    if c.fine_amount and not c.payment_place:
        errors["payment_place"] = [_("Say where the fine is paid.")]


# --- layouts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentHead:
    """What `document_issue` adds to the context: the organ, the number, the date, the code."""

    organ: str
    number: str
    issued_on: datetime.date
    code: str  # as printed (groups of four)
    url: str  # the public check page


LEGAL_REP = "法定代表人（负责人）："

# Punctuation a caller's text may end with; the layout supplies the sentence's own.
_TRAILING = "。；;，,.、：: \t\n"
# A number a caller put before an item ("3. ", "3、"): the layout numbers items itself.
_ENUMERATOR = re.compile(r"^\s*\d{1,3}\s*[.、．]\s*(?!\d)")


def _clause(text: str) -> str:
    """`text` without its closing punctuation, to be set inside a sentence: a caller's "…证实。"
    followed by the layout's "。" would print "。。"."""
    return text.rstrip(_TRAILING)


_DIGITS_CN = "〇一二三四五六七八九"


def days_cn(n: int) -> str:
    """A count of days as the law writes it: 三, 五, 十, 十五, 二十, 六十."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS_CN[ones]
    return (_DIGITS_CN[tens] if tens > 1 else "") + "十" + (_DIGITS_CN[ones] if ones else "")


def _unnumbered(text: str) -> str:
    return _ENUMERATOR.sub("", text, count=1)


def _opening(head: DocumentHead, title: str) -> list[Block]:
    return [Heading(head.organ), Title(title), Number(head.number)]


def _closing(head: DocumentHead, seal: bool = True, receipts: tuple[str, ...] = ()) -> list[Block]:
    """The seal with the organ and the date, then the lines the party signs on receipt, then
    the verification (the renderers keep these on the page of the last paragraph)."""
    blocks: list[Block] = []
    if seal:
        blocks.append(Seal(head.organ, date_cn(head.issued_on)))
    if receipts:
        blocks.append(Signatures(receipts))
    blocks.append(Verification(head.code, head.url))
    return blocks


def _remedies(act: str, organ: str, court: str) -> str:
    where_review = f"向{organ}" if organ else ""
    where_court = f"向{court}" if court else ""
    return (
        f"如果不服本{act}，可以依法在六十日内{where_review}申请行政复议，或者在六个月内依法"
        f"{where_court}提起行政诉讼，但本{act}不停止执行，法律另有规定的除外。"
    )


def _problem_text(p: Problem) -> str:
    basis = f"（依据：{_clause(p.legal_basis)}）" if p.legal_basis else ""
    return f"{_clause(p.description)}{basis}。"


def _problems(problems: list[Problem]) -> list[Block]:
    return [Paragraph(f"{i}. {_problem_text(p)}") for i, p in enumerate(problems, 1)]


def _inspector_table(inspectors: list[Inspector], label: str) -> Table:
    return Table(
        header=(label, "执法证号"),
        rows=tuple((i.name, i.certificate_number) for i in inspectors),
        widths=(1, 2),
    )


def layout_inspection_record(c: InspectionRecordContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "现场检查记录")
    blocks += [
        Paragraph(c.entity_name, label="被检查单位：", indent=False),
        Paragraph(c.entity_address, label="地址：", indent=False),
    ]
    if c.entity_uscc:
        blocks.append(Paragraph(c.entity_uscc, label="统一社会信用代码：", indent=False))
    if c.legal_representative:
        blocks.append(Paragraph(c.legal_representative, label=LEGAL_REP, indent=False))
    present = c.person_present + (
        f"（{c.person_present_position}）" if c.person_present_position else ""
    )
    blocks += [
        Paragraph(present, label="现场负责人：", indent=False),
        Paragraph(c.place, label="检查场所：", indent=False),
        Paragraph(
            f"{datetime_cn(c.started_at)}至{datetime_cn(c.finished_at)}",
            label="检查时间：",
            indent=False,
        ),
        _inspector_table(c.inspectors, "检查人员"),
        Paragraph(
            f"我们是{head.organ}的执法人员，已向你单位出示执法证件。现依法对你单位进行现场检查，"
            "请予配合。",
        ),
        Paragraph("", label="检查情况：", indent=False),
    ]
    # Each finding is printed under the check point it was found at, with its own basis; the
    # ones found outside the checklist follow under 发现的问题.
    at_point: dict[int, list[Problem]] = {}
    for p in c.findings:
        at_point.setdefault(p.point, []).append(p)
    for i, what in enumerate(c.checked, 1):
        blocks.append(Paragraph(f"{i}. {_unnumbered(what)}"))
        blocks += [Paragraph(_problem_text(p), label="存在问题：") for p in at_point.get(i, [])]
    blocks.append(Paragraph("", label="发现的问题：", indent=False))
    loose = at_point.get(0, [])
    filed = [i for i in sorted(at_point) if i]
    if not c.findings:
        blocks.append(Paragraph("未发现问题。"))
    elif filed:
        where = "、".join(str(i) for i in filed)
        n_filed = len(c.findings) - len(loose)
        if loose:
            blocks.append(
                Paragraph(
                    f"共{len(c.findings)}项，其中{n_filed}项见检查情况第{where}项，另有以下"
                    f"{len(loose)}项："
                )
            )
        else:
            blocks.append(Paragraph(f"共{len(c.findings)}项，见检查情况第{where}项。"))
    blocks += _problems(loose)
    if c.measures:
        blocks.append(Paragraph(c.measures, label="现场处理措施：", indent=False))
    labels = [f"检查人员（签名）：{i.name}" for i in c.inspectors]
    labels.append("被检查单位现场负责人（签名）：")
    if c.recorder:
        labels.append(f"记录人（签名）：{c.recorder}")
    blocks.append(Signatures(tuple(labels)))
    return blocks + _closing(head, seal=False)


def layout_correction_order(c: CorrectionOrderContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "责令限期整改指令书")
    blocks.append(Paragraph(f"{c.entity_name}：", indent=False))
    blocks.append(Paragraph(f"经查，你单位于{date_cn(c.inspected_on)}检查中发现存在下列问题："))
    blocks += _problems(c.problems)
    blocks += [
        Paragraph(
            f"依据{_clause(c.provision)}的规定，现责令你单位于{date_cn(c.deadline)}前整改完毕，"
            "达到有关法律法规规章和标准规定的要求。由此造成事故的，依法追究有关人员的责任。"
        ),
        Paragraph(
            "整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。"
        ),
        Paragraph(_remedies("指令", c.reconsideration_organ, c.court)),
    ]
    return blocks + _closing(head, receipts=("被检查单位负责人（签收）：",))


def layout_reinspection_opinion(c: ReinspectionOpinionContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "整改复查意见书")
    blocks += [
        Paragraph(f"{c.entity_name}：", indent=False),
        # The number leads the document's name, as official texts cite one (以……号文): the
        # number's own brackets inside 《》（…） would print "（（".
        Paragraph(
            f"本机关于{date_cn(c.order_issued_on)}以{c.order_number}《责令限期整改指令书》责令"
            f"你单位限期整改，并于{date_cn(c.reinspected_on)}对整改情况进行了复查。复查情况如下："
        ),
        Table(
            header=("序号", "问题", "复查结果"),
            rows=tuple(
                (str(i), _clause(r.description), _clause(r.result))
                for i, r in enumerate(c.results, 1)
            ),
            widths=(1, 5, 3),
        ),
        Paragraph(c.conclusion, label="复查意见：", indent=False),
        _inspector_table(c.inspectors, "复查人员"),
        Signatures(
            (
                *(f"复查人员（签名）：{i.name}" for i in c.inspectors),
                "被复查单位负责人（签名）：",
            )
        ),
    ]
    return blocks + _closing(head)


def layout_penalty_notice(c: PenaltyNoticeContext, head: DocumentHead) -> list[Block]:
    you = "你" if c.party_kind == "person" else "你单位"
    blocks = _opening(head, "行政处罚告知书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"经查，{_clause(c.facts)}。{you}的上述行为违反了{_clause(c.provisions_violated)}"
            f"的规定。依据{_clause(c.basis)}的规定，本机关拟对{you}作出"
            f"{_clause(c.proposed_penalty)}的行政处罚。"
        ),
        Paragraph(
            f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行陈述"
            f"和申辩，可在收到本告知书之日起{days_cn(c.statement_days)}日内向本机关提出。"
        ),
    ]
    if c.hearing:
        blocks.append(
            Paragraph(
                f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有要求"
                f"举行听证的权利，可在收到本告知书之日起{days_cn(c.hearing_days)}日内向本机关"
                "提出。"
            )
        )
    blocks += [
        Paragraph("逾期不提出的，视为放弃上述权利。"),
        Paragraph(c.bureau_address, label="本机关地址：", indent=False),
        Paragraph(
            f"{c.contact_person}　　联系电话：{c.contact_phone}", label="联系人：", indent=False
        ),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


def layout_penalty_decision(c: PenaltyDecisionContext, head: DocumentHead) -> list[Block]:
    unit = c.party_kind == "unit"
    you = "你单位" if unit else "你"
    blocks = _opening(head, "行政处罚决定书")
    blocks.append(
        Paragraph(c.party_name, label="被处罚单位：" if unit else "被处罚人：", indent=False)
    )
    if unit and c.party_uscc:
        blocks.append(Paragraph(c.party_uscc, label="统一社会信用代码：", indent=False))
    if not unit and c.party_id_number:
        blocks.append(Paragraph(c.party_id_number, label="身份证号码：", indent=False))
    blocks.append(Paragraph(c.party_address, label="地址：" if unit else "住址：", indent=False))
    if not unit and c.party_workplace:
        blocks.append(Paragraph(c.party_workplace, label="工作单位及职务：", indent=False))
    if unit:
        blocks.append(Paragraph(c.legal_representative, label=LEGAL_REP, indent=False))
    blocks += [
        Paragraph(f"经查，{_clause(c.facts)}。", label="违法事实及证据："),
        Paragraph(f"以上事实有{'、'.join(_clause(e) for e in c.evidence)}等证据为证。"),
    ]
    if c.statement_summary:
        blocks.append(Paragraph(_clause(c.statement_summary) + "。"))
    blocks.append(
        Paragraph(
            f"{you}的上述行为违反了{_clause(c.provisions_violated)}的规定，依据{_clause(c.basis)}"
            f"的规定，本机关决定对{you}作出如下行政处罚：{_clause(c.penalty)}。"
        )
    )
    if c.fine_amount:
        blocks += [
            Paragraph(
                f"罚款人民币{amount_figures(c.fine_amount)}（大写：{amount_upper(c.fine_amount)}）。"
            ),
            Paragraph(
                f"罚款限于收到本决定书之日起十五日内缴至{_clause(c.payment_place)}，或者通过电子"
                "支付系统缴纳。到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款。"
            ),
        ]
    blocks.append(Paragraph(_remedies("决定", c.reconsideration_organ, c.court)))
    return blocks + _closing(head)


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    title: str  # the document's name as printed
    code: str  # the kind's part of the number: （晋朔平）应急罚〔2026〕12号
    context: type[Any]
    check: Callable[[Any, dict[str, list[Any]]], None]
    layout: Callable[[Any, DocumentHead], list[Block]]


KINDS: dict[str, KindSpec] = {
    s.kind.value: s
    for s in [
        KindSpec(
            DocumentKind.INSPECTION_RECORD,
            "现场检查记录",
            "应急现记",
            InspectionRecordContext,
            _check_inspection_record,
            layout_inspection_record,
        ),
        KindSpec(
            DocumentKind.CORRECTION_ORDER,
            "责令限期整改指令书",
            "应急责改",
            CorrectionOrderContext,
            _check_correction_order,
            layout_correction_order,
        ),
        KindSpec(
            DocumentKind.REINSPECTION_OPINION,
            "整改复查意见书",
            "应急复查",
            ReinspectionOpinionContext,
            _check_reinspection,
            layout_reinspection_opinion,
        ),
        KindSpec(
            DocumentKind.PENALTY_NOTICE,
            "行政处罚告知书",
            "应急告",
            PenaltyNoticeContext,
            _check_penalty_notice,
            layout_penalty_notice,
        ),
        KindSpec(
            DocumentKind.PENALTY_DECISION,
            "行政处罚决定书",
            "应急罚",
            PenaltyDecisionContext,
            _check_penalty_decision,
            layout_penalty_decision,
        ),
    ]
}


# The case file's kinds (issue 19) live in their own module, which uses the helpers above.
from anjian.documents.kinds_casefile import SPECS as _CASEFILE_SPECS  # noqa: E402

KINDS.update({s.kind.value: s for s in _CASEFILE_SPECS})

# Credit supervision's decision (issue 20), in its own module too.
from anjian.documents.kinds_credit import SPECS as _CREDIT_SPECS  # noqa: E402

KINDS.update({s.kind.value: s for s in _CREDIT_SPECS})


def kind_spec(kind: str) -> KindSpec:
    spec = KINDS.get(str(kind))
    if spec is None:
        raise ServiceError.for_field("kind", _("Unknown document kind."))
    return spec


def context_parse(kind: str, data: dict[str, Any]) -> Any:
    """The context of `kind` as its dataclass, or ServiceError naming each refused key."""
    spec = kind_spec(kind)
    if not isinstance(data, dict):
        raise ServiceError.for_field("context", _("Expected an object."))
    errors: dict[str, list[Any]] = {}
    parsed = _parse_object(spec.context, data, "", errors)
    if not errors:
        spec.check(parsed, errors)
    if errors:
        raise ServiceError.for_fields(errors)
    return parsed


def context_plain(parsed: Any) -> dict[str, Any]:
    """A parsed context as JSON-ready plain values (what the document row stores)."""
    out = _plain(parsed)
    assert isinstance(out, dict)
    return out
