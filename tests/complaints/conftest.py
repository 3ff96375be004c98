"""Reports around 平鲁区 (140603, 朔州市 140600): the county's desk and officers, a coal mine and
a chemical plant of the county, and helpers to send a report as the public does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from anjian.complaints import services
from anjian.complaints.models import Report
from tests.cases.conftest import world  # noqa: F401  (the cases' county, reused)

BODY = "井下三号工作面瓦斯超限仍然组织工人作业，监控探头被用塑料袋包住。"


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.ANJIAN_COMPLAINT_ROUTING = {"coal_mine": "county"}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(org: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        **org,
        "desk": make_user("140603", ["complaints_desk"], username="county_desk"),
        "handler": org["county_inspector"],
        "handler2": make_user("140603", ["inspector"], username="county_insp_b"),
        "city_desk": make_user("140600", ["complaints_desk"], username="city_desk"),
        "other_desk": make_user("140525", ["complaints_desk"], username="other_desk"),
        "committee": make_user("140603", ["reward_committee"], username="committee1"),
        "leader": make_user("140603", ["bureau_leader"], username="county_leader_c"),
    }


@pytest.fixture
def mine(make_entity: Callable[..., Any], people: dict[str, Any]) -> Any:
    return make_entity("140603", name="平鲁区东沟煤业有限公司", industry="coal_mine")


def values(**extra: Any) -> services.ReportValues:
    data: dict[str, Any] = {
        "kind": "hazard",
        "body": BODY,
        "place": "三号工作面",
        "occurred": "本周夜班",
    }
    data.update(extra)
    return services.ReportValues(**data)


@pytest.fixture
def send(mine: Any) -> Callable[..., tuple[Report, str]]:
    """A report from the public (through the service), about the mine unless told otherwise."""

    def make(**extra: Any) -> tuple[Report, str]:
        extra.setdefault("entity", mine)
        return services.report_receive(actor=services.PUBLIC, values=values(**extra), channel="web")

    return make


PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Whistle-Test-Agent/7.7.7"
PHONE_IP = "203.0.113.77"


@pytest.fixture
def phone() -> Client:
    """An anonymous phone: a distinctive address and agent on every request."""
    return Client(REMOTE_ADDR=PHONE_IP, HTTP_USER_AGENT=PHONE_UA, enforce_csrf_checks=False)
