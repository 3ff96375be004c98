"""The catalog maintained through its pages by the provincial department: new items, new
benchmarks and new versions of them, standards and their check points. Each page works for a
maintainer, answers 403 to anyone else (a city's legal reviewer included), names the field it
refuses, and leaves its event in the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from anjian.catalog import services
from anjian.catalog.discretion import recommend_penalty
from anjian.catalog.models import DiscretionBenchmark, SupervisionItem
from anjian.catalog.services import ItemValues
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def maintainers(org, make_user) -> dict[str, Any]:
    """The two kinds of catalog maintainer: the province's administrator and its legal
    reviewer (政策法规处)."""
    return {
        "admin": org["province_admin"],
        "legal": make_user("140000", ["legal_reviewer"], username="sx_legal"),
    }


@pytest.fixture
def refused(org) -> list[Any]:
    """A city's legal reviewer (the capability, but not the province), and users without it."""
    return [org["legal"], org["city_admin"], org["county_inspector"], org["no_role"]]


ITEM_FORM = {
    "code": "14000000700001",
    "name": "对烟花爆竹批发企业储存安全的行政检查",
    "act_kind": "inspection",
    "industries": ["fireworks"],
    "levels": ["province", "city"],
    "legal_basis": "烟花爆竹安全管理条例 | 第二十一条 | | 储存安全",
    "check_points": "查看仓库核定药量 | 现场 | GB 50161 | 责令改正\n查阅出入库台账 | 资料 | |",
    "effective_from": "2026-01-01",
}


def test_a_maintainer_publishes_a_new_item(maintainers, login, client) -> None:
    for n, who in enumerate(("admin", "legal")):
        browser = login(maintainers[who])
        assert browser.get(reverse("catalog:item_new")).status_code == 200
        code = f"1400000070000{n + 1}"
        response = browser.post(reverse("catalog:item_new"), {**ITEM_FORM, "code": code})
        assert response.status_code == 302
        assert response["Location"] == reverse("catalog:item_detail", kwargs={"code": code})
        version = SupervisionItem.objects.get(code=code).versions.get()
        assert (version.number, version.levels) == (1, ["province", "city"])
        assert [p.method for p in version.check_points.order_by("order")] == [
            "onsite",
            "documents",
        ]
        event = AuditEvent.objects.get(action="catalog.item.created", changes__code=code)
        assert event.actor_id == maintainers[who].pk
    page = client.get(reverse("catalog:item_list")).content.decode()
    assert "对烟花爆竹批发企业储存安全的行政检查" in page


def test_the_item_list_offers_a_new_item_to_maintainers_only(maintainers, org, login) -> None:
    url = reverse("catalog:item_new")
    assert url in login(maintainers["legal"]).get(reverse("catalog:item_list")).content.decode()
    assert url not in login(org["legal"]).get(reverse("catalog:item_list")).content.decode()


def test_a_duplicate_or_malformed_item_code_is_refused_on_the_field(maintainers, login) -> None:
    browser = login(maintainers["admin"])
    browser.post(reverse("catalog:item_new"), ITEM_FORM)
    again = browser.post(reverse("catalog:item_new"), {**ITEM_FORM, "name": "另一个事项"})
    assert again.status_code == 200
    assert again.context["form"].errors["code"] == ["已存在该编码的监管事项。"]
    for bad in ("1400000070001", "24000000700001", "1400000070000X"):
        response = browser.post(reverse("catalog:item_new"), {**ITEM_FORM, "code": bad})
        assert "140000" in response.context["form"].errors["code"][0], bad
    assert SupervisionItem.objects.count() == 1
    assert AuditEvent.objects.filter(action="catalog.item.created").count() == 1


def test_others_may_not_publish_an_item(refused, login) -> None:
    for user in refused:
        browser = login(user)
        assert browser.get(reverse("catalog:item_new")).status_code == 403, user
        assert browser.post(reverse("catalog:item_new"), ITEM_FORM).status_code == 403, user
    assert not SupervisionItem.objects.exists()


# --- Benchmarks --------------------------------------------------------------------------


@pytest.fixture
def item(maintainers) -> SupervisionItem:
    return services.item_create(
        actor=maintainers["admin"],
        code="14000000000001",
        values=ItemValues(
            name="对生产经营单位安全生产教育和培训情况的行政检查",
            act_kind="inspection",
            industries=["coal_mine"],
            legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第二十八条"}],
            check_points=[
                {"content": "查阅安全生产教育和培训档案", "method": "documents"},
                {"content": "抽查从业人员是否掌握岗位安全操作规程", "method": "onsite"},
            ],
        ),
        effective_from=D(2021, 9, 1),
    )


def _benchmark_form(item: SupervisionItem, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "AQF-97-3",
        "violation": "未按照规定对从业人员进行安全生产教育和培训",
        "legal_provision": "《安全生产法》第二十八条",
        "penalty_basis": "《安全生产法》第九十七条第（三）项",
        "items": [item.code],
        "minor_conditions": "首次发现，涉及1人",
        "minor_penalty_kinds": ["order_correction", "fine"],
        "minor_fine_min": "0",
        "minor_fine_max": "30000",
        "ordinary_conditions": "涉及2至5人",
        "ordinary_penalty_kinds": ["order_correction", "fine"],
        "ordinary_fine_min": "30000",
        "ordinary_fine_max": "60000",
        "serious_conditions": "",
        "serious_fine_min": "",
        "serious_fine_max": "",
        "grave_conditions": "逾期未改正",
        "grave_penalty_kinds": ["fine", "suspension"],
        "grave_fine_min": "100000",
        "grave_fine_max": "200000",
        "factors": "涉及劳务派遣人员 | 从重 | 未将被派遣劳动者纳入培训\n主动改正 | 从轻 |",
        "effective_from": "2021-09-01",
        "reason": "",
    }
    data.update(extra)
    return data


def test_a_maintainer_publishes_a_benchmark_from_the_table(maintainers, login, item) -> None:
    browser = login(maintainers["legal"])
    assert browser.get(reverse("catalog:benchmark_new")).status_code == 200
    response = browser.post(reverse("catalog:benchmark_new"), _benchmark_form(item))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:benchmark_detail", kwargs={"code": "AQF-97-3"})
    benchmark = DiscretionBenchmark.objects.get()
    assert [lv["level"] for lv in benchmark.levels] == ["minor", "ordinary", "grave"]
    assert benchmark.levels[0]["conditions"] == "首次发现，涉及1人"
    assert benchmark.factors[0] == {
        "name": "涉及劳务派遣人员",
        "effect": "aggravating",
        "description": "未将被派遣劳动者纳入培训",
    }
    assert list(benchmark.items.all()) == [item]
    assert AuditEvent.objects.filter(action="catalog.benchmark.created").count() == 1
    result = recommend_penalty("AQF-97-3", {"not_corrected": True}, on=D(2024, 1, 1))
    assert (result.level, result.fine_min, result.fine_max) == ("grave", 100000, 200000)


@pytest.mark.parametrize(
    ("extra", "level"),
    [
        ({"ordinary_fine_min": "70000"}, "一般"),  # lowest above highest
        ({"grave_fine_min": "10000", "grave_fine_max": "50000"}, "严重"),  # falls below ordinary
        ({"minor_penalty_kinds": ["order_correction"]}, "轻微"),  # a fine range, no fine
        ({"grave_penalty_kinds": ["suspension"], "grave_fine_max": "0"}, "严重"),
    ],
)
def test_inconsistent_levels_are_refused_naming_the_level(
    maintainers, login, item, extra, level
) -> None:
    response = login(maintainers["admin"]).post(
        reverse("catalog:benchmark_new"), _benchmark_form(item, **extra)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["levels"]
    assert len(errors) == 1 and level in errors[0], errors
    assert errors[0] in response.content.decode()
    assert not DiscretionBenchmark.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalog.benchmark").exists()


def test_a_benchmark_form_names_each_wrong_field(maintainers, login, item) -> None:
    browser = login(maintainers["admin"])
    browser.post(reverse("catalog:benchmark_new"), _benchmark_form(item))
    again = browser.post(reverse("catalog:benchmark_new"), _benchmark_form(item))
    assert "新版本" in again.context["form"].errors["code"][0]
    bad = browser.post(
        reverse("catalog:benchmark_new"),
        _benchmark_form(item, code="aqf 97", factors="某情节 | 很重", items=[]),
    )
    errors = bad.context["form"].errors
    assert {"factors", "items"} <= set(errors)
    lower = browser.post(reverse("catalog:benchmark_new"), _benchmark_form(item, code="aqf 97"))
    assert "AQF-97-3" in lower.context["form"].errors["code"][0]  # the format, by example
    assert DiscretionBenchmark.objects.count() == 1


def test_a_new_version_of_a_benchmark_from_its_page(maintainers, login, client, item) -> None:
    browser = login(maintainers["admin"])
    browser.post(reverse("catalog:benchmark_new"), _benchmark_form(item))
    url = reverse("catalog:benchmark_version_new", kwargs={"code": "AQF-97-3"})
    form = browser.get(url).context["form"]
    assert form.initial["grave_fine_max"] == 200000 and "主动改正" in form.initial["factors"]
    assert "code" not in form.fields
    data = _benchmark_form(item, minor_fine_min="10000", effective_from="2024-05-01")
    refused = browser.post(url, {**data, "effective_from": "2021-09-01"})
    assert set(refused.context["form"].errors) == {"reason"}  # required on the form first
    refused = browser.post(
        url, {**data, "effective_from": "2021-09-01", "reason": "应急〔2024〕90号"}
    )
    assert "2021-09-01" in refused.context["form"].errors["effective_from"][0]
    response = browser.post(url, {**data, "reason": "依据应急〔2024〕90号调整"})
    assert response.status_code == 302
    assert DiscretionBenchmark.objects.filter(code="AQF-97-3").count() == 2
    event = AuditEvent.objects.get(action="catalog.benchmark.version_created")
    assert event.changes["levels"] and event.changes["reason"] == "依据应急〔2024〕90号调整"
    # a violation of 2023 is judged by the old version, one of 2025 by the new
    assert (
        recommend_penalty(
            "AQF-97-3", {"first_offence": True, "corrected_in_time": True}, on=D(2023, 1, 1)
        ).fine_min
        == 0
    )
    assert (
        recommend_penalty(
            "AQF-97-3", {"first_offence": True, "corrected_in_time": True}, on=D(2025, 1, 1)
        ).fine_min
        == 10000
    )
    detail = client.get(reverse("catalog:benchmark_detail", kwargs={"code": "AQF-97-3"}))
    html = detail.content.decode()
    assert html.count("现行有效") == 1 and "已失效" in html and "依据应急〔2024〕90号调整" in html
    listing = client.get(reverse("catalog:benchmark_list")).content.decode()
    assert "2 个版本" in listing and "10000–30000" in listing
    old = client.get(reverse("catalog:benchmark_list"), {"on": "2022-01-01"}).content.decode()
    assert "0–30000" in old and "10000–30000" not in old


def test_a_version_published_for_later_is_shown_as_not_yet_in_force(
    maintainers, client, item
) -> None:
    kwargs = {
        "violation": "v",
        "legal_provision": "p",
        "penalty_basis": "b",
        "levels": [
            {"level": "minor", "penalty_kinds": ["warning"], "fine_min": 0, "fine_max": 0},
            {"level": "ordinary", "penalty_kinds": ["fine"], "fine_min": 0, "fine_max": 1000},
        ],
        "factors": [],
        "items": [item],
    }
    services.benchmark_create(
        actor=maintainers["admin"], code="X-1", effective_from=D(2020, 1, 1), **kwargs
    )
    services.benchmark_version_create(
        actor=maintainers["admin"],
        code="X-1",
        effective_from=D(2099, 1, 1),
        reason="预告",
        **kwargs,
    )
    services.benchmark_create(
        actor=maintainers["admin"], code="X-2", effective_from=D(2099, 1, 1), **kwargs
    )
    listing = client.get(reverse("catalog:benchmark_list")).content.decode()
    assert "2099-01-01 起施行新版本" in listing  # X-1's next version
    assert "尚未施行" in listing and "X-2" in listing
    detail = client.get(
        reverse("catalog:benchmark_detail", kwargs={"code": "X-1"})
    ).content.decode()
    assert "尚未施行" in detail and "现行有效" in detail
    assert (
        client.get(reverse("catalog:benchmark_detail", kwargs={"code": "NOPE"})).status_code == 404
    )


def test_the_benchmark_pages_offer_maintenance_to_maintainers_only(
    maintainers, org, login, item
) -> None:
    services.benchmark_create(
        actor=maintainers["admin"],
        code="X-1",
        violation="v",
        legal_provision="p",
        penalty_basis="b",
        levels=[
            {"level": "minor", "penalty_kinds": ["warning"], "fine_min": 0, "fine_max": 0},
            {"level": "ordinary", "penalty_kinds": ["fine"], "fine_min": 0, "fine_max": 1000},
        ],
        factors=[],
        effective_from=D(2020, 1, 1),
        items=[item],
    )
    new = reverse("catalog:benchmark_new")
    version = reverse("catalog:benchmark_version_new", kwargs={"code": "X-1"})
    detail = reverse("catalog:benchmark_detail", kwargs={"code": "X-1"})
    assert (
        new in login(maintainers["legal"]).get(reverse("catalog:benchmark_list")).content.decode()
    )
    assert version in login(maintainers["legal"]).get(detail).content.decode()
    city = login(org["legal"])
    assert new not in city.get(reverse("catalog:benchmark_list")).content.decode()
    assert version not in city.get(detail).content.decode()
    for user in [org["legal"], org["city_admin"], org["no_role"]]:
        browser = login(user)
        assert browser.get(new).status_code == 403
        assert browser.get(version).status_code == 403
        assert browser.post(version, {"reason": "x"}).status_code == 403
    assert (
        login(maintainers["admin"])
        .get(reverse("catalog:benchmark_version_new", kwargs={"code": "NOPE"}))
        .status_code
        == 404
    )
    assert DiscretionBenchmark.objects.count() == 1
