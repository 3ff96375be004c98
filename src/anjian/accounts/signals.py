"""Audit every login, failed login, lockout and logout (等保2.0 security audit)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from anjian.accounts.models import User
from anjian.accounts.services import login_record


def _ip(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    login_record(user=user, username=user.get_username(), outcome="succeeded", ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        login_record(user=user, username=user.get_username(), outcome="logged_out", ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username", ""))
    user = User.objects.filter(username=username).first()
    purpose = str(credentials.get("purpose", ""))
    login_record(user=user, username=username, outcome="failed", ip=_ip(request), purpose=purpose)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    name = username or ""
    user = User.objects.filter(username=name).first() if name else None
    login_record(user=user, username=name, outcome="locked_out", ip=_ip(request))
