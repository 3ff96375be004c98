"""Property-based API testing with Schemathesis: every operation of /api/openapi.json, fed
generated (valid and invalid) input by a province administrator + auditor, never answers 5xx.

The schema is read from the running WSGI application, so what is tested is what is served.
Generation is bounded and derandomised: the same cases run every time, in a few seconds.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anjian.accounts.models import EnforcementCertificate, User
from anjian.accounts.services import api_token_create
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR
from anjian.wsgi import application

pytestmark = pytest.mark.django_db


def _app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The WSGI application, minus the closing of database connections around each request.

    The start and end of a request close a connection found inside a transaction; the test's
    transaction would go with it (on PostgreSQL). Django's test client disconnects them too.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return [body]


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _app)

# No 5xx, ever; and every answer, error or not, is documented and has its documented shape.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def bearer_key(make_user: Callable[..., User]) -> str:
    """A bearer token of a province administrator and auditor: the widest scope there is."""
    user = make_user("140000", ["administrator", "auditor"], username="st_admin")
    _, key = api_token_create(actor=SYSTEM_ACTOR, user=user, name="schemathesis")
    return key


@pytest.fixture
def existing(
    bearer_key: str,
    make_user: Callable[..., User],
    make_certificate: Callable[..., EnforcementCertificate],
) -> dict[str, int]:
    """Objects that exist, so generated input can also reach past the 404s into the services."""
    inspector = make_user("140603", ["inspector"], username="st_inspector")
    certificate = make_certificate(inspector)
    event = AuditEvent.objects.order_by("-seq").first()
    assert inspector.bureau_id is not None and inspector.division_id is not None
    assert event is not None
    return {
        "bureau_id": inspector.bureau_id,
        "division_id": inspector.division_id,
        "user_id": inspector.pk,
        "certificate_id": certificate.pk,
        "seq": event.seq,
    }


def _aim_at_existing(case: schemathesis.Case, existing: dict[str, int]) -> bool:
    """Point the case's identifiers at existing objects; False if it names none."""
    changed = False
    for name in list(case.path_parameters or {}):
        if name in existing:
            case.path_parameters[name] = existing[name]
            changed = True
    if isinstance(case.body, dict):
        for name in ("bureau_id", "division_id"):
            if name in case.body:
                case.body[name] = existing[name]
                changed = True
    return changed


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented_never_5xx(
    case: schemathesis.Case, bearer_key: str, existing: dict[str, int]
) -> None:
    headers = {"Authorization": f"Bearer {bearer_key}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
    # Random identifiers mostly miss (404); send the same input once more at real objects.
    if _aim_at_existing(case, existing):
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_a_422_has_the_one_error_shape(bearer_key: str) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {bearer_key}")
    cases = [
        client.get("/api/audit/events", {"limit": "many"}),
        client.get("/api/audit/events/not-a-number"),
        client.post("/api/users", json.dumps({"username": "x"}), content_type="application/json"),
    ]
    for response in cases:
        assert response.status_code == 422, response.content
        body = response.json()
        assert set(body) == {"error"}
        error = body["error"]
        assert set(error) == {"code", "message", "fields"}
        assert error["code"] == "validation_error"
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["fields"], dict) and error["fields"]
        for name, messages in error["fields"].items():
            assert isinstance(name, str)
            assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)

    # A body that is not JSON at all is a 400, in the same shape.
    response = client.post("/api/users", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


# Regressions for the 500s this suite turned up (PostgreSQL refuses what SQLite stores).


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps({"k": value}).encode()).decode().rstrip("=")


def test_text_the_database_cannot_hold_is_a_422(bearer_key: str, existing: dict[str, int]) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {bearer_key}")
    user = {"username": "st_new", "password": "Abc-12345-xyz", "bureau_id": existing["bureau_id"]}
    certificate = {
        "number": "ST-1",
        "issued_by": "山西省人民政府",
        "valid_from": "2026-01-01",
        "valid_until": "2027-01-01",
        "specialties": ["coal_mine"],
    }
    cases = [
        ("/api/users", {**user, "username": "x" * 151}, "username"),
        ("/api/users", {**user, "full_name": "张" * 51}, "full_name"),
        ("/api/users", {**user, "phone": "1" * 21}, "phone"),
        ("/api/users", {**user, "username": "st\x00new"}, "username"),
        (
            f"/api/users/{existing['user_id']}/certificates",
            {**certificate, "number": "9" * 33},
            "number",
        ),
        (
            f"/api/users/{existing['user_id']}/certificates",
            {**certificate, "issued_by": "局" * 101},
            "issued_by",
        ),
        (
            f"/api/users/{existing['user_id']}/certificates",
            {**certificate, "specialties": ["coal\x00mine"]},
            "specialties",
        ),
        (
            f"/api/certificates/{existing['certificate_id']}/revoke",
            {"reason": "因" * 201},
            "reason",
        ),
    ]
    for url, body, field in cases:
        response = client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, (url, field, response.content)
        assert field in response.json()["error"]["fields"], response.content
    response = client.get("/api/regions", {"level": "city\x00"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["level"]


@pytest.mark.parametrize(
    "url", ["/api/audit/events", "/api/bureaus", "/api/users", "/api/certificates"]
)
def test_a_cursor_with_a_key_of_the_wrong_type_is_a_400(bearer_key: str, url: str) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {bearer_key}")
    for value in ("abc", "\x00", [1], 1.5):
        response = client.get(url, {"cursor": _cursor(value)})
        assert response.status_code == 400, (value, response.content)
        assert response.json()["error"]["code"] == "invalid_cursor"
