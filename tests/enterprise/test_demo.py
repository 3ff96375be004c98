"""`make demo`: the enterprise login is bound to a 平鲁区 mine with a correction order and a
case, and its pages open in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from anjian.demo import (
    DEMO_ENTERPRISE_LOGIN,
    DEMO_PASSWORD,
    demo_cases_load,
    demo_catalog_load,
    demo_enterprise_load,
    demo_entities_load,
    demo_inspections_load,
    demo_organisations_load,
    demo_plans_load,
)
from anjian.enterprise.models import EnterpriseMember

pytestmark = pytest.mark.django_db


def test_the_demo_enterprise_login() -> None:
    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    demo_plans_load()
    demo_inspections_load()
    demo_cases_load()
    assert demo_enterprise_load() == DEMO_ENTERPRISE_LOGIN
    assert demo_enterprise_load() == DEMO_ENTERPRISE_LOGIN  # idempotent
    member = EnterpriseMember.objects.get(user__username="pl_enterprise")
    assert member.position == "principal" and member.entity.region_id == "140603"
    assert member.user.check_password(DEMO_PASSWORD)
    client = Client()
    login = client.post(
        reverse("accounts:login"), {"username": "pl_enterprise", "password": DEMO_PASSWORD}
    )
    assert login.status_code == 302
    for name in [
        "enterprise:home",
        "enterprise:inspection_list",
        "enterprise:case_list",
        "enterprise:document_list",
        "enterprise:credit",
        "enterprise:self_inspection_list",
        "enterprise:self_inspection_new",
        "enterprise:standards",
        "enterprise:service",
        "enterprise:member_list",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    orders = client.get(reverse("enterprise:inspection_list")).content.decode()
    assert "待整改" in orders or "整改" in orders
