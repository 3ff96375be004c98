"""Fixtures of the enterprise side: an entity of 平鲁区 with its principal bound through an
invitation, as a user would get one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from anjian.enterprise import services

GOOD = "Shanxi-2026x"  # the staff rules refuse the fixtures' dressed-up common password

PHONE = "13912345678"


@pytest.fixture
def activate(org: dict[str, Any]) -> Callable[..., Any]:
    """Issue an invitation for `entity` and activate it: the new EnterpriseMember."""
    counter = {"n": 0}

    def make(entity: Any, position: str = "principal", **extra: Any) -> Any:
        counter["n"] += 1
        _inv, code = services.invitation_issue(
            actor=org["county_inspector"], entity=entity, position=position
        )
        return services.invitation_activate(
            values=services.ActivationValues(
                uscc=entity.uscc,
                code=code,
                username=extra.get("username", f"ent{counter['n']}_{entity.pk}"),
                password=GOOD,
                phone=PHONE,
                full_name=extra.get("full_name", "李经理"),
            ),
            client="127.0.0.1",
        )

    return make


@pytest.fixture
def own(make_entity: Callable[..., Any]) -> Any:
    return make_entity("140603", name="平鲁测试煤业有限公司")


@pytest.fixture
def principal(activate: Callable[..., Any], own: Any) -> Any:
    return activate(own).user
