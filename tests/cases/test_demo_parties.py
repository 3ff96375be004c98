"""The demo's case of a unit and its principal (src/anjian/demo_parties.py): both fined for
one fact, neither pays, each through the reminder, the surcharge and the court to the closing,
with each party's notice and decision issued."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from anjian.accounts.models import User
from anjian.cases import parties
from anjian.cases.models import Case, CaseEvent
from anjian.demo import (
    demo_catalog_load,
    demo_entities_load,
    demo_organisations_load,
    demo_parties_load,
)
from anjian.documents.selectors import documents_for

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_unit_and_its_principal_to_the_court_and_closing(
    login: Callable[[User], Client],
) -> None:
    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    assert demo_parties_load() == {"cases": 1}
    assert demo_parties_load() == {"cases": 0}  # a second run adds nothing

    person = Case.objects.select_related("lead").get(lead__isnull=False)
    unit = person.lead
    assert unit is not None and unit.party_kind == "unit" and person.party_kind == "individual"
    assert person.number == unit.number and person.party_position.endswith("（主要负责人）")
    # Each party's fine against their own range: the unit's tier D, the person's 2–5万.
    assert unit.fine_amount == 100_000 and person.fine_amount == 20_000
    assert person.discretion["recommendation"]["fine_min"] == 20_000
    assert person.discretion["recommendation"]["fine_max"] == 50_000
    assert unit.penalty_fact_key != person.penalty_fact_key  # one fact, two parties
    # Each has their own notice and decision, with their own number; the gate held for each.
    numbers = set()
    for party in (unit, person):
        kinds = {d.kind: d for d in documents_for(party)}
        assert {"penalty_notice", "penalty_decision"} <= set(kinds), party.pk
        # The unpaid path's own documents, each party's own (the case file's kinds).
        assert {"payment_reminder", "surcharge_decision", "enforcement_application"} <= set(
            kinds
        ), (party.pk, sorted(kinds))
        assert kinds["penalty_decision"].number == party.decision_number
        numbers.add(party.decision_number)
        assert party.reviews.filter(result="pass").exists()
        assert 0 < party.surcharge_amount <= party.fine_amount  # never above the fine
        assert party.payments.count() == 0  # neither paid
        steps = set(CaseEvent.objects.filter(case=party).values_list("action", flat=True))
        assert {"remind", "surcharge"} <= steps
    assert len(numbers) == 2
    decision = documents_for(person).get(kind="penalty_decision").context
    assert decision["party_id_number"] == person.party_id_number
    assert decision["party_workplace"].startswith(unit.entity.name)
    # On a story long enough (every date the tests run on today), the court and the closing.
    assert unit.state == person.state == "closed"
    assert unit.court_applied_on and person.court_applied_on and person.court_ruled_on
    assert parties.close_refusal(unit) is None

    page = login(User.objects.get(username="pl_leader")).get(
        reverse("cases:case_detail", args=[unit.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200 and person.party_name in html
    assert unit.decision_number in html and person.decision_number in html
