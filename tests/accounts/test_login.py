"""Login safety: lockout, auditing, idle timeout, password expiry."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core.models import AuditEvent
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_succeeds_and_is_audited(org) -> None:
    client = Client()
    response = _login(client, "county_insp", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:home")
    event = AuditEvent.objects.filter(action="accounts.login.succeeded").latest("seq")
    assert event.actor == "county_insp" and event.region == "140603"


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(org) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    client = Client()
    for _ in range(4):
        response = _login(client, "county_insp", "wrong")
        assert response.status_code == 200
        assert "用户名或密码" in response.content.decode()  # Chinese error on the form
    response = _login(client, "county_insp", "wrong")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 429
    actions = list(AuditEvent.objects.filter(actor="county_insp").values_list("action", flat=True))
    # five wrong passwords, then the refused right one: every attempt is on the record
    assert actions.count("accounts.login.failed") == 6
    assert "accounts.login.locked_out" in actions
    # another account is not affected
    assert _login(Client(), "other_insp", TEST_PASSWORD).status_code == 302


def test_session_is_an_idle_timeout_of_thirty_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_logout_deletes_the_session(org) -> None:
    client = Client()
    _login(client, "county_insp", TEST_PASSWORD)
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("accounts:home")).status_code == 302


def test_an_old_password_must_be_changed_before_anything_else(org, login) -> None:
    user = org["county_inspector"]
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client = login(user)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Fresh-Pass-91",
            "new_password2": "Fresh-Pass-91",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_password_change_page_shows_rule_errors_in_chinese(org, login) -> None:
    client = login(org["county_inspector"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "abcdefgh",
            "new_password2": "abcdefgh",
        },
    )
    assert response.status_code == 200
    assert "至少" in response.content.decode()


def test_guessing_the_current_password_on_the_change_form_locks_like_a_login(org) -> None:
    """Anyone holding a session could guess the current password without limit or audit."""
    client = Client()
    assert _login(client, "county_insp", TEST_PASSWORD).status_code == 302
    form = {"old_password": "guess", "new_password1": "Xk9#mQ2$vL", "new_password2": "Xk9#mQ2$vL"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("accounts:password_change"), form)
        assert response.status_code == 200 and "当前密码" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), form)
    assert response.status_code == 429 and "锁定" in response.content.decode()
    # The session is over, and the right password no longer opens the account.
    assert client.get(reverse("accounts:home")).status_code == 302
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 429
    failed = AuditEvent.objects.filter(actor="county_insp", action="accounts.login.failed")
    purposes = [e.changes.get("purpose") for e in failed]
    assert purposes.count("password_change") == settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("password", ["Password123!", "P@ssw0rd2026", "Qwerty123!", "Admin@123"])
def test_a_common_password_in_disguise_is_refused(org, login, password: str) -> None:
    client = login(org["county_inspector"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert "常见密码" in response.content.decode()
    assert User.objects.get(username="county_insp").check_password(TEST_PASSWORD)
