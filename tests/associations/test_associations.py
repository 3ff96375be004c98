"""Industry associations (N4.3): registered by the bureau with member units in its scope; the
association's account sees its members' public data and publishes conventions on the portal."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.accounts.roles import Role
from anjian.associations import services
from anjian.associations.models import Association, Convention
from anjian.core.errors import NotFound, ServiceError
from tests.conftest import make_uscc
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db


def test_a_county_adds_only_units_it_sees(assoc: dict[str, Any], make_user: Any) -> None:
    county = make_user("140525", [Role.INSPECTOR])
    b = services.association_create(
        actor=county, name="泽州县安全协会", code=make_uscc("140525", 902, prefix="51")
    )
    with pytest.raises(ServiceError):
        services.member_add(actor=county, association=b, uscc=assoc["member"].uscc)
    with pytest.raises(NotFound):  # the province's association is not the county's
        services.member_add(actor=county, association=assoc["a"], uscc=assoc["outsider"].uscc)
    with pytest.raises(ServiceError) as exc:
        services.association_create(actor=county, name="x", code="123")
    assert "code" in exc.value.fields


def test_the_association_sees_its_members_and_publishes(
    assoc: dict[str, Any], login: Any, client: Any
) -> None:
    page = login(assoc["account"]).get(reverse("associations:my_page"))
    html = page.content.decode()
    assert page.status_code == 200 and "平鲁会员煤业有限公司" in html
    assert "泽州非会员" not in html and not untranslated_words(html)
    login(assoc["account"]).post(
        reverse("associations:my_page"),
        {
            "title": "煤炭行业安全生产自律公约",
            "body": "会员单位承诺严格落实安全生产主体责任，按时排查治理隐患。",
        },
    )
    assert Convention.objects.count() == 1
    public = client.get(reverse("associations:portal_conventions")).content.decode()
    assert "煤炭行业安全生产自律公约" in public and "山西省煤炭工业协会" in public


def test_an_unbound_association_account_and_staff_are_refused(
    assoc: dict[str, Any], make_user: Any, login: Any
) -> None:
    loose = make_user(None, [Role.ASSOCIATION], username="loose_assoc")
    page = login(loose).get(reverse("associations:my_page"))
    assert page.status_code == 200 and "尚未绑定" in page.content.decode()
    assert login(loose).post(reverse("associations:my_page"), {"title": "x"}).status_code == 404
    with pytest.raises(NotFound):
        services.convention_publish(actor=loose, title="x", body="y" * 30)
    county = make_user("140525", [Role.INSPECTOR])
    url = reverse("associations:association_detail", kwargs={"pk": assoc["a"].pk})
    assert login(county).get(url).status_code == 404
    assert login(assoc["admin"]).get(url).status_code == 200
    assert Association.objects.visible_to(assoc["account"]).count() == 0
