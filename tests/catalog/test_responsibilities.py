"""N1.1 (issue 19): each bureau names its own leader in charge, handling unit and officers per
item, without a new item version; only its own administrator does; audited; public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.catalog.models import ItemResponsibility, ItemVersion
from anjian.catalog.responsibilities import ResponsibilityValues, item_responsibility_set
from anjian.core.errors import NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _values(**extra) -> ResponsibilityValues:
    values = {"leader": "王建国", "handling_unit": "执法大队", "officers": ["张伟", "李娜"]}
    values.update(extra)
    return ResponsibilityValues(**values)


def test_a_county_names_its_own_people_without_a_new_version(org, item) -> None:
    admin = org["county_admin"]
    versions = ItemVersion.objects.count()
    row = item_responsibility_set(actor=admin, item=item, bureau=admin.bureau, values=_values())
    assert (row.leader, row.handling_unit, row.officers) == ("王建国", "执法大队", ["张伟", "李娜"])
    item_responsibility_set(
        actor=admin, item=item, bureau=admin.bureau, values=_values(officers=["赵敏"])
    )
    assert ItemVersion.objects.count() == versions  # no new law version
    assert ItemResponsibility.objects.get().officers == ["赵敏"]
    events = AuditEvent.objects.filter(action="catalog.responsibility.set").order_by("seq")
    assert events.count() == 2
    assert events.last().changes["officers"] == [["张伟", "李娜"], ["赵敏"]]
    assert events.last().region == "140603"
    # The city names its own, alongside.
    city = org["city_admin"]
    item_responsibility_set(actor=city, item=item, bureau=city.bureau, values=_values())
    assert ItemResponsibility.objects.filter(item=item).count() == 2


@pytest.mark.parametrize("who", ["other_county_admin", "province_admin", "city_admin"])
def test_another_bureau_cannot_edit_yours(org, item, who) -> None:
    county = org["county_admin"].bureau
    with pytest.raises(NotPermitted):
        item_responsibility_set(actor=org[who], item=item, bureau=county, values=_values())
    assert not ItemResponsibility.objects.exists()


def test_an_inspector_cannot_name_them_and_the_page_refuses_another_bureau(
    org, item, login
) -> None:
    inspector = org["county_inspector"]
    with pytest.raises(NotPermitted):
        item_responsibility_set(
            actor=inspector, item=item, bureau=inspector.bureau, values=_values()
        )
    url = reverse("catalog:item_responsibility", args=[item.code])
    assert login(inspector).get(url).status_code == 403
    # The page edits the user's own bureau only: another bureau's rows stay as they were.
    item_responsibility_set(
        actor=org["county_admin"], item=item, bureau=org["county_admin"].bureau, values=_values()
    )
    login(org["other_county_admin"]).post(
        url, {"leader": "冒名", "handling_unit": "x", "officers": "y"}
    )
    assert ItemResponsibility.objects.get(bureau=org["county_admin"].bureau).leader == "王建国"


def test_each_value_is_required_and_named(org, item) -> None:
    admin = org["county_admin"]
    with pytest.raises(ServiceError) as exc:
        item_responsibility_set(
            actor=admin,
            item=item,
            bureau=admin.bureau,
            values=_values(leader=" ", handling_unit="", officers=[]),
        )
    assert set(exc.value.fields) == {"leader", "handling_unit", "officers"}


def test_an_item_not_exercised_at_the_level_names_no_one(org, make_item) -> None:
    provincial = make_item("对煤矿安全生产许可的监督检查", levels=["province"])
    admin = org["county_admin"]
    with pytest.raises(ServiceError) as exc:
        item_responsibility_set(actor=admin, item=provincial, bureau=admin.bureau, values=_values())
    assert "item" in exc.value.fields


def test_the_public_catalog_lists_them_per_bureau(client, org, item, login) -> None:
    admin = org["county_admin"]
    response = login(admin).post(
        reverse("catalog:item_responsibility", args=[item.code]),
        {"leader": "王建国", "handling_unit": "执法大队", "officers": "张伟、李娜"},
    )
    assert response.status_code == 302
    listing = client.get(reverse("catalog:item_list"), {"bureau": admin.bureau.pk})
    page = listing.content.decode()
    assert "王建国" in page and "执法大队" in page and "张伟、李娜" in page
    other = client.get(
        reverse("catalog:item_list"), {"bureau": org["other_county_admin"].bureau.pk}
    )
    assert "王建国" not in other.content.decode()
    detail = client.get(reverse("catalog:item_detail", args=[item.code])).content.decode()
    assert admin.bureau.name in detail and "王建国" in detail
    # Staff see their own bureau's by default, with the link to change them.
    own = login(admin).get(reverse("catalog:item_list")).content.decode()
    assert "王建国" in own and reverse("catalog:item_responsibility", args=[item.code]) in own


def test_a_bad_form_names_the_field(org, item, login) -> None:
    response = login(org["county_admin"]).post(
        reverse("catalog:item_responsibility", args=[item.code]),
        {"leader": "王建国", "handling_unit": "执法大队", "officers": "、"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["officers"]


def test_the_demo_names_a_bureaus_people_from_its_staff(org, item, make_user) -> None:
    from anjian.catalog.responsibilities import responsibilities_demo_load

    make_user("140603", ["bureau_leader"], username="pl_lead", full_name="周明")
    assert responsibilities_demo_load(regions=("140603",)) == 1
    row = ItemResponsibility.objects.get()
    assert row.leader == "周明" and row.handling_unit == "综合科"
    assert row.officers == [str(org["county_inspector"])]
    assert responsibilities_demo_load(regions=("140603",)) == 0  # once
