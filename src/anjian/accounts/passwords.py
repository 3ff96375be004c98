"""Password rules of the 等保2.0 baseline: three of four character classes, no recent reuse, and
no common password dressed up with capitals, digits and symbols."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
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


_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # Django's list: the 20,000 most common passwords of real breaches, lower case.
    return frozenset(CommonPasswordValidator().passwords)


def common_core(password: str) -> str:
    """What is left of a password once the usual disguises are taken off: lower case, digits
    and symbols that stand for letters read as those letters, the rest dropped.
    `Password123!` and `P@ssw0rd2026` are both `password`."""
    # Digits and symbols before and after the word are the disguise (`Admin@123`, `123abc!`);
    # inside it they stand for letters (`P@ssw0rd`).
    word = re.sub(r"^[^a-z]+|[^a-z]+$", "", password.lower())
    return re.sub(r"[^a-z]", "", word.translate(_LEET))


class CommonPasswordPatternValidator:
    """Refuses a common password under the capitals, digits and symbols that satisfy the
    character-class rule: Django's own check compares the whole password, so `Password123!`
    passed it."""

    def validate(self, password: str, user: Any = None) -> None:
        core = common_core(password)
        if len(core) >= 4 and core in _common_passwords():
            raise ValidationError(
                _(
                    "The password is a common password (%(word)s) with digits or symbols added; "
                    "such passwords are guessed first. Choose another."
                )
                % {"word": core},
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Do not build the password from a common password or word.")
