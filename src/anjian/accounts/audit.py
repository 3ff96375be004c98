"""The audit trail's words for organisations, users and logins (registered from apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.accounts.models import ApiToken, Bureau, Division, EnforcementCertificate, User

    register_actions(
        "accounts",
        _("Organisations and users"),
        {
            "accounts.bureau.created": _("Bureau added"),
            "accounts.bureau.document_details_changed": _("Bureau's details for documents changed"),
            "accounts.division.created": _("Division added"),
            "accounts.user.created": _("User added"),
            "accounts.user.roles_changed": _("User's roles changed"),
            "accounts.user.activated": _("User enabled"),
            "accounts.user.deactivated": _("User disabled"),
            "accounts.user.password_changed": _("Password changed"),
            "accounts.certificate.issued": _("Enforcement certificate recorded"),
            "accounts.certificate.revoked": _("Enforcement certificate revoked"),
            "accounts.api_token.created": _("API token created"),
            "accounts.api_token.revoked": _("API token revoked"),
            "accounts.otp.enrolled": _("Second factor enrolled"),
            "accounts.otp.verified": _("Second factor verified at login"),
            "accounts.otp.reset": _("Second factor reset by an administrator"),
            "accounts.login.succeeded": _("Login succeeded"),
            "accounts.login.failed": _("Login failed"),
            "accounts.login.locked_out": _("Account locked after failed logins"),
            "accounts.login.logged_out": _("Logged out"),
        },
    )
    register_model(Bureau, lambda b: b.name)
    register_model(Division, related=("bureau",))
    register_model(User, lambda u: u.full_name or u.username)
    register_model(EnforcementCertificate, lambda c: c.number)
    register_model(ApiToken, lambda t: t.name)
