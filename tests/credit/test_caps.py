"""Yearly inspection caps per class and grade: an ad hoc inspection beyond the cap needs a
reason (kept with the task and in the trail); the caps page lists the entities beyond their cap
and the grade D entities under-inspected, each bureau only its own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent
from anjian.credit.caps import cap_for, caps_report, over_cap_message
from anjian.entities.models import Entity
from anjian.inspections import services
from anjian.inspections.models import InspectionTask, TaskSource

pytestmark = pytest.mark.django_db


def test_the_default_caps_of_the_issue() -> None:
    assert [cap_for("coal_mine", g) for g in "ABCD"] == [2, 4, 6, 4]
    assert [cap_for("non_coal_mine", g) for g in "ABCD"] == [1, 1, 2, 4]
    # Hazardous chemicals and metallurgy by standardisation grade 一级/二级/三级/not rated,
    # whatever the credit grade.
    levels = ["level_1", "level_2", "level_3", ""]
    for cls in ("hazardous_chemicals", "metallurgy"):
        assert [cap_for(cls, "D", s) for s in levels] == [2, 4, 8, 12]
        assert [cap_for(cls, g, "level_2") for g in "ABCD"] == [4, 4, 4, 4]
    assert cap_for("coal_mine", "A", "level_3") == 2  # other classes: the credit grade
    assert [cap_for("commerce_trade", g) for g in "ABCD"] == [1, 2, 4, 6]
    assert cap_for("coal_mine", "") == 4  # not graded: as B


def _two_earlier_inspections(site: dict[str, Any], today: datetime.date) -> None:
    days = [d for d in (datetime.date(today.year, m, 5) for m in (1, 2, 3)) if d != today][:2]
    for day in days:
        InspectionTask.objects.create(
            bureau=site["head"].bureau,
            entity=site["mine"],
            item=site["item"],
            source=TaskSource.PLAN,
            period_start=day,
            due_on=day,
        )


def test_an_ad_hoc_inspection_beyond_the_cap_needs_a_reason(site: dict[str, Any]) -> None:
    today = timezone.localdate()
    mine = site["mine"]
    Entity.objects.filter(pk=mine.pk).update(credit_grade="A")  # a grade A coal mine: 2 a year
    mine.refresh_from_db()
    _two_earlier_inspections(site, today)
    assert "最多检查2次" in over_cap_message(mine, today, 1)
    values = {
        "actor": site["head"],
        "bureau": site["head"].bureau,
        "entity": mine,
        "items": [site["item"]],
        "inspectors": [site["inspector"], site["second"]],
        "due_on": today,
        "reason": "群众举报瓦斯超限",
    }
    with pytest.raises(ServiceError) as refused:
        services.task_create_ad_hoc(**values)
    reasons = refused.value.fields["over_limit_reason"]
    assert any("2026" in str(r) or str(today.year) in str(r) for r in reasons)
    (task,) = services.task_create_ad_hoc(**values, over_limit_reason="举报涉及重大事故隐患")
    assert "举报涉及重大事故隐患" in task.note
    event = AuditEvent.objects.filter(action="inspections.task.created").latest("seq")
    assert event.changes["over_limit_reason"] == "举报涉及重大事故隐患"


def test_within_the_cap_no_reason_is_asked(site: dict[str, Any]) -> None:
    today = timezone.localdate()
    Entity.objects.filter(pk=site["mine"].pk).update(credit_grade="C")  # 6 a year
    site["mine"].refresh_from_db()
    _two_earlier_inspections(site, today)
    tasks = services.task_create_ad_hoc(
        actor=site["head"],
        bureau=site["head"].bureau,
        entity=site["mine"],
        items=[site["item"]],
        inspectors=[site["inspector"], site["second"]],
        due_on=today,
        reason="复查前摸底",
    )
    assert len(tasks) == 1 and "超过" not in tasks[0].note


def test_the_caps_page_lists_excess_and_under_inspected_d_entities_in_scope(
    site: dict[str, Any], org: dict[str, Any], make_entity: Any, login: Any
) -> None:
    today = timezone.localdate()
    Entity.objects.filter(pk=site["mine"].pk).update(credit_grade="A")
    _two_earlier_inspections(site, today)
    InspectionTask.objects.create(
        bureau=site["head"].bureau,
        entity=site["mine"],
        item=site["item"],
        source=TaskSource.DRAW,
        period_start=today,
        due_on=today,
    )
    neglected = make_entity("140603", name="平鲁区失信测试煤业有限公司")
    Entity.objects.filter(pk=neglected.pk).update(credit_grade="D")
    over, under = caps_report(site["head"], today.year)
    assert [(r.entity.pk, r.inspections, r.cap) for r in over] == [(site["mine"].pk, 3, 2)]
    assert neglected.pk in {r.entity.pk for r in under}

    page = login(site["head"]).get(f"/credit/caps/?year={today.year}").content.decode()
    assert site["mine"].name in page and neglected.name in page and "年度检查频次上限" in page
    other = login(org["other_county_inspector"]).get("/credit/caps/").content.decode()
    assert site["mine"].name not in other and neglected.name not in other


def test_the_under_inspected_page_lists_d_entities_in_scope_from_the_credit_overview(
    site: dict[str, Any], org: dict[str, Any], make_entity: Any, login: Any
) -> None:
    neglected = make_entity("140603", name="平鲁区检查不足煤业有限公司", credit_grade="D")
    served = make_entity("140603", name="平鲁区检查足额煤业有限公司", credit_grade="D")
    today = timezone.localdate()
    for month in (1, 2, 3, 4):  # coal mines of grade D: 4 a year
        day = datetime.date(today.year, month, 7)
        InspectionTask.objects.create(
            bureau=site["head"].bureau, entity=served, item=site["item"],
            source=TaskSource.PLAN, period_start=day, due_on=day,
        )  # fmt: skip
    client = login(site["head"])
    overview = client.get("/credit/").content.decode()
    assert "/credit/under-inspected/" in overview and "本年度检查不足的D级企业" in overview
    page = client.get("/credit/under-inspected/").content.decode()
    assert neglected.name in page and served.name not in page and "尚需安排" in page
    other = login(org["other_county_inspector"]).get("/credit/under-inspected/")
    assert other.status_code == 200 and neglected.name not in other.content.decode()


def test_a_hazardous_chemicals_entity_is_capped_by_its_standardisation_grade(
    site: dict[str, Any],
) -> None:
    """A 一级 works may have 2 inspections a year even with credit grade D (which would allow
    12 by the credit grade); not rated, 12. The message names the standardisation grade."""
    today = timezone.localdate()
    works = site["mine"]
    Entity.objects.filter(pk=works.pk).update(
        industry="hazardous_chemicals", credit_grade="D", standardisation_grade="level_1"
    )
    works.refresh_from_db()
    _two_earlier_inspections(site, today)
    with translation.override("zh-hans"):
        message = over_cap_message(works, today, 1)
    assert "最多检查2次" in message and "安全生产标准化等级为一级" in message
    Entity.objects.filter(pk=works.pk).update(standardisation_grade="")
    works.refresh_from_db()
    assert over_cap_message(works, today, 1) == ""
    over, _under = caps_report(site["head"], today.year)
    assert works.pk not in [r.entity.pk for r in over]
