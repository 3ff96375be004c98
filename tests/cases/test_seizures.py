"""查封、扣押 within a case (安全生产法 第六十五条第一款第四项, 行政强制法 第二十五条): at most 30
days, extended once by at most 30 with a reason, released by decision; listed when near its end."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from anjian.cases import coercion, execution
from anjian.cases.models import Case
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.cases.conftest import TODAY, investigating, today_is

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    def move(day: datetime.date) -> None:
        today_is(monkeypatch, day)

    return move


def seize(world, case=None, **extra):
    values = {"kind": "seal", "items": "主井提升机1台（无安全标志）", "reason": "不符合国家标准"}
    values.update(extra)
    case = case or investigating(world)
    return coercion.seizure_decide(actor=world["leader"], case=case, **values)


def test_at_most_thirty_days_extended_once_and_released(world, at) -> None:
    case = investigating(world)
    with pytest.raises(ServiceError) as refused:
        seize(world, case, days=31, items="")
    assert {"days", "items"} <= set(refused.value.fields)
    seizure = seize(world, case)
    case = seizure.case
    assert seizure.ends_on == TODAY + D(days=30)
    with pytest.raises(NotPermitted):  # the leadership decides
        coercion.seizure_extend(
            actor=world["h1"], case=case, seizure=seizure, days=30, reason="情况复杂"
        )
    at(TODAY + D(days=27))
    assert [r["case"].pk for r in execution.overdue_cases(world["leader"])] == [case.pk]
    with pytest.raises(ServiceError) as refused:
        coercion.seizure_extend(
            actor=world["leader"], case=case, seizure=seizure, days=40, reason=""
        )
    assert {"days", "reason"} <= set(refused.value.fields)
    coercion.seizure_extend(
        actor=world["leader"], case=case, seizure=seizure, days=30, reason="需委托检测检验"
    )
    seizure.refresh_from_db()
    assert seizure.ends_on == TODAY + D(days=60)
    with pytest.raises(Conflict):  # once only
        coercion.seizure_extend(
            actor=world["leader"], case=case, seizure=seizure, days=5, reason="再延"
        )
    at(TODAY + D(days=45))
    with pytest.raises(ServiceError) as refused:
        coercion.seizure_release(actor=world["leader"], case=case, seizure=seizure, reason="")
    assert "reason" in refused.value.fields
    coercion.seizure_release(
        actor=world["leader"], case=case, seizure=seizure, reason="检测合格，已整改"
    )
    seizure.refresh_from_db()
    assert seizure.released_on == TODAY + D(days=45)
    with pytest.raises(Conflict):
        coercion.seizure_release(actor=world["leader"], case=case, seizure=seizure, reason="x")
    codes = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"cases.coercion.seized", "cases.coercion.extended", "cases.coercion.released"} <= codes


def test_an_ended_measure_is_not_extended(world, at) -> None:
    seizure = seize(world, days=10)
    at(TODAY + D(days=11))
    with pytest.raises(Conflict):
        coercion.seizure_extend(
            actor=world["leader"], case=seizure.case, seizure=seizure, days=10, reason="情况复杂"
        )


def test_the_case_page_offers_the_measure_to_the_leadership_only(world, login) -> None:
    case = investigating(world)
    url = reverse("cases:case_detail", args=[case.pk])
    assert 'data-action="seizure"' not in login(world["h1"]).get(url).content.decode()
    leader = login(world["leader"])
    assert 'data-action="seizure"' in leader.get(url).content.decode()
    leader.post(
        reverse("cases:execution_step", args=[case.pk, "seizure"]),
        {"kind": "seize", "items": "雷管200发", "days": "30", "note": "违规存放"},
    )
    assert Case.objects.get(pk=case.pk).seizures.get().items == "雷管200发"
    assert "雷管200发" in leader.get(url).content.decode()
