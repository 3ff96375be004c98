"""The officer pages, the portal pages and GET /api/publications: what each shows to whom, and
that publishing cannot be forged (CSRF, role, jurisdiction)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.publications.services import add_months, publication_publish
from tests.publications.conftest import ID_NUMBER

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_today(clock) -> None:
    clock.pin_date(TODAY)  # a run crossing midnight keeps agreeing with TODAY


@pytest.fixture
def head(make_user):
    return make_user("140603", ["division_head"], username="pl_head")


def test_the_list_highlights_overdue_and_offers_publish_to_the_manager(
    schedule, head, login, org
) -> None:
    late = schedule(decided_on=datetime.date(2025, 9, 30))
    schedule()
    html = login(head).get(reverse("publications:publication_list")).content.decode()
    assert late.fields["decision_number"] in html
    assert "table-danger" in html and html.count("table-danger") == 1
    assert reverse("publications:publication_publish", args=[late.pk]) in html
    # an inspector sees the list but no publish button
    html = login(org["county_inspector"]).get(reverse("publications:publication_list"))
    assert reverse("publications:publication_publish", args=[late.pk]) not in html.content.decode()


def test_publish_from_the_page(schedule, head, login) -> None:
    publication = schedule()
    response = login(head).post(reverse("publications:publication_publish", args=[publication.pk]))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == "published"
    portal = Client().get(reverse("publications:portal_list")).content.decode()
    assert publication.party_name in portal


def test_publish_without_csrf_token_is_refused(schedule, head) -> None:
    publication = schedule()
    client = Client(enforce_csrf_checks=True)
    client.force_login(head)
    response = client.post(reverse("publications:publication_publish", args=[publication.pk]))
    assert response.status_code == 403
    publication.refresh_from_db()
    assert publication.status == "scheduled"


def test_publish_by_get_or_without_the_role_is_refused(schedule, head, login, org) -> None:
    publication = schedule()
    url = reverse("publications:publication_publish", args=[publication.pk])
    assert login(head).get(url).status_code == 405
    assert login(org["county_inspector"]).post(url).status_code == 403
    assert login(org["county_admin"]).post(url).status_code == 403
    publication.refresh_from_db()
    assert publication.status == "scheduled"


def test_withdraw_needs_a_reason(schedule, head, login) -> None:
    publication = schedule()
    client = login(head)
    url = reverse("publications:publication_withdraw", args=[publication.pk])
    client.post(url, {"reason": ""})
    publication.refresh_from_db()
    assert publication.status == "scheduled"
    client.post(url, {"reason": "决定已撤销"})
    publication.refresh_from_db()
    assert publication.status == "withdrawn"


def test_the_portal_never_shows_unmasked_text(schedule, head) -> None:
    publication = schedule(individual=True)
    publication_publish(head, publication)
    client = Client()
    for url in (
        reverse("publications:portal_list"),
        reverse("publications:portal_list") + "?q=张",
        reverse("publications:portal_detail", args=[publication.pk]),
    ):
        html = client.get(url).content.decode()
        assert "张*" in html
        for secret in (ID_NUMBER, "张三", "13812345678", "新建街12号"):
            assert secret not in html, (url, secret)


def test_the_portal_detail_hides_scheduled_withdrawn_and_ended(schedule, head, login) -> None:
    scheduled = schedule()
    ended = schedule(decided_on=add_months(TODAY, -13))
    publication_publish(head, ended, on=ended.decided_on + datetime.timedelta(days=1))
    shown = schedule()
    publication_publish(head, shown)
    client = Client()
    assert client.get(reverse("publications:portal_detail", args=[shown.pk])).status_code == 200
    for hidden in (scheduled, ended):
        url = reverse("publications:portal_detail", args=[hidden.pk])
        assert client.get(url).status_code == 404
    login(head).post(
        reverse("publications:publication_withdraw", args=[shown.pk]), {"reason": "撤销"}
    )
    assert client.get(reverse("publications:portal_detail", args=[shown.pk])).status_code == 404
    assert ended.party_name not in client.get(reverse("publications:portal_list")).content.decode()


def test_the_portal_list_searches_and_pages(schedule, head) -> None:
    publications = [schedule() for _ in range(22)]
    for p in publications:
        publication_publish(head, p)
    client = Client()
    first = client.get(reverse("publications:portal_list")).content.decode()
    assert publications[-1].party_name in first and publications[0].party_name not in first
    second = client.get(reverse("publications:portal_list") + "?page=2").content.decode()
    assert publications[0].party_name in second
    code = publications[3].party_uscc
    found = client.get(reverse("publications:portal_list"), {"q": code}).content.decode()
    assert publications[3].party_name in found and publications[4].party_name not in found


def test_another_countys_publication_is_404_on_the_officer_pages(schedule, login, org) -> None:
    theirs = schedule("140525")
    client = login(org["city_head"])
    assert (
        client.get(reverse("publications:publication_detail", args=[theirs.pk])).status_code == 404
    )
    html = client.get(reverse("publications:publication_list")).content.decode()
    assert theirs.party_name not in html


def test_api_lists_the_callers_jurisdiction(schedule, login, org, client) -> None:
    mine = schedule("140603", decided_on=datetime.date(2025, 9, 30))
    schedule("140525")
    assert client.get("/api/publications").status_code == 401
    body = login(org["county_admin"]).get("/api/publications").json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    item = body["items"][0]
    assert item["overdue"] is True and item["status"] == "scheduled"
    assert item["fields"]["decision_number"] == mine.fields["decision_number"]
    overdue = login(org["province_admin"]).get("/api/publications?overdue=true").json()
    assert [i["id"] for i in overdue["items"]] == [mine.pk]
    assert login(org["no_role"]).get("/api/publications").status_code == 403
