"""安全生产法 第九十七条: the responsible person's fine is of the branch where the unit did not
correct by the deadline; the officer's answer is checked against the correction order on record
(its deadline and when it was rectified) and refused, naming the answer, when they disagree."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from anjian.cases import services
from anjian.core.errors import ServiceError
from tests.cases import test_parties
from tests.cases.conftest import LONG_AGO, TODAY, proposal
from tests.cases.test_parties import (
    add_principal,
    fresh,
    unit_case,
)

pytestmark = pytest.mark.django_db
double = test_parties.double  # the fixture: a unit's and a person's benchmarks
D = datetime.timedelta


def order(world, *, deadline: datetime.date, rectified_on: datetime.date | None = None):
    from anjian.inspections.models import CorrectionOrder

    made = CorrectionOrder.objects.create(
        record=world["record"], deadline=deadline, issued_on=LONG_AGO, issued_by=world["h1"],
        status="rectified" if rectified_on else "open", rectified_on=rectified_on,
    )  # fmt: skip
    made.findings.add(world["finding"])
    return made


def person_values(not_corrected: bool | None, **extra):
    facts = {} if not_corrected is None else {"not_corrected": not_corrected}
    return proposal(benchmark_code="AQF-97-3", fine_amount=30_000, measures=["fine"],
                    discretion_facts=facts, **extra)  # fmt: skip


def refusal(world, case, values) -> str:
    with translation.override("zh-hans"), pytest.raises(ServiceError) as refused:
        services.case_proposal_set(actor=world["h1"], case=fresh(case), values=values)
    assert "discretion_facts" in refused.value.fields
    return str(refused.value.fields["discretion_facts"][0])


def test_a_person_is_not_fined_under_97_outside_the_not_corrected_branch(double) -> None:
    world = double
    person = add_principal(world, unit_case(world))
    for answer in (None, False):
        message = refusal(world, person, person_values(answer))
        assert "第九十七条" in message and "“逾期未改正”" in message


def test_the_branch_is_refused_when_the_unit_corrected_in_time(double) -> None:
    world = double
    order(world, deadline=LONG_AGO + D(days=10), rectified_on=LONG_AGO + D(days=5))
    person = add_principal(world, unit_case(world))
    message = refusal(world, person, person_values(True))
    assert "“逾期未改正”的回答与记录不符" in message
    assert "平鲁应急现记〔2026〕1号" in message and "整改完毕" in message
    assert fresh(person).fine_amount == 0  # nothing written


def test_the_branch_is_refused_before_the_deadline_has_passed(double) -> None:
    world = double
    order(world, deadline=TODAY + D(days=5))
    person = add_principal(world, unit_case(world))
    message = refusal(world, person, person_values(True))
    assert "尚未届满" in message


def test_the_branch_holds_when_the_record_shows_the_deadline_missed(double) -> None:
    world = double
    order(world, deadline=LONG_AGO + D(days=10))  # still open, long past its deadline
    person = add_principal(world, unit_case(world))
    services.case_proposal_set(actor=world["h1"], case=person, values=person_values(True))
    person = fresh(person)
    assert person.fine_amount == 30_000
    reasons = " ".join(person.discretion["recommendation"]["reasons"])
    assert "已与责令限期整改指令的记录核对" in reasons


def test_a_late_rectification_is_not_corrected_in_time(double) -> None:
    world = double
    order(world, deadline=LONG_AGO + D(days=5), rectified_on=LONG_AGO + D(days=12))
    case = unit_case(world)
    # The unit's answer "not corrected: no" contradicts the late rectification on record.
    message = refusal(
        world, case,
        proposal(benchmark_code="AQF-97-3", fine_amount=40_000,
                 discretion_facts={"not_corrected": False}),
    )  # fmt: skip
    assert "“逾期未改正”的回答与记录不符" in message and "整改完毕" in message
    message = refusal(
        world, case,
        proposal(benchmark_code="AQF-97-3", fine_amount=40_000,
                 discretion_facts={"corrected_in_time": True}),
    )  # fmt: skip
    assert "“及时改正”的回答与记录不符" in message


def test_without_an_order_on_record_the_reasoning_says_it_was_not_checked(double) -> None:
    world = double
    person = add_principal(world, unit_case(world))
    services.case_proposal_set(actor=world["h1"], case=person, values=person_values(True))
    reasons = " ".join(fresh(person).discretion["recommendation"]["reasons"])
    assert "未能核对" in reasons
