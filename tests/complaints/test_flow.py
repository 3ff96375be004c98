"""The issue's whole path: an anonymous report from a phone reaches the right county, becomes
an inspection, leads to a fine, and the reporter reads the outcome with the receipt code; a named
report earns a reward computed from the fine."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from anjian.cases.models import Case
from anjian.complaints import handling, rewards, services
from anjian.complaints.models import Report
from anjian.core.errors import ServiceError
from anjian.inspections.models import InspectionTask
from tests.cases.conftest import LONG_AGO, after_statement
from tests.complaints.conftest import BODY

pytestmark = pytest.mark.django_db


def _decided(world: dict[str, Any]) -> Case:
    from anjian.cases import services as case_services

    case = after_statement(world)
    case = Case.objects.get(pk=case.pk)
    if case.state == "legal_review":
        case_services.case_review_decide(
            actor=world["reviewer"], case=case, passed=True, opinion="合法"
        )
        case = Case.objects.get(pk=case.pk)
    if case.state == "deliberation":
        case_services.case_deliberate(
            actor=world["leader"],
            case=case,
            held_on=LONG_AGO,
            participants="班子",
            conclusion="同意",
        )
    case_services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def setting(world: dict[str, Any], make_user: Any, make_certificate: Any, settings: Any) -> dict:
    head = make_user("140603", ["division_head"], username="county_head_c")
    make_certificate(head)
    desk = make_user("140603", ["complaints_desk"], username="county_desk_c")
    committee = make_user("140603", ["reward_committee"], username="committee_c")
    return {**world, "head": head, "desk": desk, "committee": committee}


def test_anonymous_phone_report_to_inspection_to_fine_to_the_reporters_answer(
    setting: dict[str, Any], item: Any
) -> None:
    phone = Client(REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="PhoneBrowser/1.0")
    entity = setting["entity"]
    page = phone.get("/portal/report/")
    assert page.status_code == 200 and "举报" in page.content.decode()
    found = phone.get("/portal/report/entities/", {"q": "测试煤业"}).content.decode()
    assert entity.uscc in found
    r = phone.post(
        "/portal/report/",
        {"kind": "illegal_production", "entity_uscc": entity.uscc, "body": BODY, "anonymous": "on"},
    )
    code = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})", r.content.decode()).group(1)  # type: ignore[union-attr]
    report = Report.objects.get()
    assert report.bureau == setting["bureau"]

    services.report_accept(actor=setting["desk"], report=report, handler=setting["head"])
    task = handling.report_inspection_start(
        actor=setting["head"],
        report=report,
        items=[item],
        inspectors=[setting["h1"], setting["h2"]],
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    assert InspectionTask.objects.get(pk=task.pk).source == "report"
    case = _decided(setting)  # the inspection's finding led to a case and a fine
    assert case.fine_amount > 0
    handling.report_case_link(actor=setting["head"], report=report, case=case)
    handling.report_close(
        actor=setting["head"],
        report=report,
        outcome="substantiated",
        result=f"经核查属实，已立案查处，罚款{case.fine_amount}元。",
    )
    answer = phone.post(
        "/portal/report/follow-up/", {"receipt_id": report.receipt_id, "code": code}
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert f"罚款{case.fine_amount}元" in text and "属实" in text


def test_named_report_earns_a_reward_from_the_fine_approved_and_paid(
    setting: dict[str, Any],
) -> None:
    entity = setting["entity"]
    anonymous_first, _ = services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(kind="hazard", body=BODY, entity=entity),
        channel="web",
    )
    named, _ = services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(
            kind="hazard",
            body=BODY,
            entity=entity,
            anonymous=False,
            reporter_name="孙实名",
            reporter_phone="13700002222",
        ),
        channel="web",
    )
    later_named, _ = services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(
            kind="hazard",
            body=BODY + "！",
            entity=entity,
            anonymous=False,
            reporter_name="周后来",
            reporter_phone="13700003333",
        ),
        channel="web",
    )
    assert named.duplicate_of == anonymous_first and later_named.duplicate_of == anonymous_first
    services.report_accept(actor=setting["desk"], report=anonymous_first, handler=setting["head"])
    case = _decided(setting)
    handling.report_case_link(actor=setting["head"], report=anonymous_first, case=case)
    handling.report_close(
        actor=setting["head"],
        report=anonymous_first,
        outcome="substantiated",
        result="属实，已处罚",
    )
    # Only the first valid real-name reporter: not the anonymous one, not the later one.
    assert rewards.reward_eligibility(anonymous_first)[1] is not None
    assert rewards.reward_eligibility(later_named)[1] is not None
    reward = rewards.reward_propose(actor=setting["desk"], report=named)
    expected = min(max(case.fine_amount * 15 // 100, 3000), 300_000)
    assert reward.amount == expected and reward.fine_amount == case.fine_amount
    with pytest.raises(ServiceError) as refused:
        rewards.reward_propose(actor=setting["desk"], report=later_named)
    assert refused.value.code == "not_eligible"
    # The proposer cannot approve; the committee can; then the desk pays.
    from anjian.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        rewards.reward_decide(actor=setting["desk"], reward=reward, approve=True)
    rewards.reward_decide(actor=setting["committee"], reward=reward, approve=True)
    rewards.reward_pay(
        actor=setting["desk"], reward=reward, paid_on=timezone.localdate(), reference="PZ-2026-001"
    )
    reward.refresh_from_db()
    assert reward.state == "paid"
    from anjian.core.models import AuditEvent

    steps = set(
        AuditEvent.objects.filter(object_type="complaints.reward").values_list("action", flat=True)
    )
    assert steps == {
        "complaints.reward.proposed",
        "complaints.reward.approved",
        "complaints.reward.paid",
    }
