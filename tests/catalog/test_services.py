"""The catalog: versions by effective date, their diff, benchmarks and recommend_penalty."""

from __future__ import annotations

import datetime

import pytest

from anjian.catalog import selectors, services
from anjian.catalog.discretion import recommend_penalty
from anjian.catalog.models import ItemVersion
from anjian.catalog.services import ItemValues
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = datetime.date


def _values(**extra) -> ItemValues:
    data = {
        "name": "对生产经营单位安全生产教育和培训情况的行政检查",
        "act_kind": "inspection",
        "industries": ["coal_mine", "hazardous_chemicals"],
        "legal_basis": [
            {"law": "中华人民共和国安全生产法", "version": "2014", "article": "第二十五条"}
        ],
        "check_points": [
            {"content": "查阅安全生产教育和培训档案", "method": "documents"},
            {"content": "抽查从业人员是否掌握岗位安全操作规程", "method": "onsite"},
        ],
    }
    data.update(extra)
    return ItemValues(**data)


@pytest.fixture
def item(org):
    return services.item_create(
        actor=org["province_admin"],
        code="14000000000001",
        values=_values(),
        effective_from=D(2014, 12, 1),
    )


def test_a_change_is_a_new_version_and_acts_keep_the_law_of_their_date(org, item) -> None:
    v2 = services.item_version_create(
        actor=org["province_admin"],
        item=item,
        values=_values(
            legal_basis=[
                {"law": "中华人民共和国安全生产法", "version": "2021", "article": "第二十八条"}
            ],
            check_points=[
                {"content": "查阅安全生产教育和培训档案", "method": "documents"},
                {"content": "核查劳务派遣人员和实习学生是否纳入培训", "method": "documents"},
            ],
        ),
        effective_from=D(2021, 9, 1),
        reason="《安全生产法》2021年修正，条文重新编号",
    )
    assert v2.number == 2
    assert item.version_on(D(2021, 8, 31)).number == 1
    assert item.version_on(D(2021, 9, 1)).number == 2
    assert item.version_on(D(2014, 11, 30)) is None
    v1 = ItemVersion.objects.get(item=item, number=1)
    assert v1.legal_basis[0]["article"] == "第二十五条"  # the old version is untouched
    diff = selectors.item_version_diff(v1, v2)
    changed = {row["field"] for row in diff}
    assert len(diff) == 2 and any("2" in f for f in changed)
    event = AuditEvent.objects.get(action="catalog.item.version_created")
    assert event.changes["reason"] == "《安全生产法》2021年修正，条文重新编号"


def test_a_version_must_take_effect_later_and_give_a_reason(org, item) -> None:
    with pytest.raises(ServiceError) as exc:
        services.item_version_create(
            actor=org["province_admin"],
            item=item,
            values=_values(),
            effective_from=D(2014, 12, 1),
            reason="x",
        )
    assert "effective_from" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        services.item_version_create(
            actor=org["province_admin"],
            item=item,
            values=_values(),
            effective_from=D(2022, 1, 1),
            reason=" ",
        )
    assert "reason" in exc.value.fields
    assert item.versions.count() == 1


def test_only_the_province_maintains_the_catalog(org, item) -> None:
    with pytest.raises(NotPermitted):
        services.item_version_create(
            actor=org["city_admin"],
            item=item,
            values=_values(),
            effective_from=D(2022, 1, 1),
            reason="x",
        )
    with pytest.raises(NotPermitted):
        services.item_create(
            actor=org["county_inspector"], code="X", values=_values(), effective_from=D(2022, 1, 1)
        )


def test_item_codes_are_unique_and_values_checked(org, item) -> None:
    with pytest.raises(Conflict):
        services.item_create(
            actor=org["province_admin"],
            code="14000000000001",
            values=_values(),
            effective_from=D(2022, 1, 1),
        )
    with pytest.raises(ServiceError) as exc:
        services.item_create(
            actor=org["province_admin"],
            code="2",
            effective_from=D(2022, 1, 1),
            values=_values(
                industries=["bakery"],
                legal_basis=[{"law": "某法"}],
                check_points=[{"content": "", "method": "onsite"}],
            ),
        )
    assert {"industries", "legal_basis", "check_points"} <= set(exc.value.fields)


LEVELS = [
    {"level": "minor", "penalty_kinds": ["warning", "fine"], "fine_min": 0, "fine_max": 30000},
    {"level": "ordinary", "penalty_kinds": ["fine"], "fine_min": 30000, "fine_max": 60000},
    {"level": "serious", "penalty_kinds": ["fine"], "fine_min": 60000, "fine_max": 100000},
    {
        "level": "grave",
        "penalty_kinds": ["fine", "suspension"],
        "fine_min": 100000,
        "fine_max": 200000,
    },
]
FACTORS = [
    {"name": "涉及人数超过30%", "effect": "aggravating"},
    {"name": "主动消除危害后果", "effect": "mitigating"},
]


@pytest.fixture
def discretion(item):
    return services.benchmark_create(
        code="AQF-97-3",
        violation="未按规定对从业人员进行安全生产教育和培训",
        legal_provision="《安全生产法》第二十八条",
        penalty_basis="《安全生产法》第九十七条第三项",
        levels=LEVELS,
        factors=FACTORS,
        effective_from=D(2021, 9, 1),
        items=[item],
    )


@pytest.mark.parametrize(
    ("facts", "level", "fines"),
    [
        ({}, "ordinary", (30000, 60000)),
        ({"first_offence": True, "corrected_in_time": True}, "minor", (0, 30000)),
        ({"factors": ["涉及人数超过30%"]}, "serious", (60000, 100000)),
        ({"factors": ["涉及人数超过30%", "主动消除危害后果"]}, "ordinary", (30000, 60000)),
        ({"not_corrected": True, "factors": ["主动消除危害后果"]}, "grave", (100000, 200000)),
    ],
)
def test_recommend_penalty_places_the_facts_and_says_why(discretion, facts, level, fines) -> None:
    result = recommend_penalty("AQF-97-3", facts, on=D(2024, 5, 1))
    assert (result.level, (result.fine_min, result.fine_max)) == (level, fines)
    assert result.reasons
    assert result.allows_fine(fines[1]) and not result.allows_fine(fines[1] + 1)


def test_recommend_penalty_uses_the_benchmark_in_force_on_the_act_date(discretion) -> None:
    with pytest.raises(NotFound):
        recommend_penalty("AQF-97-3", {}, on=D(2021, 8, 31))


@pytest.mark.parametrize(
    "levels",
    [
        [LEVELS[1], LEVELS[0]],  # out of order
        [LEVELS[0], {**LEVELS[1], "fine_min": 0, "fine_max": 20000}],  # falls
        [LEVELS[0], {**LEVELS[1], "fine_min": 70000, "fine_max": 60000}],  # min > max
        [LEVELS[0]],  # one level is no scale
        [LEVELS[0], {**LEVELS[1], "penalty_kinds": ["flogging"]}],
    ],
)
def test_benchmarks_whose_tiers_do_not_rise_are_refused(item, levels) -> None:
    with pytest.raises(ServiceError) as exc:
        services.benchmark_create(
            code="B",
            violation="v",
            legal_provision="p",
            penalty_basis="b",
            levels=levels,
            factors=[],
            effective_from=D(2024, 1, 1),
            items=[item],
        )
    assert "levels" in exc.value.fields
