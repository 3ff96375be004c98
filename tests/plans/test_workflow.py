"""The annual plan's workflow, played through: a county drafts, the city approves, the county
issues and files, the city sees it filed; and every refusal on the way."""

from __future__ import annotations

import pytest

from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.plans import services
from anjian.plans.models import InspectionPlan, PlanEvent
from anjian.plans.services import LineValues

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, make_user):
    return {
        "county": org["county_admin"],  # 平鲁区 140603
        "city_leader": make_user("140600", ["bureau_leader"], username="sz_leader"),
        "other_city_leader": make_user("140500", ["bureau_leader"], username="jc_leader"),
        "county_leader": make_user("140603", ["bureau_leader"], username="pl_leader"),
    }


@pytest.fixture
def plan(people, item):
    county = people["county"]
    plan = services.plan_create(
        actor=county, bureau=county.bureau, year=2027, title="2027年度监督检查计划"
    )
    services.plan_line_add(
        actor=county,
        plan=plan,
        values=LineValues(
            item=item, frequency=4, industries=["coal_mine"], key_supervision_only=True
        ),
    )
    return plan


def test_county_drafts_city_approves_county_issues_and_files(people, plan) -> None:
    county, city = people["county"], people["city_leader"]
    services.plan_transition(actor=county, plan=plan, action="submit")
    services.plan_transition(actor=city, plan=plan, action="approve", comment="同意")
    services.plan_transition(actor=county, plan=plan, action="issue")
    services.plan_transition(actor=county, plan=plan, action="file")
    plan.refresh_from_db()
    assert plan.status == "filed"
    assert list(PlanEvent.objects.filter(plan=plan).values_list("action", flat=True)) == [
        "submit",
        "approve",
        "issue",
        "file",
    ]
    assert InspectionPlan.objects.visible_to(city).filter(pk=plan.pk, status="filed").exists()
    assert AuditEvent.objects.filter(action="plans.plan.approve", region="140603").exists()


def test_the_city_returns_a_plan_with_a_reason(people, plan) -> None:
    county, city = people["county"], people["city_leader"]
    services.plan_transition(actor=county, plan=plan, action="submit")
    with pytest.raises(ServiceError) as exc:
        services.plan_transition(actor=city, plan=plan, action="reject")
    assert "comment" in exc.value.fields
    services.plan_transition(actor=city, plan=plan, action="reject", comment="频次不足，请修改")
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert PlanEvent.objects.get(action="reject").comment == "频次不足，请修改"


@pytest.mark.parametrize(
    ("who", "action", "error"),
    [
        ("county_leader", "approve", NotPermitted),  # a bureau does not approve its own plan
        ("other_city_leader", "approve", NotFound),  # another city cannot even see it
        ("county", "issue", Conflict),  # not approved yet
        ("county", "submit", Conflict),  # already submitted
    ],
)
def test_the_workflow_refuses(people, plan, who, action, error) -> None:
    services.plan_transition(actor=people["county"], plan=plan, action="submit")
    with pytest.raises(error):
        services.plan_transition(actor=people[who], plan=plan, action=action)
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_an_empty_plan_cannot_be_submitted_and_a_submitted_one_cannot_change(people, item) -> None:
    county = people["county"]
    empty = services.plan_create(actor=county, bureau=county.bureau, year=2027, title="空计划")
    with pytest.raises(Conflict):
        services.plan_transition(actor=county, plan=empty, action="submit")
    services.plan_line_add(actor=county, plan=empty, values=LineValues(item=item))
    services.plan_transition(actor=county, plan=empty, action="submit")
    with pytest.raises(Conflict):
        services.plan_line_add(actor=county, plan=empty, values=LineValues(item=item))


def test_a_bureau_drafts_only_its_own_plans(people, org) -> None:
    with pytest.raises((NotPermitted, NotFound)):
        services.plan_create(
            actor=people["city_leader"], bureau=org["county_admin"].bureau, year=2027, title="x"
        )
