"""Accident reports: the 1-hour report, the 2-hour forwarding per level with its timestamps,
lateness, supplements and the level the figures give, concealment, and scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from anjian.accidents import selectors, services
from anjian.accidents.models import AccidentReport, Level, Source
from anjian.accidents.services import SupplementValues, accident_level
from anjian.core import clock as core_clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.accidents.conftest import values

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("dead", "injured", "missing", "loss", "level"),
    [
        (0, 0, 0, None, Level.GENERAL),
        (2, 9, 0, 9_999_999, Level.GENERAL),
        (3, 0, 0, None, Level.LARGER),
        (2, 0, 1, None, Level.LARGER),  # the missing count with the dead
        (0, 10, 0, None, Level.LARGER),
        (0, 0, 0, 10_000_000, Level.LARGER),
        (10, 0, 0, None, Level.MAJOR),
        (0, 50, 0, None, Level.MAJOR),
        (0, 0, 0, 50_000_000, Level.MAJOR),
        (29, 99, 0, 99_999_999, Level.MAJOR),
        (30, 0, 0, None, Level.EXTRAORDINARY),
        (0, 100, 0, None, Level.EXTRAORDINARY),
        (0, 0, 0, 100_000_000, Level.EXTRAORDINARY),
    ],
)
def test_the_level_follows_the_regulation(dead, injured, missing, loss, level) -> None:
    assert accident_level(dead, injured, missing, loss) == level


def test_a_report_within_the_hour_is_on_time_and_the_county_sees_it_at_once(
    chain: dict[str, Any], clock: Any
) -> None:
    now = core_clock.now()
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(now - 59 * M)
    )
    assert not report.late and report.level == Level.GENERAL
    step = report.steps.get()
    assert step.level == "county" and step.bureau.region_id == "140603"
    assert step.received_at == report.reported_at
    assert step.due_at == report.reported_at + 2 * H
    # The county sees it, marked new; the city and the province not yet.
    assert list(selectors.report_list(chain["county"], selectors.Filters(new=True))) == [report]
    assert not selectors.report_list(chain["city"]).exists()
    assert not selectors.report_list(chain["province"]).exists()
    services.report_opened(actor=chain["county"], report=report)
    assert not selectors.report_list(chain["county"], selectors.Filters(new=True)).exists()
    assert AuditEvent.objects.filter(action="accident.received").count() == 1
    assert not AuditEvent.objects.filter(action="accident.reported_late").exists()


def test_a_report_after_the_hour_is_late_and_emits_the_late_event(
    chain: dict[str, Any], clock: Any
) -> None:
    now = core_clock.now()
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(now - 61 * M)
    )
    assert report.late
    event = AuditEvent.objects.get(action="accident.reported_late")
    assert event.object_id == str(report.pk)
    assert event.changes["entity"] == chain["entity"].pk
    assert event.changes["minutes"] == 61
    assert "王厂长" not in str(event.changes) and "13800000000" not in str(event.changes)


def test_the_chain_stamps_each_level_and_flags_a_late_forwarding(
    chain: dict[str, Any], clock: Any
) -> None:
    # 较大 (three dead): up to the province (art. 10).
    report = services.report_file(
        actor=chain["principal"],
        entity=chain["entity"],
        values=values(core_clock.now() - 30 * M, dead=3),
    )
    clock.advance(minutes=90)
    city_step = services.report_forward(actor=chain["county"], report=report)
    county_step = report.steps.get(level="county")
    assert county_step.forwarded_by == chain["county"]
    assert county_step.forwarded_at == city_step.received_at
    assert not county_step.late_at(core_clock.now())
    assert (
        city_step.bureau.region_id == "140600" and city_step.due_at == city_step.received_at + 2 * H
    )
    # Now the city sees it; the county may not forward twice.
    assert list(selectors.report_list(chain["city"], selectors.Filters(waiting=True))) == [report]
    with pytest.raises(NotPermitted):
        services.report_forward(actor=chain["county"], report=report)
    # The city waits too long: overdue, then late once forwarded.
    clock.advance(hours=2, minutes=1)
    assert [s.pk for s in selectors.overdue_list(chain["city"])] == [city_step.pk]
    assert list(selectors.report_list(chain["county"], selectors.Filters(overdue=True))) == [report]
    province_step = services.report_forward(actor=chain["city"], report=report)
    assert province_step.due_at is None  # a 较大 accident stops at the province
    rows = selectors.chain(report)
    assert [r.step.level for r in rows] == ["county", "city", "province"]
    assert [r.late for r in rows] == [False, True, False]
    event = AuditEvent.objects.filter(action="accident.forwarded").order_by("seq").last()
    assert event is not None and event.changes["late"] is True
    assert list(selectors.report_list(chain["province"])) == [report]
    with pytest.raises(ServiceError):
        services.report_forward(actor=chain["province"], report=report)


def test_only_the_principal_or_safety_manager_reports(chain: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        services.report_file(
            actor=chain["staff_member"],
            entity=chain["entity"],
            values=values(core_clock.now()),
        )
    with pytest.raises(NotFound):  # another entity's
        services.report_file(
            actor=chain["other_principal"],
            entity=chain["entity"],
            values=values(core_clock.now()),
        )
    assert not AccidentReport.objects.exists()


def test_bad_values_name_their_fields_and_write_nothing(chain: dict[str, Any]) -> None:
    with pytest.raises(ServiceError) as exc:
        services.report_file(
            actor=chain["principal"],
            entity=chain["entity"],
            values=values(core_clock.now() + 2 * H, place=" ", dead=-1, reporter_phone="12"),
        )
    assert set(exc.value.fields) == {"occurred_at", "place", "dead", "reporter_phone"}
    assert not AccidentReport.objects.exists()


def test_an_officer_records_a_phoned_report(chain: dict[str, Any]) -> None:
    report = services.report_file(
        actor=chain["county"],
        entity=chain["entity"],
        values=values(core_clock.now() - 20 * M),
        source=Source.PHONE,
    )
    assert report.source == "phone" and report.recorded_by == chain["county"]
    with pytest.raises(NotFound):  # another county's unit
        services.report_file(
            actor=chain["county"],
            entity=chain["other_entity"],
            values=values(core_clock.now()),
            source=Source.PHONE,
        )


def test_supplements_change_the_level_within_the_period_only(
    chain: dict[str, Any], clock: Any
) -> None:
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now() - 10 * M)
    )
    clock.advance(days=3)
    services.supplement_add(
        actor=chain["principal"],
        report=report,
        values=SupplementValues(dead=3, injured=2, missing=0, note="一名伤员抢救无效死亡"),
    )
    report.refresh_from_db()
    assert report.dead == 3 and report.level == Level.LARGER
    assert report.supplements.get().level == Level.LARGER
    event = AuditEvent.objects.get(action="accident.supplemented")
    assert event.changes["level_before"] == "general" and event.changes["level"] == "larger"
    with pytest.raises(ServiceError):  # nothing changed
        services.supplement_add(
            actor=chain["county"],
            report=report,
            values=SupplementValues(dead=3, injured=2, missing=0, note="同上"),
        )
    clock.advance(days=27)
    with pytest.raises(ServiceError) as exc:
        services.supplement_add(
            actor=chain["principal"],
            report=report,
            values=SupplementValues(dead=4, injured=2, missing=0, note="又一人死亡"),
        )
    assert exc.value.code == "invalid_state"


def test_road_traffic_and_fire_have_seven_days(chain: dict[str, Any], clock: Any) -> None:
    report = services.report_file(
        actor=chain["principal"],
        entity=chain["entity"],
        values=values(core_clock.now() - 10 * M, accident_type="fire"),
    )
    assert report.supplement_until() == report.occurred_at + datetime.timedelta(days=7)
    clock.advance(days=7, minutes=1)
    with pytest.raises(ServiceError):
        services.supplement_add(
            actor=chain["principal"],
            report=report,
            values=SupplementValues(dead=2, injured=2, missing=0, note="又一人死亡"),
        )


def test_a_concealment_emits_its_event(chain: dict[str, Any]) -> None:
    report = services.report_file(
        actor=chain["county"],
        entity=chain["entity"],
        values=values(core_clock.now() - 5 * H),
        source=Source.FOUND,
    )
    with pytest.raises(NotPermitted):  # an inspector does not record it
        services.concealment_record(actor=chain["county"], report=report, finding="x" * 20)
    with pytest.raises(NotFound):  # the province has not received it
        services.concealment_record(
            actor=chain["province_head"], report=report, finding="瞒报死亡人数两人，经核查属实"
        )
    services.concealment_record(
        actor=chain["county_head"], report=report, finding="瞒报死亡人数两人，经核查属实"
    )
    event = AuditEvent.objects.get(action="accident.concealed")
    assert event.changes["uscc"] == chain["entity"].uscc


def test_scope_other_county_and_other_entity_see_nothing(chain: dict[str, Any]) -> None:
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
    )
    assert not AccidentReport.objects.visible_to(chain["other_county"]).exists()
    assert not AccidentReport.objects.visible_to(chain["other_principal"]).exists()
    assert list(AccidentReport.objects.visible_to(chain["staff_member"])) == [report]
    with pytest.raises(NotFound):
        services.report_forward(actor=chain["other_county"], report=report)
    with pytest.raises(NotFound):
        services.supplement_add(
            actor=chain["other_principal"],
            report=report,
            values=SupplementValues(dead=2, injured=2, missing=0, note="越权"),
        )
