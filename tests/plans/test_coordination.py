"""Coordination of plans (N1.3, N3.4, N5.1): duplicates between levels and divisions, gaps on
key-supervision entities and full-coverage sectors, and coverage figures. The class-based check
is compared with a plain entity-by-entity computation on random registries and plans."""

from __future__ import annotations

import random
from itertools import combinations
from typing import Any

import pytest

from anjian.accounts.models import Division
from anjian.core.scope import region_codes_under
from anjian.entities.models import Entity
from anjian.plans import services
from anjian.plans.coordination import KEY, coordination_check, duplicate_entities, gap_entities
from anjian.plans.models import PlanLine
from anjian.plans.rules import line_q
from anjian.plans.services import LineValues

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org, make_user):
    return {
        "county": org["county_admin"],  # 平鲁区 140603, 朔州市 140600
        "city": org["city_admin"],
        "province": org["province_admin"],
        "other_county": org["other_county_admin"],  # 泽州县 140525, 晋城市 140500
        "county_leader": make_user("140603", ["bureau_leader"], username="pl_leader"),
        "city_leader": make_user("140600", ["bureau_leader"], username="sz_leader"),
        "jc_leader": make_user("140500", ["bureau_leader"], username="jc_leader"),
        "province_leader": make_user("140000", ["bureau_leader"], username="sx_leader"),
    }


APPROVER = {"140603": "city_leader", "140600": "province_leader", "140000": "province_leader"}
APPROVER["140525"] = "jc_leader"


def issued_plan(people: dict[str, Any], drafter: str, lines: list[LineValues], title: str = ""):
    actor = people[drafter]
    plan = services.plan_create(
        actor=actor, bureau=actor.bureau, year=2027, title=title or f"{drafter} 2027年度计划"
    )
    for values in lines:
        services.plan_line_add(actor=actor, plan=plan, values=values)
    services.plan_transition(actor=actor, plan=plan, action="submit")
    approver = people[APPROVER[actor.bureau.region_id]]
    services.plan_transition(actor=approver, plan=plan, action="approve")
    # Random frequencies may go beyond credit's yearly caps: the reason is given.
    services.plan_transition(
        actor=actor, plan=plan, action="issue", over_limit_reason="协调测试：频次随机"
    )
    return plan


def test_province_sees_city_county_duplicate_on_one_coal_mine_and_the_gaps(
    people, make_entity, make_item
) -> None:
    gas = make_item("对煤矿企业瓦斯防治情况的行政检查")
    training = make_item("对安全生产教育和培训情况的行政检查", industries=[])
    key_mine = make_entity("140603", name="朔州市平鲁区井东煤业有限公司", key_supervision=True)
    make_entity("140603", name="平鲁区某煤业有限公司")  # a coal mine nobody plans
    key_chem = make_entity(
        "140603", name="平鲁区某化工有限公司", industry="hazardous_chemicals", key_supervision=True
    )
    far_mine = make_entity("140525", name="泽州县某煤业有限公司")
    make_entity("140603", name="已注销煤业有限公司", business_status="closed", key_supervision=True)

    issued_plan(
        people,
        "county",
        [LineValues(item=gas, frequency=4, industries=["coal_mine"], key_supervision_only=True)],
    )
    issued_plan(
        people,
        "city",
        [
            LineValues(item=gas, industries=["coal_mine"], start_month=7, end_month=12),
            LineValues(item=training, industries=["commerce_trade"]),
        ],
    )
    result = coordination_check(year=2027, region_id="140000")

    assert len(result.duplicates) == 1
    pair = result.duplicates[0]
    assert pair.kind == "levels" and pair.entities == 1
    assert {pair.a.region_id, pair.b.region_id} == {"140603", "140600"}
    assert pair.a.item_code == gas.code
    assert str(pair.overlap[0]) == "2027-07-01"
    a, b = PlanLine.objects.get(pk=pair.a.line_id), PlanLine.objects.get(pk=pair.b.line_id)
    assert list(duplicate_entities(a, b)) == [key_mine]

    gaps = {(g.region_id, g.category): g.uncovered for g in result.gaps}
    # The key chemicals plant: no plan covers it. The coal mine in 泽州县: coal mines must be
    # fully covered and 晋城 has no plan. The second 平鲁 mine is covered by the city's line.
    assert gaps == {("140603", KEY): 1, ("140525", "coal_mine"): 1}
    assert list(gap_entities(year=2027, region_id="140603", category=KEY)) == [key_chem]
    assert list(gap_entities(year=2027, region_id="140525", category="coal_mine")) == [far_mine]
    # Coverage: key list 1 of 2 (the closed mine does not count), coal mines 2 of 3.
    assert result.coverage[KEY] == (2, 1)
    assert result.coverage["coal_mine"] == (3, 2)

    # The city sees the same for everything under it, the other city none of it.
    city = coordination_check(year=2027, region_id="140600")
    assert len(city.duplicates) == 1 and ("140525", "coal_mine") not in {
        (g.region_id, g.category) for g in city.gaps
    }
    assert coordination_check(year=2027, region_id="140500").duplicates == []


def test_periods_that_do_not_overlap_are_not_duplicates(people, make_entity, item) -> None:
    make_entity("140603", key_supervision=True)
    issued_plan(people, "county", [LineValues(item=item, start_month=4, end_month=12)])
    issued_plan(people, "city", [LineValues(item=item, start_month=1, end_month=3)])
    assert coordination_check(year=2027, region_id="140000").duplicates == []


def test_two_divisions_of_one_bureau_planning_the_same_item_are_a_duplicate(
    people, make_entity, item
) -> None:
    make_entity("140603")
    bureau = people["county"].bureau
    d1 = Division.objects.create(bureau=bureau, name="执法大队")
    d2 = Division.objects.create(bureau=bureau, name="煤矿安全监管股")
    issued_plan(
        people, "county", [LineValues(item=item, division=d1), LineValues(item=item, division=d2)]
    )
    (pair,) = coordination_check(year=2027, region_id="140603").duplicates
    assert pair.kind == "divisions" and pair.entities == 1
    # One division's two lines on the same item are its own business, not a duplicate.
    issued_plan(people, "county", [LineValues(item=item, division=d1)], title="第二个计划")
    kinds = {
        (p.a.division_name, p.b.division_name)
        for p in coordination_check(year=2027, region_id="140603").duplicates
    }
    assert kinds == {("执法大队", "煤矿安全监管股"), ("煤矿安全监管股", "执法大队")}


def test_a_draft_under_approval_shows_what_it_would_duplicate(people, make_entity, item) -> None:
    make_entity("140603")
    issued_plan(people, "city", [LineValues(item=item)])
    county = people["county"]
    draft = services.plan_create(actor=county, bureau=county.bureau, year=2027, title="草案")
    services.plan_line_add(actor=county, plan=draft, values=LineValues(item=item))
    assert coordination_check(year=2027, region_id="140600").duplicates == []
    with_draft = coordination_check(year=2027, region_id="140600", extra_plan=draft)
    assert [p.entities for p in with_draft.duplicates] == [1]


def test_a_listed_line_covers_only_its_list(people, make_entity, item) -> None:
    listed = make_entity("140603", key_supervision=True)
    other = make_entity("140603", key_supervision=True)
    issued_plan(people, "city", [LineValues(item=item, entities=[listed])])
    issued_plan(people, "county", [LineValues(item=item)])
    result = coordination_check(year=2027, region_id="140000")
    assert [p.entities for p in result.duplicates] == [1]
    assert result.coverage[KEY] == (2, 2)
    a, b = (
        PlanLine.objects.get(pk=i)
        for i in (result.duplicates[0].a.line_id, result.duplicates[0].b.line_id)
    )
    assert list(duplicate_entities(a, b)) == [listed]
    assert other.pk not in {e.pk for e in duplicate_entities(a, b)}


# --- the class-based check against a plain computation -------------------------------------

INDUSTRIES = ["coal_mine", "hazardous_chemicals", "commerce_trade"]
REGIONS = ["140603", "140602", "140525"]


def brute_force(year: int) -> tuple[dict[tuple[int, int], int], dict[tuple[str, str], int]]:
    lines = list(
        PlanLine.objects.filter(plan__year=year, plan__status__in=["issued", "filed"])
        .select_related("plan__bureau")
        .order_by("id")
    )
    covered = {
        ln.pk: set(Entity.objects.filter(line_q(ln)).values_list("pk", flat=True)) for ln in lines
    }
    pairs = {}
    for a, b in combinations(lines, 2):
        if a.item_id != b.item_id:
            continue
        if a.plan.bureau_id == b.plan.bureau_id and a.division_id == b.division_id:
            continue
        sa, ea = a.period(year)
        sb, eb = b.period(year)
        if sa > eb or sb > ea:
            continue
        n = len(covered[a.pk] & covered[b.pk])
        if n:
            pairs[(a.pk, b.pk)] = n
    every = set().union(*covered.values()) if covered else set()
    gaps: dict[tuple[str, str], int] = {}
    for e in Entity.objects.filter(business_status__in=["operating", "suspended"]):
        if e.pk in every:
            continue
        for cat in ([KEY] if e.key_supervision else []) + (
            ["coal_mine"] if e.industry == "coal_mine" else []
        ):
            gaps[(e.region_id, cat)] = gaps.get((e.region_id, cat), 0) + 1
    return pairs, gaps


def duplicated_entity_items(year: int) -> int:
    """Entity by entity: in how many items two lines that are a duplicate pair both cover it."""
    lines = list(
        PlanLine.objects.filter(plan__year=year, plan__status__in=["issued", "filed"])
        .select_related("plan__bureau")
        .order_by("id")
    )
    covered = {
        ln.pk: set(Entity.objects.filter(line_q(ln)).values_list("pk", flat=True)) for ln in lines
    }
    doubled: set[tuple[int, int]] = set()  # (entity, item)
    for a, b in combinations(lines, 2):
        if a.item_id != b.item_id:
            continue
        if a.plan.bureau_id == b.plan.bureau_id and a.division_id == b.division_id:
            continue
        sa, ea = a.period(year)
        sb, eb = b.period(year)
        if sa > eb or sb > ea:
            continue
        doubled |= {(e, a.item_id) for e in covered[a.pk] & covered[b.pk]}
    return len(doubled)


def gaps_total(gaps: dict[tuple[str, str], int], category: str) -> int:
    return sum(n for (_, cat), n in gaps.items() if cat == category)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_class_based_check_equals_entity_by_entity(seed, people, make_entity, make_item) -> None:
    rng = random.Random(seed)
    items = [make_item(f"事项{i}", industries=[]) for i in range(3)]
    entities = [
        make_entity(
            rng.choice(REGIONS),
            industry=rng.choice(INDUSTRIES),
            key_supervision=rng.random() < 0.4,
            major_hazard_source=rng.random() < 0.3,
            credit_grade=rng.choice(["", "A", "B", "C", "D"]),
            risk_level=rng.choice(["", "major", "significant", "general", "low"]),
            business_status=rng.choice(["operating"] * 5 + ["suspended", "closed"]),
        )
        for _ in range(60)
    ]

    def random_line(drafter: str) -> LineValues:
        region = people[drafter].bureau.region_id
        mine = [e for e in entities if e.region_id in region_codes_under(region)]
        if mine and rng.random() < 0.2:
            return LineValues(item=rng.choice(items), entities=rng.sample(mine, min(3, len(mine))))
        start = rng.randint(1, 12)
        return LineValues(
            item=rng.choice(items),
            industries=rng.sample(INDUSTRIES, rng.randint(0, 2)),
            key_supervision_only=rng.random() < 0.3,
            major_hazard_only=rng.random() < 0.2,
            credit_grades=rng.sample(["A", "B", "C", "D"], rng.randint(0, 2)),
            risk_levels=rng.sample(["major", "significant", "general", "low"], rng.randint(0, 2)),
            start_month=start,
            end_month=rng.randint(start, 12),
        )

    for drafter in ["province", "city", "county", "other_county"]:
        for n in range(2):
            issued_plan(people, drafter, [random_line(drafter) for _ in range(3)], f"{drafter}{n}")

    pairs, gaps = brute_force(2027)
    assert pairs and gaps, "the seeds are chosen so that there is something to compare"
    result = coordination_check(year=2027, region_id="140000")
    assert {(p.a.line_id, p.b.line_id): p.entities for p in result.duplicates} == pairs
    assert {(g.region_id, g.category): g.uncovered for g in result.gaps} == gaps
    assert result.duplicated_entity_items == duplicated_entity_items(2027)
    eligible = Entity.objects.filter(business_status__in=["operating", "suspended"])
    key_supervised = eligible.filter(key_supervision=True).count()
    assert result.coverage[KEY] == (key_supervised, key_supervised - gaps_total(gaps, KEY))
    for g in result.gaps:
        assert gap_entities(year=2027, region_id=g.region_id, category=g.category).count() == (
            g.uncovered
        )


def test_full_coverage_sectors_follow_the_setting(settings, people, make_entity, item) -> None:
    make_entity("140603", industry="hazardous_chemicals")
    issued_plan(people, "county", [LineValues(item=item, industries=["coal_mine"])])
    assert coordination_check(year=2027, region_id="140603").gaps == []
    settings.ANJIAN_FULL_COVERAGE_INDUSTRIES = ["coal_mine", "hazardous_chemicals"]
    result = coordination_check(year=2027, region_id="140603")
    assert [(g.category, g.uncovered) for g in result.gaps] == [("hazardous_chemicals", 1)]
    assert result.coverage["hazardous_chemicals"] == (1, 0)


def test_a_region_that_does_not_exist_has_nothing_to_coordinate(people, make_entity, item) -> None:
    """Its reach of bureaus is empty, so the lines' query can match nothing: an empty answer,
    not a server error (found by the API's schema-driven test on PostgreSQL, where the check
    reads its rows straight from the driver)."""
    make_entity("140603", key_supervision=True)
    issued_plan(people, "county", [LineValues(item=item)])
    result = coordination_check(year=2027, region_id="999999")
    assert result.duplicates == [] and result.gaps == []


def test_values_no_line_tells_apart_are_one_class_but_a_full_coverage_sector_stays_itself(
    people, make_entity, item
) -> None:
    """The check merges attribute values that every line admits alike (here every industry and
    every risk level but "major"); the coal mines' gap row must still be theirs."""
    make_entity("140603", industry="commerce_trade", risk_level="low")
    make_entity("140603", industry="commerce_trade", risk_level="general")
    make_entity("140603", industry="coal_mine", risk_level="general")
    make_entity("140603", industry="coal_mine", risk_level="major", key_supervision=True)
    make_entity("140603", industry="hazardous_chemicals", risk_level="major")
    issued_plan(people, "county", [LineValues(item=item, risk_levels=["major"])])
    result = coordination_check(year=2027, region_id="140603")
    assert [(g.category, g.eligible, g.uncovered) for g in result.gaps] == [("coal_mine", 2, 1)]
    assert result.coverage == {KEY: (1, 1), "coal_mine": (2, 1)}
    # Five classes by their raw values; four once "low" and "general" are one, and commerce and
    # chemicals are one. The coal mines stay apart from the commerce entities.
    assert result.classes_checked == 4
