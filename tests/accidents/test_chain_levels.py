"""How far up a report goes (生产安全事故报告和调查处理条例 art. 10): 一般 to the city, 较大 to the
province, 重大 and 特别重大 to the province and by it to the Ministry; a supplement that raises
the level sends the report on from where it stopped, with two hours from the supplement, and tells
the bureau it now waits at; a late forwarding is flagged and kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import selectors, services
from anjian.accidents.models import ChainStep, Level
from anjian.accidents.services import SupplementValues
from anjian.core import clock as core_clock
from anjian.core.errors import NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.notifications.models import Notification
from tests.accidents.conftest import values

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def _file(chain: dict[str, Any], **figures: Any) -> Any:
    return services.report_file(
        actor=chain["principal"],
        entity=chain["entity"],
        values=values(core_clock.now() - 10 * M, **figures),
    )


def test_a_general_accident_stops_at_the_city_and_the_province_never_sees_it(
    chain: dict[str, Any], clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _file(chain, dead=1)
    assert report.level == Level.GENERAL
    with django_capture_on_commit_callbacks(execute=True):
        services.report_forward(actor=chain["county"], report=report)
    city = report.steps.get(level="city")
    assert city.due_at is None  # the chain ends at the city
    # The city is told it has arrived, with nothing to forward; the province is told nothing.
    told = Notification.objects.get(recipient=chain["city"])
    assert told.kind == "accident_received" and "报送至本级为止" in told.text
    assert not Notification.objects.filter(recipient=chain["province"]).exists()
    assert not selectors.report_list(chain["city"], selectors.Filters(waiting=True)).exists()
    with pytest.raises(ServiceError) as exc:
        services.report_forward(actor=chain["city"], report=report)
    assert exc.value.code == "invalid_state"
    assert not report.steps.filter(level="province").exists()
    # Not in the province's queue, nor anywhere it reads: the chain never reached it.
    assert not selectors.report_list(chain["province"], selectors.Filters(waiting=True)).exists()
    assert not selectors.report_list(chain["province"]).exists()
    with pytest.raises(Http404):
        selectors.report_get(chain["province"], report.pk)
    # Nothing stays overdue at the city however long it waits.
    clock.advance(days=1)
    assert not selectors.overdue_list(chain["city"]).exists()


def test_a_larger_accident_goes_to_the_province_and_stops_there(
    chain: dict[str, Any], clock: Any
) -> None:
    report = _file(chain, dead=0, injured=10)
    assert report.level == Level.LARGER
    services.report_forward(actor=chain["county"], report=report)
    services.report_forward(actor=chain["city"], report=report)
    province = report.steps.get(level="province")
    assert province.due_at is None
    with pytest.raises(ServiceError):
        services.ministry_report_record(actor=chain["province"], report=report)


@pytest.mark.parametrize("dead", [10, 30])
def test_a_major_accident_is_reported_by_the_province_to_the_ministry(
    chain: dict[str, Any], clock: Any, dead: int
) -> None:
    report = _file(chain, dead=dead)
    clock.advance(minutes=30)
    services.report_forward(actor=chain["county"], report=report)
    clock.advance(minutes=45)
    province = services.report_forward(actor=chain["city"], report=report)
    assert province.due_at == province.received_at + 2 * H  # the province must report on
    assert list(selectors.report_list(chain["province"], selectors.Filters(waiting=True))) == [
        report
    ]
    # The province does not "forward" to a bureau: it records its report to the Ministry.
    with pytest.raises(ServiceError):
        services.report_forward(actor=chain["province"], report=report)
    with pytest.raises(NotPermitted):  # only the level holding it
        services.ministry_report_record(actor=chain["city"], report=report)
    clock.advance(minutes=50)
    with pytest.raises(ServiceError) as exc:  # not in the future
        services.ministry_report_record(
            actor=chain["province"], report=report, at=core_clock.now() + H
        )
    assert "at" in exc.value.fields
    with pytest.raises(ServiceError):  # nor before the province had it
        services.ministry_report_record(
            actor=chain["province"], report=report, at=province.received_at - M
        )
    told_at = core_clock.now() - 20 * M  # phoned through twenty minutes ago
    step = services.ministry_report_record(actor=chain["province"], report=report, at=told_at)
    assert step.forwarded_at == told_at and step.forwarded_by == chain["province"]
    assert not step.late
    # Every level's timestamps are kept.
    steps = list(report.steps.order_by("received_at"))
    assert [s.level for s in steps] == ["county", "city", "province"]
    assert steps[0].forwarded_at == steps[1].received_at
    assert steps[1].forwarded_at == steps[2].received_at
    assert steps[2].forwarded_at == told_at
    gaps = [s.forwarded_at - s.received_at for s in steps]
    assert 30 * M <= gaps[0] < 31 * M and 45 * M <= gaps[1] < 46 * M
    event = AuditEvent.objects.filter(action="accident.forwarded").order_by("seq").last()
    assert event is not None and event.changes["to_level"] == "ministry"
    with pytest.raises(ServiceError):  # the chain is complete
        services.ministry_report_record(actor=chain["province"], report=report)


def test_a_late_report_to_the_ministry_is_flagged(chain: dict[str, Any], clock: Any) -> None:
    report = _file(chain, dead=12)
    services.report_forward(actor=chain["county"], report=report)
    services.report_forward(actor=chain["city"], report=report)
    clock.advance(hours=2, minutes=1)
    assert [s.level for s in selectors.overdue_list(chain["province"])] == ["province"]
    step = services.ministry_report_record(actor=chain["province"], report=report)
    assert step.late
    assert ChainStep.objects.get(pk=step.pk).late  # stored, not recomputed
    assert [r.late for r in selectors.chain(report)] == [False, False, True]
    # The late flag stays visible in the lists once nothing is overdue any more.
    assert not selectors.overdue_list(chain["province"]).exists()
    assert list(selectors.report_list(chain["county"], selectors.Filters(overdue=True))) == [report]


def test_a_supplement_raising_the_level_sends_the_report_on_from_the_city(
    chain: dict[str, Any], clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _file(chain, dead=2)
    services.report_forward(actor=chain["county"], report=report)
    city = report.steps.get(level="city")
    assert city.due_at is None
    clock.advance(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        supplement = services.supplement_add(
            actor=chain["principal"],
            report=report,
            values=SupplementValues(dead=3, injured=2, missing=0, note="一名伤员抢救无效死亡"),
        )
    city.refresh_from_db()
    assert city.reopened_at == supplement.at and city.due_at == supplement.at + 2 * H
    assert city.received_at < supplement.at - 4 * 24 * H  # its receipt stays as it was
    assert list(selectors.report_list(chain["city"], selectors.Filters(waiting=True))) == [report]
    told = Notification.objects.get(recipient=chain["city"])
    assert told.kind == "accident_to_forward"
    assert told.link == reverse("accidents:report_detail", kwargs={"pk": report.pk})
    assert not Notification.objects.filter(recipient=chain["province"]).exists()
    event = AuditEvent.objects.get(action="accident.supplemented")
    assert event.changes["to_bureau"] == city.bureau_id
    # Late if the city takes more than two hours from the supplement.
    clock.advance(hours=2, minutes=5)
    province = services.report_forward(actor=chain["city"], report=report)
    city.refresh_from_db()
    assert city.late and province.due_at is None  # 较大: the province ends it


def test_a_supplement_to_major_sends_a_larger_report_on_to_the_ministry(
    chain: dict[str, Any], clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = _file(chain, dead=3)
    services.report_forward(actor=chain["county"], report=report)
    services.report_forward(actor=chain["city"], report=report)
    clock.advance(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        supplement = services.supplement_add(
            actor=chain["county"],
            report=report,
            values=SupplementValues(dead=10, injured=2, missing=0, note="又有七人遇难"),
        )
    province = report.steps.get(level="province")
    assert province.due_at == supplement.at + 2 * H
    assert Notification.objects.filter(recipient=chain["province"]).count() == 1
    assert "应急管理部" in Notification.objects.get(recipient=chain["province"]).text
    # The city, already past, is not told again.
    assert not Notification.objects.filter(recipient=chain["city"]).exists()
    services.ministry_report_record(actor=chain["province"], report=report)


def test_a_supplement_while_the_report_is_on_its_way_changes_no_due_time(
    chain: dict[str, Any], clock: Any
) -> None:
    report = _file(chain, dead=1)
    county = report.steps.get()
    services.supplement_add(
        actor=chain["principal"],
        report=report,
        values=SupplementValues(dead=10, injured=0, missing=0, note="井下被困人员遇难"),
    )
    county.refresh_from_db()
    assert county.reopened_at is None and county.due_at == county.received_at + 2 * H
    # The next levels follow the new level by themselves: the city must forward now.
    city = services.report_forward(actor=chain["county"], report=report)
    assert city.due_at is not None
    province = services.report_forward(actor=chain["city"], report=report)
    assert services.to_ministry(province)


def test_a_lowered_level_does_not_reopen_and_a_higher_one_within_its_level_neither(
    chain: dict[str, Any], clock: Any
) -> None:
    report = _file(chain, dead=0, injured=1)
    services.report_forward(actor=chain["county"], report=report)
    # Still 一般: nothing further.
    services.supplement_add(
        actor=chain["principal"],
        report=report,
        values=SupplementValues(dead=2, injured=1, missing=0, note="两人死亡"),
    )
    assert services.current_step(report) is None
    assert report.steps.get(level="city").reopened_at is None


def test_the_pages_show_each_forwarding_and_the_ministry_report(
    chain: dict[str, Any], login: Any, clock: Any
) -> None:
    report = _file(chain, dead=11)
    services.report_forward(actor=chain["county"], report=report)
    services.report_forward(actor=chain["city"], report=report)
    detail = reverse("accidents:report_detail", kwargs={"pk": report.pk})
    # The city: the report has left it; no button to forward again.
    city_page = login(chain["city"]).get(detail).content.decode()
    assert "立即上报" not in city_page and "登记已报应急管理部" not in city_page
    clock.advance(minutes=40)
    province = login(chain["province"])
    page = province.get(detail).content.decode()
    assert "上报应急管理部" in page and "登记已报应急管理部" in page and "立即上报" not in page
    assert "尚未上报应急管理部" in page
    ministry = reverse("accidents:report_ministry", kwargs={"pk": report.pk})
    bad = province.post(ministry, {"at": "not a time"}, follow=True).content.decode()
    assert "向应急管理部报告时间" in bad
    assert not report.steps.get(level="province").forwarded_at
    told_at = timezone.localtime(core_clock.now() - 5 * M).strftime("%Y-%m-%dT%H:%M")
    done = province.post(ministry, {"at": told_at}, follow=True).content.decode()
    assert "已登记向应急管理部的报告" in done
    assert "应急管理部（平台外）" in done
    assert told_at.replace("T", " ") in done
    # The enterprise sees the same chain with every level's times.
    mine = login(chain["principal"]).get(reverse("accidents:my_detail", kwargs={"pk": report.pk}))
    text = mine.content.decode()
    for step in report.steps.all():
        assert timezone.localtime(step.forwarded_at).strftime("%Y-%m-%d %H:%M") in text
    assert "应急管理部（平台外）" in text
    # The county may not record the province's report to the Ministry.
    assert login(chain["county"]).post(ministry, {"at": ""}).status_code in (302, 403)
    assert report.steps.get(level="province").forwarded_by == chain["province"]


def test_another_county_cannot_record_the_ministry_report(
    chain: dict[str, Any], login: Any
) -> None:
    report = _file(chain, dead=11)
    ministry = reverse("accidents:report_ministry", kwargs={"pk": report.pk})
    assert login(chain["other_county"]).post(ministry, {"at": ""}).status_code == 404
    assert login(chain["principal"]).post(ministry, {"at": ""}).status_code in (403, 404)
