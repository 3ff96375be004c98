"""Password rules of the 等保2.0 baseline: three of four character classes, no recent reuse."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """At least three of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(n)d of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                )
                % {"n": self.min_classes},
                code="password_character_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Use at least %(n)d of: lower-case letters, upper-case letters, digits, other "
            "characters."
        ) % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Refuses any of the user's last N passwords (ANJIAN_PASSWORD_HISTORY)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from anjian.accounts.services import password_history_hashes

        count = settings.ANJIAN_PASSWORD_HISTORY
        for old in password_history_hashes(user, count):
            if check_password(password, old):
                raise ValidationError(
                    _("This password was used recently; choose one not among your last %(n)d.")
                    % {"n": count},
                    code="password_reused",
                )

    def get_help_text(self) -> str:
        return _("Do not reuse any of your last %(n)d passwords.") % {
            "n": settings.ANJIAN_PASSWORD_HISTORY
        }
