"""Discretion by the law in force (issue 19, N5.1): a tier is chosen by its conditions as the
officer answers them, then the factors move it; lettered tiers as 应急〔2024〕90号 writes them;
从旧兼从轻 (行政处罚法 art. 37) between the act's benchmark and the decision's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from anjian.catalog import services
from anjian.catalog.discretion import recommend_penalty
from anjian.core.errors import ServiceError

pytestmark = pytest.mark.django_db

D = datetime.date
OC = ["order_correction", "fine"]

QUESTIONS = [
    {
        "key": "untrained_share",
        "label": "未经培训合格上岗人员占比",
        "kind": "share",
        "unit": "%",
    },
    {"key": "not_corrected", "label": "逾期未改正", "kind": "yes_no"},
]
SHARE = "untrained_share"


def _tier(name, when, low, high, kinds=OC, **extra):
    return {
        "level": name,
        "conditions": "",
        "when": when,
        "penalty_kinds": kinds,
        "fine_min": low,
        "fine_max": high,
        **extra,
    }


LETTERED = [
    _tier("A", [[{"q": SHARE, "op": "lte", "value": 10}]], 0, 30_000),
    _tier(
        "B",
        [[{"q": SHARE, "op": "gt", "value": 10}, {"q": SHARE, "op": "lte", "value": 30}]],
        30_000,
        60_000,
    ),
    _tier("C", [[{"q": SHARE, "op": "gt", "value": 30}]], 60_000, 100_000),
    _tier(
        "D",
        [[{"q": "not_corrected", "op": "yes"}]],
        100_000,
        200_000,
        kinds=["fine", "suspension"],
        fixed=True,
        grave=True,
    ),
]
FACTORS = [
    {"name": "一年内再次违法", "effect": "aggravating"},
    {"name": "主动消除危害后果", "effect": "mitigating"},
]
LEGACY = [
    {"level": "minor", "penalty_kinds": OC, "fine_min": 10_000, "fine_max": 30_000},
    {"level": "ordinary", "penalty_kinds": OC, "fine_min": 30_000, "fine_max": 60_000},
    {"level": "serious", "penalty_kinds": OC, "fine_min": 60_000, "fine_max": 100_000},
    {
        "level": "grave",
        "penalty_kinds": ["fine", "suspension"],
        "fine_min": 100_000,
        "fine_max": 200_000,
    },
]


def _publish(item, *, levels, questions, day, first=True, code="AQF-97-3"):
    publish = services.benchmark_create if first else services.benchmark_version_create
    return publish(
        actor=services.SYSTEM_ACTOR,
        code=code,
        violation="未按规定对从业人员进行安全生产教育和培训",
        legal_provision="《中华人民共和国安全生产法》第二十八条第一款",
        penalty_basis="《中华人民共和国安全生产法》第九十七条第（三）项",
        levels=levels,
        factors=FACTORS,
        questions=questions,
        effective_from=day,
        items=[item],
        reason="" if first else "应急〔2024〕90号",
    )


@pytest.fixture
def lettered(item):
    return _publish(item, levels=LETTERED, questions=QUESTIONS, day=D(2024, 11, 1))


@pytest.mark.parametrize(
    ("answers", "factors", "tier", "fines"),
    [
        ({SHARE: 5}, [], "A", (0, 30_000)),
        ({SHARE: 10}, [], "A", (0, 30_000)),  # 10% is still "10% and below"
        ({SHARE: 20}, [], "B", (30_000, 60_000)),
        ({SHARE: 35}, [], "C", (60_000, 100_000)),  # >30%: the top share tier
        ({SHARE: 20}, ["一年内再次违法"], "C", (60_000, 100_000)),
        ({SHARE: 35}, ["主动消除危害后果"], "B", (30_000, 60_000)),
        ({SHARE: 5}, ["主动消除危害后果"], "A", (0, 30_000)),  # no tier below A
        # Not corrected: the law fixes the range; mitigation is weighed inside it.
        ({"not_corrected": True}, ["主动消除危害后果"], "D", (100_000, 200_000)),
    ],
)
def test_the_answers_choose_the_tier_then_the_factors_move_it(
    lettered, answers, factors, tier, fines
) -> None:
    with translation.override("zh-hans"):
        result = recommend_penalty(
            "AQF-97-3", {"answers": answers, "factors": factors}, on=D(2025, 3, 1)
        )
    assert (result.level, (result.fine_min, result.fine_max)) == (tier, fines)
    assert result.label == f"阶次{tier}"


def test_the_reasoning_reads_in_chinese(lettered) -> None:
    with translation.override("zh-hans"):
        result = recommend_penalty(
            "AQF-97-3",
            {"answers": {SHARE: 35}, "factors": ["主动消除危害后果"]},
            on=D(2025, 3, 1),
        )
    assert result.reasons == [
        "依据：未经培训合格上岗人员占比为35%（超过30%） → 阶次C",
        "从轻情节：主动消除危害后果 → 阶次B",
    ]
    with translation.override("zh-hans"):
        ranged = recommend_penalty("AQF-97-3", {"answers": {SHARE: 20}}, on=D(2025, 3, 1))
    assert ranged.reasons == ["依据：未经培训合格上岗人员占比为20%（超过10%，不超过30%） → 阶次B"]


def test_a_missing_or_impossible_answer_is_refused_naming_the_question(lettered) -> None:
    with translation.override("zh-hans"):
        with pytest.raises(ServiceError) as exc:
            recommend_penalty("AQF-97-3", {"answers": {}}, on=D(2025, 3, 1))
        assert "请回答：未经培训合格上岗人员占比" in str(exc.value.fields["discretion_facts"])
        with pytest.raises(ServiceError) as exc:
            recommend_penalty("AQF-97-3", {"answers": {SHARE: 130}}, on=D(2025, 3, 1))
        assert "未经培训合格上岗人员占比：比例应在0至100%之间" in str(exc.value.fields)
    # Not corrected decides the tier whatever the share: no need to ask it.
    result = recommend_penalty("AQF-97-3", {"answers": {"not_corrected": "on"}}, on=D(2025, 3, 1))
    assert result.level == "D" and result.grave


@pytest.mark.parametrize(
    "levels",
    [
        [LETTERED[0], {**LETTERED[1], "fine_min": 0, "fine_max": 20_000}],  # falls
        [LETTERED[0], {**LETTERED[1], "level": "A"}],  # the same name twice
        [LETTERED[0], {**LETTERED[1], "when": [[{"q": "nobody", "op": "gt", "value": 1}]]}],
        [LETTERED[0], {**LETTERED[1], "when": [[{"q": SHARE, "op": "about", "value": 1}]]}],
    ],
)
def test_lettered_tiers_that_do_not_rise_or_ask_unknown_questions_are_refused(item, levels) -> None:
    with pytest.raises(ServiceError) as exc:
        _publish(item, levels=levels, questions=QUESTIONS, day=D(2024, 11, 1))
    assert {"levels", "questions"} & set(exc.value.fields)


def _two_versions(item):
    """The 2021 benchmark (old style: ordinary unless a factor or a flag says otherwise) and
    its 2024-11-01 successor with lettered tiers chosen by the share."""
    _publish(item, levels=LEGACY, questions=[], day=D(2021, 9, 1))
    return _publish(item, levels=LETTERED, questions=QUESTIONS, day=D(2024, 11, 1), first=False)


def test_an_earlier_act_gets_the_newer_benchmark_only_where_it_is_lighter(item) -> None:
    _two_versions(item)
    act, decided = D(2024, 10, 8), D(2025, 1, 6)
    with translation.override("zh-hans"):
        # 5%: the new tier A (≤3万) is lighter than the old "ordinary" (3–6万).
        lighter = recommend_penalty("AQF-97-3", {"answers": {SHARE: 5}}, on=act, decided_on=decided)
        # 35%: the new tier C (6–10万) is heavier than the old "ordinary": the old one stays.
        heavier = recommend_penalty(
            "AQF-97-3", {"answers": {SHARE: 35}}, on=act, decided_on=decided
        )
    assert (lighter.level, lighter.benchmark.effective_from) == ("A", D(2024, 11, 1))
    assert lighter.law["applied"] == "decision"
    assert "适用作出处罚决定时施行的基准" in lighter.law["why"]
    assert "第三十七条" in lighter.law["why"]
    assert (heavier.level, heavier.benchmark.effective_from) == ("ordinary", D(2021, 9, 1))
    assert heavier.law["applied"] == "act"
    assert "并不更轻" in heavier.law["why"]
    # An act after the change is judged by the new benchmark, with nothing to weigh.
    later = recommend_penalty(
        "AQF-97-3", {"answers": {SHARE: 35}}, on=D(2024, 12, 1), decided_on=decided
    )
    assert later.level == "C" and later.law["applied"] == "act"


def test_old_style_benchmarks_keep_their_rule(item) -> None:
    _publish(item, levels=LEGACY, questions=[], day=D(2021, 9, 1))
    on = D(2023, 1, 1)
    assert recommend_penalty("AQF-97-3", {}, on=on).level == "ordinary"
    flags = {"first_offence": True, "corrected_in_time": True}
    assert recommend_penalty("AQF-97-3", flags, on=on).level == "minor"
    assert recommend_penalty("AQF-97-3", {"answers": flags}, on=on).level == "minor"
    stuck = recommend_penalty(
        "AQF-97-3", {"not_corrected": True, "factors": ["主动消除危害后果"]}, on=on
    )
    assert stuck.level == "grave" and stuck.grave
    assert recommend_penalty("AQF-97-3", {"factors": ["一年内再次违法"]}, on=on).level == (
        "serious"
    )


def test_the_public_page_names_lettered_tiers_and_the_table_editor_leaves_them_alone(
    lettered, org, login, client
) -> None:
    from django.urls import reverse

    page = client.get(reverse("catalog:benchmark_detail", kwargs={"code": "AQF-97-3"}))
    text = page.content.decode()
    assert all(f"阶次{t}" in text for t in "ABCD")
    # The four-row table cannot carry conditions: saving it would drop them.
    url = reverse("catalog:benchmark_version_new", kwargs={"code": "AQF-97-3"})
    response = login(org["province_admin"]).get(url, follow=True)
    assert "请通过目录数据文件发布" in response.content.decode()
    assert response.redirect_chain and len(lettered.levels) == 4
