"""Issue 6, done-when: one coal mine from a drawn inspection to a published, masked penalty.

平鲁区应急管理局 draws the mine (forced in, as a blacklisted mine would be), its two drawn
inspectors record the inspection with a photo, a hazard is ordered rectified, rectified and
re-inspected, a violation becomes a case with a large fine, the decision is refused while the
legal review has not passed (service, page and database), the review passes, the decision is
made with its DOCX/PDF, the publication masks the workers named in the facts, and
`anjian audit verify` finds the whole trail intact.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.roles import Role
from anjian.cases import services as cases
from anjian.cases.models import Case
from anjian.cases.services import ProposalValues
from anjian.catalog import services as catalog_services
from anjian.catalog.models import DiscretionBenchmark
from anjian.catalog.services import ItemValues
from anjian.core.errors import ServiceError
from anjian.documents.models import OfficialDocument
from anjian.documents.selectors import documents_for
from anjian.draws import services as draws
from anjian.draws.services import DrawValues
from anjian.evidence.services import evidence_add
from anjian.inspections import selectors as inspection_selectors
from anjian.inspections import services as inspections
from anjian.inspections.models import InspectionTask
from anjian.publications import services as publications
from anjian.publications.models import Publication

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = timezone.localdate()
LEVELS = [
    {"level": "minor", "conditions": "一人", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 10_000, "fine_max": 30_000},
    {"level": "ordinary", "conditions": "二至三人", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 30_000, "fine_max": 60_000},
    {"level": "serious", "conditions": "四人以上", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 60_000, "fine_max": 100_000},
    {"level": "grave", "conditions": "逾期未改正", "penalty_kinds": ["fine", "suspension"],
     "fine_min": 100_000, "fine_max": 200_000},
]  # fmt: skip
# The bureau's details its notices and decisions print, set by its administrator.
BUREAU_DETAILS = {
    "address": "朔州市平鲁区府前街8号",
    "phone": "0349-6022110",
    "payment_place": "中国工商银行朔州平鲁支行（代收罚没款账户）",
    "reconsideration_organ": "朔州市平鲁区人民政府",
    "court": "朔州市平鲁区人民法院",
}
FACTS = (
    "经查，该矿2026年安全培训台账缺失，井下作业人员张小明、李大伟未经安全生产教育和培训即上岗"
    "作业，张小明联系电话13934561234。经责令限期改正，逾期仍未改正。"
)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 90, 90)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def mine_world(
    org: dict[str, Any],
    make_user: Callable[..., Any],
    make_certificate: Callable[..., Any],
    make_entity: Callable[..., Any],
) -> dict[str, Any]:
    inspector = org["county_inspector"]
    second = make_user("140603", [Role.INSPECTOR], username="pl_insp2", full_name="李建军")
    make_certificate(inspector)
    make_certificate(second)
    head = make_user("140603", [Role.DIVISION_HEAD], username="pl_head2", full_name="王主任")
    leader = make_user("140603", [Role.BUREAU_LEADER], username="pl_leader2", full_name="赵局长")
    reviewer = make_user("140603", [Role.LEGAL_REVIEWER], username="pl_legal2", full_name="法制员")
    item = catalog_services.item_create(
        actor=org["province_admin"],
        code="14000000100077",
        values=ItemValues(
            name="对煤矿企业安全培训情况的行政检查",
            act_kind="inspection",
            industries=["coal_mine"],
            legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第二十八条"}],
            check_points=[
                {"content": "查阅安全培训档案", "method": "documents", "basis": "安全生产法第28条"},
                {"content": "查看井下通风设施", "method": "onsite", "basis": "煤矿安全规程第150条"},
                {"content": "查验特种人员证书", "method": "onsite", "basis": "安全生产法第30条"},
            ],
        ),
        effective_from=datetime.date(2021, 9, 1),
    )  # fmt: skip
    benchmark = DiscretionBenchmark.objects.create(
        code="AQF-SC-28",
        violation="未按照规定对从业人员进行安全生产教育和培训",
        legal_provision="《中华人民共和国安全生产法》第二十八条第一款",
        penalty_basis="《中华人民共和国安全生产法》第九十七条第（三）项",
        levels=LEVELS,
        factors=[],
        effective_from=datetime.date(2021, 9, 1),
    )
    mine = make_entity(
        "140603", name="朔州市平鲁区井东煤业有限公司", legal_representative="孙国强",
        address="朔州市平鲁区井坪镇东梁村",
    )  # fmt: skip
    make_entity("140603", name="朔州市平鲁区西梁煤业有限公司")
    from anjian.accounts.services import bureau_document_details_set

    bureau_document_details_set(
        actor=org["county_admin"], bureau=inspector.bureau, **BUREAU_DETAILS
    )
    return {
        "org": org,
        "inspector": inspector,
        "second": second,
        "head": head,
        "leader": leader,
        "reviewer": reviewer,
        "item": item,
        "benchmark": benchmark,
        "mine": mine,
        "bureau": inspector.bureau,
    }


def test_one_coal_mine_from_a_draw_to_a_masked_publication(
    mine_world: dict[str, Any], login: Callable[..., Any], settings: Any
) -> None:
    w = mine_world
    mine, bureau = w["mine"], w["bureau"]

    # 1. The draw: committed (commitment published), run, the mine drawn with a team of two.
    rc = draws.random_check_item_add(actor=w["head"], bureau=bureau, item=w["item"])
    draft = draws.draw_create(
        actor=w["head"],
        bureau=bureau,
        values=DrawValues(
            title="2026年煤矿安全培训双随机抽查",
            items=[rc],
            inspection_from=TODAY,
            inspection_until=TODAY + datetime.timedelta(days=30),
            default_ratio=1,
            forced=[mine.uscc],
            avoid_own_county=False,
        ),
    )
    drawn = draws.draw_run(actor=w["head"], draw=draws.draw_commit(actor=w["head"], draw=draft))
    task = InspectionTask.objects.get(draw=drawn, entity=mine)
    team = set(task.inspectors.all())
    assert team == {w["inspector"], w["second"]}

    # 2. The on-site record: every check point answered, a hazard and a violation found, a
    # photo attached to the violation, the record submitted (its document issued).
    record = inspections.record_start(
        actor=w["inspector"], task=task, place="井东煤业调度室", present_name="钱安全",
        present_post="安全副矿长",
    )  # fmt: skip
    training, ventilation, certificates = inspections.record_check_points(record)
    inspections.record_answer(
        actor=w["inspector"], record=record, check_point=training, answer="violation"
    )
    inspections.record_answer(
        actor=w["inspector"], record=record, check_point=ventilation, answer="hazard"
    )
    inspections.record_answer(
        actor=w["second"], record=record, check_point=certificates, answer="compliant"
    )
    violation = inspections.finding_add(
        actor=w["inspector"], record=record, kind="violation", check_point=training,
        description="两名井下作业人员未经安全生产教育和培训上岗作业",
        legal_basis=w["benchmark"].legal_provision, benchmark=w["benchmark"],
    )  # fmt: skip
    hazard = inspections.finding_add(
        actor=w["inspector"], record=record, kind="hazard", check_point=ventilation,
        description="1302回风巷调节风窗损坏", severity="general",
    )  # fmt: skip
    photo = evidence_add(
        w["inspector"],
        upload=SimpleUploadedFile("现场照片.jpg", _jpeg(), content_type="image/jpeg"),
        subject=violation,
        region=record.region_id,
        caption="培训台账缺页",
    )
    inspections.record_submit(actor=w["inspector"], record=record, summary="隐患一项、违法一项")
    task.refresh_from_db()
    assert task.status == "done" and task.record_number
    record_docs = documents_for(record)
    assert [d.kind for d in record_docs] == ["inspection_record"]
    # One number on the form, the task and the issued record.
    assert record_docs[0].number == record.number == task.record_number
    # The random inspection's result waits for publication (一公开), its category taken from
    # the record: a hazard and a violation were found.
    (pending,) = inspection_selectors.publications_pending(w["inspector"])
    assert pending.task == task and pending.suggested == "corrected"

    # 3. The hazard: correction order, the enterprise's report, a passed re-inspection.
    order = inspections.correction_order_issue(
        actor=w["inspector"], record=record, findings=[hazard],
        deadline=inspections.deadline_suggest(TODAY),
    )  # fmt: skip
    inspections.rectification_report(actor=w["inspector"], order=order, text="已更换调节风窗")
    reinspection = inspections.reinspection_record(
        actor=w["inspector"], order=order, on=TODAY, inspectors=[w["inspector"], w["second"]],
        result="passed", opinion="隐患已整改完毕",
    )  # fmt: skip
    order.refresh_from_db()
    assert order.status == "rectified"
    assert [d.kind for d in documents_for(order)] == ["correction_order"]
    order_doc = documents_for(order).get()
    got = login(w["inspector"]).get(reverse("documents:document_docx", kwargs={"pk": order_doc.pk}))
    from docx import Document

    order_text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(b"".join(got.streaming_content) if got.streaming else got.content)
        ).paragraphs
    )
    # The order tells the mine where it may seek reconsideration or sue.
    assert "朔州市平鲁区人民政府" in order_text and "朔州市平鲁区人民法院" in order_text
    assert [d.kind for d in documents_for(reinspection)] == ["reinspection_opinion"]

    # 4. The case: filed from the violation, approved, a fine of 150,000 yuan proposed (the
    # benchmark's grave level: not corrected by the deadline), notice served, hearing held.
    case = cases.case_open(
        actor=w["inspector"], bureau=bureau, entity=mine, title="井东煤业未按规定开展安全培训案",
        handlers=[w["inspector"], w["second"]], findings=[violation], facts=FACTS,
    )  # fmt: skip
    cases.case_filing_decide(actor=w["leader"], case=case, approve=True)
    # Once the violation is in a case, the suggested result says so, and the page preselects it.
    (pending,) = inspection_selectors.publications_pending(w["inspector"])
    assert pending.suggested == "case"
    listing = login(w["inspector"]).get(reverse("inspections:publication_list")).content.decode()
    assert '<option value="case" selected>' in listing
    cases.case_proposal_set(
        actor=w["inspector"],
        case=Case.objects.get(pk=case.pk),
        values=ProposalValues(
            measures=["fine"],
            facts=FACTS,
            provisions=w["benchmark"].legal_provision,
            benchmark_code="AQF-SC-28",
            discretion_facts={"not_corrected": True},
            fine_amount=150_000,
        ),
    )
    case = Case.objects.get(pk=case.pk)
    assert case.major and case.hearing_entitled
    cases.case_notify(actor=w["inspector"], case=case)  # the notice, from the bureau's details
    cases.case_hearing_request(actor=w["inspector"], case=Case.objects.get(pk=case.pk))
    cases.case_hearing_record(
        actor=w["inspector"], case=Case.objects.get(pk=case.pk), held_on=TODAY,
        report="当事人对事实无异议，请求从轻处罚；经复核，维持拟处罚意见。",
    )  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    assert case.state == "legal_review"

    # 5. No decision without a passed legal review: not through the service, not through the
    # page, not by writing the row.
    with pytest.raises(ServiceError):
        cases.case_decide(actor=w["leader"], case=case)
    page = login(w["leader"]).post(
        reverse("cases:case_step", kwargs={"pk": case.pk, "action": "decide"}), follow=True
    )
    assert page.status_code in (200, 404)
    with pytest.raises(DatabaseError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state="decided", decided_on=TODAY)
    assert Case.objects.get(pk=case.pk).state == "legal_review"
    assert Case.objects.get(pk=case.pk).decided_on is None

    # The reviewer sees the file, the evidence hash and the discretion calculation; passes it.
    review_page = login(w["reviewer"]).get(reverse("cases:review_detail", kwargs={"pk": case.pk}))
    assert review_page.status_code == 200
    text = review_page.content.decode()
    assert photo.sha256[:16] in text and "150000" in text.replace(",", "")
    cases.case_review_decide(
        actor=w["reviewer"], case=case, passed=True, opinion="事实清楚，证据确凿，程序合法"
    )
    case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        cases.case_deliberate(
            actor=w["leader"], case=case, held_on=TODAY, participants="局长、副局长、法制股长",
            conclusion="同意处罚意见",
        )  # fmt: skip
        case = Case.objects.get(pk=case.pk)

    # 6. The decision, with its DOCX and PDF, verifiable on the portal.
    cases.case_decide(actor=w["leader"], case=case)
    case = Case.objects.get(pk=case.pk)
    assert case.state == "decided" and case.decided_on == TODAY
    kinds = {d.kind: d for d in documents_for(case)}
    # The filing approval was issued by the approval itself (the case file, issue 19).
    assert set(kinds) == {"filing_approval", "penalty_notice", "penalty_decision"}
    decision = kinds["penalty_decision"]
    staff = login(w["leader"])
    pdf = staff.get(reverse("documents:document_pdf", kwargs={"pk": decision.pk}))
    pdf_bytes = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert pdf_bytes.startswith(b"%PDF") and hashlib.sha256(pdf_bytes).hexdigest() == (
        decision.pdf_sha256
    )
    docx = staff.get(reverse("documents:document_docx", kwargs={"pk": decision.pk}))
    docx_bytes = b"".join(docx.streaming_content) if docx.streaming else docx.content
    assert hashlib.sha256(docx_bytes).hexdigest() == decision.docx_sha256

    body = "\n".join(p.text for p in Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "行政处罚决定书" in body and mine.name in body
    assert "朔州市平鲁区人民法院" in body and "代收罚没款账户" in body
    public = login(w["org"]["no_role"]).get(
        reverse("documents:portal_detail", kwargs={"code": decision.verification_code})
    )
    assert decision.pdf_sha256 in public.content.decode()

    # 7. The publication: scheduled on the decision, masked, published, on the portal.
    publication = Publication.objects.get(subject_id=str(case.pk))
    assert publication.due_on > TODAY
    publications.publication_publish(actor=w["leader"], publication=publication)
    from django.test import Client

    shown = (
        Client()
        .get(reverse("publications:portal_detail", kwargs={"pk": publication.pk}))
        .content.decode()
    )
    assert mine.name in shown and mine.uscc in shown
    assert "孙国强" in shown  # a unit's legal representative is published (双公示)
    assert "张小明" not in shown and "李大伟" not in shown and "13934561234" not in shown
    assert "张*" in shown or "张**" in shown
    assert "15" in shown  # the fine, in 万元

    # 8. The case page shows the whole timeline, and the audit trail is intact.
    timeline = staff.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    for step in ("立案", "告知", "听证", "法制审核", "决定"):
        assert step in timeline, step
    call_command("audit", "verify")  # exits non-zero on any broken link or altered file
    assert OfficialDocument.objects.filter(status="valid").count() >= 5
