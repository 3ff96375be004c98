"""The API shell: authentication, the one error shape, keyset pagination."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from anjian.accounts.models import RoleAssignment
from anjian.accounts.services import api_token_create
from anjian.core.services import SYSTEM_ACTOR, audit_record

pytestmark = pytest.mark.django_db


def _bearer(user) -> Client:
    _, key = api_token_create(actor=SYSTEM_ACTOR, user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_openapi_schema_and_docs_are_served(client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/audit/events" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_token_authentication_limits_to_the_token_owners_scope(org) -> None:
    body = _bearer(org["county_admin"]).get("/api/me").json()
    assert body["username"] == "county_admin"
    assert body["region_code"] == "140603"
    assert "users.manage" in body["capabilities"]


def test_a_bad_token_is_401(client) -> None:
    response = client.get("/api/me", HTTP_AUTHORIZATION="Bearer anj_not-a-token")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "unauthorized",
            "message": "Log in or send a valid bearer token.",
            "fields": {},
        }
    }


def test_validation_errors_name_the_field(org) -> None:
    client = _bearer(org["county_admin"])
    response = client.post(
        f"/api/users/{org['county_inspector'].pk}/certificates",
        json.dumps(
            {
                "number": "N1",
                "issued_by": "x",
                "valid_from": "not a date",
                "valid_until": "2027-01-01",
                "specialties": [],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "valid_from" in error["fields"]


def test_service_refusals_use_the_same_shape(org) -> None:
    client = _bearer(org["county_admin"])
    response = client.post(
        "/api/users",
        json.dumps(
            {
                "username": "county_insp",
                "password": "weak",
                "bureau_id": org["county_admin"].bureau_id,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "username" in error["fields"]


def test_a_role_without_the_capability_gets_403(org) -> None:
    response = _bearer(org["county_inspector"]).get("/api/users")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_api_writes_are_audited_as_api(org) -> None:
    client = _bearer(org["county_admin"])
    response = client.post(
        f"/api/users/{org['county_inspector'].pk}/certificates",
        json.dumps(
            {
                "number": "14060326000001",
                "issued_by": "山西省人民政府",
                "valid_from": "2026-01-01",
                "valid_until": "2031-01-01",
                "specialties": ["coal_mine", "non_coal_mine"],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    RoleAssignment.objects.create(user=org["legal"], role="auditor")
    auditor = _bearer(org["legal"])  # 平鲁区 lies under the city reviewer's 朔州市
    events = auditor.get("/api/audit/events?action=accounts.certificate.issued").json()["items"]
    assert events[0]["source"] == "api" and events[0]["actor"] == "county_admin"
    assert events[0]["changes"]["number"] == "14060326000001"
    # an inspector may not read the audit trail, and is told so in the error shape
    refused = _bearer(org["county_inspector"]).get("/api/audit/events")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_keyset_pagination_walks_every_event_once(org) -> None:
    for i in range(23):
        audit_record(
            actor=SYSTEM_ACTOR, action="test.page", object_id=str(i), region="140603", changes={}
        )
    client = _bearer(org["province_auditor"])
    seen: list[int] = []
    url = "/api/audit/events?action=test.page&limit=10"
    pages = 0
    while url:
        body = client.get(url).json()
        seen.extend(e["seq"] for e in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        url = f"/api/audit/events?action=test.page&limit=10&cursor={cursor}" if cursor else ""
    assert pages == 3
    assert len(seen) == 23 and seen == sorted(seen, reverse=True) and len(set(seen)) == 23


@pytest.mark.parametrize("cursor", ["garbage", "eyJrIjpbMV19", "%%%"])
def test_a_bad_cursor_is_a_clear_error(org, cursor: str) -> None:
    response = _bearer(org["province_auditor"]).get(f"/api/audit/events?cursor={cursor}")
    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_page_size_is_capped(org, settings) -> None:
    settings.ANJIAN_API_PAGE_MAX = 5
    for i in range(7):
        audit_record(actor=SYSTEM_ACTOR, action="test.cap", object_id=str(i), changes={})
    body = _bearer(org["province_auditor"]).get("/api/audit/events?limit=1000").json()
    assert len(body["items"]) == 5 and body["next_cursor"]


def test_public_chain_head_needs_no_login(client) -> None:
    event = audit_record(actor=SYSTEM_ACTOR, action="test.head", changes={})
    body = client.get("/api/audit/head").json()
    assert body["seq"] == event.seq and body["hash"] == event.hash
    html = client.get("/portal/audit-head/").content.decode()
    assert event.hash in html and str(event.seq) in html


def test_a_token_stops_when_its_users_password_expires_or_the_account_locks(org) -> None:
    """A token acts for its user: it must not outlive what would stop the user logging in."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    user = org["county_admin"]
    client = _bearer(user)
    assert client.get("/api/me").status_code == 200
    user.password_changed_at = timezone.now() - datetime.timedelta(
        days=settings.ANJIAN_PASSWORD_MAX_AGE_DAYS + 1
    )
    user.save(update_fields=["password_changed_at"])
    assert client.get("/api/me").status_code == 401
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    assert client.get("/api/me").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):  # five wrong passwords on the login page
        Client().post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert client.get("/api/me").status_code == 401
