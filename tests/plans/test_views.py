"""The plan pages, played as the users would: a county drafts and submits, the city approves
with a comment (or returns without one and is told why not), the county issues and files; the
coordination page shows the province the duplicate and the gap; tasks are recorded as done."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from anjian.accounts.models import RoleAssignment
from anjian.inspections.models import InspectionTask
from anjian.plans.models import InspectionPlan, PlanLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(make_user):
    return {
        "city": make_user("140600", ["bureau_leader"], username="sz_leader"),
        "province": make_user("140000", ["bureau_leader"], username="sx_leader"),
    }


def test_a_county_plan_goes_through_the_pages(org, leaders, login, make_entity, item) -> None:
    mine = make_entity("140603", name="平鲁区井东煤业有限公司", key_supervision=True)
    county = login(org["county_admin"])
    response = county.post(
        reverse("plans:plan_new"), {"year": 2026, "title": "2026年度监督检查计划"}
    )
    plan = InspectionPlan.objects.get()
    assert response["Location"] == reverse("plans:plan_detail", kwargs={"pk": plan.pk})

    # A bad line is refused with the field named; nothing is stored.
    bad = county.post(
        reverse("plans:line_new", kwargs={"pk": plan.pk}),
        {"item": item.pk, "frequency": 12, "start_month": 10, "end_month": 12},
    )
    assert bad.status_code == 200
    assert "检查次数多于" in bad.content.decode()
    assert not PlanLine.objects.exists()
    unknown = county.post(
        reverse("plans:line_new", kwargs={"pk": plan.pk}),
        {
            "item": item.pk,
            "frequency": 1,
            "start_month": 1,
            "end_month": 12,
            "entity_codes": "91140000MA0XXXXXX1",
        },
    )
    assert "统一社会信用代码" in unknown.content.decode()

    county.post(
        reverse("plans:line_new", kwargs={"pk": plan.pk}),
        {
            "item": item.pk,
            "frequency": 4,
            "start_month": 1,
            "end_month": 12,
            "industries": ["coal_mine"],
            "key_supervision_only": "on",
        },
    )
    page = county.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert "煤矿" in page and "仅重点监管企业" in page and "每季度一次" in page
    county.post(reverse("plans:plan_step", kwargs={"pk": plan.pk}), {"action": "submit"})

    city = login(leaders["city"])
    awaiting = city.get(reverse("plans:plan_list"), {"awaiting": "1"}).content.decode()
    assert "2026年度监督检查计划" in awaiting
    detail = city.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert 'value="approve"' in detail and 'value="reject"' in detail
    refused = city.post(
        reverse("plans:plan_step", kwargs={"pk": plan.pk}), {"action": "reject"}, follow=True
    )
    assert "请说明退回原因" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"
    city.post(
        reverse("plans:plan_step", kwargs={"pk": plan.pk}),
        {"action": "approve", "comment": "同意"},
    )
    # The county cannot approve its own plan, and has no button for it.
    assert (
        'value="approve"'
        not in county.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    )
    county.post(reverse("plans:plan_step", kwargs={"pk": plan.pk}), {"action": "issue"})
    county.post(reverse("plans:plan_step", kwargs={"pk": plan.pk}), {"action": "file"})
    plan.refresh_from_db()
    assert plan.status == "filed"
    page = city.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert "已报备" in page and "同意" in page
    assert InspectionTask.objects.filter(entity=mine).count() == 4

    # The inspector records the first quarter's task.
    task = InspectionTask.objects.order_by("due_on").first()
    insp = login(org["county_inspector"])
    insp.post(
        reverse("inspections:task_done", kwargs={"pk": task.pk}),
        {"done_on": "2026-03-18", "record_number": "（平）应急检〔2026〕3号"},
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_on == datetime.date(2026, 3, 18)
    progress = insp.get(reverse("inspections:task_list"), {"by": "plan"}).content.decode()
    assert "2026年度监督检查计划" in progress and "25%" in progress


def test_the_province_sees_the_duplicate_and_the_gap_on_the_coordination_page(
    org, leaders, login, make_entity, make_user, item
) -> None:
    from anjian.plans import services
    from anjian.plans.services import LineValues

    mine = make_entity("140603", name="平鲁区井东煤业有限公司", key_supervision=True)
    gap = make_entity(
        "140603", name="平鲁区某化工有限公司", industry="hazardous_chemicals", key_supervision=True
    )
    county_leader = make_user("140603", ["bureau_leader"], username="pl_leader")
    for drafter, approver, line in [
        (
            org["county_admin"],
            leaders["city"],
            LineValues(item=item, industries=["coal_mine"], key_supervision_only=True),
        ),
        (org["city_admin"], leaders["province"], LineValues(item=item, industries=["coal_mine"])),
    ]:
        plan = services.plan_create(
            actor=drafter, bureau=drafter.bureau, year=2027, title=f"{drafter.bureau.name}计划"
        )
        services.plan_line_add(actor=drafter, plan=plan, values=line)
        services.plan_transition(actor=drafter, plan=plan, action="submit")
        services.plan_transition(actor=approver, plan=plan, action="approve")
        services.plan_transition(actor=drafter, plan=plan, action="issue")
    assert county_leader  # the county's own leader takes no part: approval is the city's

    province = login(leaders["province"])
    page = province.get(reverse("plans:coordination"), {"year": 2027}).content.decode()
    assert "两级重复" in page
    assert "平鲁区" in page
    lines = list(PlanLine.objects.order_by("id").values_list("pk", flat=True))
    dup = province.get(reverse("plans:duplicate_entities", kwargs={"a": lines[0], "b": lines[1]}))
    assert mine.name in dup.content.decode() and gap.name not in dup.content.decode()
    gaps = province.get(
        reverse("plans:gap_entities", kwargs={"region": "140603", "category": "key_supervision"}),
        {"year": 2027},
    ).content.decode()
    assert gap.name in gaps and mine.name not in gaps

    # The same in Excel, one sheet each for duplicates, gaps and coverage.
    export = province.get(reverse("plans:coordination"), {"year": 2027, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["重复", "缺位", "覆盖率"]
    dup_rows = list(book["重复"].iter_rows(values_only=True))
    assert dup_rows[1][0] == item.code and dup_rows[1][-1] == 1
    assert list(book["缺位"].iter_rows(values_only=True))[1][:2] == ("140603", "平鲁区")

    # Another county sees none of it and cannot ask for it.
    other = login(org["other_county_admin"])
    assert other.get(reverse("plans:coordination"), {"region": "140603"}).status_code == 404
    assert (
        other.get(
            reverse("plans:duplicate_entities", kwargs={"a": lines[0], "b": lines[1]})
        ).status_code
        == 404
    )
    # The API gives the same figures to the city.
    RoleAssignment.objects.create(user=org["city_admin"], role="inspector")
    body = login(org["city_admin"]).get("/api/plans/coordination?year=2027").json()
    assert body["duplicates"][0]["entities"] == 1
    assert body["gaps"] == [
        {"region": "140603", "category": "key_supervision", "eligible": 2, "uncovered": 1}
    ]


def test_a_plan_of_another_county_is_404_everywhere(org, login, item) -> None:
    from anjian.plans import services
    from anjian.plans.services import LineValues

    other = org["other_county_admin"]
    plan = services.plan_create(actor=other, bureau=other.bureau, year=2027, title="泽州县计划")
    services.plan_line_add(actor=other, plan=plan, values=LineValues(item=item))
    county = login(org["county_admin"])
    assert county.get(reverse("plans:plan_detail", kwargs={"pk": plan.pk})).status_code == 404
    assert (
        county.post(
            reverse("plans:plan_step", kwargs={"pk": plan.pk}), {"action": "submit"}
        ).status_code
        == 404
    )
    assert "泽州县计划" not in county.get(reverse("plans:plan_list")).content.decode()
    assert county.get(f"/api/plans/{plan.pk}").status_code == 404
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_county_reads_the_issued_plans_above_it_but_not_their_drafts(
    org, leaders, login, item
) -> None:
    from anjian.plans import services
    from anjian.plans.services import LineValues

    city = org["city_admin"]
    issued = services.plan_create(actor=city, bureau=city.bureau, year=2027, title="市局计划")
    services.plan_line_add(actor=city, plan=issued, values=LineValues(item=item))
    for actor, action in [(city, "submit"), (leaders["province"], "approve"), (city, "issue")]:
        services.plan_transition(actor=actor, plan=issued, action=action)
    draft = services.plan_create(actor=city, bureau=city.bureau, year=2027, title="市局草案")
    county = login(org["county_admin"])
    assert county.get(reverse("plans:plan_detail", kwargs={"pk": issued.pk})).status_code == 200
    assert county.get(reverse("plans:plan_detail", kwargs={"pk": draft.pk})).status_code == 404
    listing = county.get(reverse("plans:plan_list")).content.decode()
    assert "市局计划" in listing and "市局草案" not in listing
    # Reading is not changing: the county cannot take the city's steps.
    county.post(reverse("plans:plan_step", kwargs={"pk": issued.pk}), {"action": "file"})
    issued.refresh_from_db()
    assert issued.status == "issued"
