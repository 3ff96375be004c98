"""A case's facts choose the discretion tier (issue 19, N5.1): the proposal form asks the
benchmark's conditions, the answers are stored, the tier and its reasons and the benchmark
applied under 从旧兼从轻 show on the case and review pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from anjian.cases import services
from anjian.cases.models import Case
from anjian.catalog.models import DiscretionBenchmark
from tests.cases.conftest import investigating, open_case, proposal

pytestmark = pytest.mark.django_db

D = datetime.date
OC = ["order_correction", "fine"]
SHARE = "untrained_share"
QUESTIONS = [
    {"key": SHARE, "label": "未经培训合格上岗人员占比", "kind": "share", "unit": "%"},
    {"key": "not_corrected", "label": "责令限期改正后逾期未改正", "kind": "yes_no"},
]
LETTERED = [
    {"level": "A", "conditions": "占比10%以下", "when": [[{"q": SHARE, "op": "lte", "value": 10}]],
     "penalty_kinds": OC, "fine_min": 0, "fine_max": 30_000},
    {"level": "B", "conditions": "占比10%以上30%以下",
     "when": [[{"q": SHARE, "op": "gt", "value": 10}, {"q": SHARE, "op": "lte", "value": 30}]],
     "penalty_kinds": OC, "fine_min": 30_000, "fine_max": 60_000},
    {"level": "C", "conditions": "占比30%以上", "when": [[{"q": SHARE, "op": "gt", "value": 30}]],
     "penalty_kinds": OC, "fine_min": 60_000, "fine_max": 100_000},
    {"level": "D", "conditions": "逾期未改正", "when": [[{"q": "not_corrected", "op": "yes"}]],
     "penalty_kinds": ["fine", "suspension"], "fine_min": 100_000, "fine_max": 200_000,
     "fixed": True, "grave": True},
]  # fmt: skip


@pytest.fixture
def newer(world):
    """AQF-TEST-1 (world: minor … grave from 2021-09-01) gets a lettered version from
    2024-11-01, as 应急〔2024〕90号 replaced the older standards."""
    benchmark = DiscretionBenchmark.objects.create(
        code="AQF-TEST-1",
        violation=world["benchmark"].violation,
        legal_provision=world["benchmark"].legal_provision,
        penalty_basis=world["benchmark"].penalty_basis,
        levels=LETTERED,
        factors=world["benchmark"].factors,
        questions=QUESTIONS,
        effective_from=D(2024, 11, 1),
        reason="应急〔2024〕90号",
    )
    return benchmark


def test_facts_meeting_the_top_share_tier_choose_it_and_stay_inside_the_benchmark(
    world, newer, login
) -> None:
    # Over 30% of the staff untrained: tier C, and a fine of 8万 lies inside it.
    case = investigating(world, fine_amount=80_000, discretion_facts={"answers": {SHARE: "35"}})
    assert case.recommended_level == "C" and case.benchmark_id == newer.pk
    assert case.discretion["outside"] is False and not case.discretion["deviations"]
    assert case.discretion_facts["answers"][SHARE] == 35  # stored as a number
    assert not case.justification
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "阶次C" in page and "依据：未经培训合格上岗人员占比为35%（超过30%） → 阶次C" in page
    assert "未经培训合格上岗人员占比：35%" in page


def test_the_proposal_form_asks_the_benchmarks_conditions_and_stores_the_answers(
    world, newer, login
) -> None:
    case = investigating(world, _no_proposal=True)
    client = login(world["h1"])
    url = reverse("cases:case_proposal", args=[case.pk])
    form = client.get(url).content.decode()
    # The finding's benchmark is known: its tiers and its questions, rendered from the data.
    assert 'name="q_untrained_share"' in form and 'name="q_not_corrected"' in form
    assert "阶次C" in form and "占比30%以上" in form
    assert 'value="多次违法"' in form and "多次违法（从重）" in form
    data = {
        "measures": ["correction_order", "fine"], "fine_amount": "40000",
        "benchmark_code": "AQF-TEST-1", "facts": "培训不到位", "party_kind": "unit",
        "act_date": case.act_date.isoformat(),
    }  # fmt: skip
    # Unanswered: the page says which answer is needed, in Chinese, and saves nothing.
    refused = client.post(url, data).content.decode()
    assert "请回答：未经培训合格上岗人员占比" in refused
    assert Case.objects.get(pk=case.pk).fine_amount == 0
    response = client.post(
        url,
        {**data, "fine_amount": "70000", "q_untrained_share": "20", "factors": ["多次违法"]},
    )
    errors = re.findall(
        r"(?:invalid-feedback d-block|alert-danger py-2)\">([^<]*)", response.content.decode()
    )
    assert response.status_code == 302, errors
    case = Case.objects.get(pk=case.pk)
    assert case.recommended_level == "C"  # B by the share, one up for the repeat
    assert case.discretion_facts == {
        "answers": {SHARE: 20, "not_corrected": False},
        "factors": ["多次违法"],
    }
    again = client.get(url).content.decode()
    assert 'name="q_untrained_share" value="20"' in again


def test_an_act_before_the_change_gets_the_newer_benchmark_only_where_lighter(
    world, newer, login
) -> None:
    act = D(2024, 10, 8)  # before 应急〔2024〕90号; decided now, after it
    case = open_case(world)
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    # 5% untrained: new tier A (≤3万) is lighter than the old "ordinary" (3–6万).
    services.case_proposal_set(
        actor=world["h1"], case=case,
        values=proposal(
            act_date=act, fine_amount=20_000, discretion_facts={"answers": {SHARE: 5}}
        ),
    )  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    assert case.benchmark_id == newer.pk and case.recommended_level == "A"
    assert case.discretion["law"]["applied"] == "decision" and not case.discretion["outside"]
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "适用作出处罚决定时施行的基准" in page and "从旧兼从轻" in page
    assert "AQF-TEST-1（2021-09-01）" in page and "AQF-TEST-1（2024-11-01）" in page
    # 35%: the new tier C would be heavier: the benchmark of the act's date applies.
    services.case_proposal_set(
        actor=world["h1"], case=case,
        values=proposal(
            act_date=act, fine_amount=40_000, discretion_facts={"answers": {SHARE: 35}}
        ),
    )  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    assert case.benchmark_id == world["benchmark"].pk and case.recommended_level == "ordinary"
    assert case.discretion["law"]["applied"] == "act"
    page = login(world["reviewer"]).get(reverse("cases:case_detail", args=[case.pk]))
    assert "适用违法行为发生时施行的基准" in page.content.decode()


def test_the_review_page_shows_the_calculation_of_a_lettered_tier(world, newer, login) -> None:
    from tests.cases.conftest import after_statement

    case = after_statement(
        world,
        fine_amount=150_000,
        measures=["fine"],
        discretion_facts={"answers": {"not_corrected": True}, "factors": ["多次违法"]},
    )
    assert case.recommended_level == "D" and case.grave
    page = login(world["reviewer"]).get(reverse("cases:review_detail", args=[case.pk]))
    text = page.content.decode()
    assert "阶次D" in text and "依据：责令限期改正后逾期未改正：是 → 阶次D" in text
    assert "在阶次D的幅度内考虑" in text  # the repeat does not move a tier the law fixes


def test_the_api_takes_the_answers_and_returns_the_calculation(world, newer, login) -> None:
    import json

    case = investigating(world, _no_proposal=True)
    client = login(world["h1"])
    url = f"/api/cases/{case.pk}/proposal"
    body = {"measures": ["fine"], "fine_amount": 80_000, "benchmark_code": "AQF-TEST-1"}
    missing = client.post(url, json.dumps(body), content_type="application/json")
    assert missing.status_code == 400
    fields = missing.json()["error"]["fields"]
    assert "请回答：未经培训合格上岗人员占比" in fields["discretion_facts"][0]
    assert "benchmark_code" not in fields  # the code is right; only the answer is missing
    body["discretion_facts"] = {"answers": {SHARE: 35}}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    discretion = response.json()["discretion"]
    assert discretion["recommendation"]["level"] == "C" and discretion["outside"] is False
    assert discretion["law"]["applied"] == "act"
