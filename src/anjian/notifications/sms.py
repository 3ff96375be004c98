"""The one SMS gateway interface: `sms_send(phone, text)` with the backend ANJIAN_SMS_BACKEND
names. "log" (development and tests) writes the message to the log with the number masked;
"http" is the provider adapter for production, posting to ANJIAN_SMS_HTTP_URL with the key
ANJIAN_SMS_HTTP_KEY (a skeleton: the provider's exact fields go in `HttpBackend.payload`).

A `secret` message (a one-time code) is never written to the log: the log backend notes that
one was sent and keeps the message in its in-process `outbox` (the last 100, as Django's
locmem mail backend does), where tests read it.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections import deque
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("anjian.sms")

# What the log backend sent, newest last: (phone, text). In-process only.
outbox: deque[tuple[str, str]] = deque(maxlen=100)


def masked(phone: str) -> str:
    """138****0000: enough to tell two numbers apart in a log, not to call one."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class Backend(Protocol):
    def send(self, phone: str, text: str, secret: bool = False) -> None: ...


class LogBackend:
    def send(self, phone: str, text: str, secret: bool = False) -> None:
        outbox.append((phone, text))
        if secret:
            logger.info("sms to %s: a one-time code (not logged)", masked(phone))
        else:
            logger.info("sms to %s: %s", masked(phone), text)


class HttpBackend:
    """A provider's HTTP API. Not called in tests; an operator checks it with a real account."""

    def __init__(self) -> None:
        if (
            not settings.ANJIAN_SMS_HTTP_URL.startswith("https://")
            or not settings.ANJIAN_SMS_HTTP_KEY
        ):
            raise ImproperlyConfigured(
                "ANJIAN_SMS_BACKEND=http needs an https:// ANJIAN_SMS_HTTP_URL and a key"
            )
        self.url = settings.ANJIAN_SMS_HTTP_URL
        self.key = settings.ANJIAN_SMS_HTTP_KEY

    def payload(self, phone: str, text: str) -> bytes:
        return json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()

    def send(  # pragma: no cover - needs a provider
        self, phone: str, text: str, secret: bool = False
    ) -> None:
        request = urllib.request.Request(  # noqa: S310 - an https:// address (checked above)
            self.url,
            data=self.payload(phone, text),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
            method="POST",
        )
        # https:// only, checked in __init__.
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
            if response.status >= 300:
                raise OSError(f"sms provider answered {response.status}")
        logger.info("sms to %s sent through the provider", masked(phone))


def backend() -> Backend:
    name = settings.ANJIAN_SMS_BACKEND
    if name == "log":
        return LogBackend()
    if name == "http":
        return HttpBackend()
    raise ImproperlyConfigured(f"ANJIAN_SMS_BACKEND={name!r}: expected log or http")


def sms_send(phone: str, text: str, *, secret: bool = False) -> bool:
    """Send one message; a failure is logged, never raised (a notification is still in the
    inbox). Answers whether it went out. `secret`: the text holds a one-time code, kept out
    of every log."""
    if not phone:
        return False
    try:
        backend().send(phone, text, secret)
    except Exception:
        logger.exception("sms to %s failed", masked(phone))
        return False
    return True
