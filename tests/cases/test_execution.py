"""A fine the party does not pay (行政处罚法 第六十六条–第七十三条, 行政强制法): the reminder, the
surcharge never above the fine, the court within its window, the ruling and the closing;
deferral and instalments; and the 90-day handling period with an extension and a suspension.
The clock is moved forward by patching the services' `_today`."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from anjian.cases import execution, services, time_limits
from anjian.cases.models import Case, CaseEvent
from anjian.cases.states import CaseState
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.cases.conftest import TODAY, after_statement, investigating, today_is

pytestmark = pytest.mark.django_db

D = datetime.timedelta


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    def move(day: datetime.date) -> None:
        today_is(monkeypatch, day)

    return move


def served(world, **proposal_extra) -> Case:
    case = after_statement(world, **proposal_extra)
    services.case_decide(actor=world["leader"], case=case)
    services.case_serve(actor=world["h1"], case=case, served_on=TODAY, method="direct")
    return Case.objects.get(pk=case.pk)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_an_unpaid_fine_from_service_to_the_court_and_closing(world, at) -> None:
    case = served(world)  # a fine of 40,000 yuan, served today
    deadline = execution.payment_deadline(case)  # 15 days, or the next working day
    assert deadline == execution.period_end(TODAY + D(days=15))

    at(deadline)  # the last day to pay: no reminder yet
    with pytest.raises(Conflict, match=deadline.isoformat()):
        execution.case_remind(actor=world["h1"], case=case)
    at(deadline + D(days=1))
    execution.case_remind(actor=world["h1"], case=case, note="直接送达催告书")
    case = fresh(case)
    assert case.state == "reminded" and case.reminded_on == deadline + D(days=1)
    reply_by = execution.reminder_deadline(case)
    assert reply_by == execution.period_end(deadline + D(days=11))

    at(reply_by)  # the party's 10 days after the reminder have not run out
    with pytest.raises(ServiceError) as refused:
        execution.case_surcharge_decide(actor=world["leader"], case=case)
    assert "decided_on" in refused.value.fields
    with pytest.raises(ServiceError) as refused:
        execution.case_court_apply(actor=world["leader"], case=case)
    assert "applied_on" in refused.value.fields

    # 3% a day of the unpaid fine from the day after the deadline: 5 days = 6,000 yuan ...
    assert execution.surcharge_on(case, deadline + D(days=5)) == 6_000
    at(TODAY + D(days=60))
    with pytest.raises(NotPermitted):  # the leadership decides the surcharge
        execution.case_surcharge_decide(actor=world["h1"], case=case)
    execution.case_surcharge_decide(actor=world["leader"], case=case)
    case = fresh(case)
    # ... and never above the fine: 37 days or more would be 111% or more.
    assert case.state == "surcharged"
    assert case.surcharge_amount == 40_000 and case.surcharge_until == TODAY + D(days=60)
    assert services.amount_due(case) == 80_000

    start, end = execution.court_window(case)
    remedies_end = execution.period_end(execution.add_months(TODAY, 6))
    assert start == remedies_end + D(days=1)
    assert end == execution.period_end(execution.add_months(remedies_end, 3))
    for outside in (start - D(days=1), end + D(days=1)):  # before the remedy periods end; late
        at(outside)
        with pytest.raises(ServiceError) as refused:
            execution.case_court_apply(actor=world["leader"], case=fresh(case))
        assert start.isoformat() in str(refused.value.fields["applied_on"][0])
    at(start)
    execution.case_court_apply(actor=world["leader"], case=fresh(case), note="申请强制执行")
    with pytest.raises(Conflict):  # the case cannot close before the ruling
        services.case_close(actor=world["leader"], case=fresh(case))
    with pytest.raises(ServiceError) as refused:
        execution.case_court_ruling_record(
            actor=world["h1"], case=fresh(case), ruled_on=start, ruling=" "
        )
    assert "ruling" in refused.value.fields
    at(start + D(days=20))
    execution.case_court_ruling_record(
        actor=world["h1"],
        case=fresh(case),
        ruled_on=start + D(days=18),
        ruling="（2026）晋0603行审12号 准予强制执行",
    )
    services.case_close(actor=world["leader"], case=fresh(case), note="法院裁定准予执行")
    case = fresh(case)
    assert case.state == "closed" and case.court_ruling.endswith("准予强制执行")

    steps = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert steps[-6:] == ["serve", "remind", "surcharge", "court_apply", "court_ruling", "close"]
    codes = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "cases.execution.reminded",
        "cases.execution.surcharge_decided",
        "cases.execution.court_applied",
        "cases.execution.court_ruled",
    } <= codes


def test_paying_the_fine_and_the_surcharge_executes_the_case(world, at) -> None:
    case = served(world)
    deadline = execution.payment_deadline(case)
    at(deadline + D(days=1))
    execution.case_remind(actor=world["h1"], case=case)
    at(execution.reminder_deadline(fresh(case)) + D(days=1))
    execution.case_surcharge_decide(
        actor=world["leader"], case=fresh(case), until=deadline + D(days=2)
    )
    case = fresh(case)
    assert case.surcharge_amount == 2_400  # 2 days × 3% × 40,000
    services.case_payment_record(actor=world["h1"], case=case, amount=40_000, paid_on=TODAY)
    with pytest.raises(Conflict):  # the surcharge is still due
        services.case_execute(actor=world["h1"], case=fresh(case), executed_on=TODAY)
    services.case_payment_record(actor=world["h1"], case=fresh(case), amount=2_400, paid_on=TODAY)
    services.case_execute(actor=world["h1"], case=fresh(case), executed_on=TODAY)
    services.case_close(actor=world["leader"], case=fresh(case))
    assert fresh(case).state == "closed"


def test_instalments_replace_the_deadline_and_a_missed_one_reopens_the_path(world, at) -> None:
    case = served(world)
    at(TODAY + D(days=3))
    parts = [(TODAY + D(days=30), 20_000), (TODAY + D(days=60), 20_000)]
    with pytest.raises(NotPermitted):  # approval is the leadership's
        execution.case_instalments_approve(
            actor=world["h1"], case=case, requested_on=TODAY, parts=parts, reason="经营困难"
        )
    with pytest.raises(ServiceError) as refused:
        execution.case_instalments_approve(
            actor=world["leader"], case=case, requested_on=None, parts=parts, reason=""
        )
    assert {"requested_on", "reason"} <= set(refused.value.fields)
    with pytest.raises(ServiceError) as refused:
        execution.case_instalments_approve(
            actor=world["leader"],
            case=case,
            requested_on=TODAY + D(days=1),
            parts=[(TODAY + D(days=30), 10_000)],
            reason="经营困难",
        )
    assert "parts" in refused.value.fields  # the parts must add up to the 40,000 due
    execution.case_instalments_approve(
        actor=world["leader"],
        case=case,
        requested_on=TODAY + D(days=1),
        parts=parts,
        reason="企业书面申请，经营困难，经负责人批准分两期缴纳",
    )
    case = fresh(case)
    assert execution.payment_deadline(case) == TODAY + D(days=30)
    # missed, the first instalment is late, not the second: 2 days × 3% × 20,000
    assert execution.surcharge_on(case, TODAY + D(days=32)) == 1_200
    at(TODAY + D(days=20))
    with pytest.raises(Conflict):  # the first instalment is not due yet
        execution.case_remind(actor=world["h1"], case=case)
    services.case_payment_record(actor=world["h1"], case=case, amount=20_000, paid_on=TODAY)
    assert execution.payment_deadline(fresh(case)) == TODAY + D(days=60)
    at(TODAY + D(days=61))  # the second instalment is missed: the reminder is open again
    execution.case_remind(actor=world["h1"], case=fresh(case))
    case = fresh(case)
    assert case.state == "reminded"
    # the surcharge runs on the unpaid fine from the missed instalment's date
    assert execution.surcharge_on(case, TODAY + D(days=62)) == 20_000 * 3 * 2 // 100
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), action="cases.execution.instalments_approved"
    ).exists()


def test_steps_of_the_path_are_refused_in_the_wrong_state(world, at) -> None:
    case = served(world)
    with pytest.raises(Conflict, match=str(CaseState.SERVED.label)):
        execution.case_court_ruling_record(
            actor=world["h1"], case=case, ruled_on=TODAY, ruling="裁定"
        )
    with pytest.raises(Conflict):
        execution.case_surcharge_decide(actor=world["leader"], case=case)
    with pytest.raises(Conflict):
        execution.case_court_apply(actor=world["leader"], case=case)
    with pytest.raises(Conflict):  # served and unpaid: no closing, no withdrawal
        services.case_close(actor=world["leader"], case=case)
    with pytest.raises(Conflict):
        services.case_withdraw(actor=world["leader"], case=case, reason="x")
    services.case_payment_record(actor=world["h1"], case=case, amount=40_000, paid_on=TODAY)
    at(TODAY + D(days=20))
    with pytest.raises(Conflict):  # paid in full: nothing to remind of
        execution.case_remind(actor=world["h1"], case=fresh(case))


@given(
    fine=st.integers(min_value=1, max_value=10_000_000),
    paid=st.integers(min_value=0, max_value=10_000_000),
    days=st.integers(min_value=-30, max_value=2_000),
)
def test_the_surcharge_never_exceeds_the_unpaid_fine(fine: int, paid: int, days: int) -> None:
    served_on = datetime.date(2026, 3, 1)
    case = Case(fine_amount=fine, served_on=served_on, payment_plan={})
    deadline = served_on + D(days=15)
    amount = execution.surcharge_on(case, deadline + D(days=days), paid=paid)
    unpaid = max(0, fine - paid)
    assert 0 <= amount <= unpaid
    if days > 0 and unpaid:
        assert amount == min(unpaid, unpaid * 3 * days // 100)


def test_the_court_window_counts_months_to_the_month_end_and_skips_a_sunday() -> None:
    assert execution.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    case = Case(served_on=datetime.date(2026, 8, 31))
    # 2027-02-28 is a Sunday: the lawsuit period ends on Monday 2027-03-01.
    assert execution.remedy_periods_end(case) == datetime.date(2027, 3, 1)
    assert execution.court_window(case) == (datetime.date(2027, 3, 2), datetime.date(2027, 6, 1))


def test_a_payment_deadline_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Served 2026-09-16: the 15th day is 2026-10-01, National Day; the holiday runs to 10-07.
    case = Case(served_on=datetime.date(2026, 9, 16), payment_plan={})
    deadline = execution.payment_deadline(case, paid=0)
    assert deadline is not None and deadline > datetime.date(2026, 10, 7)
    assert execution.period_end(deadline) == deadline


def test_the_handling_period_with_a_suspension_and_an_extension(world, at) -> None:
    case = investigating(world)  # filed today
    assert time_limits.handling_clock(case).left == 90
    at(TODAY + D(days=40))
    with pytest.raises(ServiceError) as refused:
        time_limits.case_period_suspend(actor=world["h1"], case=case, started_on=None, reason="")
    assert "reason" in refused.value.fields
    time_limits.case_period_suspend(
        actor=world["h1"], case=case, started_on=TODAY + D(days=40), reason="委托鉴定"
    )
    with pytest.raises(Conflict):
        time_limits.case_period_suspend(actor=world["h1"], case=case, started_on=None, reason="再")
    at(TODAY + D(days=60))
    clock = time_limits.handling_clock(fresh(case))
    assert (clock.used, clock.suspended, clock.running) == (40, 20, False)
    time_limits.case_period_resume(actor=world["h1"], case=case, resumed_on=TODAY + D(days=60))

    at(TODAY + D(days=105))  # 85 days used: due soon and listed
    clock = time_limits.handling_clock(fresh(case))
    assert (clock.used, clock.left, clock.status) == (85, 5, "due_soon")
    listed = execution.overdue_cases(world["leader"])
    assert [r["case"].pk for r in listed] == [case.pk]

    with pytest.raises(NotPermitted):  # extensions are approved by the leadership
        time_limits.case_period_extend(actor=world["h1"], case=case, days=30, reason="案情复杂")
    with pytest.raises(ServiceError) as refused:
        time_limits.case_period_extend(actor=world["leader"], case=case, days=0, reason="")
    assert {"days", "reason"} <= set(refused.value.fields)
    time_limits.case_period_extend(actor=world["leader"], case=case, days=30, reason="案情复杂")
    clock = time_limits.handling_clock(fresh(case))
    assert (clock.limit, clock.left, clock.status) == (120, 35, "open")
    assert execution.overdue_cases(world["leader"]) == []

    at(TODAY + D(days=131))  # 111 + ... over the extended limit
    clock = time_limits.handling_clock(fresh(case))
    assert clock.used == 111 and clock.status == "due_soon"
    at(TODAY + D(days=141))
    assert time_limits.handling_clock(fresh(case)).status == "overdue"
    codes = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "cases.execution.period_suspended",
        "cases.execution.period_resumed",
        "cases.execution.period_extended",
    } <= codes


def test_the_case_page_shows_the_dates_and_only_the_steps_open_now(world, at, login) -> None:
    case = served(world)
    url = reverse("cases:case_detail", args=[case.pk])
    handler, leader = login(world["h1"]), login(world["leader"])
    deadline = execution.payment_deadline(case)
    page = handler.get(url).content.decode()
    assert deadline.isoformat() in page
    assert 'data-action="remind"' not in page  # not before the deadline has passed
    at(deadline + D(days=1))
    page = handler.get(url).content.decode()
    assert 'data-action="remind"' in page
    assert 'data-action="instalments"' not in page  # the leadership's step
    assert 'data-action="instalments"' in leader.get(url).content.decode()
    handler.post(
        reverse("cases:execution_step", args=[case.pk, "remind"]),
        {"on": (deadline + D(days=1)).isoformat(), "note": "直接送达"},
    )
    assert fresh(case).state == "reminded"
    page = leader.get(url).content.decode()
    assert 'data-action="surcharge"' not in page  # the party's 10 days are running
    reply_by = execution.reminder_deadline(fresh(case))
    assert reply_by.isoformat() in page
    at(reply_by + D(days=1))
    page = leader.get(url).content.decode()
    assert 'data-action="surcharge"' in page
    assert 'data-action="court_apply"' not in page  # the remedy periods have not ended
    # refused by the service, with the reason, when posted anyway
    response = leader.post(
        reverse("cases:execution_step", args=[case.pk, "court_apply"]), {}, follow=True
    )
    assert fresh(case).state == "reminded"
    assert execution.court_window(case)[0].isoformat() in response.content.decode()


def test_the_overdue_list_shows_a_missed_payment(world, at, login) -> None:
    case = served(world)
    deadline = execution.payment_deadline(case)
    at(deadline + D(days=2))
    page = login(world["leader"]).get(reverse("cases:execution_list")).content.decode()
    assert case.number in page and deadline.isoformat() in page


def test_the_api_shows_the_dates_and_takes_the_steps(world, at, login) -> None:
    case = served(world)
    deadline = execution.payment_deadline(case)
    at(deadline + D(days=1))
    handler = login(world["h1"])
    data = handler.get(f"/api/cases/{case.pk}/execution").json()
    assert data["payment_deadline"] == deadline.isoformat()
    assert data["surcharge_accrued"] == 1_200 and "remind" in data["actions"]
    listed = login(world["leader"]).get("/api/case-time-limits").json()["items"]
    assert [(r["case_id"], r["status"]) for r in listed] == [(case.pk, "overdue")]
    response = handler.post(
        f"/api/cases/{case.pk}/execution",
        json.dumps({"action": "remind", "note": "邮寄送达"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "reminded"
    response = login(world["leader"]).post(
        f"/api/cases/{case.pk}/execution",
        json.dumps({"action": "court_apply"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "applied_on" in response.json()["error"]["fields"]
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), action="cases.execution.reminded", source="api"
    ).exists()
