"""Scope (N4.2): an enterprise account reads its own entity's records and nothing else. Every
enterprise page and download tried on another entity's records answers 404; staff pages and the
API stay closed; a co-party's personal data never shows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from anjian.cases.models import Case
from anjian.credit.models import CreditRecord
from anjian.documents.models import OfficialDocument
from anjian.inspections.models import CorrectionOrder, Finding, InspectionRecord
from tests import test_access
from tests.test_access import API_DETAIL, API_LISTS, API_WRITES, PAGES, _api_url, _call, _url

other = test_access.other  # the access table's objects of 泽州县, as a fixture here too

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(own: Any, principal: Any, make_entity: Any, entity_file: Any) -> dict:
    neighbour = make_entity("140603", name="平鲁邻居煤业有限公司")
    return {"mine": entity_file(own), "theirs": entity_file(neighbour), "user": principal}


def test_models_show_the_bound_entity_s_rows_only(two: dict) -> None:
    user, mine, theirs = two["user"], two["mine"], two["theirs"]
    assert list(InspectionRecord.objects.visible_to(user)) == [mine["record"]]  # not the draft
    assert list(Finding.objects.visible_to(user)) == [mine["finding"]]
    assert list(CorrectionOrder.objects.visible_to(user)) == [mine["order"]]
    assert list(Case.objects.visible_to(user)) == [mine["case"]]  # not the co-party's row
    assert set(OfficialDocument.objects.visible_to(user)) == {mine["notice"], mine["record_doc"]}
    assert list(CreditRecord.objects.visible_to(user)) == [mine["credit_record"]]
    assert theirs["order"] not in CorrectionOrder.objects.visible_to(user)


def test_own_pages_show_own_records(two: dict, login: Any) -> None:
    client = login(two["user"])
    mine = two["mine"]
    for name, args, text in [
        ("enterprise:home", [], "平鲁测试煤业有限公司"),
        ("enterprise:inspection_list", [], mine["record"].number),
        ("enterprise:inspection_detail", [mine["record"].pk], mine["finding"].description),
        ("enterprise:case_list", [], mine["case"].number),
        ("enterprise:case_detail", [mine["case"].pk], mine["notice"].number),
        ("enterprise:document_list", [], mine["notice"].number),
        ("enterprise:credit", [], mine["credit_record"].title),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert text in page, name
        assert "邻居" not in page, name
        assert "赵责任" not in page and "110101199003074514" not in page, name
    assert (
        client.get(reverse("enterprise:document_pdf", args=[mine["notice"].pk])).status_code == 200
    )


def test_another_entity_s_every_page_and_download_is_not_found(two: dict, login: Any) -> None:
    client = login(two["user"])
    theirs, mine = two["theirs"], two["mine"]
    for name, pk in [
        ("enterprise:inspection_detail", theirs["record"].pk),
        ("enterprise:inspection_detail", mine["draft"].pk),
        ("enterprise:case_detail", theirs["case"].pk),
        ("enterprise:case_detail", mine["co_party"].pk),
        ("enterprise:document_pdf", theirs["notice"].pk),
        ("enterprise:document_pdf", mine["internal"].pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, (name, pk)


# The enterprise's own pages: the enterprise app's, and the accident and annual reports it files
# (`my_…` in those apps); every other page of the access table is staff's.
ENTERPRISE_OWN = ("enterprise:", "accidents:my_", "annualreports:my_")


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if not p.public and not p.any_user and not p.name.startswith(ENTERPRISE_OWN)],
    ids=lambda p: p.name,
)
def test_staff_pages_stay_closed_to_an_enterprise_user(
    page: Any, other: dict, activate: Any, login: Any
) -> None:
    """Bound to the very entity the staff pages' objects belong to, and still refused."""
    user = activate(other["entity"]).user
    response = _call(login(user), page, _url(page, other))
    assert response.status_code in (403, 404), page.name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        *(("get", p) for p in [*API_DETAIL, *API_LISTS]),
        *(("post", p) for p in API_WRITES),
    ],
    ids=lambda v: str(v),
)
def test_the_api_stays_closed_to_an_enterprise_user(
    method: str, path: str, other: dict, activate: Any, login: Any
) -> None:
    """Bound to the entity the objects belong to: the API still answers 403 or 404."""
    user = activate(other["entity"]).user
    url = _api_url(path, other)
    client = login(user)
    if method == "post":
        body = json.dumps(API_WRITES[path])
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code in (403, 404), path
