"""The second factor for staff (TOTP, django-otp; docs/security.md "Second factor"): a required
role reaches nothing after the password alone, enrols a phone from a QR code drawn on the
server, gives a code at each login; wrong codes count as failed logins and lock the account; an
administrator resets a lost phone, audited and only within scope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from anjian.core.models import AuditEvent
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings) -> None:
    settings.ANJIAN_OTP_REQUIRED_ROLES = ["administrator", "auditor", "legal_reviewer"]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return client


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def test_a_required_role_reaches_nothing_until_it_enrols_a_phone(org) -> None:
    client = _password_login("county_admin")
    for path in ("/home/", "/users/", "/accounts/password/change/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:otp_enrol")), path
    # The session is not logged in for the API either.
    assert client.get("/api/me").status_code == 401

    page = client.get(reverse("accounts:otp_enrol") + "?next=/users/")
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in html  # QR drawn here
    assert "第二重身份验证" in html or "动态口令" in html  # in Chinese
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing from elsewhere
    device = TOTPDevice.objects.get(user=org["county_admin"], confirmed=False)

    wrong = client.post(reverse("accounts:otp_enrol"), {"token": "000000", "next": "/users/"})
    if _code(device) != "000000":
        assert wrong.status_code == 200 and "验证码" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(reverse("accounts:otp_enrol"), {"token": _code(device), "next": "/users/"})
    assert done.status_code == 302 and done["Location"] == "/users/"
    assert client.get("/home/").status_code == 200
    assert client.get("/api/me").status_code == 200
    assert TOTPDevice.objects.get(user=org["county_admin"]).confirmed
    assert AuditEvent.objects.filter(action="accounts.otp.enrolled", actor="county_admin").exists()


def test_the_next_login_asks_for_the_code_and_a_right_code_opens(org) -> None:
    device = _enrolled(org["legal"])
    client = _password_login("city_legal")
    response = client.get("/home/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.post(reverse("accounts:otp_verify"), {"token": _code(device)}).status_code == 302
    assert client.get("/home/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp.verified", actor="city_legal").exists()


def test_wrong_codes_count_as_failed_logins_and_the_fifth_locks(org, clock) -> None:
    device = _enrolled(org["county_admin"])
    right = _code(device)
    wrong = "111111" if right != "111111" else "222222"
    client = _password_login("county_admin")
    for _ in range(4):
        clock.advance(seconds=20)  # past django-otp's own delay: the count is axes'
        response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
        assert response.status_code == 200
    clock.advance(seconds=20)
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert response.status_code == 429 and "锁定" in response.content.decode()
    failed = AuditEvent.objects.filter(action="accounts.login.failed", actor="county_admin")
    assert [e.changes.get("purpose") for e in failed] == ["second_factor"] * 5
    # The session ended; the password alone does not get back in while locked.
    assert client.get("/home/").status_code == 302
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": "county_admin", "password": TEST_PASSWORD})
        .status_code
        == 429
    )


def test_a_role_without_the_requirement_is_not_asked(org) -> None:
    client = _password_login("county_insp")
    assert client.get("/home/").status_code == 200


def test_an_administrator_resets_a_lost_phone_within_scope_only(org, login) -> None:
    device = _enrolled(org["legal"])  # 朔州市 city legal reviewer
    outsider = login(org["other_county_admin"])  # 泽州县: another city
    assert outsider.post(f"/users/{org['legal'].pk}/otp/reset/").status_code in (302, 404)
    # Verified as the outsider must be first (an administrator): the redirect is to the code.
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    admin = org["city_admin"]
    admin_device = _enrolled(admin)
    client = _password_login("city_admin")
    client.post(reverse("accounts:otp_verify"), {"token": _code(admin_device)})
    page = client.get(f"/users/{org['legal'].pk}/")
    assert "重置" in page.content.decode()
    response = client.post(f"/users/{org['legal'].pk}/otp/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=org["legal"]).exists()
    event = AuditEvent.objects.get(action="accounts.otp.reset")
    assert event.actor == "city_admin" and event.changes["username"] == "city_legal"
    # At the next login the reviewer enrols again.
    again = _password_login("city_legal")
    assert again.get("/home/")["Location"].startswith(reverse("accounts:otp_enrol"))


def test_the_outsider_cannot_reset_even_when_verified(org) -> None:
    device = _enrolled(org["legal"])
    outsider = org["other_county_admin"]
    outsider_device = _enrolled(outsider)
    client = _password_login("other_admin")
    client.post(reverse("accounts:otp_verify"), {"token": _code(outsider_device)})
    assert client.get("/home/").status_code == 200
    assert client.post(f"/users/{org['legal'].pk}/otp/reset/").status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_phone_enrolled_by_choice_is_asked_for_too(org, settings) -> None:
    settings.ANJIAN_OTP_REQUIRED_ROLES = []
    device = _enrolled(org["county_inspector"])
    client = _password_login("county_insp")
    assert client.get("/home/")["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": _code(device)})
    assert client.get("/home/").status_code == 200
