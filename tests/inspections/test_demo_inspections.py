"""The demo's inspections: a clean record, a rectified hazard, an overdue order, a draft."""

from __future__ import annotations

import pytest

from anjian.accounts.models import User
from anjian.demo import (
    demo_catalog_load,
    demo_entities_load,
    demo_inspections_load,
    demo_organisations_load,
    demo_plans_load,
)
from anjian.inspections.models import InspectionRecord, OrderStatus
from anjian.inspections.selectors import rectifications_overdue

pytestmark = pytest.mark.django_db


def test_the_demo_inspections_show_every_state() -> None:
    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    demo_plans_load()
    assert demo_inspections_load() == {"records": 4}
    assert demo_inspections_load() == {"records": 0}  # a second run adds nothing
    statuses = sorted(InspectionRecord.objects.values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "submitted", "submitted"]
    head = User.objects.get(username="pl_head")
    (overdue,) = rectifications_overdue(head)
    assert overdue.order.status == OrderStatus.OPEN and overdue.working_days_late > 0
    assert InspectionRecord.objects.filter(correction_orders__status="rectified").exists()
    # Each hazard sits under the check point it concerns, citing that point's basis, and the
    # printed record files it there (not under 瓦斯等级鉴定, the checklist's first point).
    from anjian.documents.selectors import documents_for
    from anjian.inspections.models import Finding

    findings = {f.description: f for f in Finding.objects.select_related("check_point", "record")}
    at = {
        "井下3号瓦斯监控分站断电，未能实时上传数据": "安全监控",
        "主要通风机备用风机未按规定每月切换试运转": "通风系统",
    }
    for description, topic in at.items():
        finding = findings[description]
        assert topic in finding.check_point.content
        assert finding.legal_basis == finding.check_point.basis
        (doc,) = documents_for(finding.record)
        (printed,) = doc.context["findings"]
        assert topic in doc.context["checked"][printed["point"] - 1]
        assert doc.check_url.startswith("http")
