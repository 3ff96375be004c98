"""Time-based rules tested by moving the clock, not by sleeping: the 30-minute idle timeout,
the 30-minute lockout cool-off, and the pinned date of tests that run across midnight."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.core import clock as platform_clock
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_session_idle_for_thirty_minutes_ends_and_activity_keeps_it(org, clock) -> None:
    client = Client()
    assert _login(client, "county_insp", TEST_PASSWORD).status_code == 302
    clock.advance(minutes=29)
    assert client.get(reverse("accounts:home")).status_code == 200  # renews the expiry
    clock.advance(minutes=29)
    assert client.get(reverse("accounts:home")).status_code == 200  # 58 minutes, never idle 30
    clock.advance(minutes=31)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_lock_ends_after_thirty_minutes_not_before(org, clock) -> None:
    for _ in range(5):
        _login(Client(), "county_insp", "wrong")
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 429
    clock.advance(minutes=29)
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 429
    # That refused attempt is itself a failure: the 30 minutes count from the last attempt.
    clock.advance(minutes=29)
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 429
    clock.advance(minutes=31)
    assert _login(Client(), "county_insp", TEST_PASSWORD).status_code == 302


def test_a_pinned_date_survives_midnight(clock) -> None:
    day = datetime.date(2026, 12, 6)
    clock.set(
        timezone.make_aware(
            datetime.datetime(2026, 12, 6, 23, 59, 50), timezone.get_default_timezone()
        )
    )
    clock.pin_date(day)
    clock.advance(minutes=5)  # the real run crosses midnight in Asia/Shanghai
    assert platform_clock.today() == day and timezone.localdate() == day
    before = platform_clock.now()
    clock.advance(minutes=5)
    assert platform_clock.now() >= before  # time never runs backwards
