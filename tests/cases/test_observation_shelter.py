"""N3.5 at the point where a case asks the catalog (issue 19): the observation period shelters
a violation only on the catalog's rule (catalog/observation.py), the proposal is refused with
the reasons, and the case keeps the reasons it was decided on."""

from __future__ import annotations

import datetime

import pytest

from anjian.cases import services
from anjian.cases.models import Case
from anjian.catalog.exemptions import ExemptionValues, exemption_add
from anjian.catalog.models import DiscretionBenchmark
from anjian.core.errors import ServiceError
from tests.cases.conftest import LONG_AGO, TODAY, investigating, proposal

pytestmark = pytest.mark.django_db


def _in_observation(world, *, end: datetime.date | None = None) -> None:
    entity = world["entity"]
    entity.new_business_form = True
    entity.observation_start = LONG_AGO - datetime.timedelta(days=100)
    entity.observation_end = end or TODAY + datetime.timedelta(days=300)
    entity.save()


def _list(org, code: str = "AQF-TEST-1", tiers: list[str] | None = None) -> None:
    exemption_add(
        actor=org["province_admin"],
        values=ExemptionValues(
            kind="first_offence",
            benchmark_code=code,
            conditions="初次违法、危害后果轻微并及时改正",
            tiers=tiers or [],
            source="山西省应急管理领域首违不罚清单",
            effective_from=LONG_AGO - datetime.timedelta(days=365),
        ),
    )


def test_an_ordinary_tier_named_by_the_exemption_list_is_sheltered(world, org) -> None:
    _in_observation(world)
    _list(org, tiers=["ordinary"])
    case = investigating(world, _no_proposal=True)
    confirmed = {"discretion_facts": {"answers": {"exemption_conditions_met": True}}}
    with pytest.raises(ServiceError) as exc:
        services.case_proposal_set(actor=world["h1"], case=case, values=proposal(**confirmed))
    message = str(exc.value.fields["measures"][0])
    assert "山西省应急管理领域首违不罚清单" in message  # the officer reads why
    # Without the officer confirming the row's conditions, the list does not apply.
    services.case_proposal_set(actor=world["h1"], case=case, values=proposal())
    shelter = Case.objects.get(pk=case.pk).discretion["shelter"]
    assert shelter["applies"] is False and shelter["in_observation"] is True
    assert any("首违不罚清单" in r for r in shelter["reasons"])


def test_unlicensed_operation_is_not_sheltered_even_at_its_minor_tier(world, org) -> None:
    DiscretionBenchmark.objects.filter(code="AQF-TEST-1").update(unlicensed_operation=True)
    _in_observation(world)
    case = investigating(world, _no_proposal=True)
    minor = {"discretion_facts": {"first_offence": True, "corrected_in_time": True}}
    services.case_proposal_set(
        actor=world["h1"], case=case, values=proposal(fine_amount=20_000, **minor)
    )
    case = Case.objects.get(pk=case.pk)
    assert case.measures == ["correction_order", "fine"]
    assert case.discretion["shelter"]["applies"] is False
    # ... unless the province's list names it.
    _list(org)
    with pytest.raises(ServiceError):
        services.case_proposal_set(
            actor=world["h1"],
            case=case,
            values=proposal(
                fine_amount=20_000,
                discretion_facts={
                    "first_offence": True,
                    "corrected_in_time": True,
                    "answers": {"exemption_conditions_met": True},
                },
            ),
        )


def test_an_open_observation_period_shelters_nothing(world) -> None:
    _in_observation(world)
    type(world["entity"]).objects.filter(pk=world["entity"].pk).update(observation_end=None)
    case = investigating(world, _no_proposal=True)
    minor = {"discretion_facts": {"first_offence": True, "corrected_in_time": True}}
    services.case_proposal_set(
        actor=world["h1"], case=case, values=proposal(fine_amount=20_000, **minor)
    )
    shelter = Case.objects.get(pk=case.pk).discretion["shelter"]
    assert shelter["applies"] is False and shelter["in_observation"] is False
    assert "end date" in shelter["reasons"][0] or "结束日期" in shelter["reasons"][0]


def test_the_case_page_says_why_in_chinese(world, org, login) -> None:
    """The officer reads on the case why the observation period did or did not shelter it, in
    Chinese, without codes; the catalog's new pages read the same way."""
    from django.urls import reverse

    from anjian.accounts.models import User
    from anjian.catalog.responsibilities import ResponsibilityValues, item_responsibility_set
    from tests.page_words import untranslated_words

    _in_observation(world)
    _list(org, tiers=["minor"])
    case = investigating(world)  # ordinary tier, not named by the list's tiers: not sheltered
    users = set(User.objects.values_list("username", flat=True))
    page = login(world["h1"]).get(
        reverse("cases:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    assert "不适用观察期首先指导的规则" in text and "观察期" in text
    assert untranslated_words(text, allowed=users) == []
    admin = org["county_admin"]
    item = world["finding"].record.task.item
    item_responsibility_set(
        actor=admin,
        item=item,
        bureau=admin.bureau,
        values=ResponsibilityValues(leader="王建国", handling_unit="执法大队", officers=["张伟"]),
    )
    row = world["benchmark"].code
    for user, url in [
        (admin, reverse("catalog:item_list")),
        (admin, reverse("catalog:item_detail", args=[item.code])),
        (admin, reverse("catalog:item_responsibility", args=[item.code])),
        (admin, reverse("catalog:exemption_list") + "?on=" + TODAY.isoformat()),
        (org["province_admin"], reverse("catalog:exemption_new")),
        (org["province_admin"], reverse("catalog:exemption_list")),
    ]:
        response = login(user).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        assert untranslated_words(response.content.decode(), allowed=users) == [], url
    assert row in login(admin).get(reverse("catalog:exemption_list")).content.decode()
