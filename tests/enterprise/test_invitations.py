"""Invitations and activation (N4.2): the bureau issues a one-time code for an entity and a
position, the invitee activates it with the entity's credit code; wrong codes are limited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from anjian.accounts import services as account_services
from anjian.accounts.roles import Role
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.enterprise import services
from anjian.enterprise.models import EnterpriseMember, Invitation, InvitationStatus
from tests.enterprise.conftest import GOOD as TEST_PASSWORD
from tests.enterprise.conftest import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def _values(entity: Any, code: str, **extra: Any) -> services.ActivationValues:
    return services.ActivationValues(
        uscc=extra.pop("uscc", entity.uscc),
        code=code,
        username=extra.pop("username", "pinglu_boss"),
        password=extra.pop("password", TEST_PASSWORD),
        phone=extra.pop("phone", PHONE),
        full_name="王总",
    )


def test_the_code_is_shown_once_stored_as_a_hash_and_opens_an_enterprise_account(
    org: dict, own: Any
) -> None:
    invitation, code = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="principal"
    )
    assert len(code.replace("-", "")) == 20  # 100 bits
    assert code not in invitation.code_hash and invitation.code_hash.startswith("$argon2id$")
    member = services.invitation_activate(
        values=_values(own, code.lower().replace("-", " ")), client="1.2.3.4"
    )
    user = member.user
    assert user.role_codes == {Role.ENTERPRISE}
    assert user.bureau is None and user.check_password(TEST_PASSWORD) and user.phone == PHONE
    assert member.entity == own and member.position == "principal"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.USED and invitation.used_by == user
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"enterprise.invitation.issued", "enterprise.invitation.activated"} <= actions
    # One-time: the same code does not open a second account.
    with pytest.raises(ServiceError) as info:
        services.invitation_activate(values=_values(own, code, username="x2"), client="1.2.3.4")
    assert "code" in info.value.fields


def test_the_password_follows_the_staff_rules_and_nothing_is_half_written(
    org: dict, own: Any
) -> None:
    _inv, code = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="staff"
    )
    with pytest.raises(ServiceError) as info:
        services.invitation_activate(values=_values(own, code, password="abcdefgh"), client="x")
    assert "password" in info.value.fields
    assert not EnterpriseMember.objects.exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_an_expired_or_revoked_invitation_opens_nothing(org: dict, own: Any, clock: Any) -> None:
    _inv, code = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="staff"
    )
    clock.advance(days=15)
    with pytest.raises(ServiceError):
        services.invitation_activate(values=_values(own, code), client="a")
    inv2, code2 = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="staff"
    )
    services.invitation_revoke(actor=org["county_inspector"], invitation=inv2)
    with pytest.raises(ServiceError):
        services.invitation_activate(values=_values(own, code2), client="b")
    assert inv2.expires_at - datetime.timedelta(days=14) <= inv2.issued_at


def test_only_the_entity_s_bureau_issues_and_only_the_registry_s_officers(
    org: dict, make_entity: Any
) -> None:
    other = make_entity("140525")
    with pytest.raises(NotFound):
        services.invitation_issue(actor=org["county_inspector"], entity=other, position="staff")
    with pytest.raises(NotPermitted):
        services.invitation_issue(actor=org["legal"], entity=other, position="staff")


def test_wrong_codes_are_limited_per_entity(org: dict, own: Any, settings: Any) -> None:
    settings.ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY = 3
    _inv, code = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="staff"
    )
    for n in range(3):
        with pytest.raises(ServiceError) as info:
            services.invitation_activate(
                values=_values(own, "AAAA-AAAA-AAAA-AAAA-AAAA"), client=f"c{n}"
            )
        assert info.value.status == 400
    with pytest.raises(services.TooManyAttempts):  # even the right code now waits
        services.invitation_activate(values=_values(own, code), client="c9")


def test_the_enterprise_role_is_given_only_through_an_invitation(org: dict) -> None:
    with pytest.raises(ServiceError) as info:
        account_services.user_create(
            actor=org["county_admin"],
            bureau=org["county_admin"].bureau,
            username="sneaky",
            password=TEST_PASSWORD,
            roles=[Role.ENTERPRISE],
        )
    assert "roles" in info.value.fields
    with pytest.raises(ServiceError):
        account_services.user_roles_set(
            actor=org["county_admin"], user=org["no_role"], roles=[Role.ENTERPRISE]
        )


def test_activation_page_and_login(org: dict, own: Any) -> None:
    _inv, code = services.invitation_issue(
        actor=org["county_inspector"], entity=own, position="principal"
    )
    client = Client()
    url = reverse("enterprise:activate")
    assert client.get(url).status_code == 200
    data = {
        "uscc": own.uscc,
        "code": "WRONG",
        "username": "boss",
        "password": TEST_PASSWORD,
        "password_again": TEST_PASSWORD,
        "phone": PHONE,
    }
    bad = client.post(url, data)
    assert bad.status_code == 400 and "邀请码" in bad.content.decode()
    data["uscc"] = own.uscc[:-1] + ("0" if own.uscc[-1] != "0" else "1")
    assert "校验" in client.post(url, data).content.decode()
    data.update(uscc=own.uscc, code=code)
    done = client.post(url, data)
    assert done.status_code == 200 and own.name in done.content.decode()
    assert done["Cache-Control"].startswith("max-age=0")
    # The same login as staff.
    login = client.post(reverse("accounts:login"), {"username": "boss", "password": TEST_PASSWORD})
    assert login.status_code == 302
    home = client.get(reverse("enterprise:home"))
    assert home.status_code == 200 and own.uscc in home.content.decode()


def test_the_officer_issues_on_the_entity_s_page_and_sees_the_code_once(
    org: dict, own: Any, login: Any
) -> None:
    client = login(org["county_inspector"])
    url = reverse("enterprise:entity_accounts", args=[own.uscc])
    page = client.post(url, {"position": "safety_manager"})
    assert page.status_code == 200
    assert "仅显示这一次" in page.content.decode()
    invitation = Invitation.objects.get()
    again = client.get(url).content.decode()
    assert "仅显示这一次" not in again
    revoke = client.post(reverse("enterprise:invitation_revoke", args=[invitation.pk]))
    assert revoke.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    other = login(org["other_county_inspector"])
    assert other.get(url).status_code == 404
    assert login(org["legal"]).get(url).status_code == 403


def test_several_users_and_the_principal_deactivates_one(
    org: dict, own: Any, activate: Any, login: Any
) -> None:
    boss = activate(own, "principal")
    clerk = activate(own, "staff")
    safety = activate(own, "safety_manager")
    page = login(boss.user).get(reverse("enterprise:member_list")).content.decode()
    assert clerk.user.username in page and safety.user.username in page
    # Only the principal manages users.
    refused = login(safety.user).post(
        reverse("enterprise:member_active", args=[clerk.pk]), {"active": "0"}, follow=True
    )
    assert "负责人" in refused.content.decode()
    login(boss.user).post(reverse("enterprise:member_active", args=[clerk.pk]), {"active": "0"})
    clerk.refresh_from_db()
    clerk.user.refresh_from_db()
    assert not clerk.active and not clerk.user.is_active
    assert AuditEvent.objects.filter(action="enterprise.member.deactivated").exists()


def test_another_enterprise_s_user_is_not_found(
    own: Any, make_entity: Any, activate: Any, login: Any
) -> None:
    boss = activate(own, "principal")
    stranger = activate(make_entity("140603"), "staff")
    response = login(boss.user).post(
        reverse("enterprise:member_active", args=[stranger.pk]), {"active": "0"}
    )
    assert response.status_code == 404


def test_the_entity_s_profile_leads_the_registry_s_officer_to_the_invitations(
    org: dict, own: Any, login: Any
) -> None:
    url = reverse("enterprise:entity_accounts", args=[own.uscc])
    profile = reverse("entities:entity_detail", args=[own.uscc])
    assert url in login(org["county_inspector"]).get(profile).content.decode()
    assert url not in login(org["legal"]).get(profile).content.decode()
