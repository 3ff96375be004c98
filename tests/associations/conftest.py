"""An association registered by the province with one member unit of 平鲁区, a non-member of
泽州县, and the association's bound account."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.accounts.roles import Role
from anjian.associations import services
from tests.conftest import make_uscc


@pytest.fixture
def assoc(make_user: Any, make_entity: Any) -> dict[str, Any]:
    admin = make_user("140000", [Role.ADMINISTRATOR], username="sx_admin")
    a = services.association_create(
        actor=admin, name="山西省煤炭工业协会", code=make_uscc("140000", 901, prefix="51")
    )
    member = make_entity("140603", name="平鲁会员煤业有限公司")
    outsider = make_entity("140525", name="泽州非会员有限公司")
    services.member_add(actor=admin, association=a, uscc=member.uscc)
    account = make_user(None, [Role.ASSOCIATION], username="coal_assoc")
    services.account_bind(actor=admin, association=a, username="coal_assoc")
    return {"admin": admin, "a": a, "member": member, "outsider": outsider, "account": account}
