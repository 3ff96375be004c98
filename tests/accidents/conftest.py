"""A chain of bureaus 平鲁区 (140603) → 朔州市 (140600) → 山西省 (140000), an entity of 平鲁区 with
its principal, and an entity of 泽州县 (another county, another city)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from anjian.accidents.services import ReportValues
from anjian.accounts.roles import Role
from anjian.enterprise.models import EnterpriseMember, Position


@pytest.fixture
def chain(make_user: Callable[..., Any], make_entity: Callable[..., Any]) -> dict[str, Any]:
    entity = make_entity("140603", name="平鲁测试煤业有限公司")
    principal = make_user(None, [Role.ENTERPRISE], username="pl_principal", full_name="王厂长")
    EnterpriseMember.objects.create(user=principal, entity=entity, position=Position.PRINCIPAL)
    staff_member = make_user(None, [Role.ENTERPRISE], username="pl_staff")
    EnterpriseMember.objects.create(user=staff_member, entity=entity, position=Position.STAFF)
    other_entity = make_entity("140525", name="泽州测试化工有限公司")
    other_principal = make_user(None, [Role.ENTERPRISE], username="zz_principal")
    EnterpriseMember.objects.create(
        user=other_principal, entity=other_entity, position=Position.SAFETY_MANAGER
    )
    return {
        "entity": entity,
        "principal": principal,
        "staff_member": staff_member,
        "other_entity": other_entity,
        "other_principal": other_principal,
        "county": make_user("140603", [Role.INSPECTOR], username="pl_duty"),
        "city": make_user("140600", [Role.INSPECTOR], username="sz_duty"),
        "province": make_user("140000", [Role.INSPECTOR], username="sx_duty"),
        "province_head": make_user("140000", [Role.DIVISION_HEAD], username="sx_head"),
        "other_county": make_user("140525", [Role.INSPECTOR], username="zz_duty"),
        "county_head": make_user("140603", [Role.DIVISION_HEAD], username="pl_head"),
    }


def values(occurred_at: datetime.datetime, **extra: Any) -> ReportValues:
    base: dict[str, Any] = {
        "occurred_at": occurred_at,
        "place": "3号井下运输大巷",
        "accident_type": "workplace",
        "dead": 1,
        "injured": 2,
        "missing": 0,
        "cause": "矿车掉道撞伤作业人员",
        "measures": "停止作业，组织救援，送医救治",
        "reporter_name": "王厂长",
        "reporter_phone": "13800000000",
    }
    base.update(extra)
    return ReportValues(**base)
