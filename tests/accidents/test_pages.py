"""The pages: the enterprise reports from its phone, the county sees it marked new and forwards
it, the chain shows each level's times; another entity and another county get 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.accidents import services
from anjian.accidents.models import AccidentReport
from anjian.core import clock as core_clock
from tests.accidents.conftest import values

pytestmark = pytest.mark.django_db


def _form(occurred: datetime.datetime, entity: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "entity": str(entity.pk),
        "occurred_at": timezone.localtime(occurred).strftime("%Y-%m-%dT%H:%M"),
        "place": "选煤厂皮带走廊",
        "accident_type": "workplace",
        "dead": "0",
        "injured": "1",
        "missing": "0",
        "cause": "皮带机绞伤",
        "measures": "停机救援，送医",
        "reporter_name": "王厂长",
        "reporter_phone": "13800000000",
    }
    data.update(extra)
    return data


def test_the_enterprise_reports_and_the_county_forwards(
    chain: dict[str, Any], login: Any, clock: Any
) -> None:
    ent = login(chain["principal"])
    page = ent.get(reverse("accidents:my_new"))
    assert page.status_code == 200 and "报告事故" in page.content.decode()
    response = ent.post(
        reverse("accidents:my_new"),
        _form(core_clock.now() - datetime.timedelta(minutes=20), chain["entity"]),
    )
    report = AccidentReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accidents:my_detail", kwargs={"pk": report.pk})
    county = login(chain["county"])
    home = county.get(reverse("accounts:home")).content.decode()
    assert "新收到的事故快报" in home
    listed = county.get(reverse("accidents:report_list") + "?new=1").content.decode()
    assert "平鲁测试煤业有限公司" in listed
    detail = county.get(reverse("accidents:report_detail", kwargs={"pk": report.pk}))
    assert "立即上报" in detail.content.decode()
    assert not county.get(reverse("accidents:report_list") + "?new=1").context["page"].object_list
    clock.advance(minutes=30)
    county = login(chain["county"])  # a new session: the old one idled out
    county.post(reverse("accidents:report_forward", kwargs={"pk": report.pk}))
    ent = login(chain["principal"])
    shown = ent.get(reverse("accidents:my_detail", kwargs={"pk": report.pk})).content.decode()
    assert "县级" in shown and "市级" in shown and "按时" in shown
    assert "pl_duty" in shown or "测试用户" in shown  # who forwarded
    city_detail = login(chain["city"]).get(
        reverse("accidents:report_detail", kwargs={"pk": report.pk})
    )
    assert city_detail.status_code == 200


def test_bad_input_names_the_field_in_chinese(chain: dict[str, Any], login: Any) -> None:
    ent = login(chain["principal"])
    response = ent.post(
        reverse("accidents:my_new"),
        _form(core_clock.now() + datetime.timedelta(hours=3), chain["entity"], reporter_phone="1"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "事故发生时间不能晚于现在" in text and "11位手机号码" in text
    assert not AccidentReport.objects.exists()


def test_a_staff_member_of_the_unit_may_not_report(chain: dict[str, Any], login: Any) -> None:
    page = login(chain["staff_member"]).get(reverse("accidents:my_new")).content.decode()
    assert "须由主要负责人或安全管理人员报告" in page


def test_another_entity_and_another_county_get_404(chain: dict[str, Any], login: Any) -> None:
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
    )
    other = login(chain["other_principal"])
    for name in ("accidents:my_detail",):
        assert other.get(reverse(name, kwargs={"pk": report.pk})).status_code == 404
    response = other.post(
        reverse("accidents:my_supplement", kwargs={"pk": report.pk}),
        {"dead": "9", "injured": "0", "missing": "0", "note": "越权"},
    )
    assert response.status_code == 404
    zz = login(chain["other_county"])
    assert zz.get(reverse("accidents:report_detail", kwargs={"pk": report.pk})).status_code == 404
    assert zz.post(reverse("accidents:report_forward", kwargs={"pk": report.pk})).status_code == 404
    assert "平鲁测试煤业" not in zz.get(reverse("accidents:report_list")).content.decode()
    # The city has not received it yet.
    sz = login(chain["city"])
    assert sz.get(reverse("accidents:report_detail", kwargs={"pk": report.pk})).status_code == 404
    report.refresh_from_db()
    assert report.dead == 1 and report.steps.count() == 1


def test_the_enterprise_supplements_from_its_page(
    chain: dict[str, Any], login: Any, clock: Any
) -> None:
    report = services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
    )
    clock.advance(days=2)
    login(chain["principal"]).post(
        reverse("accidents:my_supplement", kwargs={"pk": report.pk}),
        {"dead": "3", "injured": "2", "missing": "0", "note": "两名重伤人员经抢救无效死亡"},
    )
    report.refresh_from_db()
    assert report.level == "larger" and report.supplements.count() == 1


def test_the_overdue_list_shows_a_level_past_its_time(
    chain: dict[str, Any], login: Any, clock: Any
) -> None:
    services.report_file(
        actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
    )
    clock.advance(hours=2, minutes=5)
    page = login(chain["county"]).get(reverse("accidents:overdue_list")).content.decode()
    assert "平鲁区" in page and "平鲁测试煤业有限公司" in page
    assert (
        "逾期未上报的事故快报"
        in login(chain["county"]).get(reverse("accounts:home")).content.decode()
    )
