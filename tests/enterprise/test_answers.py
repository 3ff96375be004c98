"""Answers to the bureau (N4.2): a rectification report with photos that the inspector reads
and accepts on re-inspection; a statement and a hearing request in a case within the period;
an objection to a credit record. Only the principal or the safety manager signs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.cases.models import Case, CaseEvent
from anjian.core.models import AuditEvent
from anjian.credit.models import CreditRequest
from anjian.evidence.models import Evidence
from anjian.inspections.models import OrderStatus
from anjian.inspections.services import reinspection_record
from tests.evidence.subjects import JPEG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(own: Any, principal: Any, entity_file: Any) -> dict:
    return entity_file(own)


def test_rectification_report_with_photos_read_and_accepted_on_reinspection(
    mine: dict, principal: Any, login: Any, org: dict, make_user: Any, make_certificate: Any
) -> None:
    order, record = mine["order"], mine["record"]
    client = login(principal)
    response = client.post(
        reverse("enterprise:order_report", args=[order.pk]),
        {"text": "已更换防爆开关，并组织培训。", "photos": [upload("整改后.jpg", JPEG)]},
    )
    assert response.status_code == 302
    report = order.reports.get()
    assert not report.on_paper and report.submitted_by == principal
    assert report.submitted_on == timezone.localdate()
    photo = Evidence.objects.get(
        subject_id=str(order.pk), subject_type="inspections.correctionorder"
    )
    assert photo.added_by == principal
    # The inspector reads it on the order's page before the re-inspection.
    inspector = org["county_inspector"]
    record.inspectors.add(inspector)
    page = login(inspector).get(reverse("inspections:order_detail", args=[order.pk]))
    assert "已更换防爆开关" in page.content.decode() and "整改后.jpg" in page.content.decode()
    # ... and accepts it through the existing re-inspection.
    second = make_user("140603", ["inspector"], username="second_insp")
    make_certificate(inspector)
    make_certificate(second)
    reinspection_record(
        actor=inspector,
        order=order,
        on=timezone.localdate(),
        inspectors=[inspector, second],
        result="passed",
        opinion="整改到位",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RECTIFIED
    detail = client.get(reverse("enterprise:inspection_detail", args=[record.pk])).content.decode()
    assert "整改到位" in detail


def test_a_staff_member_of_the_enterprise_does_not_sign(
    own: Any, mine: dict, activate: Any, login: Any
) -> None:
    clerk = activate(own, "staff").user
    client = login(clerk)
    client.post(reverse("enterprise:order_report", args=[mine["order"].pk]), {"text": "x"})
    assert not mine["order"].reports.exists()
    page = client.get(reverse("enterprise:inspection_detail", args=[mine["record"].pk]))
    assert "enterprise/orders" not in page.content.decode()


def test_another_entity_s_order_case_and_record_are_not_found(
    mine: dict, make_entity: Any, entity_file: Any, login: Any, principal: Any
) -> None:
    theirs = entity_file(make_entity("140603"))
    client = login(principal)
    for url in [
        reverse("enterprise:order_report", args=[theirs["order"].pk]),
        reverse("enterprise:case_answer", args=[theirs["case"].pk, "statement"]),
        reverse("enterprise:case_answer", args=[mine["co_party"].pk, "hearing"]),
        reverse("enterprise:credit_request", args=[theirs["credit_record"].pk]),
    ]:
        assert (
            client.post(url, {"text": "x", "kind": "objection", "content": "x"}).status_code == 404
        )
    assert not theirs["order"].reports.exists()


def test_statement_and_hearing_request_within_the_period(
    mine: dict, principal: Any, login: Any, clock: Any
) -> None:
    case = mine["case"]
    client = login(principal)
    client.post(
        reverse("enterprise:case_answer", args=[case.pk, "statement"]), {"text": "我们已整改。"}
    )
    event = CaseEvent.objects.get(case=case, action="party_statement")
    assert event.note == "我们已整改。" and event.actor == principal
    assert AuditEvent.objects.filter(action="cases.case.party_statement").exists()
    client.post(reverse("enterprise:case_answer", args=[case.pk, "hearing"]))
    case.refresh_from_db()
    assert case.state == "hearing" and case.hearing_requested_on == timezone.localdate()
    audit = AuditEvent.objects.get(action="cases.case.hearing_request")
    assert audit.actor == principal.username


def test_a_hearing_request_after_the_period_is_refused(
    mine: dict, principal: Any, login: Any, clock: Any
) -> None:
    case = mine["case"]
    clock.advance(days=8)
    response = login(principal).post(
        reverse("enterprise:case_answer", args=[case.pk, "hearing"]), follow=True
    )
    case.refresh_from_db()
    assert case.state == "notified" and case.hearing_requested_on is None
    assert "期限" in response.content.decode()


def test_the_officer_closing_the_defence_takes_the_party_s_statement(
    mine: dict, principal: Any, login: Any
) -> None:
    from anjian.cases.services import party_statements

    case = mine["case"]
    login(principal).post(
        reverse("enterprise:case_answer", args=[case.pk, "statement"]), {"text": "陈述一"}
    )
    assert party_statements(Case.objects.get(pk=case.pk)) == "陈述一"


def test_credit_objection_through_the_account(mine: dict, principal: Any, login: Any) -> None:
    record = mine["credit_record"]
    login(principal).post(
        reverse("enterprise:credit_request", args=[record.pk]),
        {"kind": "objection", "content": "处罚已被撤销"},
    )
    request = CreditRequest.objects.get()
    assert request.record == record and request.recorded_by == principal
    assert "李经理" in request.applicant
    assert request.submitted_on == timezone.localdate()
    assert request.accept_due > request.submitted_on - datetime.timedelta(days=1)
