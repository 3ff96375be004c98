"""The demo's reports (src/anjian/demo_complaints.py): the desk has work and each state a county
meets in its first month is there to see, with nothing identifying kept for anonymous reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from anjian.accounts.models import User
from anjian.complaints.models import Report
from anjian.demo import demo_catalog_load, demo_complaints_load, demo_organisations_load

pytestmark = pytest.mark.django_db


def test_the_demo_desk_has_reports_in_each_state(
    login: Callable[[User], Client], make_entity: Callable[..., Any], settings: Any
) -> None:
    settings.ANJIAN_COMPLAINT_ROUTING = {"coal_mine": "city"}  # the default outside these tests
    demo_organisations_load()
    demo_catalog_load()
    # The two 平鲁区 units the story needs (the demo registry has them among its 5,000).
    make_entity(region="140603", industry="coal_mine", name="平鲁区井坪煤业有限公司")
    make_entity(region="140603", industry="building_materials", name="平鲁区恒达建材有限公司")
    make_entity(region="140603", industry="light_industry", name="平鲁区鑫达包装制品有限公司")
    assert demo_complaints_load() == {"reports": 4}
    assert demo_complaints_load() == {"reports": 0}  # a second run adds nothing

    reports = list(Report.objects.order_by("received_on", "pk"))
    first, again, call, waiting = reports
    assert first.anonymous and first.state == "handling" and first.inspection_task is not None
    assert again.duplicate_of == first  # linked, not handled twice
    assert call.channel == "hotline" and not call.anonymous and call.outcome == "unsubstantiated"
    assert waiting.state == "received"
    assert all(r.bureau.region_id == "140603" for r in reports)

    desk = User.objects.get(username="pl_desk")
    page = login(desk).get("/complaints/")
    assert page.status_code == 200
    text = page.content.decode()
    assert waiting.receipt_id in text and first.receipt_id in text
    # The committee member logs in to an empty list, not a refusal.
    committee = User.objects.get(username="pl_committee")
    assert login(committee).get("/complaints/rewards/").status_code == 200
