"""What a reader of the printed documents sees: each finding under its own check point with its
own legal basis, items numbered once, no doubled punctuation, and a check address that is
absolute and on the page of the text it certifies."""

from __future__ import annotations

import copy
import datetime
import io
import re
from typing import Any

from pypdf import PdfReader

from anjian.documents.kinds import DocumentHead, context_parse, kind_spec
from anjian.documents.layout import Layout
from anjian.documents.models import DocumentKind
from anjian.documents.render import layout_html, render_docx, render_pdf
from tests.documents.conftest import CONTEXTS

URL = "https://jg.yjt.shanxi.gov.cn/portal/documents/0123456789ABCDEF/"
HEAD = DocumentHead(
    organ="朔州市平鲁区应急管理局",
    number="（晋朔平）应急现记〔2026〕2号",
    issued_on=datetime.date(2026, 3, 5),
    code="0123-4567-89AB-CDEF",
    url=URL,
)

MONITORING = "安全监控系统是否正常运行，甲烷传感器设置位置、报警和断电浓度是否符合要求"
GAS_GRADING = "矿井瓦斯等级鉴定或瓦斯涌出量测定是否按规定开展"
VENTILATION = "矿井通风系统是否完善可靠"


def layout(kind: str, **changes: Any) -> Layout:
    data = copy.deepcopy(CONTEXTS[kind])
    data.update(changes)
    spec = kind_spec(kind)
    return Layout(blocks=tuple(spec.layout(context_parse(kind, data), HEAD)), title=spec.title)


def lines(lay: Layout) -> list[str]:
    return lay.text().splitlines()


def record(**changes: Any) -> Layout:
    data: dict[str, Any] = {
        "checked": [
            f"1. {GAS_GRADING}。检查结果：符合。",
            f"2. {MONITORING}。检查结果：存在事故隐患。",
            f"{VENTILATION}。检查结果：符合。",
        ],
        "findings": [
            {
                "description": "井下3号瓦斯监控分站断电，未能实时上传数据",
                "legal_basis": "《煤矿安全规程》（2022）安全监控有关规定",
                "point": 2,
            }
        ],
    }
    return layout(DocumentKind.INSPECTION_RECORD, **{**data, **changes})


def test_a_finding_is_printed_under_its_own_check_point_with_its_own_basis() -> None:
    text = lines(record())
    at = next(i for i, line in enumerate(text) if MONITORING in line)
    assert "井下3号瓦斯监控分站断电" in text[at + 1]
    assert "安全监控有关规定" in text[at + 1]
    grading = next(i for i, line in enumerate(text) if GAS_GRADING in line)
    assert "监控分站" not in text[grading + 1]
    assert "瓦斯等级鉴定有关规定" not in "\n".join(text)
    assert "共1项，见检查情况第2项。" in text


def test_check_points_are_numbered_once_whatever_the_caller_sent() -> None:
    text = "\n".join(lines(record()))
    assert f"1. {GAS_GRADING}" in text
    assert f"2. {MONITORING}" in text
    assert f"3. {VENTILATION}" in text
    assert not re.search(r"\d\.\s*\d\.", text), text


def test_findings_outside_the_checklist_are_listed_after_the_filed_ones() -> None:
    findings = [
        {"description": "监控分站断电", "legal_basis": "安全监控有关规定", "point": 2},
        {"description": "消防器材过期", "legal_basis": ""},
    ]
    text = lines(record(findings=findings))
    assert "共2项，其中1项见检查情况第2项，另有以下1项：" in text
    assert "1. 消防器材过期。" in text


def test_a_finding_may_not_point_past_the_checklist() -> None:
    import pytest

    from anjian.core.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        record(findings=[{"description": "x", "point": 9}])
    assert "findings.0.point" in refused.value.fields


def test_the_check_address_closes_the_document_with_the_signatures() -> None:
    html = layout_html(record())
    closing = html[html.index('<div class="closing">') :]
    assert "检查人员（签名）" in closing and URL in closing
    assert "break-before: avoid" in html and "break-inside: avoid" in html


def test_the_check_address_is_not_alone_on_the_last_page() -> None:
    """However the text falls, the page with the address also carries the signatures (record)
    or the seal and the end of the last paragraph (decision). Lengths vary item by item, so
    one of them ends a page just before the address."""
    cases = [
        (record(checked=[f"{MONITORING}。检查结果：符合。"] * n, findings=[]), "检查人员（签名）")
        for n in range(4, 10)
    ] + [
        (layout(DocumentKind.PENALTY_DECISION, evidence=["现场检查记录"] * n), "法律另有规定")
        for n in range(1, 60, 12)
    ]
    for lay, with_it in cases:
        reader = PdfReader(io.BytesIO(render_pdf(lay, issued_on=HEAD.issued_on)))
        last = re.sub(r"\s+", "", reader.pages[-1].extract_text())
        assert URL in last
        assert with_it in last, last


def test_the_docx_keeps_the_closing_with_the_last_paragraph() -> None:
    import docx

    lay = layout(DocumentKind.CORRECTION_ORDER)
    d = docx.Document(io.BytesIO(render_docx(lay, issued_on=HEAD.issued_on)))
    paragraphs = [p for p in d.paragraphs if p.text or p.runs]
    last_body = next(i for i, p in enumerate(paragraphs) if "法律另有规定" in p.text)
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[last_body:-1])


def test_no_doubled_punctuation_when_the_callers_texts_end_with_a_full_stop() -> None:
    notice = layout(
        DocumentKind.PENALTY_NOTICE,
        facts="以上事实有现场检查记录等证据证实。",
        provisions_violated="《中华人民共和国安全生产法》第二十八条第一款。",
    )
    decision = layout(
        DocumentKind.PENALTY_DECISION,
        facts="以上事实有现场检查记录等证据证实。",
        evidence=["现场检查记录。", "询问笔录"],
        penalty="罚款人民币5万元。",
    )
    order = layout(
        DocumentKind.CORRECTION_ORDER,
        problems=[{"description": "甲烷传感器未按规定位置安设。", "legal_basis": "第498条。"}],
    )
    for lay in (notice, decision, order):
        text = lay.text()
        assert not re.search(r"[。；，][。；，]|。）", text), text


def test_the_notice_speaks_to_the_party_it_names() -> None:
    unit = layout(DocumentKind.PENALTY_NOTICE).text()
    person = layout(DocumentKind.PENALTY_NOTICE, party_kind="person", party_name="李四").text()
    assert "你（单位）" not in unit + person
    assert "你单位的上述行为" in unit and "你单位有权进行陈述和申辩" in unit
    assert "你的上述行为" in person and "你有权进行陈述和申辩" in person


def test_the_reinspection_cites_the_order_number_without_doubled_brackets() -> None:
    text = layout(DocumentKind.REINSPECTION_OPINION).text()
    assert "以（晋朔平）应急责改〔2026〕3号《责令限期整改指令书》" in text
    assert "（（" not in text and "））" not in text
    # The certificate numbers are in the table, the signature lines stay one short line each.
    assert "复查人员\t执法证号" in text
    assert "复查人员（签名）：王建国" in text.splitlines()
