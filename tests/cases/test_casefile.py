"""The case file (issue 19): the documents the law ties to a step are issued by that step with
the law's words and the bureau's number; the approval forms and records are issued on demand
when the case is at their point; the whole file prints as one PDF in the order a reviewer reads
it; the stop of power supply (安全生产法 第七十条) with its 24 hours' notice and release."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from anjian.cases import casefile, casefile_documents, coercion, execution, services, supply_stop
from anjian.cases.models import Case
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.documents.selectors import documents_for
from anjian.documents.storage import document_storage
from tests.cases.conftest import MAJOR, TODAY, after_statement, investigating, notified, today_is

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    def move(day: datetime.date) -> None:
        today_is(monkeypatch, day)

    return move


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def pdf_text(doc) -> str:
    with document_storage().open(doc.pdf_file, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return "".join("".join(p.extract_text() for p in reader.pages).split())


def kinds(case: Case) -> list[str]:
    return [d.kind for d in documents_for(case).order_by("id")]


def number_re(code: str) -> re.Pattern[str]:
    return re.compile(rf"^（晋朔平）{code}〔\d{{4}}〕\d+号$")


def served(world) -> Case:
    case = after_statement(world)
    services.case_decide(actor=world["leader"], case=case)
    services.case_serve(actor=world["h1"], case=case, served_on=TODAY, method="direct")
    return fresh(case)


def test_the_unpaid_path_issues_reminder_surcharge_and_court_application(world, at) -> None:
    case = served(world)
    deadline = execution.payment_deadline(case)
    at(deadline + D(days=1))
    execution.case_remind(actor=world["h1"], case=case)
    reminder = documents_for(case).get(kind="payment_reminder")
    assert number_re("应急催告").match(reminder.number)
    assert reminder.issued_on == deadline + D(days=1)
    text = pdf_text(reminder)  # CJK text read back from the PDF as issued
    for words in ("催告书", case.decision_number, "第三十五条", "十日内", "陈述和申辩", "肆万元整",
                  "中国工商银行朔州平鲁支行"):  # fmt: skip
        assert words in text, words

    at(TODAY + D(days=60))
    execution.case_surcharge_decide(actor=world["leader"], case=fresh(case))
    surcharge = documents_for(case).get(kind="surcharge_decision")
    assert number_re("应急加罚").match(surcharge.number)
    text = pdf_text(surcharge)
    assert "第七十二条" in text and "百分之三" in text and "按罚款本数计" in text  # capped
    assert "40000元" in text

    start, _end = execution.court_window(fresh(case))
    at(start)
    execution.case_court_apply(actor=world["leader"], case=fresh(case))
    application = documents_for(case).get(kind="enforcement_application")
    assert number_re("应急强执").match(application.number)
    text = pdf_text(application)
    assert "朔州市平鲁区人民法院" in text and "第五十三条" in text and "80000元" in text
    assert "平鲁区测试煤业有限公司" in text  # the respondent
    issued = AuditEvent.objects.filter(action="documents.document.issued")
    assert {e.changes["kind"] for e in issued} >= {
        "payment_reminder", "surcharge_decision", "enforcement_application"
    }  # fmt: skip


def test_a_refused_step_issues_nothing(world, at) -> None:
    case = served(world)
    with pytest.raises(Conflict):  # before the deadline: no reminder, no document
        execution.case_remind(actor=world["h1"], case=case)
    assert "payment_reminder" not in kinds(case)


def test_instalments_issue_the_approval_with_the_plan(world, at) -> None:
    case = served(world)
    at(TODAY + D(days=3))
    execution.case_instalments_approve(
        actor=world["leader"], case=case, requested_on=TODAY + D(days=2),
        parts=[(TODAY + D(days=30), 20_000), (TODAY + D(days=60), 20_000)],
        reason="经营困难",
    )  # fmt: skip
    doc = documents_for(case).get(kind="payment_deferral")
    assert number_re("应急缓缴").match(doc.number)
    text = pdf_text(doc)
    assert "第六十六条第二款" in text and "分期" in text and "经营困难" in text
    assert f"{(TODAY + D(days=60)).year}年" in text and "20000元" in text


def test_seizure_and_release_issue_their_decisions(world) -> None:
    case = investigating(world)
    seizure = coercion.seizure_decide(
        actor=world["leader"], case=case, kind="seal", items="主井提升机1台；绞车2台",
        reason="设备不符合国家标准", days=20,
    )  # fmt: skip
    decision = documents_for(case).get(kind="seizure_decision")
    assert number_re("应急查扣").match(decision.number)
    text = pdf_text(decision)
    assert "第六十五条第一款第四项" in text and "查封期限为二十日" in text
    assert "1.主井提升机1台" in text and "2.绞车2台" in text
    assert "六十日内" in text and "朔州市平鲁区人民政府" in text
    coercion.seizure_release(actor=world["leader"], case=fresh(case), seizure=seizure,
                             reason="已更换合格设备")  # fmt: skip
    release = documents_for(case).get(kind="seizure_release")
    text = pdf_text(release)
    assert decision.number in text and "第二十八条" in text and "已更换合格设备" in text


def test_transferring_the_case_issues_the_transfer_letter(world) -> None:
    case = investigating(world)
    services.case_transfer(
        actor=world["h1"],
        case=case,
        reason="涉嫌重大责任事故罪",
        to_department="朔州市公安局平鲁分局",
    )
    doc = documents_for(case).get(kind="case_transfer")
    assert number_re("应急移").match(doc.number)
    text = pdf_text(doc)
    assert "朔州市公安局平鲁分局" in text and "涉嫌重大责任事故罪" in text and case.number in text


def test_approval_forms_and_records_are_issued_on_demand_at_their_point(world, other) -> None:
    case = investigating(world)
    # The approval issued the 立案审批表; revoked, another is issued on demand.
    from anjian.documents.services import document_revoke

    document_revoke(world["leader"], casefile_documents.valid_document(case, "filing_approval"),
                    reason="审批意见填写有误")  # fmt: skip
    doc = casefile_documents.casefile_document_issue(
        actor=world["h1"], case=case, kind="filing_approval",
        values={"handler_opinion": "建议立案"},
    )  # fmt: skip
    assert number_re("应急立审").match(doc.number)
    text = pdf_text(doc)
    assert case.number in text and "建议立案" in text and "负责人审批意见" in text
    assert world["h1"].certificates.first().number in text  # handlers with their certificates
    with pytest.raises(Conflict):  # no hearing: no hearing notice
        casefile_documents.casefile_document_issue(
            actor=world["h1"], case=case, kind="hearing_notice", values={}
        )
    with pytest.raises(NotFound):  # another county's inspector: out of scope, not found
        casefile_documents.casefile_document_issue(
            actor=world["other"], case=case, kind="filing_approval",
            values={"handler_opinion": "x"},
        )  # fmt: skip
    qa = casefile_documents.form_values(
        "interview_record",
        {"person": "王五", "started_at": "2026-03-06T14:00", "finished_at": "2026-03-06T15:00",
         "place": "调度室", "questions": "问：是否培训\n答：没有"},
    )  # fmt: skip
    doc = casefile_documents.casefile_document_issue(
        actor=world["h1"], case=case, kind="interview_record", values=qa
    )
    text = pdf_text(doc)
    assert "问：是否培训？" in text and "答：没有。" in text and "如实回答" in text


@pytest.fixture
def other(world, make_user, make_certificate):
    user = make_user("140525", ["inspector"], username="far_insp")
    world["other"] = user
    return user


def test_the_hearing_notice_comes_seven_days_before_the_hearing(world, other) -> None:
    case = notified(world, **MAJOR)
    assert case.hearing_entitled
    services.case_hearing_request(
        actor=world["h1"], case=case, requested_on=case.notified_on + D(days=1)
    )
    case = fresh(case)
    assert case.state == "hearing"
    soon = timezone.localtime() + D(days=3)
    with pytest.raises(ServiceError) as refused:
        casefile_documents.casefile_document_issue(
            actor=world["h1"], case=case, kind="hearing_notice",
            values={"hearing_at": soon.strftime("%Y-%m-%dT%H:%M"), "place": "三楼会议室",
                    "presiding": "张志刚", "clerk": "刘芳", "public": True, "members": ""},
        )  # fmt: skip
    assert "hearing_at" in refused.value.fields
    later = timezone.localtime() + D(days=8)
    doc = casefile_documents.casefile_document_issue(
        actor=world["h1"], case=case, kind="hearing_notice",
        values={"hearing_at": later.strftime("%Y-%m-%dT%H:%M"), "place": "三楼会议室",
                "presiding": "张志刚", "clerk": "刘芳", "public": True, "members": ""},
    )  # fmt: skip
    assert "张志刚" in pdf_text(doc) and "申请回避" in pdf_text(doc)


def test_the_case_file_prints_cover_contents_and_documents_in_reading_order(
    world, other, login
) -> None:
    case = served(world)
    casefile_documents.casefile_document_issue(
        actor=world["h1"], case=fresh(case), kind="case_handling_approval",
        values={"handler_opinion": "建议罚款4万元"},
    )  # fmt: skip
    # Issued after the decision, but read before it; the filing approval read first.
    casefile_documents.casefile_document_issue(
        actor=world["h1"], case=fresh(case), kind="interview_record",
        values=casefile_documents.form_values("interview_record", {
            "person": "王五", "started_at": "2026-03-06T14:00",
            "finished_at": "2026-03-06T15:00", "place": "调度室",
            "questions": "问：是否培训\n答：没有"}),
    )  # fmt: skip
    docs = casefile.casefile_documents(world["h1"], fresh(case))
    assert [d.kind for d in docs] == [
        "filing_approval",
        "interview_record",
        "case_handling_approval",
        "penalty_notice",
        "penalty_decision",
    ]  # fmt: skip (the filing approval issued by the approval itself)

    response = login(world["h1"]).get(reverse("cases:casefile_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    cover = "".join(reader.pages[0].extract_text().split())
    assert "行政处罚案卷" in cover and case.number in cover and "共5件" in cover
    contents = "".join(reader.pages[1].extract_text().split())
    assert "卷内目录" in contents
    positions = [contents.index(d.number) for d in docs]
    assert positions == sorted(positions)
    # The documents follow as issued: the first document's first page after the front pages.
    sizes = [len(PdfReader(document_storage().open(d.pdf_file, "rb")).pages) for d in docs]
    assert len(reader.pages) == 2 + sum(sizes)
    first = "".join(reader.pages[2].extract_text().split())
    assert "立案审批表" in first and docs[0].number in first
    assert f"{1 + sizes[0]}" in contents  # the second document starts on the next page

    assert (
        login(world["other"]).get(reverse("cases:casefile_pdf", args=[case.pk])).status_code == 404
    )  # another county's inspector never sees the case


def test_the_case_page_links_the_file_and_the_on_demand_documents(world, login) -> None:
    case = investigating(world)
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:casefile_pdf", args=[case.pk]) in page
    assert reverse("cases:casefile_issue", args=[case.pk, "interview_record"]) in page
    # The approval issued the 立案审批表: listed with the file, not offered again.
    assert reverse("cases:casefile_issue", args=[case.pk, "filing_approval"]) not in page
    assert "立案审批表" in page and "打印整个案卷" in page
    client = login(world["h1"])
    url = reverse("cases:casefile_issue", args=[case.pk, "interview_record"])
    refused = client.post(url, {"person": "王五", "questions": "随便说说"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "问：" in body and "答：" in body  # the questions field says how to write them
    done = client.post(url, {"person": "王五", "started_at": "2026-03-06T14:00",
                             "finished_at": "2026-03-06T15:00", "place": "调度室",
                             "questions": "问：是否培训\n答：没有"})  # fmt: skip
    assert done.status_code == 302
    assert "interview_record" in kinds(case)


def test_stopping_power_supply_notifies_24_hours_ahead_and_is_lifted(world) -> None:
    case = investigating(world)
    now = timezone.localtime()
    values = {
        "supply": "power", "supplier": "国网朔州供电公司平鲁供电分公司",
        "order": "（晋朔平）应急现决〔2026〕2号现场处理措施决定书",
        "facts": "责令停产后仍组织生产，瓦斯浓度持续超限", "approved_by": "刘建军",
    }  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        supply_stop.supply_stop_decide(
            actor=world["leader"], case=case, effective_at=now + D(hours=2), **values
        )
    assert "effective_at" in refused.value.fields
    with pytest.raises(NotPermitted):  # the leadership, with the principal's approval
        supply_stop.supply_stop_decide(
            actor=world["h1"], case=case, effective_at=now + D(hours=25), **values
        )
    # An emergency endangering production safety allows no 24 hours' notice.
    urgent = supply_stop.supply_stop_decide(
        actor=world["leader"], case=case, effective_at=now + D(hours=1),
        emergency="井下瓦斯浓度已达3%", **values,
    )  # fmt: skip
    stop = supply_stop.supply_stop_decide(
        actor=world["leader"], case=fresh(case), effective_at=now + D(hours=25), **values
    )
    decisions = documents_for(case).filter(kind="supply_stop_decision").order_by("id")
    notices = documents_for(case).filter(kind="supply_stop_notice").order_by("id")
    assert decisions.count() == 2 and notices.count() == 2
    assert number_re("应急停供").match(decisions[1].number)
    text = pdf_text(decisions[1])
    assert "第七十条" in text and "提前二十四小时" in text and "主要负责人刘建军" in text
    assert "紧急情形" in pdf_text(decisions[0])
    notice = pdf_text(notices[1])
    assert "国网朔州供电公司平鲁供电分公司" in notice and decisions[1].number in notice
    assert "停止对该单位供电" in notice
    assert {s.pk for s in supply_stop.supply_stops_in_force(case)} == {urgent.pk, stop.pk}

    with pytest.raises(ServiceError):
        supply_stop.supply_stop_release(actor=world["leader"], case=fresh(case), stop=stop,
                                        reason=" ")  # fmt: skip
    supply_stop.supply_stop_release(
        actor=world["leader"], case=fresh(case), stop=stop, reason="已停止生产并消除隐患"
    )
    with pytest.raises(Conflict):
        supply_stop.supply_stop_release(actor=world["leader"], case=fresh(case), stop=stop,
                                        reason="再次")  # fmt: skip
    release = documents_for(case).get(kind="supply_stop_release")
    text = pdf_text(release)
    assert "第七十条第三款" in text and decisions[1].number in text and "恢复供电" in text
    assert [s.pk for s in supply_stop.supply_stops_in_force(case)] == [urgent.pk]
    codes = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"cases.coercion.supply_stopped", "cases.coercion.supply_released"} <= codes


def test_the_api_lists_the_file_issues_on_demand_and_stops_supply(world, other, login) -> None:
    import json

    case = investigating(world)
    handler = login(world["h1"])
    listed = handler.get(f"/api/cases/{case.pk}/casefile").json()
    assert [d["kind"] for d in listed["documents"]] == ["filing_approval"]  # at the approval
    assert "filing_approval" not in listed["on_demand"]
    assert "onsite_measures" in listed["on_demand"]
    twice = handler.post(
        f"/api/cases/{case.pk}/casefile",
        json.dumps({"kind": "filing_approval", "values": {"handler_opinion": "建议立案"}}),
        content_type="application/json",
    )
    assert twice.status_code == 409 and "立案审批表" in twice.json()["error"]["message"]
    refused = handler.post(
        f"/api/cases/{case.pk}/casefile",
        json.dumps({"kind": "onsite_measures", "values": {}}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "measures" in refused.json()["error"]["fields"]
    done = handler.post(
        f"/api/cases/{case.pk}/casefile",
        json.dumps({"kind": "onsite_measures", "values": {
            "inspected_on": "2026-03-06", "problems": "瓦斯超限", "measures": "责令撤出作业人员",
        }}),
        content_type="application/json",
    )  # fmt: skip
    assert done.status_code == 200 and number_re("应急现决").match(done.json()["number"])
    assert sorted(
        d["kind"] for d in handler.get(f"/api/cases/{case.pk}/casefile").json()["documents"]
    ) == ["filing_approval", "onsite_measures"]
    assert login(world["other"]).get(f"/api/cases/{case.pk}/casefile").status_code == 404
    body = json.dumps({
        "supply": "explosives", "supplier": "朔州市民爆器材专营公司", "order": "停产整顿指令",
        "facts": "拒不停产，违规爆破", "approved_by": "刘建军",
        "effective_at": (timezone.localtime() + D(hours=1)).isoformat(),
    })  # fmt: skip
    assert (
        handler.post(
            f"/api/cases/{case.pk}/supply-stops", body, content_type="application/json"
        ).status_code
        == 403
    )  # the leadership decides
    # Explosives: the 24 hours' notice of 第二款 is for power cuts only.
    stop = login(world["leader"]).post(
        f"/api/cases/{case.pk}/supply-stops", body, content_type="application/json"
    )
    assert stop.status_code == 200
    text = pdf_text(documents_for(case).get(kind="supply_stop_notice"))
    assert "停止对该单位供应民用爆炸物品" in text
    lifted = login(world["leader"]).post(
        f"/api/cases/{case.pk}/supply-stops/release",
        json.dumps({"stop_id": stop.json()["id"], "reason": "已停产整顿"}),
        content_type="application/json",
    )
    assert lifted.status_code == 200 and lifted.json()["released_at"]
