"""The public credit query: without login, by name or credit code, the grade in force, the
public records that still count (masked), the list status; nothing else of the file."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from anjian.credit import grading
from anjian.credit.models import CreditRecord, RecordKind, RecordStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _record(entity: Any, title: str, **extra: Any) -> CreditRecord:
    values: dict[str, Any] = {
        "entity": entity,
        "region_id": entity.region_id,
        "kind": RecordKind.PENALTY,
        "title": title,
        "occurred_on": TODAY - datetime.timedelta(days=10),
        "weight": -14,
        "counts_until": TODAY + datetime.timedelta(days=300),
        "public": True,
    }
    values.update(extra)
    return CreditRecord.objects.create(**values)


def test_anyone_finds_the_grade_and_the_public_records_masked(make_entity: Any) -> None:
    entity = make_entity("140525", name="泽州县信用测试煤业有限公司")
    _record(entity, "行政处罚决定 （晋泽）应急罚〔2026〕3号：罚款（4万元），联系电话13912345678")
    _record(entity, "检查发现问题2项", kind=RecordKind.INSPECTION_HAZARDS, weight=-2, public=False)
    _record(entity, "已失效的处罚", status=RecordStatus.VOID)
    _record(
        entity,
        "已过期的处罚",
        occurred_on=TODAY - datetime.timedelta(days=1200),
        counts_until=TODAY - datetime.timedelta(days=100),
    )
    grading.recompute(entity_ids=[entity.pk])

    visitor = Client()
    by_name = visitor.get("/portal/credit/", {"q": "信用测试煤业"}).content.decode()
    assert entity.name in by_name and "C级" in by_name  # 85 − 14 − 2 = 69
    by_code = visitor.get("/portal/credit/", {"q": entity.uscc.lower()}).content.decode()
    assert entity.uscc in by_code
    page = visitor.get(f"/portal/credit/{entity.uscc}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "C级" in text and "严重失信主体名单" in text and "未列入" in text
    assert "（晋泽）应急罚〔2026〕3号" in text
    assert "139****5678" in text and "13912345678" not in text
    for hidden in ("检查发现问题2项", "已失效的处罚", "已过期的处罚", "张三丰"):
        assert hidden not in text


def test_the_query_needs_something_to_look_for(make_entity: Any) -> None:
    make_entity("140603", name="平鲁区某煤业有限公司")
    visitor = Client()
    assert "平鲁区某煤业" not in visitor.get("/portal/credit/", {"q": "煤"}).content.decode()
    assert visitor.get("/portal/credit/").status_code == 200
    assert visitor.get("/portal/credit/911406030000000000/").status_code == 404
