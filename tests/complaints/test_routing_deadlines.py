"""Routing to the competent bureau, working-day deadlines, escalation, transfer, duplicates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from anjian.complaints import selectors, services
from anjian.complaints.models import Report
from anjian.core import clock
from anjian.core.errors import ServiceError
from tests.complaints.conftest import BODY

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> Any:
    return clock.story_time(timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))


def test_report_on_a_registered_entity_goes_to_its_county(send: Any) -> None:
    report, _ = send()
    assert report.region_id == "140603" and report.bureau.region_id == "140603"
    assert report.industry == "coal_mine"


def test_industry_routed_to_the_city_where_the_setting_says_so(
    send: Any, settings: Any, people: Any
) -> None:
    settings.ANJIAN_COMPLAINT_ROUTING = {"coal_mine": "city"}
    report, _ = send()
    assert report.bureau.region_id == "140600"


def test_free_text_report_goes_by_the_chosen_county_and_up_where_it_has_no_bureau(
    send: Any, people: Any
) -> None:
    report, _ = send(
        entity=None, entity_text="某某加油站", address="平鲁区井坪镇", region_code="140603"
    )
    assert report.bureau.region_id == "140603"
    # 朔城区 (140602) has no bureau on the platform: the city's takes it.
    report2, _ = send(
        entity=None,
        entity_text="某烟花仓库",
        region_code="140602",
        industry="fireworks",
        body="烟花爆竹仓库超量存放，没有防雷设施，门口堆着纸箱。",
    )
    assert report2.bureau.region_id == "140600"


def test_bad_report_names_each_field(people: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.report_receive(
            actor=services.PUBLIC,
            values=services.ReportValues(kind="x", body="短", anonymous=False),
            channel="web",
        )
    assert {"kind", "body", "entity_text", "region", "reporter_name", "reporter_phone"} <= set(
        exc.value.fields
    )
    assert Report.objects.count() == 0


def test_acceptance_due_in_working_days_skips_the_national_holiday(
    send: Any, settings: Any
) -> None:
    settings.ANJIAN_COMPLAINT_ACCEPT_WORKDAYS = 5
    with at(datetime.date(2025, 9, 30)):  # Tuesday; 1–8 October is the National Day holiday
        report, _ = send()
    # Working days after 30 Sep 2025: 9, 10, 11 (Saturday, a working day), 13, 14 October.
    assert report.accept_due == datetime.date(2025, 10, 14)


def test_handling_due_after_the_configured_days_and_overdue_then_escalated(
    send: Any, people: Any, settings: Any
) -> None:
    settings.ANJIAN_COMPLAINT_HANDLE_DAYS = 60
    today = timezone.localdate()
    report, _ = send()
    services.report_accept(actor=people["desk"], report=report, handler=people["handler"])
    report.refresh_from_db()
    assert report.handle_due == today + datetime.timedelta(days=60)
    late = today + datetime.timedelta(days=70)
    with at(late):
        overdue = selectors.report_list(people["handler"], selectors.ReportFilters(overdue=True))
        assert list(overdue) == [report]
        assert services.reports_escalate(today=late) == 1
        assert services.reports_escalate(today=late) == 0  # once
    report.refresh_from_db()
    assert report.escalated_to.region_id == "140600"
    # The city's desk now sees it; another county's still does not.
    assert selectors.report_list(people["city_desk"]).filter(pk=report.pk).exists()
    assert not selectors.report_list(people["other_desk"]).filter(pk=report.pk).exists()


def test_unaccepted_report_overdue_and_due_soon_lists(
    send: Any, people: Any, settings: Any
) -> None:
    settings.ANJIAN_COMPLAINT_REMIND_WORKDAYS = 3
    report, _ = send()
    with at(report.accept_due):
        soon = selectors.report_list(people["desk"], selectors.ReportFilters(due_soon=True))
        assert report in soon
    with at(report.accept_due + datetime.timedelta(days=1)):
        late = selectors.report_list(people["desk"], selectors.ReportFilters(overdue=True))
        assert report in late


def test_transfer_with_reason_moves_it_and_restarts_the_acceptance_period(
    send: Any, people: Any
) -> None:
    report, _ = send()
    other = people["other_desk"].bureau
    with pytest.raises(ServiceError) as exc:
        services.report_transfer(actor=people["desk"], report=report, to_bureau=other, reason="")
    assert "reason" in exc.value.fields
    services.report_transfer(
        actor=people["desk"], report=report, to_bureau=other, reason="实际生产地点在泽州县"
    )
    report.refresh_from_db()
    assert report.bureau == other and report.state == "received"
    assert report.transfers.get().reason == "实际生产地点在泽州县"
    assert not selectors.report_list(people["desk"]).filter(pk=report.pk).exists()
    assert selectors.report_list(people["other_desk"]).filter(pk=report.pk).exists()


def test_a_repeated_report_is_linked_to_the_first_and_gets_its_result(
    send: Any, people: Any
) -> None:
    first, _ = send()
    again, _ = send(body=BODY.replace("三号", "3号") + "请尽快处理！")
    assert again.state == "duplicate" and again.duplicate_of == first
    different, _ = send(body="食堂液化气瓶放在灶台边，没有报警器，员工抽烟。")
    assert different.state == "received" and different.duplicate_of is None
    from anjian.complaints import handling

    services.report_accept(actor=people["desk"], report=first, handler=people["handler"])
    handling.report_close(
        actor=people["handler"], report=first, outcome="substantiated", result="已责令停产整顿"
    )
    again.refresh_from_db()
    assert again.outcome == "substantiated"
    assert any("已责令停产整顿" in m.body for m in again.messages.all())


def test_a_wrong_merge_can_be_separated(send: Any, people: Any) -> None:
    _first, _ = send()
    again, _ = send()
    services.report_duplicate_separate(actor=people["desk"], report=again)
    again.refresh_from_db()
    assert again.state == "received" and again.duplicate_of is None


def test_the_daily_command_escalates(send: Any, people: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    report, _ = send()
    out = StringIO()
    late = report.accept_due + datetime.timedelta(days=3)
    with at(late):
        call_command("complaints", "escalate", "--today", late.isoformat(), stdout=out)
    report.refresh_from_db()
    assert report.escalated_to is not None and "1" in out.getvalue()


def test_the_worker_escalates_every_day(send: Any, people: Any) -> None:
    from anjian.jobs.registry import job_spec

    spec = job_spec("complaints.reports_escalate")
    assert spec is not None and spec.at == "01:00"
    report, _ = send()
    with at(report.accept_due):
        assert spec.wrapper.call_local() == 0  # due today: not yet late
    with at(report.accept_due + datetime.timedelta(days=10)):
        assert spec.wrapper.call_local() == 1
        assert spec.wrapper.call_local() == 0  # once only
    report.refresh_from_db()
    assert report.escalated_to is not None
