"""The data-scope rule: the province sees all, a city itself and its counties, a county itself."""

from __future__ import annotations

import pytest

from anjian.accounts.models import Bureau, User
from anjian.core.scope import ALL, region_codes_under, visible_region_codes

pytestmark = pytest.mark.django_db


def test_region_register_has_every_shanxi_division() -> None:
    from anjian.core.models import Region

    assert Region.objects.filter(level="city").count() == 11
    counties = Region.objects.filter(level="county", statistical_only=False)
    assert counties.count() == 117
    assert Region.objects.get(code="140171").statistical_only  # 山西转型综合改革示范区
    assert Region.objects.get(code="140603").full_name == "山西省朔州市平鲁区"


def test_region_codes_under_a_city_are_the_city_and_its_counties() -> None:
    codes = region_codes_under("140600")
    assert codes[0] == "140600"
    assert "140603" in codes and "140525" not in codes
    assert all(c.startswith("1406") for c in codes)


def test_visible_codes_per_level(org: dict[str, User]) -> None:
    assert visible_region_codes(org["province_admin"]) is ALL
    city = visible_region_codes(org["city_admin"])
    assert city is not None and "140603" in city and "140600" in city and "140525" not in city
    assert visible_region_codes(org["county_admin"]) == ["140603"]


def test_nobody_without_a_bureau_sees_jurisdiction_data(make_user) -> None:
    loner = make_user(None, [])
    assert visible_region_codes(loner) == []
    assert not Bureau.objects.visible_to(loner).exists()


def test_inactive_user_sees_nothing(org: dict[str, User]) -> None:
    user = org["province_admin"]
    user.is_active = False
    assert not Bureau.objects.visible_to(user).exists()


def test_visible_to_filters_through_relations(org: dict[str, User]) -> None:
    county_users = set(
        User.objects.visible_to(org["county_admin"]).values_list("username", flat=True)
    )
    assert "county_insp" in county_users
    assert "other_insp" not in county_users and "city_admin" not in county_users
    city_users = set(User.objects.visible_to(org["city_admin"]).values_list("username", flat=True))
    assert {"county_insp", "city_head"} <= city_users
    assert "other_insp" not in city_users and "prov_admin" not in city_users


def test_region_ancestors_run_from_a_county_up_to_the_province() -> None:
    from anjian.core.scope import region_ancestors

    assert region_ancestors("140603") == ["140603", "140600", "140000"]
    assert region_ancestors("140000") == ["140000"]
    assert region_ancestors("999999") == []


def test_region_q_restricts_below_the_province_only() -> None:
    from django.db.models import Q

    from anjian.core.scope import region_q

    assert region_q("region_id", "140000") == Q()
    assert region_q("region_id", "140600") == Q(region_id__in=region_codes_under("140600"))
