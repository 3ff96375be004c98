"""Correction orders, rectification reports, re-inspections, and overdue orders escalated after
N working days across the National Day holiday."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.inspections import selectors, services
from anjian.inspections.models import InspectionTask, OrderStatus, TaskSource

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def submitted_record(site, *, started_at=None):
    a = site["inspector"]
    record = services.record_start(
        actor=a, task=site["task"], place="调度室", present_name="赵六", started_at=started_at
    )
    for point, answer in zip(site["points"], ["compliant", "hazard", "hazard"], strict=True):
        services.record_answer(actor=a, record=record, check_point=point, answer=answer)
    findings = [
        services.finding_add(
            actor=a,
            record=record,
            kind="hazard",
            check_point=point,
            description=text,
            severity="general",
        )
        for point, text in [(site["points"][1], "监控分站断电"), (site["points"][2], "电工证过期")]
    ]
    services.record_submit(actor=a, record=record)
    return record, findings


def test_an_order_names_the_records_findings_and_a_deadline(site) -> None:
    record, findings = submitted_record(site)
    today = timezone.localdate()
    assert services.deadline_suggest(today) > today
    order = services.correction_order_issue(
        actor=site["inspector"],
        record=record,
        findings=findings,
        deadline=today + datetime.timedelta(days=10),
    )
    assert set(order.findings.all()) == set(findings) and order.status == OrderStatus.OPEN
    assert AuditEvent.objects.get(action="inspections.order.issued").changes["record"] == (
        record.number
    )
    # The same finding cannot be under two open orders.
    with pytest.raises(ServiceError) as err:
        services.correction_order_issue(
            actor=site["inspector"], record=record, findings=findings[:1], deadline=today
        )
    assert "findings" in err.value.fields


def test_an_order_refuses_a_draft_record_other_findings_and_a_deadline_before_it(
    site, make_entity
) -> None:
    a = site["inspector"]
    record = services.record_start(actor=a, task=site["task"], place="x", present_name="y")
    today = timezone.localdate()
    with pytest.raises(Conflict):
        services.correction_order_issue(actor=a, record=record, findings=[], deadline=today)
    for point in site["points"]:
        services.record_answer(actor=a, record=record, check_point=point, answer="compliant")
    services.record_submit(actor=a, record=record)
    other_task = InspectionTask.objects.create(
        bureau=site["task"].bureau,
        entity=make_entity("140603"),
        item=site["item"],
        source=TaskSource.AD_HOC,
        period_start=today,
        due_on=today,
    )
    other_task.inspectors.set([a, site["second"]])
    _other, findings = submitted_record({**site, "task": other_task})
    with pytest.raises(ServiceError) as err:
        services.correction_order_issue(
            actor=a, record=record, findings=findings, deadline=today - datetime.timedelta(days=1)
        )
    assert set(err.value.fields) == {"findings", "deadline"}


def test_report_then_failed_and_passed_reinspection(site, org) -> None:
    record, findings = submitted_record(site)
    today = timezone.localdate()
    a, b = site["inspector"], site["second"]
    order = services.correction_order_issue(
        actor=a, record=record, findings=findings, deadline=today
    )
    with pytest.raises(NotFound):
        services.rectification_report(actor=org["other_county_inspector"], order=order, text="x")
    report = services.rectification_report(actor=a, order=order, text="已更换监控分站电源")
    assert report.on_paper and report.submitted_by == a
    with pytest.raises(ServiceError) as err:  # one inspector is not a re-inspection
        services.reinspection_record(
            actor=a, order=order, on=today, inspectors=[a], result="passed", opinion="已整改"
        )
    assert "inspectors" in err.value.fields
    services.reinspection_record(
        actor=a, order=order, on=today, inspectors=[a, b], result="failed", opinion="电工证仍未换"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
    services.reinspection_record(
        actor=b, order=order, on=today, inspectors=[a, b], result="passed", opinion="已整改到位"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RECTIFIED and order.rectified_on == today
    assert [
        e.changes["result"]
        for e in AuditEvent.objects.filter(action="inspections.reinspection.recorded").order_by(
            "seq"
        )
    ] == ["failed", "passed"]
    with pytest.raises(Conflict):
        services.rectification_report(actor=a, order=order, text="再次报告")


@pytest.fixture
def september_order(site):
    """An order of 2026-09-21 due on 2026-09-30, the eve of the National Day holiday."""
    task = site["task"]
    InspectionTask.objects.filter(pk=task.pk).update(period_start=D(2026, 9, 1))
    task.refresh_from_db()
    started = timezone.make_aware(datetime.datetime(2026, 9, 21, 9, 30))
    record, findings = submitted_record({**site, "task": task}, started_at=started)
    return services.correction_order_issue(
        actor=site["inspector"],
        record=record,
        findings=findings,
        deadline=D(2026, 9, 30),
        issued_on=D(2026, 9, 21),
    )


def test_overdue_counts_working_days_and_escalates_after_the_holiday(
    site, org, september_order, settings
) -> None:
    settings.ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS = 5
    order = september_order
    # 1–7 October are holidays, Saturday 10 October is a working day: five working days after
    # 30 September is 13 October.
    assert services.escalation_due(order) == D(2026, 10, 13)
    (row,) = selectors.rectifications_overdue(site["inspector"], today=D(2026, 10, 12))
    assert row.working_days_late == 4 and not row.escalatable(D(2026, 10, 12))
    assert selectors.rectifications_overdue(org["other_county_admin"], today=D(2026, 10, 12)) == []
    with pytest.raises(Conflict):
        services.rectification_escalate(actor=site["head"], order=order, today=D(2026, 10, 12))
    with pytest.raises(NotPermitted):
        services.rectification_escalate(actor=site["inspector"], order=order, today=D(2026, 10, 13))
    services.rectification_escalate(actor=site["head"], order=order, today=D(2026, 10, 13))
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED
    (row,) = selectors.rectifications_overdue(site["leader"], today=D(2026, 10, 14))
    assert row.escalated
    # A passed re-inspection closes even an escalated order.
    services.reinspection_record(
        actor=site["inspector"],
        order=order,
        on=D(2026, 10, 15),
        inspectors=[site["inspector"], site["second"]],
        result="passed",
        opinion="已整改",
    )
    assert selectors.rectifications_overdue(site["leader"], today=D(2026, 10, 16)) == []


def test_the_command_escalates_what_is_due_and_only_that(site, september_order) -> None:
    out = io.StringIO()
    call_command("rectifications", "escalate", "--today", "2026-10-12", stdout=out)
    september_order.refresh_from_db()
    assert september_order.status == OrderStatus.OPEN
    call_command("rectifications", "escalate", "--today", "2026-10-13", stdout=out)
    september_order.refresh_from_db()
    assert september_order.status == OrderStatus.ESCALATED
    assert "井东煤业" in out.getvalue()
    event = AuditEvent.objects.get(action="inspections.order.escalated")
    assert event.source == "cli" and event.changes["escalation_due"] == "2026-10-13"
    call_command("rectifications", "escalate", "--today", "2026-10-20", stdout=out)
    assert AuditEvent.objects.filter(action="inspections.order.escalated").count() == 1


def test_the_published_result_is_suggested_from_the_record(site) -> None:
    """一公开: the category offered for publication follows what the record found."""
    task = site["task"]
    assert selectors.outcomes_from_records([task.pk]) == {}  # no record yet: the officer chooses
    a = site["inspector"]
    record = services.record_start(actor=a, task=task, place="调度室", present_name="赵六")
    for point in site["points"]:
        services.record_answer(actor=a, record=record, check_point=point, answer="compliant")
    assert selectors.outcomes_from_records([task.pk]) == {}  # not submitted yet
    services.record_submit(actor=a, record=record)
    assert selectors.outcomes_from_records([task.pk]) == {task.pk: "no_problem"}


def test_a_record_with_hazards_suggests_correction_ordered(site) -> None:
    submitted_record(site)
    assert selectors.outcomes_from_records([site["task"].pk]) == {site["task"].pk: "corrected"}
