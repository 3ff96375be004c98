"""The standards register (N2.2): standards added by the province and linked to check points;
declarations by entities (企业标准自我声明公开) recorded by the bureau that supervises the
entity, within its jurisdiction; both public on the portal without personal data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.catalog import services
from anjian.catalog.models import CheckPoint, Standard, StandardDeclaration
from anjian.catalog.services import ItemValues, StandardValues
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def maintainer(org) -> Any:
    return org["province_admin"]


def _values(points: list[str], industries: list[str] | None = None) -> ItemValues:
    return ItemValues(
        name="对危险化学品企业特殊作业安全的行政检查",
        act_kind="inspection",
        industries=industries or ["hazardous_chemicals"],
        legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第四十三条"}],
        check_points=[{"content": p, "method": "onsite"} for p in points],
    )


@pytest.fixture
def item(maintainer) -> Any:
    return services.item_create(
        actor=maintainer,
        code="14000000300099",
        values=_values(["动火作业票证审批", "受限空间作业气体检测"]),
        effective_from=D(2023, 1, 1),
    )


@pytest.fixture
def coal_item(maintainer) -> Any:
    return services.item_create(
        actor=maintainer,
        code="14000000100099",
        values=_values(["瓦斯检查记录"], industries=["coal_mine"]),
        effective_from=D(2023, 1, 1),
    )


STANDARD_FORM = {
    "kind": "national",
    "code": "gb  30871－2022",
    "title": "危险化学品企业特殊作业安全规范",
    "issued_by": "国家市场监督管理总局、国家标准化管理委员会",
    "issued_on": "2022-03-15",
    "effective_from": "2022-10-01",
    "industries": ["hazardous_chemicals"],
}


def test_a_maintainer_adds_a_standard_and_links_check_points(
    maintainer, login, client, item, coal_item
) -> None:
    browser = login(maintainer)
    assert browser.get(reverse("catalog:standard_new")).status_code == 200
    response = browser.post(reverse("catalog:standard_new"), STANDARD_FORM)
    standard = Standard.objects.get()
    assert standard.code == "GB 30871-2022"  # as printed: half-width, one space, capitals
    assert response["Location"] == reverse(
        "catalog:standard_check_points", kwargs={"pk": standard.pk}
    )
    assert AuditEvent.objects.filter(action="catalog.standard.created").count() == 1

    url = reverse("catalog:standard_check_points", kwargs={"pk": standard.pk})
    page = browser.get(url).content.decode()
    assert "动火作业票证审批" in page and "瓦斯检查记录" not in page  # its industries only
    assert "瓦斯检查记录" in browser.get(url, {"all": "1"}).content.decode()
    points = list(CheckPoint.objects.filter(version__item=item).order_by("order"))
    response = browser.post(url, {"check_points": [points[0].pk, points[1].pk]})
    assert response.status_code == 302
    assert set(standard.check_points.all()) == set(points)
    browser.post(url, {"check_points": [points[1].pk]})
    assert list(standard.check_points.all()) == [points[1]]
    events = AuditEvent.objects.filter(action="catalog.standard.check_points_set").order_by("seq")
    assert [len(e.changes["added"]) for e in events] == [2, 0]
    assert events.last().changes["removed"] == ["14000000300099 v1 #1"]
    browser.post(url, {"check_points": [points[1].pk]})  # no change, no event
    assert events.count() == 2

    public = client.get(reverse("catalog:standard_list")).content.decode()
    assert "受限空间作业气体检测" in public and "2022-03-15" in public
    detail = client.get(reverse("catalog:item_detail", kwargs={"code": item.code}))
    assert "GB 30871-2022" in detail.content.decode()


def test_a_standard_with_a_wrong_number_or_twice_is_refused_on_the_field(maintainer, login) -> None:
    browser = login(maintainer)
    cases = {
        "national": "AQ 3013-2008",
        "local": "GB 1-2000",
        "enterprise": "DB14/T 1-2020",
        "industry": "GB/T 33000-2016",
    }
    for kind, code in cases.items():
        response = browser.post(
            reverse("catalog:standard_new"), {**STANDARD_FORM, "kind": kind, "code": code}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["code"], kind
    late = browser.post(
        reverse("catalog:standard_new"), {**STANDARD_FORM, "effective_from": "2022-01-01"}
    )
    assert late.context["form"].errors["effective_from"]
    browser.post(reverse("catalog:standard_new"), STANDARD_FORM)
    twice = browser.post(reverse("catalog:standard_new"), STANDARD_FORM)
    assert twice.context["form"].errors["code"] == ["该标准已在标准库中。"]
    assert Standard.objects.count() == 1


def test_others_may_not_maintain_the_register(org, login, maintainer) -> None:
    standard = services.standard_create(
        actor=maintainer,
        values=StandardValues(code="GB 30871-2022", title="t", kind="national"),
    )
    url = reverse("catalog:standard_check_points", kwargs={"pk": standard.pk})
    for user in (org["legal"], org["city_admin"], org["county_inspector"], org["no_role"]):
        browser = login(user)
        assert browser.get(reverse("catalog:standard_new")).status_code == 403
        assert browser.post(reverse("catalog:standard_new"), STANDARD_FORM).status_code == 403
        assert browser.post(url, {"check_points": []}).status_code == 403
    with pytest.raises(NotPermitted):
        services.standard_create(
            actor=org["legal"], values=StandardValues(code="GB 1-2020", title="t", kind="national")
        )
    assert Standard.objects.count() == 1


def test_links_outside_the_offered_points_stay_and_unchanged_points_carry_over(
    maintainer, item
) -> None:
    standard = services.standard_create(
        actor=maintainer,
        values=StandardValues(code="GB 30871-2022", title="t", kind="national"),
    )
    v1_points = list(CheckPoint.objects.filter(version__item=item).order_by("order"))
    services.standard_check_points_set(
        actor=maintainer, standard=standard, check_points=v1_points, among=v1_points
    )
    v2 = services.item_version_create(
        actor=maintainer,
        item=item,
        values=_values(["动火作业票证审批", "受限空间作业前进行气体检测并记录"]),
        effective_from=D(2025, 1, 1),
        reason="GB 30871-2022",
    )
    v2_points = list(v2.check_points.order_by("order"))
    # the point kept word for word keeps its standard; the reworded one does not
    assert list(v2_points[0].standards.all()) == [standard]
    assert not v2_points[1].standards.exists()
    services.standard_check_points_set(
        actor=maintainer, standard=standard, check_points=[], among=v2_points
    )
    assert set(standard.check_points.all()) == set(v1_points)  # the old version's history stays
    with pytest.raises(ServiceError) as exc:
        services.standard_check_points_set(
            actor=maintainer, standard=standard, check_points=v1_points, among=v2_points
        )
    assert "check_points" in exc.value.fields


# --- Declarations --------------------------------------------------------------------------


@pytest.fixture
def standard(maintainer) -> Standard:
    return services.standard_create(
        actor=maintainer,
        values=StandardValues(
            code="GB 30871-2022", title="危险化学品企业特殊作业安全规范", kind="national"
        ),
    )


@pytest.fixture
def entities(make_entity) -> dict[str, Any]:
    return {
        "own": make_entity("140603", name="平鲁区测试化工有限公司", legal_representative="王五六"),
        "other": make_entity("140525", name="泽州县测试化工有限公司"),
    }


def test_a_county_officer_records_a_declaration_in_scope(
    org, login, client, standard, entities
) -> None:
    entity = entities["own"]
    url = reverse("catalog:declaration_new", kwargs={"uscc": entity.uscc})
    browser = login(org["county_inspector"])
    assert browser.get(url).status_code == 200
    response = browser.post(
        url,
        {
            "standard": standard.pk,
            "declared_on": "2025-06-01",
            "url": "https://www.cpbz.gov.cn/xx",
        },
    )
    assert response.status_code == 302
    declaration = StandardDeclaration.objects.get()
    assert (declaration.entity, declaration.standard) == (entity, standard)
    assert declaration.declared_on == D(2025, 6, 1)
    assert list(entity.declared_standards.all()) == [standard]
    event = AuditEvent.objects.get(action="catalog.standard.declared")
    assert event.region == "140603" and event.changes["standard"] == "GB 30871-2022"

    public = client.get(reverse("catalog:standard_list")).content.decode()
    assert "平鲁区测试化工有限公司" in public and "2025-06-01" in public
    assert "王五六" not in public and entity.uscc not in public  # nothing but the name

    profile = browser.get(reverse("entities:entity_detail", kwargs={"uscc": entity.uscc}))
    assert "标准自我声明：GB 30871-2022" in profile.content.decode()


def test_an_enterprise_standard_is_added_with_its_declaration(org, login, entities) -> None:
    entity = entities["own"]
    url = reverse("catalog:declaration_new", kwargs={"uscc": entity.uscc})
    browser = login(org["city_head"])  # the city above the county
    response = browser.post(
        url, {"new_code": "q/plhg 001-2024", "new_title": "工业硫酸", "declared_on": "2025-01-02"}
    )
    assert response.status_code == 302
    standard = Standard.objects.get(code="Q/PLHG 001-2024")
    assert standard.kind == "enterprise" and standard.issued_by == entity.name
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"catalog.standard.created", "catalog.standard.declared"} <= actions


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"declared_on": "2025-01-02"}, "standard"),  # neither
        ({"new_code": "Q/A 1-2024", "new_title": "x", "declared_on": "2025-01-02"}, "standard"),
        ({"new_code": "GB 1-2024", "new_title": "x", "declared_on": "2025-01-02"}, "new_code"),
        ({"new_code": "GB 30871-2022", "new_title": "x", "declared_on": "2025-01-02"}, "new_code"),
        ({"new_code": "Q/A 1-2024", "declared_on": "2025-01-02"}, "new_title"),
        ({"new_code": "Q/A 1-2024", "new_title": "x", "declared_on": "2099-01-01"}, "declared_on"),
    ],
)
def test_a_declaration_is_refused_on_the_field(org, login, standard, entities, data, field) -> None:
    if data.get("new_code") == "Q/A 1-2024" and field == "standard":
        data = {**data, "standard": standard.pk}  # both a chosen and a new standard
    url = reverse("catalog:declaration_new", kwargs={"uscc": entities["own"].uscc})
    response = login(org["county_inspector"]).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field], response.context["form"].errors
    assert not StandardDeclaration.objects.exists()
    assert Standard.objects.count() == 1


def test_another_countys_entity_is_not_found(org, login, standard, entities) -> None:
    other = entities["other"]
    url = reverse("catalog:declaration_new", kwargs={"uscc": other.uscc})
    for who in ("county_inspector", "county_admin", "city_head"):
        browser = login(org[who])
        assert browser.get(url).status_code == 404
        response = browser.post(url, {"standard": standard.pk, "declared_on": "2025-01-02"})
        assert response.status_code == 404
        find = browser.get(reverse("catalog:declaration_find"), {"uscc": other.uscc})
        assert find.status_code == 200 and find.context["form"].errors["uscc"]
    with pytest.raises(NotFound):
        services.standard_declaration_record(
            actor=org["county_inspector"],
            entity=other,
            standard=standard,
            declared_on=D(2025, 1, 2),
        )
    assert not StandardDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(action="catalog.standard.declared").exists()
    # the other county's own officer may
    own = login(org["other_county_inspector"]).get(url)
    assert own.status_code == 200


def test_the_way_in_finds_an_entity_of_the_jurisdiction(org, login, entities) -> None:
    browser = login(org["county_inspector"])
    assert browser.get(reverse("catalog:declaration_find")).status_code == 200
    found = browser.get(reverse("catalog:declaration_find"), {"uscc": entities["own"].uscc.lower()})
    assert found["Location"] == reverse(
        "catalog:declaration_new", kwargs={"uscc": entities["own"].uscc}
    )
    public = browser.get(reverse("catalog:standard_list")).content.decode()
    assert reverse("catalog:declaration_find") in public


def test_declarations_need_the_registry_capability(org, login, standard, entities) -> None:
    url = reverse("catalog:declaration_new", kwargs={"uscc": entities["own"].uscc})
    for who in ("legal", "no_role", "province_auditor"):
        browser = login(org[who])
        assert browser.get(url).status_code == 403
        assert (
            browser.post(url, {"standard": standard.pk, "declared_on": "2025-01-02"}).status_code
            == 403
        )
        assert browser.get(reverse("catalog:declaration_find")).status_code == 403


def test_a_declaration_is_recorded_once(org, standard, entities) -> None:
    record = {
        "actor": org["county_inspector"],
        "entity": entities["own"],
        "standard": standard,
        "declared_on": timezone.localdate(),
    }
    services.standard_declaration_record(**record)
    with pytest.raises(Conflict) as exc:
        services.standard_declaration_record(**record)
    assert "standard" in exc.value.fields


def test_the_public_lists_keep_their_query_count(
    client, org, maintainer, item, entities, django_assert_max_num_queries
) -> None:
    """The register's links and declarations, and the benchmarks' versions, are fetched once
    per page, however many there are."""
    points = list(CheckPoint.objects.filter(version__item=item))
    for n in range(5):
        standard = services.standard_create(
            actor=maintainer,
            values=StandardValues(code=f"GB {n + 1}-2020", title="t", kind="national"),
        )
        services.standard_check_points_set(
            actor=maintainer, standard=standard, check_points=points, among=points
        )
        services.standard_declaration_record(
            actor=org["county_inspector"],
            entity=entities["own"],
            standard=standard,
            declared_on=D(2025, 1, 2),
        )
        levels = [
            {"level": "minor", "penalty_kinds": ["warning"], "fine_min": 0, "fine_max": 0},
            {"level": "ordinary", "penalty_kinds": ["fine"], "fine_min": 0, "fine_max": 1000},
        ]
        kwargs = {
            "violation": "v",
            "legal_provision": "p",
            "penalty_basis": "b",
            "levels": levels,
            "factors": [],
            "items": [item],
        }
        services.benchmark_create(
            actor=maintainer, code=f"B-{n}", effective_from=D(2020, 1, 1), **kwargs
        )
        services.benchmark_version_create(
            actor=maintainer, code=f"B-{n}", effective_from=D(2099, 1, 1), reason="r", **kwargs
        )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("catalog:standard_list")).content.decode()
    assert page.count("平鲁区测试化工有限公司") == 5
    with django_assert_max_num_queries(8):
        assert client.get(reverse("catalog:benchmark_list")).status_code == 200


def test_the_entity_profile_lists_its_declared_standards(org, login, standard, entities) -> None:
    entity = entities["own"]
    services.standard_declaration_record(
        actor=org["county_inspector"], entity=entity, standard=standard, declared_on=D(2025, 1, 2)
    )
    page = login(org["county_inspector"]).get(
        reverse("entities:entity_detail", kwargs={"uscc": entity.uscc})
    )
    text = page.content.decode()
    assert "已声明的标准" in text
    assert standard.code in text and "2025-01-02" in text
    assert reverse("catalog:declaration_new", kwargs={"uscc": entity.uscc}) in text
