"""Contexts of each document kind as inspections and cases pass them, and a document issuer."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from anjian.documents.models import DocumentKind, OfficialDocument

INSPECTORS = [
    {"name": "王建国", "certificate_number": "14060320001"},
    {"name": "李晓明", "certificate_number": "14060320002"},
]

CONTEXTS: dict[str, dict[str, Any]] = {
    DocumentKind.INSPECTION_RECORD: {
        "entity_name": "山西朔州平鲁区华兴煤业有限公司",
        "entity_address": "山西省朔州市平鲁区井坪镇南梁村",
        "entity_uscc": "91140603MA0K12345X",
        "legal_representative": "赵德胜",
        "place": "井下11号综采工作面",
        "started_at": "2026-03-05T09:00",
        "finished_at": "2026-03-05T11:30",
        "inspectors": INSPECTORS,
        "person_present": "孙立平",
        "person_present_position": "安全副矿长",
        "checked": ["瓦斯检查记录", "通风系统图", "监测监控系统运行情况"],
        "findings": [
            {
                "description": "11号综采工作面回风巷甲烷传感器未按规定位置安设",
                "legal_basis": "《煤矿安全规程》第四百九十八条",
            }
        ],
        "recorder": "王建国",
    },
    DocumentKind.CORRECTION_ORDER: {
        "entity_name": "山西朔州平鲁区华兴煤业有限公司",
        "inspected_on": "2026-03-05",
        "problems": [
            {
                "description": "11号综采工作面回风巷甲烷传感器未按规定位置安设",
                "legal_basis": "《煤矿安全规程》第四百九十八条",
            },
            {"description": "部分从业人员未经安全生产教育和培训上岗作业"},
        ],
        "deadline": "2026-03-20",
        "provision": "《中华人民共和国安全生产法》第六十五条第一款第三项",
        "reconsideration_organ": "朔州市平鲁区人民政府",
        "court": "朔州市平鲁区人民法院",
    },
    DocumentKind.REINSPECTION_OPINION: {
        "entity_name": "山西朔州平鲁区华兴煤业有限公司",
        "order_number": "（晋朔平）应急责改〔2026〕3号",
        "order_issued_on": "2026-03-05",
        "reinspected_on": "2026-03-21",
        "results": [
            {
                "description": "11号综采工作面回风巷甲烷传感器未按规定位置安设",
                "result": "已整改",
            },
            {"description": "部分从业人员未经安全生产教育和培训上岗作业", "result": "已整改"},
        ],
        "conclusion": "经复查，指令书所列问题已整改完毕。",
        "inspectors": INSPECTORS,
    },
    DocumentKind.PENALTY_NOTICE: {
        "party_name": "山西朔州平鲁区华兴煤业有限公司",
        "facts": "未按规定在11号综采工作面回风巷安设甲烷传感器",
        "provisions_violated": "《中华人民共和国安全生产法》第三十六条第一款",
        "basis": "《中华人民共和国安全生产法》第九十九条第一项",
        "proposed_penalty": "罚款人民币5万元",
        "contact_person": "王建国",
        "contact_phone": "0349-6022110",
        "bureau_address": "山西省朔州市平鲁区井坪镇政府街1号",
        "hearing": True,
    },
    DocumentKind.PENALTY_DECISION: {
        "party_name": "山西朔州平鲁区华兴煤业有限公司",
        "party_address": "山西省朔州市平鲁区井坪镇南梁村",
        "party_uscc": "91140603MA0K12345X",
        "legal_representative": "赵德胜",
        "facts": (
            "2026年3月5日，本机关执法人员检查发现你单位11号综采工作面回风巷未按规定安设甲烷传感器"
        ),
        "evidence": ["现场检查记录", "现场照片", "询问笔录"],
        "provisions_violated": "《中华人民共和国安全生产法》第三十六条第一款",
        "basis": "《中华人民共和国安全生产法》第九十九条第一项",
        "penalty": "罚款人民币5万元",
        "fine_amount": "50000",
        "payment_place": "中国工商银行朔州平鲁支行（账号：0505 0000 0000 0000 000）",
        "reconsideration_organ": "朔州市平鲁区人民政府",
        "court": "朔州市平鲁区人民法院",
    },
}

# Words each kind's document must contain (besides the title and the number).
KEY_TEXT: dict[str, list[str]] = {
    DocumentKind.INSPECTION_RECORD: [
        "井下11号综采工作面",
        "14060320002",
        "孙立平",
        "2026年3月5日9时00分",
    ],
    DocumentKind.CORRECTION_ORDER: [
        "2026年3月20日前整改完毕",
        "第六十五条第一款第三项",
        "六十日内",
    ],
    DocumentKind.REINSPECTION_OPINION: ["（晋朔平）应急责改〔2026〕3号", "已整改完毕"],
    DocumentKind.PENALTY_NOTICE: ["五日内", "听证", "罚款人民币5万元"],
    DocumentKind.PENALTY_DECISION: [
        "赵德胜",
        "50000元",
        "伍万元整",
        "十五日内",
        "六十日内",
        "六个月内",
        "朔州市平鲁区人民法院",
    ],
}

TITLES = {
    DocumentKind.INSPECTION_RECORD: "现场检查记录",
    DocumentKind.CORRECTION_ORDER: "责令限期整改指令书",
    DocumentKind.REINSPECTION_OPINION: "整改复查意见书",
    DocumentKind.PENALTY_NOTICE: "行政处罚告知书",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
}

# The case file's kinds (issue 19).
from anjian.documents.kinds import KINDS as _KINDS  # noqa: E402
from tests.documents import casefile_contexts as _cf  # noqa: E402

CONTEXTS.update(_cf.CONTEXTS)
KEY_TEXT.update(_cf.KEY_TEXT)
TITLES.update({k: _KINDS[str(k)].title for k in _cf.CONTEXTS})


@pytest.fixture
def entity(make_entity: Callable[..., Any]) -> Any:
    return make_entity("140603")


@pytest.fixture
def issue(org: dict[str, Any], entity: Any) -> Callable[..., OfficialDocument]:
    """Issue a document of `kind` as the 平鲁区 inspector, about the entity."""
    from anjian.documents.services import document_issue

    def make(kind: str = DocumentKind.PENALTY_DECISION, **extra: Any) -> OfficialDocument:
        actor = extra.pop("actor", org["county_inspector"])
        return document_issue(
            actor,
            kind=kind,
            bureau=extra.pop("bureau", actor.bureau),
            subject=extra.pop("subject", entity),
            context=extra.pop("context", None) or CONTEXTS[kind],
            issued_on=extra.pop("issued_on", datetime.date(2026, 3, 5)),
        )

    return make
