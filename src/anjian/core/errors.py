"""Errors raised by services, with a stable code and per-field reasons.

Pages show `message` and `fields` in Chinese (they are lazy translations); the API renders them
as {"error": {"code": ..., "message": ..., "fields": {...}}}.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    code = "invalid"
    status = 400
    default_message: Any = _("The request could not be carried out.")

    def __init__(
        self,
        message: Any = None,
        *,
        fields: dict[str, list[Any]] | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))

    def reasons(self) -> list[str]:
        """The field reasons if the refusal gave any, else its message (for a page that has no
        form to mark them on)."""
        return [str(m) for ms in self.fields.values() for m in ms] or [str(self.message)]

    @classmethod
    def for_field(cls, field: str, message: Any) -> ServiceError:
        return cls.for_fields({field: [message]})

    @classmethod
    def for_fields(cls, fields: dict[str, Any]) -> ServiceError:
        """Several refused fields at once; a value is one message or a list of them."""
        return cls(
            _("Please correct the marked fields."),
            fields={k: v if isinstance(v, list) else [v] for k, v in fields.items()},
        )


class NotPermitted(ServiceError):
    code = "forbidden"
    status = 403
    default_message = _("Your role does not permit this.")


class NotFound(ServiceError):
    """Missing and out of scope look the same to the caller."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Conflict(ServiceError):
    code = "conflict"
    status = 409
    default_message = _("The record was changed by someone else; reload and try again.")
