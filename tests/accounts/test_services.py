"""Account services: users, roles, certificates, passwords; each audited, each scoped."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from anjian.accounts import services
from anjian.accounts.models import CertificateStatus, User
from anjian.accounts.roles import Role
from anjian.accounts.selectors import user_has_valid_certificate
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GOOD = "Shanxi-2026x"


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-seq").first()
    assert event is not None, f"no {action} event"
    return event


def test_user_create_records_who_created_whom(org) -> None:
    admin = org["county_admin"]
    user = services.user_create(
        actor=admin,
        username="new_insp",
        password=GOOD,
        full_name="张三",
        bureau=admin.bureau,
        roles=["inspector"],
    )
    assert user.has_role(Role.INSPECTOR)
    event = _last("accounts.user.created")
    assert event.actor == admin.username and event.object_id == str(user.pk)
    assert event.region == "140603"
    assert event.changes["roles"] == ["inspector"]


def test_user_create_in_another_county_is_refused_as_not_found(org) -> None:
    with pytest.raises(NotFound):
        services.user_create(
            actor=org["county_admin"],
            username="x1",
            password=GOOD,
            bureau=org["other_county_admin"].bureau,
            roles=[],
        )
    assert not User.objects.filter(username="x1").exists()


def test_a_city_administrator_may_create_users_in_its_counties(org) -> None:
    user = services.user_create(
        actor=org["city_admin"],
        username="x2",
        password=GOOD,
        bureau=org["county_admin"].bureau,
        roles=["inspector"],
    )
    assert user.scope_region_code == "140603"


def test_user_create_needs_the_administrator_role(org) -> None:
    with pytest.raises(NotPermitted):
        services.user_create(
            actor=org["county_inspector"],
            username="x3",
            password=GOOD,
            bureau=org["county_inspector"].bureau,
        )


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!", "short"),
        ("alllowercase", "classes"),
        ("12345678901", "numeric"),
        ("Password123", "common"),
        ("new_insp2026A", "similar"),
    ],
)
def test_weak_passwords_are_refused_with_the_field_named(org, password: str, why: str) -> None:
    admin = org["county_admin"]
    with pytest.raises(ServiceError) as info:
        services.user_create(
            actor=admin, username="new_insp2026", password=password, bureau=admin.bureau
        )
    assert "password" in info.value.fields
    assert not User.objects.filter(username="new_insp2026").exists()


def test_duplicate_user_name_names_the_field(org) -> None:
    admin = org["county_admin"]
    with pytest.raises(ServiceError) as info:
        services.user_create(
            actor=admin, username="COUNTY_INSP", password=GOOD, bureau=admin.bureau
        )
    assert "username" in info.value.fields


def test_the_last_five_passwords_cannot_be_reused(org) -> None:
    user = org["county_inspector"]
    passwords = [f"Cycle-{i}-Pass" for i in range(6)]
    for pw in passwords:
        services.user_password_change(actor=user, user=user, new_password=pw)
    with pytest.raises(ServiceError) as info:
        services.user_password_change(actor=user, user=user, new_password=passwords[2])
    assert "password" in info.value.fields
    # the sixth-last is old enough again
    services.user_password_change(actor=user, user=user, new_password=passwords[0])
    assert user.check_password(passwords[0])


def test_role_changes_are_audited_with_old_and_new(org) -> None:
    target = org["county_inspector"]
    services.user_roles_set(
        actor=org["county_admin"], user=target, roles=["inspector", "division_head"]
    )
    event = _last("accounts.user.roles_changed")
    assert event.changes["roles"] == [["inspector"], ["division_head", "inspector"]]


def test_an_administrator_cannot_remove_their_own_administrator_role(org) -> None:
    admin = org["county_admin"]
    with pytest.raises(ServiceError):
        services.user_roles_set(actor=admin, user=admin, roles=["inspector"])
    assert admin.has_role(Role.ADMINISTRATOR)


def test_the_audit_administrator_is_never_the_system_administrator(org) -> None:
    with pytest.raises(ServiceError) as info:
        services.user_roles_set(
            actor=org["county_admin"],
            user=org["county_inspector"],
            roles=["administrator", "auditor"],
        )
    assert "roles" in info.value.fields
    assert not org["county_inspector"].has_role(Role.AUDITOR)


def test_a_system_administrator_cannot_read_the_audit_trail(org) -> None:
    assert not org["county_admin"].can("audit.view")
    assert org["province_auditor"].can("audit.view")


def test_an_enterprise_account_attached_to_a_bureau_still_sees_nothing(make_user) -> None:
    from anjian.accounts.models import Bureau

    company = make_user("140603", [Role.ENTERPRISE])
    assert company.bureau is not None
    assert not Bureau.objects.visible_to(company).exists()


def test_revoking_twice_is_a_conflict(org, make_certificate) -> None:
    from anjian.core.errors import Conflict

    cert = make_certificate(org["county_inspector"])
    services.certificate_revoke(actor=org["county_admin"], certificate=cert, reason="调离")
    with pytest.raises(Conflict):
        services.certificate_revoke(actor=org["county_admin"], certificate=cert, reason="调离")


def test_unknown_role_is_refused(org) -> None:
    with pytest.raises(ServiceError) as info:
        services.user_roles_set(
            actor=org["county_admin"], user=org["county_inspector"], roles=["king"]
        )
    assert "roles" in info.value.fields


def test_certificate_status_follows_its_dates(org, make_certificate) -> None:
    insp = org["county_inspector"]
    today = timezone.localdate()
    assert make_certificate(insp, days_left=400).status == CertificateStatus.VALID
    assert make_certificate(insp, days_left=10).status == CertificateStatus.EXPIRING
    expired = make_certificate(insp, days_left=-1)
    assert expired.status == CertificateStatus.EXPIRED
    assert not expired.is_valid_on(today)
    assert expired.is_valid_on(today - datetime.timedelta(days=2))


def test_an_inspector_with_only_an_expired_certificate_may_not_act(org, make_certificate) -> None:
    insp = org["county_inspector"]
    make_certificate(insp, days_left=-1)
    assert not user_has_valid_certificate(insp)
    make_certificate(insp, days_left=30)
    assert user_has_valid_certificate(insp)


def test_certificate_issue_validates_each_field(org) -> None:
    today = timezone.localdate()
    with pytest.raises(ServiceError) as info:
        services.certificate_issue(
            actor=org["county_admin"],
            holder=org["county_inspector"],
            number=" ",
            issued_by="",
            valid_from=today,
            valid_until=today - datetime.timedelta(days=1),
            specialties=["coal_mine"],
        )
    assert set(info.value.fields) == {"number", "issued_by", "valid_until"}


def test_certificate_revoke_is_audited_and_blocks_acts(org, make_certificate) -> None:
    cert = make_certificate(org["county_inspector"])
    services.certificate_revoke(actor=org["county_admin"], certificate=cert, reason="调离执法岗位")
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.REVOKED
    assert not user_has_valid_certificate(org["county_inspector"])
    assert _last("accounts.certificate.revoked").changes == {"reason": "调离执法岗位"}


def test_api_token_is_stored_only_as_a_hash(org) -> None:
    user = org["county_inspector"]
    token, key = services.api_token_create(actor=user, user=user, name="测试")
    assert key not in token.key_hash and key.startswith("anj_")
    assert services.api_token_authenticate(key) == user
    services.api_token_revoke(actor=user, token=token)
    assert services.api_token_authenticate(key) is None


def test_the_changepassword_command_goes_through_the_password_service(org, monkeypatch) -> None:
    """Django's own command set the password directly: no rules beyond the validators, no
    history, no 90-day clock, no audit event."""
    from django.core.management import call_command

    from anjian.accounts.management.commands import changepassword

    answers = iter(["Password123!", "Password123!", "Rz7#kQ9$wM2x", "Rz7#kQ9$wM2x"])
    monkeypatch.setattr(changepassword.Command, "_ask", lambda self, prompt: next(answers))
    call_command("changepassword", "county_insp")
    user = User.objects.get(username="county_insp")
    assert user.check_password("Rz7#kQ9$wM2x") and user.password_changed_at is not None
    event = AuditEvent.objects.filter(action="accounts.user.password_changed").latest("seq")
    assert event.source == "cli" and event.object_id == str(user.pk)
