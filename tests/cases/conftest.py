"""A county bureau (平鲁区 140603) with two certified handlers, a leader, a legal reviewer, a
coal mine with a violation found on site, and a benchmark; helpers drive a case along."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from anjian.accounts.models import Bureau
from anjian.cases import services
from anjian.cases.models import Case
from anjian.cases.services import ProposalValues
from anjian.catalog.models import DiscretionBenchmark

# The day the module was imported. The `_today_is_today` fixture below pins the platform's
# clock to it, so a run that crosses midnight in Asia/Shanghai still agrees with these constants.
TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _today_is_today(clock: Any) -> None:
    clock.pin_date(TODAY)


def today_is(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    """Move the case steps' "today" (each stage module reads it through its own `_today`)."""
    from anjian.cases import _common, decision, execution, filing, hearing

    for module in (_common, filing, hearing, decision, execution):
        monkeypatch.setattr(module, "_today", lambda: day)


LEVELS = [
    {"level": "minor", "conditions": "≤10%", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 10_000, "fine_max": 30_000},
    {"level": "ordinary", "conditions": "10–30%", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 30_000, "fine_max": 60_000},
    {"level": "serious", "conditions": ">30%", "penalty_kinds": ["order_correction", "fine"],
     "fine_min": 60_000, "fine_max": 100_000},
    {"level": "grave", "conditions": "not corrected", "penalty_kinds": ["fine", "suspension"],
     "fine_min": 100_000, "fine_max": 200_000},
]  # fmt: skip
FACTORS = [{"name": "多次违法", "effect": "aggravating", "description": "一年内再次违法"}]
BUREAU_DETAILS = {
    "address": "朔州市平鲁区井坪镇府前街1号",
    "phone": "0349-6012345",
    "payment_place": "中国工商银行朔州平鲁支行（账户：朔州市平鲁区财政局非税收入汇缴结算户）",
    "reconsideration_organ": "朔州市平鲁区人民政府",
    "court": "朔州市平鲁区人民法院",
}


@pytest.fixture
def world(
    org: dict[str, Any],
    make_user: Callable[..., Any],
    make_certificate: Callable[..., Any],
    make_entity: Callable[..., Any],
    item: Any,
) -> dict[str, Any]:
    from anjian.inspections.models import Finding, InspectionRecord, InspectionTask

    h1 = org["county_inspector"]
    # What the bureau's notice and decision print (set by its administrator on the bureau page).
    Bureau.objects.filter(pk=h1.bureau_id).update(**BUREAU_DETAILS)
    h1.bureau.refresh_from_db()
    h2 = make_user("140603", ["inspector"], username="county_insp2", full_name="李四")
    make_certificate(h1)
    make_certificate(h2)
    leader = make_user("140603", ["bureau_leader"], username="county_leader")
    reviewer = make_user("140603", ["legal_reviewer"], username="county_legal")
    entity = make_entity("140603", name="平鲁区测试煤业有限公司", address="朔州市平鲁区陶村乡")
    benchmark = DiscretionBenchmark.objects.create(
        code="AQF-TEST-1",
        violation="未按照规定对从业人员进行安全生产教育和培训",
        legal_provision="安全生产法第二十八条",
        penalty_basis="安全生产法第九十七条",
        levels=LEVELS,
        factors=FACTORS,
        effective_from=datetime.date(2021, 9, 1),
    )
    task = InspectionTask.objects.create(
        bureau=h1.bureau,
        entity=entity,
        item=item,
        source="ad_hoc",
        period_start=LONG_AGO,
        due_on=TODAY,
    )
    record = InspectionRecord.objects.create(
        task=task,
        entity=entity,
        bureau=h1.bureau,
        region_id="140603",
        number="平鲁应急现记〔2026〕1号",
        place="井下",
        present_name="王五",
        started_at=timezone.now() - datetime.timedelta(days=30),
        created_by=h1,
        status="submitted",
    )
    finding = Finding.objects.create(
        record=record,
        kind="violation",
        description="三名井下作业人员未经安全培训上岗",
        legal_basis="安全生产法第二十八条",
        benchmark=benchmark,
        fact_date=LONG_AGO,
        created_by=h1,
    )
    return {
        "h1": h1,
        "h2": h2,
        "leader": leader,
        "reviewer": reviewer,
        "entity": entity,
        "benchmark": benchmark,
        "finding": finding,
        "record": record,
        "bureau": h1.bureau,
    }


def open_case(world: dict[str, Any], **extra: Any) -> Case:
    return services.case_open(
        actor=world["h1"],
        bureau=world["bureau"],
        entity=extra.pop("entity", world["entity"]),
        title="未按规定开展安全培训案",
        handlers=[world["h1"], world["h2"]],
        findings=extra.pop("findings", [world["finding"]]),
        **extra,
    )


def proposal(**extra: Any) -> ProposalValues:
    values: dict[str, Any] = {
        "measures": ["correction_order", "fine"],
        "provisions": "安全生产法第二十八条",
        "benchmark_code": "AQF-TEST-1",
        "fine_amount": 40_000,
    }
    values.update(extra)
    return ProposalValues(**values)


def investigating(world: dict[str, Any], **proposal_extra: Any) -> Case:
    case = open_case(world)
    # Opened a month ago, so that the party's deadlines after the notice have passed.
    Case.objects.filter(pk=case.pk).update(opened_on=LONG_AGO)
    case.refresh_from_db()
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    if proposal_extra.pop("_no_proposal", False):
        return Case.objects.get(pk=case.pk)
    services.case_proposal_set(actor=world["h1"], case=case, values=proposal(**proposal_extra))
    return Case.objects.get(pk=case.pk)


def notified(world: dict[str, Any], **proposal_extra: Any) -> Case:
    """Notified long enough ago that the party's deadlines have passed."""
    case = investigating(world, **proposal_extra)
    services.case_notify(actor=world["h1"], case=case, notified_on=LONG_AGO)
    return Case.objects.get(pk=case.pk)


def after_statement(world: dict[str, Any], **proposal_extra: Any) -> Case:
    case = notified(world, **proposal_extra)
    services.case_defence_close(actor=world["h1"], case=case, statement="无异议")
    return Case.objects.get(pk=case.pk)


MAJOR = {"fine_amount": 150_000, "measures": ["fine"], "discretion_facts": {"not_corrected": True}}
