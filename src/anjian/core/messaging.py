"""The SMS gateway as an earlier app reaches it: the notifications app (a later stage) registers
its `sms_send` here at start-up; core and the apps before it know no notifications app.

Without a registered gateway `sms_gateway()` is None and the caller says so (an invitation then
has to be shown instead of sent)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class SmsSend(Protocol):
    def __call__(self, phone: str, text: str, *, secret: bool = False) -> bool: ...


_gateway: list[SmsSend] = []


def sms_gateway_register(send: SmsSend | Callable[..., bool]) -> None:
    _gateway[:] = [send]


def sms_gateway() -> SmsSend | None:
    return _gateway[0] if _gateway else None
