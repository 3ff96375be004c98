"""Invitations by SMS (N4.2): the officer enters the invitee's mobile number and the code goes
through the platform's SMS gateway instead of being shown; the number is sealed at rest and
shown masked; the audit says an SMS was sent, never the code. The code is in the gateway's
outbox only: not in the page, the database, the logs or the audit."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.enterprise.models import EnterpriseMember, Invitation
from anjian.notifications import sms
from tests.enterprise.conftest import GOOD

pytestmark = pytest.mark.django_db

MOBILE = "13835061234"


@pytest.fixture(autouse=True)
def _clean() -> None:
    cache.clear()
    sms.outbox.clear()


def _issue(client: Client, entity: Any, phone: str) -> Any:
    return client.post(
        reverse("enterprise:entity_accounts", args=[entity.uscc]),
        {"position": "safety_manager", "sms_phone": phone},
    )


def test_the_code_goes_by_sms_and_nowhere_else(
    org: dict, own: Any, login: Any, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.ANJIAN_SMS_BACKEND = "log"
    caplog.set_level(logging.DEBUG)
    officer = login(org["county_inspector"])
    page = _issue(officer, own, "138 3506 1234").content.decode()
    # The code went out by SMS, to the number given.
    assert len(sms.outbox) == 1
    phone, text = sms.outbox[0]
    assert phone == MOBILE
    found = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", text)
    assert found and own.name in text and "/portal/enterprise/activate/" in text
    code = found.group(0)
    # The officer's page says where it went (masked) and does not show it.
    assert code not in page and code.replace("-", "") not in page
    assert "138****1234" in page and MOBILE not in page
    listing = officer.get(reverse("enterprise:entity_accounts", args=[own.uscc])).content.decode()
    assert "138****1234" in listing and MOBILE not in listing
    # Sealed at rest: neither the number nor the code in the row as stored.
    invitation = Invitation.objects.get()
    assert invitation.sms_phone == MOBILE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Invitation._meta.db_table}")
        stored = repr(cursor.fetchall())
    assert MOBILE not in stored and code not in stored and code.replace("-", "") not in stored
    # The audit records that an SMS was sent, masked, and not the code.
    event = AuditEvent.objects.get(action="enterprise.invitation.issued")
    assert event.changes["sent_by_sms"] == "138****1234"
    audit_text = repr(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert code not in audit_text and MOBILE not in audit_text
    # ... nor in any log line written meanwhile.
    assert code not in caplog.text and MOBILE not in caplog.text
    assert "138****1234" in caplog.text  # the log backend noted the message, masked
    # The invitee activates with the code from the SMS.
    done = Client().post(
        reverse("enterprise:activate"),
        {
            "uscc": own.uscc,
            "code": code,
            "username": "pl_safety",
            "password": GOOD,
            "password_again": GOOD,
            "phone": MOBILE,
        },
    )
    assert done.status_code == 200 and code not in done.content.decode()
    member = EnterpriseMember.objects.get(user__username="pl_safety")
    assert member.entity == own and member.position == "safety_manager"
    assert code not in caplog.text


@pytest.mark.parametrize(
    "phone",
    ["1383506123", "138350612345", "12835061234", "+8613835061234", "１３８３５０６１２３４"],
)
def test_a_wrong_mobile_number_is_refused_in_chinese_and_nothing_is_issued(
    org: dict, own: Any, login: Any, phone: str
) -> None:
    response = _issue(login(org["county_inspector"]), own, phone)
    text = response.content.decode()
    assert "11位内地手机号码" in text
    assert not Invitation.objects.exists() and not sms.outbox


def test_when_the_gateway_fails_nothing_is_issued(
    org: dict, own: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, phone: str, text: str, secret: bool = False) -> None:
        raise OSError("provider down")

    monkeypatch.setattr(sms.LogBackend, "send", broken)
    text = _issue(login(org["county_inspector"]), own, MOBILE).content.decode()
    assert "短信未能发出" in text
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="enterprise.invitation.issued").exists()


def test_without_a_number_the_code_is_shown_once_as_before(org: dict, own: Any, login: Any) -> None:
    page = _issue(login(org["county_inspector"]), own, "").content.decode()
    assert re.search(r"font-monospace[^>]*>[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}<", page)
    assert not sms.outbox and Invitation.objects.get().sms_phone == ""


def test_another_county_cannot_send_an_invitation(org: dict, own: Any, login: Any) -> None:
    response = _issue(login(org["other_county_inspector"]), own, MOBILE)
    assert response.status_code == 404
    assert not sms.outbox and not Invitation.objects.exists()
