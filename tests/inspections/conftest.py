"""A county bureau (平鲁区) with a coal mine, a supervision item whose checklist has three check
points, two inspectors with valid certificates and a division head, and an open task."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from anjian.accounts.roles import Role
from anjian.catalog import services as catalog_services
from anjian.catalog.services import ItemValues
from anjian.inspections.models import InspectionTask, TaskSource


@pytest.fixture
def site(org, make_user, make_certificate, make_entity) -> dict[str, Any]:
    county = org["county_inspector"]
    second = make_user("140603", [Role.INSPECTOR], username="county_insp2", full_name="李四")
    head = make_user("140603", [Role.DIVISION_HEAD], username="county_head", full_name="王五")
    leader = make_user("140603", [Role.BUREAU_LEADER], username="county_leader")
    make_certificate(county)
    make_certificate(second)
    make_certificate(org["other_county_inspector"])
    item = catalog_services.item_create(
        actor=org["province_admin"],
        code="14000000100099",
        values=ItemValues(
            name="对煤矿企业瓦斯防治情况的行政检查",
            act_kind="inspection",
            industries=["coal_mine"],
            legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第六十五条"}],
            check_points=[
                {
                    "content": "查阅瓦斯检查记录",
                    "method": "documents",
                    "basis": "煤矿安全规程第180条",
                },
                {
                    "content": "查看瓦斯监控系统运行",
                    "method": "onsite",
                    "basis": "煤矿安全规程第491条",
                },
                {
                    "content": "抽查特种作业人员持证",
                    "method": "onsite",
                    "basis": "安全生产法第三十条",
                },
            ],
        ),
        effective_from=datetime.date(2021, 9, 1),
    )
    mine = make_entity("140603", name="平鲁区井东煤业有限公司")
    today = timezone.localdate()
    task = InspectionTask.objects.create(
        bureau=county.bureau,
        entity=mine,
        item=item,
        source=TaskSource.PLAN,
        period_start=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=30),
    )
    task.inspectors.set([county, second])
    return {
        "inspector": county,
        "second": second,
        "head": head,
        "leader": leader,
        "item": item,
        "mine": mine,
        "task": task,
        "points": list(item.versions.get().check_points.order_by("order")),
    }


@pytest.fixture
def started(site) -> Any:
    from anjian.inspections import services

    return services.record_start(
        actor=site["inspector"],
        task=site["task"],
        place="井东煤业调度室",
        present_name="赵六",
        present_post="安全副矿长",
    )
