"""A unit and its responsible persons in one case (双罚, cases/parties.py, ADR 0011): each party
has their own proposal measured against their own range, their own hearing right, legal review,
decision and payment; 一事不再罚 keys on the party and the fact; the case closes when every
party's proceedings have ended; another county neither sees nor acts on the parties."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from anjian.cases import decision, execution, parties, services
from anjian.cases.models import Case, CaseEvent
from anjian.catalog.models import DiscretionBenchmark
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.cases.conftest import LEVELS, LONG_AGO, TODAY, open_case, proposal, today_is
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db

PRINCIPAL_ID = "11010519491231002X"  # a valid 公民身份号码 (GB 11643 check digit X)
OTHER_ID = "110101199003070134"
PERSON_LEVELS = [
    {"level": "minor", "conditions": "", "penalty_kinds": ["fine"], "fine_min": 20_000,
     "fine_max": 30_000},
    {"level": "ordinary", "conditions": "", "penalty_kinds": ["fine"], "fine_min": 30_000,
     "fine_max": 40_000},
    {"level": "serious", "conditions": "", "penalty_kinds": ["fine"], "fine_min": 40_000,
     "fine_max": 50_000},
    {"level": "grave", "conditions": "", "penalty_kinds": ["fine"], "fine_min": 50_000,
     "fine_max": 100_000},
]  # fmt: skip


@pytest.fixture
def double(world: dict[str, Any]) -> dict[str, Any]:
    """The 2021 law's benchmarks: art. 97 (the unit's tiers; its responsible persons 2–5万 by
    the statute) and art. 94 (the principal's own tiers)."""
    for code, levels, basis in (
        ("AQF-97-3", LEVELS, "安全生产法第九十七条"),
        ("AQF-94-1", PERSON_LEVELS, "安全生产法第九十四条"),
    ):
        DiscretionBenchmark.objects.create(
            code=code,
            violation="未按照规定对从业人员进行安全生产教育和培训",
            legal_provision="安全生产法第二十八条",
            penalty_basis=basis,
            levels=levels,
            effective_from=datetime.date(2021, 9, 1),
        )
    return world


def unit_case(world: dict[str, Any], **extra: Any) -> Case:
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(opened_on=LONG_AGO)
    case.refresh_from_db()
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    values = {"benchmark_code": "AQF-97-3", "fine_amount": 40_000, **extra}
    services.case_proposal_set(actor=world["h1"], case=case, values=proposal(**values))
    return Case.objects.get(pk=case.pk)


def add_principal(world: dict[str, Any], case: Case, id_number: str = PRINCIPAL_ID) -> Case:
    return parties.case_party_add(
        actor=world["h1"],
        case=case,
        name="张建国",
        id_number=id_number,
        address="朔州市平鲁区井坪镇北街12号",
        position="主要负责人",
    )


def person_proposal(world: dict[str, Any], person: Case, **extra: Any) -> Case:
    # Article 97 fines the person in the branch where the unit did not correct in time.
    values = {"benchmark_code": "AQF-97-3", "fine_amount": 30_000, "measures": ["fine"],
              "discretion_facts": {"not_corrected": True}, **extra}  # fmt: skip
    services.case_proposal_set(actor=world["h1"], case=person, values=proposal(**values))
    return Case.objects.get(pk=person.pk)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def to_decision(world: dict[str, Any], case: Case) -> Case:
    """Notice (long ago, the deadlines passed), statement, review and deliberation when major,
    the decision and its service today."""
    services.case_notify(actor=world["h1"], case=case, notified_on=LONG_AGO)
    services.case_defence_close(actor=world["h1"], case=fresh(case), statement="无异议")
    case = fresh(case)
    if case.state == "legal_review":
        services.case_review_decide(
            actor=world["reviewer"], case=case, passed=True, opinion="事实清楚，适用法律正确"
        )
        case = fresh(case)
    if case.state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=case, held_on=TODAY, participants="局长", conclusion="同意"
        )
    services.case_decide(actor=world["leader"], case=fresh(case))
    services.case_serve(actor=world["h1"], case=fresh(case), served_on=TODAY, method="direct")
    return fresh(case)


# --- adding the principal ---------------------------------------------------------------------


def test_the_principal_is_added_with_their_own_proceedings(double) -> None:
    world = double
    case = unit_case(world)
    person = add_principal(world, case)
    assert person.lead_id == case.pk and person.number == case.number
    assert person.party_kind == "individual" and person.party_position == "主要负责人"
    assert person.state == "investigating" and person.filed_on == case.filed_on
    assert set(person.handlers.all()) == {world["h1"], world["h2"]}
    assert CaseEvent.objects.filter(case=case, action="party_add").exists()
    event = AuditEvent.objects.filter(action="cases.case.party_add").get()
    assert PRINCIPAL_ID not in str(event.changes)  # the ID number is masked in the trail
    # The unit's case keeps its own proposal; the person has none yet.
    assert fresh(case).fine_amount == 40_000 and person.fine_amount == 0


def test_adding_a_party_checks_the_id_number_and_refuses_the_same_person_twice(double) -> None:
    world = double
    case = unit_case(world)
    with pytest.raises(ServiceError) as bad:
        add_principal(world, case, id_number="110105194912310021")  # wrong check digit
    assert "id_number" in bad.value.fields
    with pytest.raises(ServiceError) as missing:
        parties.case_party_add(
            actor=world["h1"], case=case, name="", id_number="", address="", position=""
        )
    assert {"name", "id_number", "address", "position"} <= set(missing.value.fields)
    add_principal(world, case, id_number="110105 19491231002x")  # typed with a space, lower x
    with pytest.raises(ServiceError) as twice:
        add_principal(world, case)
    assert "id_number" in twice.value.fields
    assert Case.objects.filter(lead=case).count() == 1


def test_only_the_case_handlers_of_its_bureau_add_parties(double, org) -> None:
    world = double
    case = unit_case(world)
    with pytest.raises(NotPermitted):
        add_principal({**world, "h1": world["leader"]}, case)  # not a handler
    with pytest.raises((NotPermitted, NotFound)):
        add_principal({**world, "h1": org["other_county_inspector"]}, case)
    assert not Case.objects.filter(lead=case).exists()


# --- the person's range -----------------------------------------------------------------------


def test_the_principals_fine_is_measured_against_the_persons_range(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case), fine_amount=30_000)
    rec = person.discretion["recommendation"]
    # Article 97 fines the responsible persons 20,000–50,000 yuan, whatever the unit's tier.
    assert (rec["fine_min"], rec["fine_max"]) == (20_000, 50_000)
    assert person.discretion["outside"] is False
    # 60,000 would sit in the unit's "serious" tier, but is above the person's range.
    with pytest.raises(ServiceError) as outside:
        person_proposal(world, person, fine_amount=60_000)
    assert "justification" in outside.value.fields
    assert "50,000" in str(outside.value.fields["justification"])
    # A suspension is the unit's penalty, not the person's.
    with pytest.raises(ServiceError) as kind:
        person_proposal(world, person, measures=["fine", "suspension"], fine_amount=30_000)
    assert "justification" in kind.value.fields


def test_the_principals_own_benchmark_gives_the_range_for_them_only(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(  # the principal's own article: no not-corrected branch
        world, add_principal(world, case), benchmark_code="AQF-94-1", discretion_facts={}
    )
    assert person.discretion["recommendation"]["benchmark"] == "AQF-94-1"
    assert not person.discretion["outside"]
    # The unit is not fined under the principal's article.
    unit = open_case(world, findings=[], act_date=LONG_AGO, facts="同一违法事实另案调查")
    services.case_filing_decide(actor=world["leader"], case=unit, approve=True)
    with pytest.raises(ServiceError) as refused:
        services.case_proposal_set(
            actor=world["h1"], case=fresh(unit), values=proposal(benchmark_code="AQF-94-1")
        )
    assert "benchmark_code" in refused.value.fields


def test_a_benchmark_that_fines_no_person_is_refused_for_the_principal(double) -> None:
    world = double
    person = add_principal(world, unit_case(world))
    with pytest.raises(ServiceError) as refused:
        person_proposal(world, person, benchmark_code="AQF-TEST-1")
    assert "benchmark_code" in refused.value.fields


def test_the_persons_proposal_keeps_the_party_they_were_added_as(double) -> None:
    world = double
    person = add_principal(world, unit_case(world))
    person = person_proposal(world, person, party_kind="unit", party_name="别人")
    assert person.party_kind == "individual" and person.party_name == "张建国"


# --- 一事不再罚 on the party and the fact -----------------------------------------------------


def test_the_unit_and_its_principal_are_both_fined_for_one_fact(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case))
    case, person = to_decision(world, case), to_decision(world, person)
    assert case.state == person.state == "served"
    assert case.penalty_fact_key != person.penalty_fact_key
    # Each has their own decision document and number.
    assert case.decision_number and person.decision_number
    assert case.decision_number != person.decision_number


def test_the_same_person_twice_for_one_fact_is_refused_with_the_reason(double) -> None:
    """Both cases propose the person's fine before either is decided; the second decision is
    refused by the service with the 一事不再罚 reason."""
    world = double
    first = person_proposal(world, add_principal(world, unit_case(world)))
    other = open_case(world, findings=[], act_date=LONG_AGO, facts="同一违法事实另案调查")
    Case.objects.filter(pk=other.pk).update(opened_on=LONG_AGO)
    services.case_filing_decide(actor=world["leader"], case=fresh(other), approve=True)
    second = person_proposal(world, add_principal(world, fresh(other)))
    assert first.act_date == second.act_date
    to_decision(world, first)
    with pytest.raises(Conflict) as refused:
        to_decision(world, second)
    assert "一事不再罚" in str(refused.value.message)
    assert fresh(second).state == "awaiting_decision"
    # A new proposal for the same person and fact is refused at once.
    with pytest.raises((ServiceError, Conflict)):
        person_proposal(world, add_principal(world, fresh(other), id_number=PRINCIPAL_ID))


def test_a_race_between_two_decisions_is_refused_with_the_reason(double, monkeypatch) -> None:
    """When the other decision commits between the check and the write, the database's unique
    key refuses the second, and the service says why instead of an IntegrityError."""
    world = double
    first = person_proposal(world, add_principal(world, unit_case(world)))
    other = open_case(world, findings=[], act_date=LONG_AGO, facts="同一违法事实另案调查")
    Case.objects.filter(pk=other.pk).update(opened_on=LONG_AGO)
    services.case_filing_decide(actor=world["leader"], case=fresh(other), approve=True)
    second = person_proposal(world, add_principal(world, fresh(other)))
    key = parties.case_penalty_key(first)

    def raced(case: Case) -> list[str]:  # runs after the check, before the write
        Case.objects.filter(pk=first.pk).update(penalty_fact_key=key)
        return []

    services.case_notify(actor=world["h1"], case=second, notified_on=LONG_AGO)
    services.case_defence_close(actor=world["h1"], case=fresh(second), statement="无异议")
    second = fresh(second)
    if second.state == "legal_review":
        services.case_review_decide(actor=world["reviewer"], case=second, passed=True, opinion="可")
    if fresh(second).state == "deliberation":
        services.case_deliberate(
            actor=world["leader"], case=fresh(second), held_on=TODAY, participants="局长",
            conclusion="同意",
        )  # fmt: skip
    monkeypatch.setattr(decision, "_findings_punished", raced)
    with pytest.raises(Conflict) as refused:
        services.case_decide(actor=world["leader"], case=fresh(second))
    assert "一事不再罚" in str(refused.value.message)


# --- the legal-review gate for every party ----------------------------------------------------


def test_the_gate_holds_for_the_principals_decision(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case), fine_amount=30_000)
    assert person.major  # an individual's fine of 10,000 yuan or more (settings)
    services.case_notify(actor=world["h1"], case=person, notified_on=LONG_AGO)
    services.case_defence_close(actor=world["h1"], case=fresh(person), statement="无异议")
    assert fresh(person).state == "legal_review"
    Case.objects.filter(pk=person.pk).update(state="awaiting_decision")  # a careless data fix
    with pytest.raises(NotPermitted) as refused:
        services.case_decide(actor=world["leader"], case=fresh(person))
    assert "法制审核" in str(refused.value.message)
    with pytest.raises(DatabaseError), transaction.atomic():
        Case.objects.filter(pk=person.pk).update(state="decided")
    assert fresh(person).state == "awaiting_decision"
    # The unit's passed review does not open the person's gate, nor the other way round.
    assert not person.reviews.filter(result="pass").exists()


# --- closing ----------------------------------------------------------------------------------


def test_the_case_closes_when_every_partys_decision_has_ended(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case))
    case, person = to_decision(world, case), to_decision(world, person)
    services.case_payment_record(actor=world["h1"], case=case, amount=40_000, paid_on=TODAY)
    services.case_execute(actor=world["h1"], case=fresh(case), executed_on=TODAY)
    with pytest.raises(Conflict) as refused:
        services.case_close(actor=world["leader"], case=fresh(case))
    assert "张建国" in str(refused.value.message)
    with pytest.raises(Conflict):  # a party's proceedings never close alone
        services.case_close(actor=world["leader"], case=fresh(person))
    services.case_payment_record(actor=world["h1"], case=person, amount=30_000, paid_on=TODAY)
    services.case_execute(actor=world["h1"], case=fresh(person), executed_on=TODAY)
    assert fresh(person).state == "executed"
    services.case_close(actor=world["leader"], case=fresh(case), note="执行完毕")
    assert fresh(case).state == fresh(person).state == "closed"


def test_an_unpaid_principals_fine_runs_its_own_path_to_the_court(double, monkeypatch) -> None:
    world = double
    case = unit_case(world)
    person = to_decision(world, person_proposal(world, add_principal(world, case)))

    def at(day: datetime.date) -> None:
        today_is(monkeypatch, day)

    deadline = execution.payment_deadline(person)
    assert deadline is not None
    at(deadline + datetime.timedelta(days=1))
    execution.case_remind(actor=world["h1"], case=person)
    assert fresh(person).state == "reminded" and fresh(case).state == "investigating"
    window = execution.court_window(fresh(person))
    assert window is not None
    at(window[0])
    execution.case_surcharge_decide(actor=world["leader"], case=fresh(person))
    execution.case_court_apply(actor=world["leader"], case=fresh(person))
    execution.case_court_ruling_record(
        actor=world["h1"], case=fresh(person), ruled_on=window[0], ruling="（2026）晋0603行审1号"
    )
    assert fresh(person).surcharge_amount == 30_000  # never above the fine
    assert parties.close_refusal(fresh(case)) is None  # the person's path has ended


def test_withdrawing_the_units_case_withdraws_the_open_parties(double) -> None:
    world = double
    case = unit_case(world)
    person = add_principal(world, case)
    services.case_withdraw(actor=world["leader"], case=case, reason="违法事实不能成立")
    assert fresh(case).state == fresh(person).state == "withdrawn"


# --- scope and pages --------------------------------------------------------------------------


def test_another_county_neither_sees_nor_acts_on_the_parties(double, org, login) -> None:
    world = double
    case = unit_case(world)
    person = add_principal(world, case)
    other = login(org["other_county_inspector"])
    assert other.get(reverse("cases:case_detail", args=[person.pk])).status_code == 404
    assert other.get(reverse("cases:case_party_new", args=[case.pk])).status_code == 404
    assert (
        other.post(
            reverse("cases:case_party_new", args=[case.pk]),
            {"name": "李四", "id_number": OTHER_ID, "address": "某地", "position": "主要负责人"},
        ).status_code
        == 404
    )
    assert Case.objects.filter(lead=case).count() == 1
    listing = other.get(reverse("cases:case_list")).content.decode()
    assert case.number not in listing


def test_the_case_page_lists_the_parties_and_adds_the_principal(double, login) -> None:
    world = double
    case = unit_case(world)
    client = login(world["h1"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("cases:case_party_new", args=[case.pk]) in page
    form = client.get(reverse("cases:case_party_new", args=[case.pk])).content.decode()
    assert not untranslated_words(form)
    bad = client.post(
        reverse("cases:case_party_new", args=[case.pk]),
        {"name": "张建国", "id_number": "110105194912310021", "address": "平鲁区北街12号",
         "position": "主要负责人"},
    )  # fmt: skip
    assert bad.status_code == 200 and "校验位" in bad.content.decode()
    good = client.post(
        reverse("cases:case_party_new", args=[case.pk]),
        {"name": "张建国", "id_number": PRINCIPAL_ID, "address": "平鲁区北街12号",
         "position": "主要负责人"},
    )  # fmt: skip
    person = Case.objects.get(lead=case)
    assert good.status_code == 302 and good["Location"].endswith(f"/cases/{person.pk}/")
    person_proposal(world, person)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "张建国" in page and "主要负责人" in page and "30000 元" in page
    assert reverse("cases:case_detail", args=[person.pk]) in page
    assert not untranslated_words(page, allowed=["county_insp", "county_insp2"])
    own = client.get(reverse("cases:case_detail", args=[person.pk])).content.decode()
    assert reverse("cases:case_detail", args=[case.pk]) in own  # back to the unit's case
    assert not untranslated_words(own, allowed=["county_insp", "county_insp2"])


def test_the_decision_document_is_one_click_from_the_party_list(double, login) -> None:
    world = double
    case = unit_case(world)
    person = to_decision(world, person_proposal(world, add_principal(world, case)))
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert person.decision_number in page
    assert "/documents/" in page and ".pdf" in page


def test_the_api_adds_the_principal_and_lists_the_parties(double, org, login) -> None:
    import json

    world = double
    case = unit_case(world)
    client = login(world["h1"])
    body = {"name": "张建国", "id_number": "110105194912310021", "address": "北街12号",
            "position": "主要负责人"}  # fmt: skip
    bad = client.post(
        f"/api/cases/{case.pk}/parties", json.dumps(body), content_type="application/json"
    )
    assert bad.status_code == 400 and "id_number" in json.dumps(bad.json())
    body["id_number"] = PRINCIPAL_ID
    made = client.post(
        f"/api/cases/{case.pk}/parties", json.dumps(body), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["lead_id"] == case.pk and made.json()["party_position"] == "主要负责人"
    listed = client.get(f"/api/cases/{case.pk}/parties").json()
    assert [p["is_unit_case"] for p in listed] == [True, False]
    assert listed[1]["name"] == "张建国" and listed[1]["case_id"] == made.json()["id"]
    other = login(org["other_county_inspector"])
    assert other.get(f"/api/cases/{case.pk}/parties").status_code == 404
