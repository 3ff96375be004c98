"""What waits for the enterprise (/enterprise/ and the shared home page): open correction orders
with their deadline in working days (overdue in red), documents to confirm, the statement and
hearing-request periods of a notified case, an accident report's supplement period, credit
requests awaiting the bureau; never another enterprise's."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accidents.models import AccidentReport
from anjian.accidents.services import ReportValues, report_file
from anjian.core.workdays import workdays_between
from anjian.credit.models import CreditRequest
from anjian.enterprise.models import DocumentReceipt
from anjian.inspections.models import CorrectionOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(own: Any, principal: Any, entity_file: Any, clock: Any) -> dict:
    clock.pin_date(timezone.localdate())
    return entity_file(own)


def _home(client: Any) -> str:
    response = client.get(reverse("enterprise:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_kind_waits_with_its_deadline_and_link(
    mine: dict, own: Any, principal: Any, login: Any
) -> None:
    today = timezone.localdate()
    order, case = mine["order"], mine["case"]
    report_file(
        actor=principal,
        entity=own,
        values=ReportValues(
            occurred_at=timezone.now() - datetime.timedelta(minutes=10),
            place="主井井口",
            accident_type="workplace",
            dead=0,
            injured=1,
            missing=0,
            cause="坠物砸伤",
            measures="送医",
            reporter_name="李经理",
            reporter_phone="13912345678",
        ),
    )
    accident = AccidentReport.objects.get()
    client = login(principal)
    client.post(
        reverse("enterprise:credit_request", args=[mine["credit_record"].pk]),
        {"kind": "objection", "content": "处罚已被撤销"},
    )
    page = _home(client)
    panel = page[page.index('id="waiting"') :]
    # The correction order: its record, its deadline and the working days left.
    left = workdays_between(today, order.deadline)
    assert order.record.number in panel
    assert f"{order.deadline:%Y-%m-%d} 前，还剩 {left} 个工作日" in panel
    assert reverse("enterprise:inspection_detail", args=[order.record_id]) in panel
    # The notified case: the statement and the hearing-request periods.
    assert "陈述、申辩" in panel or "陈述申辩" in panel
    assert f"{case.hearing_deadline:%Y-%m-%d}" in panel and "申请听证" in panel
    assert reverse("enterprise:case_detail", args=[case.pk]) in panel
    # Documents to confirm (the notice and the record's), not the internal approval form.
    assert "待签收文书" in panel and mine["notice"].number in panel
    assert mine["internal"].number not in panel
    # The accident's supplement period, 30 days from the accident.
    until = timezone.localdate(accident.supplement_until())
    assert "事故补报" in panel and f"{until:%Y-%m-%d}" in panel
    assert reverse("accidents:my_detail", args=[accident.pk]) in panel
    # The credit objection, awaiting the bureau's acceptance.
    request = CreditRequest.objects.get()
    assert "等待应急管理部门" in panel or f"{request.accept_due:%Y-%m-%d}" in panel
    # Confirming receipt takes the document off.
    client.post(reverse("enterprise:document_confirm", args=[mine["notice"].pk]))
    assert DocumentReceipt.objects.filter(document=mine["notice"]).exists()
    panel = _home(client)
    assert mine["notice"].number not in panel[panel.index('id="waiting"') :]


def test_an_overdue_order_is_red_and_counts_the_working_days_late(
    mine: dict, principal: Any, login: Any
) -> None:
    today = timezone.localdate()
    due = today - datetime.timedelta(days=10)
    CorrectionOrder.objects.filter(pk=mine["order"].pk).update(deadline=due)
    page = _home(login(principal))
    panel = page[page.index('id="waiting"') :]
    late = workdays_between(due, today)
    assert f"期限 {due:%Y-%m-%d}，已逾期 {late} 个工作日" in panel
    row = panel[: panel.index(mine["order"].record.number)]
    assert "list-group-item-danger" in row[row.rindex("<li") :]
    # The shared home page counts it in red too.
    home = login(principal).get(reverse("accounts:home")).content.decode()
    assert "fw-semibold text-danger" in home and "责令" in home


def test_another_enterprise_s_items_never_show(
    mine: dict, make_entity: Any, entity_file: Any, activate: Any, login: Any
) -> None:
    theirs = entity_file(make_entity("140603", name="平鲁另一家煤业公司"))
    other = activate(theirs["record"].entity).user
    page = _home(login(other))
    panel = page[page.index('id="waiting"') :]
    assert theirs["order"].record.number in panel
    for item in ("order", "notice", "record_doc"):
        number = getattr(mine[item], "number", None) or mine[item].record.number
        assert number not in panel, item
    assert mine["case"].title not in panel


def test_nothing_waiting_says_so(own: Any, principal: Any, login: Any) -> None:
    page = _home(login(principal))
    assert "目前没有待办事项" in page
