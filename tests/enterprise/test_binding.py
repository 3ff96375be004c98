"""An enterprise account sees its own entity and nothing else, through the one scope mechanism."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.accounts.roles import Role
from anjian.core.scope import enterprise_entity_ids
from anjian.enterprise.models import EnterpriseMember, Position
from anjian.entities.models import Entity

pytestmark = pytest.mark.django_db


def test_bound_account_sees_only_its_entity(make_user: Any, make_entity: Any) -> None:
    own = make_entity(region="140603")
    other = make_entity(region="140603")
    user = make_user(None, [Role.ENTERPRISE])
    assert list(Entity.objects.visible_to(user)) == []  # not bound yet: nothing
    EnterpriseMember.objects.create(user=user, entity=own, position=Position.PRINCIPAL)
    assert enterprise_entity_ids(user) == [own.pk]
    assert list(Entity.objects.visible_to(user)) == [own]
    assert other not in Entity.objects.visible_to(user)


def test_inactive_binding_and_staff_see_no_entity_through_a_binding(
    make_user: Any, make_entity: Any
) -> None:
    own = make_entity(region="140603")
    user = make_user(None, [Role.ENTERPRISE])
    EnterpriseMember.objects.create(user=user, entity=own, position=Position.STAFF, active=False)
    assert list(Entity.objects.visible_to(user)) == []
    # A staff officer of another county bound by mistake still sees only their jurisdiction.
    officer = make_user("140100", [Role.INSPECTOR])
    EnterpriseMember.objects.create(user=officer, entity=own, position=Position.STAFF)
    assert enterprise_entity_ids(officer) == []
    assert own not in Entity.objects.visible_to(officer)


def test_a_model_without_an_entity_path_shows_an_enterprise_nothing(
    make_user: Any, make_entity: Any
) -> None:
    from anjian.accounts.models import User

    own = make_entity(region="140603")
    user = make_user(None, [Role.ENTERPRISE])
    EnterpriseMember.objects.create(user=user, entity=own, position=Position.PRINCIPAL)
    assert list(User.objects.visible_to(user)) == []
