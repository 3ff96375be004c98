"""Transferring a unit's case moves its co-parties' open proceedings with it (双罚, ADR 0011),
each on its own timeline and audit trail; the one 案件移送书 names every party."""

from __future__ import annotations

import pytest

from anjian.cases import parties, services
from anjian.cases.models import ClueTransfer
from anjian.core.errors import Conflict
from anjian.core.models import AuditEvent
from anjian.documents.selectors import documents_for
from tests.cases import test_parties
from tests.cases.test_casefile import pdf_text
from tests.cases.test_parties import (
    add_principal,
    fresh,
    person_proposal,
    to_decision,
    unit_case,
)

pytestmark = pytest.mark.django_db
double = test_parties.double  # the fixture: a unit's and a person's benchmarks


def test_the_transfer_of_the_unit_case_takes_the_parties_proceedings(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case))
    services.case_transfer(
        actor=world["h1"], case=fresh(case), reason="涉嫌重大责任事故罪",
        to_department="朔州市公安局平鲁分局",
    )  # fmt: skip
    case, person = fresh(case), fresh(person)
    assert case.state == person.state == "transferred"
    assert person.end_reason == "涉嫌重大责任事故罪" and person.closed_on == case.closed_on
    # One transfer row (the unit's case), one letter naming both parties.
    assert ClueTransfer.objects.filter(case=case, whole_case=True).count() == 1
    assert not ClueTransfer.objects.filter(case=person).exists()
    assert not documents_for(person).filter(kind="case_transfer").exists()
    letter = documents_for(case).get(kind="case_transfer")
    assert letter.context["party_name"].endswith("及其张建国（主要负责人）")
    assert "张建国" in pdf_text(letter)
    # The person's row has its own timeline entry and audit event, naming the unit's case.
    event = person.events.get(action="transfer")
    assert event.data["with_case"] == case.pk and event.data["to_department"]
    audited = AuditEvent.objects.filter(action="cases.case.transfer", object_id=str(person.pk))
    assert audited.count() == 1


def test_a_party_already_ended_stays_as_it_ended(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case))
    services.case_withdraw(actor=world["leader"], case=person, reason="该人员已调离，不负直接责任")
    services.case_transfer(
        actor=world["h1"], case=fresh(case), reason="不属本局管辖", to_department="朔州市应急管理局"
    )
    assert fresh(person).state == "withdrawn"
    assert not fresh(person).events.filter(action="transfer").exists()
    letter = documents_for(case).get(kind="case_transfer")
    assert "张建国" not in letter.context["party_name"]


def test_a_party_decided_keeps_the_case_here(double) -> None:
    world = double
    case = unit_case(world)
    person = to_decision(world, person_proposal(world, add_principal(world, case)))
    with pytest.raises(Conflict) as refused:
        services.case_transfer(
            actor=world["h1"], case=fresh(case), reason="x", to_department="朔州市公安局"
        )
    assert "张建国" in str(refused.value.message) and "不再移送" in str(refused.value.message)
    assert fresh(case).state == "investigating" and fresh(person).state != "transferred"
    assert parties.transfer_refusal(fresh(person)) is None  # a party alone is not refused here
