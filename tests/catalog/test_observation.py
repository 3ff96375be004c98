"""N3.5 (issue 19): the observation period has an end; the guidance-first rule does not
shelter unlicensed operation or an ordinary-or-heavier tier unless the province's published
exemption list names it; the list is data the province maintains and publishes."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from anjian.catalog import services
from anjian.catalog.discretion import questions_for, recommend_penalty
from anjian.catalog.exemptions import (
    ExemptionValues,
    exemption_add,
    exemption_withdraw,
    exemptions_load,
)
from anjian.catalog.models import DiscretionBenchmark, ExemptionEntry
from anjian.catalog.observation import EXEMPTION_QUESTION, shelter_decide
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = datetime.date
ACT = D(2025, 6, 1)
LEVELS = [
    {"level": "A", "conditions": "1人", "when": [[{"q": "n", "op": "lte", "value": 1}]],
     "penalty_kinds": ["order_correction", "fine"], "fine_min": 0, "fine_max": 30_000,
     "minor": True},
    {"level": "B", "conditions": "2人以上", "when": [[{"q": "n", "op": "gte", "value": 2}]],
     "penalty_kinds": ["order_correction", "fine"], "fine_min": 30_000, "fine_max": 60_000},
    {"level": "C", "conditions": "逾期未改正", "when": [[{"q": "late", "op": "yes"}]],
     "penalty_kinds": ["fine", "suspension"], "fine_min": 100_000, "fine_max": 130_000,
     "fixed": True, "grave": True},
]  # fmt: skip
QUESTIONS = [
    {"key": "n", "label": "人数", "kind": "count", "unit": "人"},
    {"key": "late", "label": "逾期未改正", "kind": "yes_no"},
]


@pytest.fixture
def bench(item) -> DiscretionBenchmark:
    return services.benchmark_create(
        code="AQF-97-7-T",
        violation="特种作业人员未持证上岗",
        legal_provision="安全生产法第三十条",
        penalty_basis="安全生产法第九十七条第七项",
        levels=LEVELS,
        factors=[],
        questions=QUESTIONS,
        effective_from=D(2024, 11, 1),
        items=[item],
    )


START, END = D(2025, 1, 1), D(2025, 12, 31)


def _entity(start=START, end=END, new=True):
    return SimpleNamespace(new_business_form=new, observation_start=start, observation_end=end)


def _decide(bench, answers, entity=None, **extra):
    rec = recommend_penalty(bench, {"answers": answers}, on=ACT)
    return shelter_decide(entity=entity or _entity(), act_date=ACT, recommendation=rec, **extra)


def _list(actor, code="AQF-97-7-T", **extra) -> ExemptionEntry:
    values = {
        "kind": "first_offence",
        "benchmark_code": code,
        "conditions": "初次违法、危害后果轻微并及时改正",
        "source": "山西省应急管理领域首违不罚清单",
        "effective_from": D(2025, 1, 1),
    }
    values.update(extra)
    return exemption_add(actor=actor, values=ExemptionValues(**values))


def test_a_minor_tier_within_the_period_is_sheltered(bench) -> None:
    shelter = _decide(bench, {"n": 1, "late": False})
    assert shelter.applies and shelter.in_observation
    assert len(shelter.reasons) >= 2  # the period, then the tier


def test_an_ordinary_or_heavier_tier_is_not_sheltered(bench) -> None:
    shelter = _decide(bench, {"n": 3, "late": False})
    assert not shelter.applies and shelter.in_observation
    assert "B" in shelter.reasons[-1]


def test_unlicensed_operation_is_not_sheltered(bench) -> None:
    DiscretionBenchmark.objects.filter(pk=bench.pk).update(unlicensed_operation=True)
    bench.refresh_from_db()
    shelter = _decide(bench, {"n": 1, "late": False})
    assert not shelter.applies


def test_the_exemption_list_shelters_what_it_names_on_its_conditions(org, bench) -> None:
    DiscretionBenchmark.objects.filter(pk=bench.pk).update(unlicensed_operation=True)
    bench.refresh_from_db()
    _list(org["province_admin"], tiers=["A", "B"])
    assert not _decide(bench, {"n": 3, "late": False}).applies  # not confirmed
    named = _decide(bench, {"n": 3, "late": False}, exemption_conditions_met=True)
    assert named.applies and named.exemption["benchmark_code"] == "AQF-97-7-T"
    # The grave tier never, whatever the list says.
    assert not _decide(bench, {"late": True}, exemption_conditions_met=True).applies
    # A major hazard among the findings neither.
    assert not _decide(
        bench, {"n": 1, "late": False}, major_finding=True, exemption_conditions_met=True
    ).applies


def test_a_row_limited_to_some_tiers_does_not_cover_the_others(org, bench) -> None:
    _list(org["province_admin"], tiers=["A"])
    shelter = _decide(bench, {"n": 3, "late": False}, exemption_conditions_met=True)
    assert not shelter.applies


def test_outside_the_period_or_with_no_end_nothing_is_sheltered(bench) -> None:
    assert not _decide(bench, {"n": 1, "late": False}, _entity(end=D(2025, 5, 31))).applies
    open_ended = _decide(bench, {"n": 1, "late": False}, _entity(end=None))
    assert not open_ended.applies and not open_ended.in_observation
    assert "end date" in open_ended.reasons[0] or "结束日期" in open_ended.reasons[0]
    plain = _decide(bench, {"n": 1, "late": False}, _entity(new=False))
    assert not plain.applies and plain.reasons == []


def test_the_list_applies_by_the_date_of_the_act(org, bench) -> None:
    row = _list(org["province_admin"], tiers=["B"], effective_from=D(2025, 1, 1))
    exemption_withdraw(
        actor=org["province_admin"], entry=row, withdrawn_on=D(2025, 5, 1), reason="清单修订"
    )
    # The act of 2025-06-01 falls after the withdrawal.
    assert not _decide(bench, {"n": 3, "late": False}, exemption_conditions_met=True).applies
    events = AuditEvent.objects.filter(action__startswith="catalog.exemption.")
    assert set(events.values_list("action", flat=True)) == {
        "catalog.exemption.added",
        "catalog.exemption.withdrawn",
    }
    with pytest.raises(Conflict):
        exemption_withdraw(
            actor=org["province_admin"], entry=row, withdrawn_on=D(2025, 6, 1), reason="再次"
        )


def test_the_proposal_form_asks_the_rows_conditions(org, bench) -> None:
    assert EXEMPTION_QUESTION not in {
        q["key"] for q in questions_for("AQF-97-7-T", on=ACT, decided_on=ACT)["questions"]
    }
    _list(org["province_admin"])
    asked = questions_for("AQF-97-7-T", on=ACT, decided_on=ACT)["questions"]
    question = next(q for q in asked if q["key"] == EXEMPTION_QUESTION)
    assert question["kind"] == "yes_no" and "初次违法" in question["label"]


def test_only_the_province_maintains_the_list_and_bad_rows_are_refused(org, bench) -> None:
    with pytest.raises(NotPermitted):
        _list(org["county_admin"])
    with pytest.raises(ServiceError) as exc:
        _list(org["province_admin"], code="NO-SUCH-1", conditions="", source="")
    assert {"benchmark_code", "conditions", "source"} <= set(exc.value.fields)
    with pytest.raises(ServiceError) as exc:
        _list(org["province_admin"], tiers=["C"])  # the grave tier
    assert "tiers" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        _list(org["province_admin"], tiers=["Z"])
    assert "tiers" in exc.value.fields
    _list(org["province_admin"])
    with pytest.raises(Conflict):  # one row per bench and kind in force
        _list(org["province_admin"])


def test_the_shanxi_starter_list_loads_and_is_published(client, org) -> None:
    services.catalog_starter_load()
    rows = list(ExemptionEntry.objects.all())
    assert len(rows) >= 3 and all(not r.verified for r in rows)
    assert exemptions_load() == 0  # idempotent
    # No unlicensed operation on the starter list.
    unlicensed = set(
        DiscretionBenchmark.objects.filter(unlicensed_operation=True).values_list("code", flat=True)
    )
    assert not {r.benchmark_code for r in rows} & unlicensed
    page = client.get(reverse("catalog:exemption_list"), {"on": "2025-06-01"}).content.decode()
    assert all(r.benchmark_code in page for r in rows)


def test_the_maintainer_adds_and_withdraws_rows_on_the_pages(org, bench, login) -> None:
    admin = login(org["province_admin"])
    response = admin.post(
        reverse("catalog:exemption_new"),
        {
            "kind": "minor",
            "benchmark_code": "aqf-97-7-t",
            "tiers": "A",
            "conditions": "1人且及时改正",
            "source": "山西省应急管理领域轻微违法行为不予行政处罚清单",
            "effective_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    row = ExemptionEntry.objects.get()
    assert row.benchmark_code == "AQF-97-7-T" and row.tiers == ["A"]
    bad = admin.post(
        reverse("catalog:exemption_withdraw", args=[row.pk]),
        {"withdrawn_on": "2024-12-01", "withdrawn_reason": "清单修订"},
    )  # before the row took effect
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"withdrawn_on"}
    done = admin.post(
        reverse("catalog:exemption_withdraw", args=[row.pk]),
        {"withdrawn_on": "2025-07-01", "withdrawn_reason": "清单修订"},
    )
    assert done.status_code == 302
    assert ExemptionEntry.objects.get().withdrawn_on == datetime.date(2025, 7, 1)
    county = login(org["county_admin"])
    assert county.get(reverse("catalog:exemption_new")).status_code == 403
