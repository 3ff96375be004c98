"""The credit supervision document (issue 20): the decision to list an entity as a seriously
dishonest entity (列入安全生产严重失信主体名单决定书, 应急管理部令第11号). Same contract as
kinds.py: a dataclass (fields without a default are required), a check, a layout into blocks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.documents.kinds import LEGAL_REP, DocumentHead, KindSpec, _clause, _closing, _opening
from anjian.documents.layout import Block, Paragraph, date_cn
from anjian.documents.models import DocumentKind as K

ORDER_11 = "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）"


@dataclass(frozen=True)
class DishonestyListingContext:
    """列入严重失信主体名单决定书: who, on what facts and ground, from when to when, and the
    remedies; the early removal the entity may ask for."""

    entity_name: str
    uscc: str
    facts: str  # 失信行为事实
    ground: str  # 列入事由 (the trigger of 令第11号)
    listed_on: datetime.date
    ends_on: datetime.date
    removal_from: datetime.date
    reconsideration_organ: str
    court: str
    legal_representative: str = ""
    address: str = ""


def _check(c: DishonestyListingContext, errors: dict[str, list[Any]]) -> None:
    if c.ends_on <= c.listed_on:
        errors.setdefault("ends_on", []).append(_("The listing must end after it starts."))
    if not c.listed_on <= c.removal_from <= c.ends_on:
        errors.setdefault("removal_from", []).append(
            _("Early removal must fall within the listing period.")
        )


def layout_dishonesty_listing(c: DishonestyListingContext, head: DocumentHead) -> list[Block]:
    blocks = _opening(head, "列入安全生产严重失信主体名单决定书")
    blocks += [
        Paragraph(c.entity_name, label="当事人：", indent=False),
        Paragraph(c.uscc, label="统一社会信用代码：", indent=False),
    ]
    if c.legal_representative:
        blocks.append(Paragraph(c.legal_representative, label=LEGAL_REP, indent=False))
    if c.address:
        blocks.append(Paragraph(c.address, label="地址：", indent=False))
    blocks += [
        Paragraph(f"经查，{_clause(c.facts)}。", label="失信行为事实："),
        Paragraph(
            f"你单位的上述行为属于{ORDER_11}规定的“{_clause(c.ground)}”情形，经法制审核，本机关"
            f"决定将你单位列入安全生产严重失信主体名单，列入期限自{date_cn(c.listed_on)}起至"
            f"{date_cn(c.ends_on)}止，并依法向社会公开。"
        ),
        Paragraph(
            f"自{date_cn(c.removal_from)}起，你单位纠正失信行为、消除不良影响的，可以向本机关提出"
            "提前移出名单的申请。"
        ),
        Paragraph(
            f"如不服本决定，可以自收到本决定书之日起六十日内向{_clause(c.reconsideration_organ)}"
            f"申请行政复议，或者在六个月内依法向{_clause(c.court)}提起行政诉讼。"
        ),
    ]
    return blocks + _closing(head, receipts=("当事人（签收）：",))


SPECS: list[KindSpec] = [
    KindSpec(K.DISHONESTY_LISTING, "列入安全生产严重失信主体名单决定书", "应急失信",
             DishonestyListingContext, _check, layout_dishonesty_listing),
]  # fmt: skip
