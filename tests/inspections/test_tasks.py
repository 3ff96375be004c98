"""An issued plan becomes inspection tasks with due dates on working days; progress is counted
as planned / done / overdue per plan, division and region."""

from __future__ import annotations

import datetime

import pytest

from anjian.accounts.models import Division
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.inspections import selectors, services
from anjian.inspections.models import InspectionTask
from anjian.plans import services as plan_services
from anjian.plans.services import LineValues

pytestmark = pytest.mark.django_db
D = datetime.date


def test_quarters_are_due_on_their_last_working_day() -> None:
    slices = services.period_slices(D(2025, 1, 1), D(2025, 12, 31), 4)
    assert slices == [
        (D(2025, 1, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 6, 30)),
        (D(2025, 7, 1), D(2025, 9, 30)),
        (D(2025, 10, 1), D(2025, 12, 31)),
    ]
    # August 2025 ends on a Sunday: the task is due on Friday the 29th.
    assert services.period_slices(D(2025, 8, 1), D(2025, 8, 31), 1) == [
        (D(2025, 8, 1), D(2025, 8, 29))
    ]
    # Twice in July–December: two slices of three months.
    assert [s[0].month for s in services.period_slices(D(2025, 7, 1), D(2025, 12, 31), 2)] == [
        7,
        10,
    ]


@pytest.fixture
def issued(org, make_user, make_entity, item):
    county = org["county_admin"]
    city_leader = make_user("140600", ["bureau_leader"], username="sz_leader")
    division = Division.objects.create(bureau=county.bureau, name="煤矿安全监管股")
    mines = [make_entity("140603", key_supervision=True) for _ in range(2)]
    make_entity("140603")  # not key: not in the line
    plan = plan_services.plan_create(
        actor=county, bureau=county.bureau, year=2026, title="2026年度监督检查计划"
    )
    plan_services.plan_line_add(
        actor=county,
        plan=plan,
        values=LineValues(
            item=item,
            frequency=4,
            industries=["coal_mine"],
            key_supervision_only=True,
            division=division,
        ),
    )
    for actor, action in [(county, "submit"), (city_leader, "approve"), (county, "issue")]:
        plan_services.plan_transition(actor=actor, plan=plan, action=action)
    return {"plan": plan, "mines": mines, "division": division}


def test_issuing_a_plan_makes_one_task_per_entity_and_quarter(issued) -> None:
    tasks = InspectionTask.objects.filter(plan_line__plan=issued["plan"])
    assert tasks.count() == 8
    assert {t.entity_id for t in tasks} == {m.pk for m in issued["mines"]}
    assert sorted({t.due_on for t in tasks}) == [
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 9, 30),
        D(2026, 12, 31),
    ]
    event = AuditEvent.objects.get(action="plans.plan.issue")
    assert event.changes["tasks"] == 8


def test_progress_counts_planned_done_and_overdue(issued, org) -> None:
    inspector = org["county_inspector"]
    first = InspectionTask.objects.filter(due_on=D(2026, 3, 31)).order_by("pk").first()
    services.task_complete(
        actor=inspector,
        task=first,
        done_on=D(2026, 3, 20),
        record_number="（平）应急检〔2026〕12号",
    )
    today = D(2026, 7, 15)  # Q1 and Q2 are past due
    (row,) = selectors.task_progress(inspector, by="plan", today=today)
    assert (row.done, row.overdue, row.planned, row.total) == (1, 3, 4, 8)
    (div,) = selectors.task_progress(inspector, by="division", today=today)
    assert div.label == "煤矿安全监管股" and div.done_percent == 12
    (reg,) = selectors.task_progress(org["city_admin"], by="region", today=today)
    assert reg.key == "140603" and reg.overdue == 3
    assert selectors.task_progress(org["other_county_admin"], by="region", today=today) == []
    assert selectors.task_list(inspector, overdue_only=True, today=today).count() == 3


def test_recording_a_task_refuses_bad_dates_missing_numbers_and_strangers(issued, org) -> None:
    inspector = org["county_inspector"]
    task = InspectionTask.objects.order_by("pk").first()
    with pytest.raises(ServiceError) as err:
        services.task_complete(actor=inspector, task=task, done_on=D(2026, 3, 1), record_number="")
    assert "record_number" in err.value.fields
    with pytest.raises(ServiceError) as err:
        services.task_complete(
            actor=inspector, task=task, done_on=D(2025, 12, 1), record_number="x"
        )
    assert "done_on" in err.value.fields
    with pytest.raises((NotFound, NotPermitted)):
        services.task_complete(
            actor=org["other_county_inspector"], task=task, done_on=D(2026, 3, 1), record_number="x"
        )
    with pytest.raises(NotPermitted):  # the administrator does not inspect
        services.task_complete(
            actor=org["county_admin"], task=task, done_on=D(2026, 3, 1), record_number="x"
        )
    services.task_complete(actor=inspector, task=task, done_on=D(2026, 3, 1), record_number="x")
    with pytest.raises(Conflict):
        services.task_complete(actor=inspector, task=task, done_on=D(2026, 3, 2), record_number="y")
