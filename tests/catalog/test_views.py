"""The public catalog pages: readable without login, with the version history and its diff."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from anjian.catalog import services
from anjian.catalog.services import ItemValues

pytestmark = pytest.mark.django_db

D = datetime.date


def _values(article: str, points: list[str]) -> ItemValues:
    return ItemValues(
        name="对生产经营单位安全生产教育和培训情况的行政检查",
        act_kind="inspection",
        industries=["coal_mine"],
        legal_basis=[{"law": "中华人民共和国安全生产法", "article": article}],
        check_points=[{"content": p, "method": "documents"} for p in points],
        guideline={
            "content": "检查培训制度",
            "method": "查阅资料",
            "basis": "安全生产法",
            "handling": "责令改正",
        },
    )


@pytest.fixture
def item(org):
    item = services.item_create(
        actor=org["province_admin"],
        code="14000000000001",
        values=_values("第二十五条", ["查阅培训档案"]),
        effective_from=D(2014, 12, 1),
    )
    services.item_version_create(
        actor=org["province_admin"],
        item=item,
        values=_values("第二十八条", ["查阅培训档案", "核查劳务派遣人员培训"]),
        effective_from=D(2021, 9, 1),
        reason="《安全生产法》2021年修正",
    )
    return item


def test_the_catalog_is_public_and_shows_the_version_in_force(client, item) -> None:
    page = client.get(reverse("catalog:item_list")).content.decode()
    assert "对生产经营单位安全生产教育和培训情况的行政检查" in page and "v2" in page
    old = client.get(reverse("catalog:item_list"), {"on": "2020-01-01"}).content.decode()
    # (as "v2 ·": a bare "v2" can turn up inside the page's random CSRF token)
    assert "v1 · 2014-12-01" in old and "v2 ·" not in old
    before = client.get(reverse("catalog:item_list"), {"on": "2010-01-01"}).content.decode()
    assert "14000000000001" not in before


def test_the_item_page_shows_checklist_history_and_diff(client, item) -> None:
    url = reverse("catalog:item_detail", kwargs={"code": item.code})
    page = client.get(url).content.decode()
    assert "第二十八条" in page and "核查劳务派遣人员培训" in page
    assert "《安全生产法》2021年修正" in page  # the reason, in the history
    assert "<del>" in page  # the diff from v1
    v1 = client.get(url, {"v": "1"}).content.decode()
    assert "第二十五条" in v1 and "核查劳务派遣人员培训" not in v1
    assert client.get(reverse("catalog:item_detail", kwargs={"code": "nope"})).status_code == 404


def test_benchmarks_and_standards_are_public(client, item) -> None:
    services.benchmark_create(
        code="AQF-97-3",
        violation="未按规定对从业人员进行安全生产教育和培训",
        legal_provision="《安全生产法》第二十八条",
        penalty_basis="《安全生产法》第九十七条",
        levels=[
            {"level": "ordinary", "penalty_kinds": ["fine"], "fine_min": 0, "fine_max": 100000},
            {
                "level": "grave",
                "penalty_kinds": ["fine", "suspension"],
                "fine_min": 100000,
                "fine_max": 200000,
            },
        ],
        factors=[],
        effective_from=D(2021, 9, 1),
        items=[item],
    )
    page = client.get(reverse("catalog:benchmark_list")).content.decode()
    assert "AQF-97-3" in page and "100000–200000" in page
    assert client.get(reverse("catalog:standard_list")).status_code == 200


def test_a_provincial_administrator_publishes_a_new_version_through_the_form(
    org, login, item
) -> None:
    url = reverse("catalog:item_version_new", kwargs={"code": item.code})
    client = login(org["province_admin"])
    form = client.get(url).context["form"]
    assert "第二十八条" in form.initial["legal_basis"]  # starts from the current version
    data = {
        "name": "对生产经营单位安全生产教育和培训情况的行政检查",
        "act_kind": "inspection",
        "industries": ["coal_mine", "non_coal_mine"],
        "levels": ["province", "city"],
        "legal_basis": "中华人民共和国安全生产法 | 第二十八条 | 第一款 |",
        "check_points": (
            "查阅培训档案 | 资料 | 第二十八条 | 责令限期改正\n抽考岗位操作规程 | 现场 | |"
        ),
        "effective_from": "2026-12-01",
        "reason": "增加非煤矿山",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?v=3")
    v3 = item.versions.get(number=3)
    assert v3.industries == ["coal_mine", "non_coal_mine"]
    assert [p.method for p in v3.check_points.order_by("order")] == ["documents", "onsite"]
    bad = client.post(
        url, {**data, "check_points": "某要点 | 飞行", "effective_from": "2027-01-01"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors["check_points"]
    city = login(org["city_admin"]).post(url, {**data, "effective_from": "2027-06-01"})
    assert city.status_code == 403
    assert item.versions.count() == 3


def test_an_unverified_citation_is_marked_on_the_public_page(client, org) -> None:
    values = _values("第二十八条", ["查阅培训档案"])
    values.legal_basis.append({"law": "煤矿安全规程", "article": "有关条款", "verified": False})
    services.item_create(
        actor=org["province_admin"],
        code="14000000100099",
        values=values,
        effective_from=D(2022, 4, 1),
    )
    page = client.get(reverse("catalog:item_detail", kwargs={"code": "14000000100099"}))
    assert page.content.decode().count("待核实") == 1


def test_an_item_is_found_only_by_the_name_it_has_now(client, org, item) -> None:
    services.item_version_create(
        actor=org["province_admin"],
        item=item,
        values=ItemValues(
            name="对生产经营单位安全培训的行政检查",
            act_kind="inspection",
            industries=["coal_mine"],
            legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第二十八条"}],
            check_points=[{"content": "查阅培训档案", "method": "documents"}],
        ),
        effective_from=D(2024, 1, 1),
        reason="更名",
    )
    by_old = client.get(reverse("catalog:item_list"), {"q": "教育和培训情况"}).content.decode()
    assert "14000000000001" not in by_old
    by_new = client.get(reverse("catalog:item_list"), {"q": "安全培训"}).content.decode()
    assert "14000000000001" in by_new and "v3" in by_new
