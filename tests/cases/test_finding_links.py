"""A violation on a submitted inspection record leads to its case: "立案" for an officer who
handles cases while none is open, a link to the case once one is."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.cases import services
from anjian.inspections.models import Finding, InspectionRecord
from tests.cases.conftest import open_case

pytestmark = pytest.mark.django_db


def _page(world: dict[str, Any], login: Any, who: str = "h1") -> str:
    url = reverse("inspections:record_detail", args=[world["record"].pk])
    response = login(world[who]).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _new_case_url(finding: Finding) -> str:
    return f"{reverse('cases:case_new')}?finding={finding.pk}"


def test_a_handler_sees_file_a_case_on_a_violation(world, login) -> None:
    page = _page(world, login)
    assert _new_case_url(world["finding"]) in page
    # The link leads to the case form with the finding ticked.
    form = login(world["h1"]).get(_new_case_url(world["finding"]))
    assert form.status_code == 200
    assert world["finding"].description in form.content.decode()


def test_no_link_for_who_does_not_handle_cases(world, login) -> None:
    for who in ("leader", "reviewer"):
        assert "/cases/new/" not in _page(world, login, who)


def test_no_link_on_a_draft_record_or_a_hazard(world, login) -> None:
    hazard = Finding.objects.create(
        record=world["record"], kind="hazard", description="皮带机托辊缺失", created_by=world["h1"],
        fact_date=world["finding"].fact_date, severity="general",
    )  # fmt: skip
    assert _new_case_url(hazard) not in _page(world, login)
    InspectionRecord.objects.filter(pk=world["record"].pk).update(status="draft")
    assert _new_case_url(world["finding"]) not in _page(world, login)


def test_a_finding_in_a_case_links_to_the_case(world, login) -> None:
    case = open_case(world)
    page = _page(world, login, "leader")  # anyone who may see the record and the case
    assert reverse("cases:case_detail", args=[case.pk]) in page
    assert case.number in page
    page = _page(world, login)
    assert _new_case_url(world["finding"]) not in page
    assert reverse("cases:case_detail", args=[case.pk]) in page


def test_after_a_refused_filing_the_violation_may_be_filed_again(world, login) -> None:
    case = open_case(world)
    services.case_filing_decide(actor=world["leader"], case=case, approve=False, note="证据不足")
    page = _page(world, login)
    assert reverse("cases:case_detail", args=[case.pk]) not in page
    assert _new_case_url(world["finding"]) in page
