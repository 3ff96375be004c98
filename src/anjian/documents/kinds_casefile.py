"""The case file's documents beyond the notice and the decision (issue 19): approval forms,
records, the hearing, coercion, the unpaid fine, transfer and closing, and the stopping of power
or explosives supply (安全生产法 第七十条).

Same contract as kinds.py (whose helpers this module uses; kinds.py registers these kinds at its
end): a dataclass per kind, fields without a default are required, a check for what the law
needs beyond presence, and a layout into blocks. The wording follows the national set of
work-safety enforcement documents and the laws each document cites: 行政处罚法 2021 (art. 55
investigation, 64 hearing, 66 deferral and instalments, 72 surcharge), 行政强制法 (art. 24
seizure decision, 28 release, 35–37 reminder, 45 surcharge, 53–55 application to the court),
安全生产法 2021 (art. 65 on-site measures and seizure, 70 stopping supply), 行政执法机关移送涉嫌
犯罪案件的规定 and 行政处罚法 art. 27, 82 (transfer).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.documents.kinds import (
    LEGAL_REP,
    DocumentHead,
    Inspector,
    KindSpec,
    Problem,
    _clause,
    _closing,
    _inspector_table,
    _opening,
    _problems,
    _remedies,
    _two_inspectors,
    days_cn,
)
from anjian.documents.layout import (
    Block,
    Paragraph,
    Signatures,
    Table,
    amount_figures,
    amount_upper,
    date_cn,
    datetime_cn,
)
from anjian.documents.models import DocumentKind as K

ONE_DAY = datetime.timedelta(days=1)
LAW_PENALTY = "《中华人民共和国行政处罚法》"
LAW_COERCION = "《中华人民共和国行政强制法》"
LAW_SAFETY = "《中华人民共和国安全生产法》"


def _form(rows: list[tuple[str, str]]) -> Table:
    """An approval form's body: one row per item, the blank ones left for handwriting."""
    return Table(header=("项目", "内容"), rows=tuple((k, v) for k, v in rows), widths=(1, 4))


def _money(amount: Decimal) -> str:
    return f"人民币{amount_figures(amount)}（大写：{amount_upper(amount)}）"


def _bullets(items: list[str]) -> list[Block]:
    return [Paragraph(f"{i}. {_clause(t)}。") for i, t in enumerate(items, 1)]


def _contact(address: str, person: str, phone: str) -> list[Block]:
    blocks: list[Block] = []
    if address:
        blocks.append(Paragraph(address, label="本机关地址：", indent=False))
    if person or phone:
        blocks.append(
            Paragraph(f"{person}　　联系电话：{phone}".strip(), label="联系人：", indent=False)
        )
    return blocks


# --- internal approval forms ------------------------------------------------------------------


@dataclass(frozen=True)
class FilingApprovalContext:
    """立案审批表 (令第18号; 行政处罚法 第五十四条): the case as filed, for approval."""

    case_number: str
    cause: str  # 案由
    party_name: str
    source: str  # 案件来源
    found_on: datetime.date  # 发现（受案）日期
    summary: str  # 简要案情
    handlers: list[Inspector]  # 承办人 and certificates; at least two
    handler_opinion: str  # 承办人意见
    party_address: str = ""
    legal_representative: str = ""
    division_opinion: str = ""  # 承办机构审核意见
    approval: str = ""  # 负责人审批意见 (blank: written by hand)


def layout_filing_approval(c: FilingApprovalContext, head: DocumentHead) -> list[Block]:
    rows = [
        ("案件编号", c.case_number),
        ("案由", c.cause),
        ("当事人", c.party_name),
        ("地址", c.party_address),
        ("法定代表人（负责人）", c.legal_representative),
        ("案件来源", c.source),
        ("受案日期", date_cn(c.found_on)),
        ("简要案情", _clause(c.summary) + "。"),
        ("承办人", "、".join(f"{h.name}（{h.certificate_number}）" for h in c.handlers)),
        ("承办人意见", c.handler_opinion),
        ("承办机构审核意见", c.division_opinion),
        ("负责人审批意见", c.approval),
    ]
    blocks = [*_opening(head, "立案审批表"), _form(rows)]
    blocks.append(Signatures(("承办人（签名）：", "审核人（签名）：", "审批人（签名）：")))
    return blocks + _closing(head, seal=False)


@dataclass(frozen=True)
class CaseHandlingApprovalContext:
    """案件处理呈批表: the investigation's result and the proposed penalty, for the decision."""

    case_number: str
    cause: str
    party_name: str
    facts: str
    evidence: list[str]
    provisions_violated: str
    basis: str
    proposed_penalty: str
    handler_opinion: str
    statement: str = ""  # 陈述申辩（听证）情况
    review_opinion: str = ""  # 法制审核意见
    deliberation: str = ""  # 集体讨论意见
    approval: str = ""


def layout_case_handling_approval(
    c: CaseHandlingApprovalContext, head: DocumentHead
) -> list[Block]:
    rows = [
        ("案件编号", c.case_number),
        ("案由", c.cause),
        ("当事人", c.party_name),
        ("违法事实", _clause(c.facts) + "。"),
        ("证据", "、".join(_clause(e) for e in c.evidence)),
        ("违反的规定", c.provisions_violated),
        ("处罚依据", c.basis),
        ("拟处罚意见", c.proposed_penalty),
        ("陈述申辩（听证）情况", c.statement or "当事人未提出陈述申辩"),
        ("承办人意见", c.handler_opinion),
        ("法制审核意见", c.review_opinion),
        ("集体讨论意见", c.deliberation),
        ("负责人审批意见", c.approval),
    ]
    blocks = [*_opening(head, "案件处理呈批表"), _form(rows)]
    blocks.append(Signatures(("承办人（签名）：", "审核人（签名）：", "审批人（签名）：")))
    return blocks + _closing(head, seal=False)


@dataclass(frozen=True)
class ClosingApprovalContext:
    """结案审批表: how the case ended, for the leader's approval to close it."""

    case_number: str
    cause: str
    party_name: str
    outcome: str  # 处理结果 (the penalty decided, or why there is none)
    execution: str  # 执行情况
    handler_opinion: str
    decision_number: str = ""
    approval: str = ""


def layout_closing_approval(c: ClosingApprovalContext, head: DocumentHead) -> list[Block]:
    rows = [
        ("案件编号", c.case_number),
        ("案由", c.cause),
        ("当事人", c.party_name),
        ("处罚决定书文号", c.decision_number or "无"),
        ("处理结果", c.outcome),
        ("执行情况", c.execution),
        ("承办人结案意见", c.handler_opinion),
        ("负责人审批意见", c.approval),
    ]
    blocks = [*_opening(head, "结案审批表"), _form(rows)]
    blocks.append(Signatures(("承办人（签名）：", "审批人（签名）：")))
    return blocks + _closing(head, seal=False)


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    answer: str


@dataclass(frozen=True)
class InterviewRecordContext:
    """询问笔录 (行政处罚法 第五十五条): two officers show their certificates; the person has
    the duty to answer truthfully and the right to ask for an officer's recusal."""

    person: str  # 被询问人
    started_at: datetime.datetime
    finished_at: datetime.datetime
    place: str
    inspectors: list[Inspector]
    questions: list[QuestionAnswer]  # at least one
    person_id_number: str = ""
    person_unit: str = ""  # 工作单位
    person_position: str = ""
    person_phone: str = ""
    recorder: str = ""


def _check_interview(c: InterviewRecordContext, errors: dict[str, list[Any]]) -> None:
    _two_inspectors(c.inspectors or [], errors)
    if c.started_at and c.finished_at and c.finished_at < c.started_at:
        errors["finished_at"] = [_("The end cannot be before the start.")]


def layout_interview_record(c: InterviewRecordContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "询问笔录")
    blocks += [
        Paragraph(
            f"{datetime_cn(c.started_at)}至{datetime_cn(c.finished_at)}",
            label="询问时间：",
            indent=False,
        ),
        Paragraph(c.place, label="询问地点：", indent=False),
        Paragraph(c.person, label="被询问人：", indent=False),
    ]
    for label, value in (
        ("身份证号码：", c.person_id_number),
        ("工作单位：", c.person_unit),
        ("职务：", c.person_position),
        ("联系电话：", c.person_phone),
    ):
        if value:
            blocks.append(Paragraph(value, label=label, indent=False))
    blocks += [
        _inspector_table(c.inspectors, "询问人"),
        Paragraph(
            f"我们是{head.organ}的执法人员，已向你出示执法证件。现依法向你进行询问调查，你有"
            "如实回答问题的义务，也有陈述、申辩和申请执法人员回避的权利。你是否申请回避？"
        ),
    ]
    for qa in c.questions:
        blocks.append(Paragraph(_clause(qa.question) + "？", label="问：", indent=False))
        blocks.append(Paragraph(_clause(qa.answer) + "。", label="答：", indent=False))
    blocks.append(
        Paragraph("以上笔录我已看过，与我所说的一致。", label="被询问人意见：", indent=False)
    )
    labels = [f"询问人（签名）：{i.name}" for i in c.inspectors]
    labels.append("被询问人（签名）：")
    if c.recorder:
        labels.append(f"记录人（签名）：{c.recorder}")
    blocks.append(Signatures(tuple(labels)))
    return blocks + _closing(head, seal=False)


@dataclass(frozen=True)
class StatementRecordContext:
    """陈述申辩笔录 (行政处罚法 第四十五条): what the party stated and argued, heard by two
    officers."""

    party_name: str
    speaker: str  # 陈述申辩人 (the party or its representative)
    at: datetime.datetime
    place: str
    inspectors: list[Inspector]
    statement: str  # 陈述申辩内容
    speaker_position: str = ""
    recorder: str = ""


def _check_statement(c: StatementRecordContext, errors: dict[str, list[Any]]) -> None:
    _two_inspectors(c.inspectors or [], errors)


def layout_statement_record(c: StatementRecordContext, head: DocumentHead) -> list[Block]:
    speaker = c.speaker + (f"（{c.speaker_position}）" if c.speaker_position else "")
    blocks = _opening(head, "陈述申辩笔录")
    blocks += [
        Paragraph(c.party_name, label="当事人：", indent=False),
        Paragraph(speaker, label="陈述申辩人：", indent=False),
        Paragraph(datetime_cn(c.at), label="时间：", indent=False),
        Paragraph(c.place, label="地点：", indent=False),
        _inspector_table(c.inspectors, "承办人"),
        Paragraph(
            f"根据{LAW_PENALTY}第四十五条的规定，当事人有权进行陈述和申辩，行政机关必须充分听取"
            "当事人的意见，对当事人提出的事实、理由和证据进行复核；当事人提出的事实、理由或者证据"
            "成立的，应当采纳。行政机关不得因当事人陈述、申辩而给予更重的处罚。"
        ),
        Paragraph("", label="陈述申辩内容：", indent=False),
        Paragraph(_clause(c.statement) + "。"),
        Paragraph("以上笔录我已看过，与我所说的一致。", label="陈述申辩人意见：", indent=False),
    ]
    labels = [f"承办人（签名）：{i.name}" for i in c.inspectors]
    labels.append("陈述申辩人（签名）：")
    if c.recorder:
        labels.append(f"记录人（签名）：{c.recorder}")
    blocks.append(Signatures(tuple(labels)))
    return blocks + _closing(head, seal=False)


# --- the hearing (行政处罚法 第六十三条、第六十四条) -------------------------------------------


@dataclass(frozen=True)
class HearingRightsNoticeContext:
    """听证告知书: the proposed penalty that entitles the party to a hearing, and the period
    in which to ask for one."""

    party_name: str
    facts: str
    provisions_violated: str
    basis: str
    proposed_penalty: str
    hearing_days: int = 5
    party_kind: str = "unit"
    bureau_address: str = ""
    contact_person: str = ""
    contact_phone: str = ""


def _check_hearing_rights(c: HearingRightsNoticeContext, errors: dict[str, list[Any]]) -> None:
    if c.party_kind not in ("unit", "person"):
        errors["party_kind"] = [_("Either unit or person.")]
    if not 1 <= c.hearing_days <= 30:
        errors["hearing_days"] = [_("Give from 1 to 30 days.")]


def layout_hearing_rights_notice(c: HearingRightsNoticeContext, head: DocumentHead) -> list[Block]:
    you = "你" if c.party_kind == "person" else "你单位"
    blocks = _opening(head, "听证告知书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"经查，{_clause(c.facts)}。{you}的上述行为违反了{_clause(c.provisions_violated)}的"
            f"规定。依据{_clause(c.basis)}的规定，本机关拟对{you}作出{_clause(c.proposed_penalty)}"
            "的行政处罚。"
        ),
        Paragraph(
            f"根据{LAW_PENALTY}第六十三条、第六十四条的规定，{you}有要求举行听证的权利。如要求"
            f"听证，应当在收到本告知书之日起{days_cn(c.hearing_days)}日内向本机关提出。本机关将在"
            "举行听证的七日前通知听证的时间、地点。逾期不提出的，视为放弃听证权利。"
        ),
        Paragraph(f"{you}不承担组织听证的费用。"),
    ]
    blocks += _contact(c.bureau_address, c.contact_person, c.contact_phone)
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class HearingNoticeContext:
    """听证通知书 (听证会通知书): the hearing's time and place, at least seven days ahead
    (行政处罚法 第六十四条第二项), its host, and whether it is public."""

    party_name: str
    hearing_at: datetime.datetime
    place: str
    presiding: str  # 听证主持人 (not an investigator of the case)
    clerk: str  # 记录员
    members: str = ""  # 听证员
    public: bool = True
    bureau_address: str = ""
    contact_person: str = ""
    contact_phone: str = ""


def layout_hearing_notice(c: HearingNoticeContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "听证通知书")
    public = "公开" if c.public else "不公开（涉及国家秘密、商业秘密或者个人隐私）"
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"根据你方的听证要求，本机关决定于{datetime_cn(c.hearing_at)}在{_clause(c.place)}"
            f"{public}举行听证。"
        ),
        Paragraph(
            f"听证主持人：{c.presiding}；"
            + (f"听证员：{c.members}；" if c.members else "")
            + f"记录员：{c.clerk}。"
        ),
        Paragraph(
            "你方可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，应当提交授权委托书。"
            "你方认为主持人与本案有直接利害关系的，有权申请回避。你方无正当理由拒不出席听证或者"
            "未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。"
        ),
    ]
    blocks += _contact(c.bureau_address, c.contact_person, c.contact_phone)
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class HearingRecordContext:
    """听证笔录 (行政处罚法 第六十四条第八项): who took part, what was said; the parties sign."""

    party_name: str
    cause: str
    started_at: datetime.datetime
    finished_at: datetime.datetime
    place: str
    presiding: str
    clerk: str
    investigators: str  # 案件调查人员
    attendees: str  # 当事人及其代理人
    proceedings: list[str]  # the record, one paragraph per speaker's turn
    public: bool = True
    members: str = ""


def _check_hearing_record(c: HearingRecordContext, errors: dict[str, list[Any]]) -> None:
    if c.started_at and c.finished_at and c.finished_at < c.started_at:
        errors["finished_at"] = [_("The end cannot be before the start.")]


def layout_hearing_record(c: HearingRecordContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "听证笔录")
    blocks += [
        Paragraph(c.cause, label="案由：", indent=False),
        Paragraph(c.party_name, label="当事人：", indent=False),
        Paragraph(
            f"{datetime_cn(c.started_at)}至{datetime_cn(c.finished_at)}",
            label="听证时间：",
            indent=False,
        ),
        Paragraph(c.place, label="听证地点：", indent=False),
        Paragraph("公开" if c.public else "不公开", label="听证方式：", indent=False),
        Paragraph(c.presiding, label="听证主持人：", indent=False),
    ]
    if c.members:
        blocks.append(Paragraph(c.members, label="听证员：", indent=False))
    blocks += [
        Paragraph(c.clerk, label="记录员：", indent=False),
        Paragraph(c.investigators, label="案件调查人员：", indent=False),
        Paragraph(c.attendees, label="当事人及其代理人：", indent=False),
        Paragraph(
            "主持人宣布听证纪律，告知当事人申请回避、陈述、申辩和质证的权利；当事人表示不申请回避。"
        ),
        Paragraph("", label="听证记录：", indent=False),
    ]
    blocks += [Paragraph(_clause(p) + "。") for p in c.proceedings]
    blocks.append(
        Signatures(
            (
                f"听证主持人（签名）：{c.presiding}",
                f"记录员（签名）：{c.clerk}",
                "案件调查人员（签名）：",
                "当事人或其代理人（签名）：",
            )
        )
    )
    return blocks + _closing(head, seal=False)


# --- on-site measures and coercion --------------------------------------------------------------


@dataclass(frozen=True)
class OnsiteMeasuresDecisionContext:
    """现场处理措施决定书 (安全生产法 第六十五条第一款第三项): hazards found on site and the
    measures taken at once (撤出人员、暂时停产停业、停止使用相关设施设备)."""

    entity_name: str
    inspected_on: datetime.date
    problems: list[Problem]
    measures: str  # 现场处理决定
    provision: str = f"{LAW_SAFETY}第六十五条第一款第三项"
    entity_address: str = ""
    reconsideration_organ: str = ""
    court: str = ""


def layout_onsite_measures(c: OnsiteMeasuresDecisionContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "现场处理措施决定书")
    blocks += [
        Paragraph(f"{c.entity_name}：", indent=False),
        Paragraph(f"本机关于{date_cn(c.inspected_on)}在现场检查中发现你单位存在下列问题："),
    ]
    blocks += _problems(c.problems)
    blocks += [
        Paragraph(
            f"依据{_clause(c.provision)}的规定，现作出如下现场处理决定：{_clause(c.measures)}。"
        ),
        Paragraph("重大事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。"),
        Paragraph(_remedies("决定", c.reconsideration_organ, c.court)),
    ]
    return blocks + _closing(head, receipts=("被检查单位负责人（签收）：",))


@dataclass(frozen=True)
class SeizureDecisionContext:
    """查封扣押决定书 (行政强制法 第二十四条): the party, reason and basis, the items, the
    place, the term, and the remedies."""

    party_name: str
    measure: str  # 查封 | 扣押
    reason: str  # 事实和理由
    items: list[str]  # 查封、扣押的场所、设施或者财物的名称、数量
    decided_on: datetime.date
    ends_on: datetime.date
    party_address: str = ""
    place: str = ""  # where the items stay
    basis: str = f"{LAW_SAFETY}第六十五条第一款第四项、{LAW_COERCION}第二十三条、第二十四条"
    reconsideration_organ: str = ""
    court: str = ""


def _check_seizure(c: SeizureDecisionContext, errors: dict[str, list[Any]]) -> None:
    if c.measure not in ("查封", "扣押"):
        errors["measure"] = [_("Either 查封 or 扣押.")]
    if c.decided_on and c.ends_on and c.ends_on <= c.decided_on:
        errors["ends_on"] = [_("The term ends after the decision.")]


def layout_seizure_decision(c: SeizureDecisionContext, head: DocumentHead) -> list[Block]:
    days = (c.ends_on - c.decided_on).days
    blocks = _opening(head, "查封扣押决定书")
    blocks.append(Paragraph(f"{c.party_name}：", indent=False))
    if c.party_address:
        blocks.append(Paragraph(c.party_address, label="地址：", indent=False))
    blocks += [
        Paragraph(f"经查，{_clause(c.reason)}。"),
        Paragraph(
            f"依据{_clause(c.basis)}的规定，本机关决定对你单位下列场所、设施或者财物予以{c.measure}："
        ),
        *_bullets(c.items),
        Paragraph(
            f"{c.measure}期限为{days_cn(days)}日，自{date_cn(c.decided_on)}起至{date_cn(c.ends_on)}止。"
            "情况复杂的，经本机关负责人批准，可以延长，但延长期限不得超过三十日。"
            + (f"{c.measure}的财物存放于{_clause(c.place)}。" if c.place else "")
        ),
        Paragraph(
            f"在{c.measure}期间，你单位不得擅自启封、使用、转移或者损毁{c.measure}的场所、设施或者财物。"
        ),
        Paragraph(_remedies("决定", c.reconsideration_organ, c.court)),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class SeizureReleaseContext:
    """解除查封扣押决定书 (行政强制法 第二十八条)."""

    party_name: str
    measure: str
    items: list[str]
    decided_on: datetime.date  # the seizure's decision
    released_on: datetime.date
    reason: str
    decision_number: str = ""  # the seizure decision's number


def layout_seizure_release(c: SeizureReleaseContext, head: DocumentHead) -> list[Block]:
    cited = f"以{c.decision_number}《查封扣押决定书》" if c.decision_number else ""
    blocks = _opening(head, "解除查封扣押决定书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"本机关于{date_cn(c.decided_on)}{cited}对你单位下列场所、设施或者财物予以{c.measure}："
        ),
        *_bullets(c.items),
        Paragraph(
            f"鉴于{_clause(c.reason)}，依据{LAW_COERCION}第二十八条的规定，本机关决定自"
            f"{date_cn(c.released_on)}起解除上述{c.measure}。"
        ),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


# --- the unpaid fine --------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentReminderContext:
    """催告书 (行政强制法 第三十五条): the obligation, the period, the amount, the means, and
    the right to state and defend; 10 days to comply."""

    party_name: str
    decision_number: str
    served_on: datetime.date
    fine_amount: Decimal
    unpaid: Decimal
    payment_deadline: datetime.date
    payment_place: str
    reply_days: int = 10
    bureau_address: str = ""
    contact_person: str = ""
    contact_phone: str = ""


def layout_payment_reminder(c: PaymentReminderContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "催告书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"本机关于{date_cn(c.served_on)}向你方送达{c.decision_number}《行政处罚决定书》，"
            f"决定对你方处以罚款{_money(c.fine_amount)}，缴款期限至{date_cn(c.payment_deadline)}。"
            f"截至本催告书作出之日，你方尚有{_money(c.unpaid)}未缴纳。"
        ),
        Paragraph(
            f"根据{LAW_COERCION}第三十五条、第四十五条和{LAW_PENALTY}第七十二条的规定，现催告你方"
            f"自收到本催告书之日起{days_cn(c.reply_days)}日内缴至{_clause(c.payment_place)}。到期"
            "不缴纳的，本机关将每日按罚款数额的百分之三加处罚款（加处罚款的数额不超过罚款本数），"
            "并依法申请人民法院强制执行。"
        ),
        Paragraph(
            f"根据{LAW_COERCION}第三十六条的规定，你方有权进行陈述和申辩，可在收到本催告书之日起"
            f"{days_cn(c.reply_days)}日内向本机关提出。"
        ),
    ]
    blocks += _contact(c.bureau_address, c.contact_person, c.contact_phone)
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class SurchargeDecisionContext:
    """加处罚款决定书 (行政处罚法 第七十二条第一款第一项, 行政强制法 第四十五条)."""

    party_name: str
    decision_number: str
    unpaid: Decimal  # the fine the surcharge runs on
    payment_deadline: datetime.date
    until: datetime.date
    days: int
    amount: Decimal
    payment_place: str
    capped: bool = False
    reminded_on: str = ""  # the reminder's date (ISO) or number, if any
    reconsideration_organ: str = ""
    court: str = ""


def layout_surcharge_decision(c: SurchargeDecisionContext, head: DocumentHead) -> list[Block]:
    cap = "，已达罚款本数，按罚款本数计" if c.capped else ""
    blocks = _opening(head, "加处罚款决定书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"你方未按本机关{c.decision_number}《行政处罚决定书》的规定于{date_cn(c.payment_deadline)}"
            f"前缴纳罚款，尚欠罚款{_money(c.unpaid)}"
            + ("，经催告后仍未缴纳" if c.reminded_on else "")
            + "。"
        ),
        Paragraph(
            f"依据{LAW_PENALTY}第七十二条第一款第一项和{LAW_COERCION}第四十五条的规定，本机关决定"
            f"自{date_cn(c.payment_deadline + ONE_DAY)}起至{date_cn(c.until)}止，"
            f"共{c.days}日，每日按罚款数额的百分之三加处罚款{cap}，计{_money(c.amount)}。"
        ),
        Paragraph(
            f"请于收到本决定书之日起十五日内将加处罚款连同尚欠罚款缴至{_clause(c.payment_place)}。"
            "逾期不缴纳的，本机关将依法申请人民法院强制执行。"
        ),
        Paragraph(_remedies("决定", c.reconsideration_organ, c.court)),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class PlanPart:
    due_on: datetime.date
    amount: Decimal


@dataclass(frozen=True)
class PaymentDeferralApprovalContext:
    """延期（分期）缴纳罚款批准书 (行政处罚法 第六十六条第二款)."""

    party_name: str
    decision_number: str
    requested_on: datetime.date
    unpaid: Decimal
    parts: list[PlanPart]
    reason: str
    payment_place: str


def layout_payment_deferral(c: PaymentDeferralApprovalContext, head: DocumentHead) -> list[Block]:
    what = "延期" if len(c.parts) == 1 else "分期"
    blocks = _opening(head, "延期（分期）缴纳罚款批准书")
    blocks += [
        Paragraph(f"{c.party_name}：", indent=False),
        Paragraph(
            f"你方于{date_cn(c.requested_on)}提出的延期（分期）缴纳罚款申请收悉。本机关以"
            f"{c.decision_number}《行政处罚决定书》对你方处以罚款，尚欠{_money(c.unpaid)}。鉴于"
            f"{_clause(c.reason)}，依据{LAW_PENALTY}第六十六条第二款的规定，本机关同意你方{what}"
            "缴纳罚款，具体如下："
        ),
        Table(
            header=("期次", "缴纳期限", "金额"),
            rows=tuple(
                (str(i), date_cn(p.due_on), amount_figures(p.amount))
                for i, p in enumerate(c.parts, 1)
            ),
            widths=(1, 3, 3),
        ),
        Paragraph(
            f"请按期缴至{_clause(c.payment_place)}。逾期不缴纳的，本机关将依法每日按罚款数额的"
            "百分之三加处罚款，并申请人民法院强制执行。"
        ),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class EnforcementApplicationContext:
    """强制执行申请书 (行政强制法 第五十三条–第五十五条): to the people's court, with the
    decision, the reminder, and what remains unpaid."""

    court: str
    respondent: str  # 被申请人
    decision_number: str
    decided_on: datetime.date
    served_on: datetime.date
    penalty: str
    unpaid: Decimal
    reminded_on: datetime.date
    applicant_address: str = ""
    applicant_head: str = ""  # 负责人
    respondent_address: str = ""
    respondent_representative: str = ""
    surcharge: Decimal = Decimal(0)
    attachments: list[str] = field(default_factory=list)


def layout_enforcement_application(
    c: EnforcementApplicationContext, head: DocumentHead
) -> list[Block]:
    blocks = _opening(head, "强制执行申请书")
    blocks.append(Paragraph(head.organ, label="申请人：", indent=False))
    if c.applicant_address:
        blocks.append(Paragraph(c.applicant_address, label="地址：", indent=False))
    if c.applicant_head:
        blocks.append(Paragraph(c.applicant_head, label="负责人：", indent=False))
    blocks.append(Paragraph(c.respondent, label="被申请人：", indent=False))
    if c.respondent_address:
        blocks.append(Paragraph(c.respondent_address, label="地址：", indent=False))
    if c.respondent_representative:
        blocks.append(Paragraph(c.respondent_representative, label=LEGAL_REP, indent=False))
    total = c.unpaid + c.surcharge
    blocks += [
        Paragraph(
            f"强制被申请人缴纳罚款{_money(c.unpaid)}"
            + (f"及加处罚款{_money(c.surcharge)}，合计{_money(total)}" if c.surcharge else "")
            + "。",
            label="申请事项：",
            indent=False,
        ),
        Paragraph("", label="事实和理由：", indent=False),
        Paragraph(
            f"申请人于{date_cn(c.decided_on)}作出{c.decision_number}《行政处罚决定书》，对被申请人"
            f"作出{_clause(c.penalty)}的行政处罚，并于{date_cn(c.served_on)}送达。被申请人在法定"
            "期限内未申请行政复议或者提起行政诉讼，又不履行该决定。申请人于"
            f"{date_cn(c.reminded_on)}依法催告，被申请人逾期仍未履行。"
        ),
        Paragraph(
            f"根据{LAW_COERCION}第五十三条、第五十四条、第五十五条和{LAW_PENALTY}第七十二条的规定，"
            f"特申请{c.court}强制执行。"
        ),
        Paragraph("此致", indent=True),
        Paragraph(c.court, indent=False),
    ]
    attachments = c.attachments or ["行政处罚决定书及送达回证", "催告书及送达回证"]
    blocks.append(Paragraph("", label="附件：", indent=False))
    blocks += _bullets(attachments)
    return blocks + _closing(head)


# --- transfer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseTransferContext:
    """案件移送书 (行政处罚法 第二十七条, 第八十二条; 行政执法机关移送涉嫌犯罪案件的规定):
    to the organ competent for the case, with the reason and the materials."""

    to_organ: str
    case_number: str  # the case's number; for a clue from an inspection, the record's number
    party_name: str
    cause: str  # the case's cause; for a clue from an inspection, the finding as written
    reason: str
    materials: list[str] = field(default_factory=list)
    basis: str = f"{LAW_PENALTY}第二十七条"
    contact_person: str = ""
    contact_phone: str = ""
    # What goes: "" the whole case; "case" a clue found in a case that goes on here; "finding"
    # a clue from an inspection's finding (线索移送).
    clue: str = ""


def _check_transfer(c: CaseTransferContext, errors: dict[str, list[Any]]) -> None:
    if c.clue not in ("", "case", "finding"):
        errors.setdefault("clue", []).append(_("Choose one of the listed values."))


def _transfer_text(c: CaseTransferContext) -> str:
    basis = f"依据{_clause(c.basis)}的规定，"
    if c.clue == "case":
        return (
            f"本机关在调查{c.party_name}{_clause(c.cause)}一案（{c.case_number}）中发现，"
            f"{_clause(c.reason)}。{basis}现将该线索移送你单位处理。"
        )
    if c.clue == "finding":
        return (
            f"本机关在对{c.party_name}的安全生产监督检查（{c.case_number}）中发现："
            f"{_clause(c.cause)}。经查，{_clause(c.reason)}。{basis}现将该线索移送你单位处理。"
        )
    return (
        f"本机关立案调查的{c.party_name}{_clause(c.cause)}一案（{c.case_number}），经查，"
        f"{_clause(c.reason)}。{basis}现将该案移送你单位处理。"
    )


def layout_case_transfer(c: CaseTransferContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "案件移送书")
    blocks += [
        Paragraph(f"{c.to_organ}：", indent=False),
        Paragraph(_transfer_text(c)),
        Paragraph("请将处理结果函告本机关。"),
        Paragraph("", label="附件：", indent=False),
        *_bullets(c.materials or ["案件材料"]),
    ]
    blocks += _contact("", c.contact_person, c.contact_phone)
    return blocks + _closing(head, receipts=("接收单位（签收）：",))


# --- stopping supply (安全生产法 第七十条) -------------------------------------------------------


@dataclass(frozen=True)
class SupplyStopDecisionContext:
    """停止供电（停止供应民用爆炸物品）决定书: the entity refused a decision to stop production
    with a real danger of an accident; approved by the department's principal; power is cut no
    sooner than 24 hours after this notice unless in an emergency."""

    entity_name: str
    order: str  # the decision refused: its number and name
    facts: str  # the refusal and the real danger
    supply: str  # 供电 | 供应民用爆炸物品
    supplier: str
    effective_at: datetime.datetime
    approved_by: str  # 主要负责人
    entity_address: str = ""
    emergency: str = ""  # the emergency that allows no 24 hours' notice
    reconsideration_organ: str = ""
    court: str = ""


SUPPLIES = ("供电", "供应民用爆炸物品")


def _check_supply(c: Any, errors: dict[str, list[Any]]) -> None:
    if c.supply not in SUPPLIES:
        errors["supply"] = [_("Either 供电 or 供应民用爆炸物品.")]


def layout_supply_stop_decision(c: SupplyStopDecisionContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "停止供电（停止供应民用爆炸物品）决定书")
    blocks.append(Paragraph(f"{c.entity_name}：", indent=False))
    if c.entity_address:
        blocks.append(Paragraph(c.entity_address, label="地址：", indent=False))
    when = datetime_cn(c.effective_at)
    notice = (
        f"鉴于{_clause(c.emergency)}，存在危及生产安全的紧急情形，自{when}起"
        if c.emergency
        else f"本决定即为提前二十四小时的书面通知，自{when}起"
    )
    blocks += [
        Paragraph(
            f"本机关对你单位作出的{_clause(c.order)}，你单位拒不执行。经查，{_clause(c.facts)}，"
            "有发生生产安全事故的现实危险。"
        ),
        Paragraph(
            f"依据{LAW_SAFETY}第七十条的规定，经本机关主要负责人{c.approved_by}批准，本机关决定"
            f"通知{c.supplier}停止对你单位{c.supply}，强制你单位履行上述决定。{notice}执行。"
        ),
        Paragraph("你单位依法履行行政决定、采取相应措施消除事故隐患的，本机关将及时解除上述措施。"),
        Paragraph(_remedies("决定", c.reconsideration_organ, c.court)),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


@dataclass(frozen=True)
class SupplyStopNoticeContext:
    """停止供电（供应民用爆炸物品）通知书: the written notice to the supplier (第七十条: 通知应当
    采用书面形式，有关单位应当予以配合)."""

    supplier: str
    entity_name: str
    supply: str
    effective_at: datetime.datetime
    decision_number: str
    entity_address: str = ""


def layout_supply_stop_notice(c: SupplyStopNoticeContext, head: DocumentHead) -> list[Block]:
    where = f"（地址：{c.entity_address}）" if c.entity_address else ""
    blocks = _opening(head, "停止供电（供应民用爆炸物品）通知书")
    blocks += [
        Paragraph(f"{c.supplier}：", indent=False),
        Paragraph(
            f"{c.entity_name}{where}拒不执行本机关依法作出的停产停业（停止施工、停止使用相关设施"
            f"或者设备）决定，有发生生产安全事故的现实危险。依据{LAW_SAFETY}第七十条的规定，本机关"
            f"已以{c.decision_number}决定对该单位采取停止{c.supply}措施。"
        ),
        Paragraph(
            f"请你单位自{datetime_cn(c.effective_at)}起停止对该单位{c.supply}，并予以配合。"
            "措施解除时本机关另行书面通知。"
        ),
    ]
    return blocks + _closing(head, receipts=("接收单位（签收）：",))


@dataclass(frozen=True)
class SupplyStopReleaseContext:
    """解除停止供电（供应民用爆炸物品）通知书: the entity complied and removed the hazard."""

    supplier: str
    entity_name: str
    supply: str
    decision_number: str
    reason: str
    released_at: datetime.datetime


def layout_supply_stop_release(c: SupplyStopReleaseContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "解除停止供电（供应民用爆炸物品）通知书")
    blocks += [
        Paragraph(f"{c.supplier}、{c.entity_name}：", indent=False),
        Paragraph(
            f"本机关以{c.decision_number}决定对{c.entity_name}采取停止{c.supply}"
            f"措施。鉴于{_clause(c.reason)}，依据{LAW_SAFETY}第七十条第三款的规定，本机关决定"
            f"自{datetime_cn(c.released_at)}起解除该措施，请恢复{c.supply}。"
        ),
    ]
    return blocks + _closing(head, receipts=("接收单位（签收）：",))


def _none(c: Any, errors: dict[str, list[Any]]) -> None:
    return None


SPECS: list[KindSpec] = [
    KindSpec(K.FILING_APPROVAL, "立案审批表", "应急立审", FilingApprovalContext, _none,
             layout_filing_approval),
    KindSpec(K.CASE_HANDLING_APPROVAL, "案件处理呈批表", "应急呈批", CaseHandlingApprovalContext,
             _none, layout_case_handling_approval),
    KindSpec(K.HEARING_RIGHTS_NOTICE, "听证告知书", "应急听告", HearingRightsNoticeContext,
             _check_hearing_rights, layout_hearing_rights_notice),
    KindSpec(K.HEARING_NOTICE, "听证通知书", "应急听通", HearingNoticeContext, _none,
             layout_hearing_notice),
    KindSpec(K.HEARING_RECORD, "听证笔录", "应急听记", HearingRecordContext,
             _check_hearing_record, layout_hearing_record),
    KindSpec(K.STATEMENT_RECORD, "陈述申辩笔录", "应急陈记", StatementRecordContext,
             _check_statement, layout_statement_record),
    KindSpec(K.INTERVIEW_RECORD, "询问笔录", "应急询记", InterviewRecordContext, _check_interview,
             layout_interview_record),
    KindSpec(K.ONSITE_MEASURES, "现场处理措施决定书", "应急现决", OnsiteMeasuresDecisionContext,
             _none, layout_onsite_measures),
    KindSpec(K.SEIZURE_DECISION, "查封扣押决定书", "应急查扣", SeizureDecisionContext,
             _check_seizure, layout_seizure_decision),
    KindSpec(K.SEIZURE_RELEASE, "解除查封扣押决定书", "应急解查扣", SeizureReleaseContext, _none,
             layout_seizure_release),
    KindSpec(K.PAYMENT_REMINDER, "催告书", "应急催告", PaymentReminderContext, _none,
             layout_payment_reminder),
    KindSpec(K.SURCHARGE_DECISION, "加处罚款决定书", "应急加罚", SurchargeDecisionContext, _none,
             layout_surcharge_decision),
    KindSpec(K.ENFORCEMENT_APPLICATION, "强制执行申请书", "应急强执",
             EnforcementApplicationContext, _none, layout_enforcement_application),
    KindSpec(K.PAYMENT_DEFERRAL, "延期（分期）缴纳罚款批准书", "应急缓缴",
             PaymentDeferralApprovalContext, _none, layout_payment_deferral),
    KindSpec(K.CASE_TRANSFER, "案件移送书", "应急移", CaseTransferContext, _check_transfer,
             layout_case_transfer),
    KindSpec(K.CLOSING_APPROVAL, "结案审批表", "应急结", ClosingApprovalContext, _none,
             layout_closing_approval),
    KindSpec(K.SUPPLY_STOP_DECISION, "停止供电（停止供应民用爆炸物品）决定书", "应急停供",
             SupplyStopDecisionContext, _check_supply, layout_supply_stop_decision),
    KindSpec(K.SUPPLY_STOP_NOTICE, "停止供电（供应民用爆炸物品）通知书", "应急停供通",
             SupplyStopNoticeContext, _check_supply, layout_supply_stop_notice),
    KindSpec(K.SUPPLY_STOP_RELEASE, "解除停止供电（供应民用爆炸物品）通知书", "应急解停供",
             SupplyStopReleaseContext, _check_supply, layout_supply_stop_release),
]  # fmt: skip
