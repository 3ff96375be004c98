"""Every step of the case workflow with its guard and its role; hearing entitlement; the
discretion bounds and the justification (N5.1); 一事不再罚; the observation period (N3.5)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from anjian.cases import services
from anjian.cases.models import Case, CaseEvent, LegalReview
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.cases.conftest import (
    LONG_AGO,
    MAJOR,
    TODAY,
    after_statement,
    investigating,
    notified,
    open_case,
    proposal,
)

pytestmark = pytest.mark.django_db


def test_a_whole_minor_case_from_filing_to_closing(world) -> None:
    case = after_statement(world)
    services.case_decide(actor=world["leader"], case=case)
    services.case_serve(actor=world["h2"], case=case, served_on=TODAY, method="direct")
    with pytest.raises(Conflict):  # the fine is not paid yet
        services.case_execute(actor=world["h1"], case=case, executed_on=TODAY)
    services.case_payment_record(actor=world["h1"], case=case, amount=15_000, paid_on=TODAY)
    services.case_payment_record(actor=world["h1"], case=case, amount=25_000, paid_on=TODAY)
    with pytest.raises(ServiceError):  # nothing left to pay
        services.case_payment_record(actor=world["h1"], case=case, amount=1, paid_on=TODAY)
    services.case_execute(actor=world["h1"], case=case, executed_on=TODAY)
    services.case_close(actor=world["leader"], case=case)
    case.refresh_from_db()
    assert case.state == "closed"
    steps = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert steps == [
        "open", "approve", "propose", "notify", "defence_close", "decide", "serve", "payment",
        "payment", "execute", "close",
    ]  # fmt: skip
    codes = set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"cases.case.open", "cases.case.decide", "cases.case.close"} <= codes


def test_opening_needs_two_certified_handlers_of_the_bureau(world, make_user) -> None:
    with pytest.raises(ServiceError) as exc:
        services.case_open(
            actor=world["h1"], bureau=world["bureau"], entity=world["entity"], title="x",
            handlers=[world["h1"]], findings=[world["finding"]],
        )  # fmt: skip
    assert "handlers" in exc.value.fields
    uncertified = make_user("140603", ["inspector"], username="no_cert")
    with pytest.raises(ServiceError) as exc:
        services.case_open(
            actor=world["h1"], bureau=world["bureau"], entity=world["entity"], title="x",
            handlers=[world["h1"], uncertified], findings=[world["finding"]],
        )  # fmt: skip
    assert "handlers" in exc.value.fields


def test_a_finding_is_in_one_open_case_only(world) -> None:
    open_case(world)
    with pytest.raises(ServiceError) as exc:
        open_case(world)
    assert "findings" in exc.value.fields


def test_roles_of_each_step(world, org) -> None:
    case = open_case(world)
    with pytest.raises(NotPermitted):  # an inspector does not approve filing
        services.case_filing_decide(actor=world["h1"], case=case, approve=True)
    with pytest.raises(ServiceError):  # refusing needs a reason
        services.case_filing_decide(actor=world["leader"], case=case, approve=False)
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    other_inspector = org["city_head"]  # in scope (the city) but not a handler of the case
    with pytest.raises(NotPermitted):
        services.case_proposal_set(actor=other_inspector, case=case, values=proposal())
    with pytest.raises(NotPermitted):  # the leader decides; a handler does not
        services.case_decide(actor=world["h1"], case=case)


def test_another_county_cannot_touch_the_case(world, org) -> None:
    case = open_case(world)
    with pytest.raises(Exception) as exc:
        services.case_filing_decide(actor=org["other_county_inspector"], case=case, approve=True)
    assert getattr(exc.value, "status", None) in (403, 404)
    assert Case.objects.get(pk=case.pk).state == "filing"


def test_steps_out_of_order_are_refused(world) -> None:
    case = investigating(world)
    with pytest.raises(Conflict):
        services.case_decide(actor=world["leader"], case=case)
    with pytest.raises(Conflict):
        services.case_serve(actor=world["h1"], case=case, served_on=TODAY, method="direct")


def test_the_party_keeps_its_time_for_a_statement(world) -> None:
    case = investigating(world)
    services.case_notify(actor=world["h1"], case=case)  # today: the deadline lies ahead
    case.refresh_from_db()
    assert case.statement_deadline > TODAY
    with pytest.raises(Conflict):
        services.case_defence_close(actor=world["h1"], case=case)
    services.case_defence_close(actor=world["h1"], case=case, statement="我公司已整改")
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


@pytest.mark.parametrize(
    ("party_kind", "fine", "entitled"),
    [("unit", 49_999, False), ("unit", 50_000, True), ("individual", 19_999, False),
     ("individual", 20_000, True)],
)  # fmt: skip
def test_hearing_entitlement_by_fine(world, party_kind, fine, entitled) -> None:
    extra = {"party_kind": party_kind, "party_name": "赵六" if party_kind == "individual" else ""}
    case = investigating(
        world, measures=["fine"], fine_amount=fine, justification="依法从轻", **extra
    )
    assert case.hearing_entitled is entitled


def test_suspension_entitles_to_a_hearing_and_is_major(world) -> None:
    case = investigating(world, **{**MAJOR, "measures": ["fine", "suspension"]})
    assert case.hearing_entitled and case.major


def test_the_hearing_path_and_its_waiver(world) -> None:
    case = notified(world, **MAJOR)
    assert case.hearing_entitled
    with pytest.raises(ServiceError):  # the request came after the 5 working days
        services.case_hearing_request(actor=world["h1"], case=case, requested_on=TODAY)
    services.case_hearing_request(actor=world["h1"], case=case, requested_on=LONG_AGO)
    services.case_hearing_record(
        actor=world["h1"], case=case, held_on=TODAY, report="当事人到场陈述"
    )
    assert Case.objects.get(pk=case.pk).state == "legal_review"


def test_a_written_waiver_lets_the_case_go_on_before_the_deadline(world) -> None:
    case = investigating(world, **MAJOR)
    services.case_notify(actor=world["h1"], case=case)
    case.refresh_from_db()
    with pytest.raises(Conflict):
        services.case_defence_close(actor=world["h1"], case=case, party_waived=True)
    services.case_hearing_waive(actor=world["h1"], case=case, note="当事人书面放弃听证")
    case.refresh_from_db()
    with pytest.raises(Conflict):
        services.case_hearing_request(actor=world["h1"], case=case)
    services.case_defence_close(actor=world["h1"], case=case, party_waived=True)
    assert Case.objects.get(pk=case.pk).state == "legal_review"


def test_a_fine_outside_the_benchmark_needs_a_justification_and_review(world) -> None:
    case = investigating(world, _no_proposal=True)
    with pytest.raises(ServiceError) as exc:  # ordinary level: 30,000–60,000
        services.case_proposal_set(
            actor=world["h1"], case=case, values=proposal(fine_amount=80_000)
        )
    assert "justification" in exc.value.fields
    services.case_proposal_set(
        actor=world["h1"], case=case,
        values=proposal(fine_amount=80_000, justification="拒不配合调查"),
    )  # fmt: skip
    case.refresh_from_db()
    assert case.discretion["outside"] and case.major
    assert case.discretion["recommendation"]["fine_min"] == 30_000


def test_the_benchmark_in_force_on_the_act_date_applies(world) -> None:
    case = investigating(world, _no_proposal=True)
    with pytest.raises(ServiceError) as exc:  # the benchmark was not yet in force in 2020
        services.case_proposal_set(
            actor=world["h1"], case=case, values=proposal(act_date=datetime.date(2020, 5, 1))
        )
    assert "benchmark_code" in exc.value.fields


def test_a_penalty_needs_a_benchmark(world) -> None:
    case = investigating(world, _no_proposal=True)
    with pytest.raises(ServiceError) as exc:
        services.case_proposal_set(actor=world["h1"], case=case, values=proposal(benchmark_code=""))
    assert "benchmark_code" in exc.value.fields


def test_no_second_penalty_for_the_same_fact(world) -> None:
    first = after_statement(world)
    services.case_decide(actor=world["leader"], case=first)
    # Another case on the same entity, benchmark and act date (no shared finding).
    second = services.case_open(
        actor=world["h1"], bureau=world["bureau"], entity=world["entity"], title="重复",
        handlers=[world["h1"], world["h2"]], act_date=LONG_AGO, facts="同一违法行为",
    )  # fmt: skip
    services.case_filing_decide(actor=world["leader"], case=second, approve=True)
    with pytest.raises(ServiceError) as exc:
        services.case_proposal_set(actor=world["h1"], case=second, values=proposal())
    assert "benchmark_code" in exc.value.fields
    # Guidance is still possible for the same fact.
    services.case_proposal_set(
        actor=world["h1"], case=second, values=proposal(measures=["interview"], fine_amount=0)
    )


def test_the_database_refuses_a_second_penalty_key(world) -> None:
    from django.db import IntegrityError, transaction

    first = after_statement(world)
    services.case_decide(actor=world["leader"], case=first)
    other = open_case(world, findings=[], act_date=LONG_AGO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=other.pk).update(
            penalty_fact_key=Case.objects.get(pk=first.pk).penalty_fact_key
        )


def test_observation_period_means_guidance_first(world, make_entity) -> None:
    """N3.5 (issue 19): within a bounded observation period a minor tier of a licensed
    activity gets guidance first; an ordinary tier is not sheltered (unless the province's
    exemption list names it: tests/cases/test_observation_shelter.py)."""
    entity = world["entity"]
    entity.new_business_form = True
    entity.observation_start = LONG_AGO - datetime.timedelta(days=100)
    entity.observation_end = TODAY + datetime.timedelta(days=300)
    entity.save()
    case = investigating(world, _no_proposal=True)
    minor = {"discretion_facts": {"first_offence": True, "corrected_in_time": True}}
    with pytest.raises(ServiceError) as exc:
        services.case_proposal_set(
            actor=world["h1"], case=case, values=proposal(fine_amount=20_000, **minor)
        )
    assert "观察期" in str(exc.value.fields["measures"][0]) or "observation" in str(
        exc.value.fields["measures"][0]
    )
    services.case_proposal_set(
        actor=world["h1"], case=case,
        values=proposal(measures=["admonition", "correction_order"], fine_amount=0, **minor),
    )  # fmt: skip
    # The ordinary tier (the default when no minor conditions hold) is not sheltered.
    services.case_proposal_set(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), values=proposal()
    )
    assert Case.objects.get(pk=case.pk).discretion["shelter"]["applies"] is False
    # A grave finding (not corrected: the grave level) allows a penalty even then.
    services.case_proposal_set(
        actor=world["h1"], case=Case.objects.get(pk=case.pk), values=proposal(**MAJOR)
    )


def test_a_return_to_the_statement_keeps_the_proposal(world) -> None:
    case = after_statement(world, **MAJOR)
    services.case_review_decide(
        actor=world["reviewer"], case=case, passed=False, opinion="未采纳申辩意见的理由未说明",
        return_to="notified",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.state == "notified"
    services.case_defence_close(actor=world["h1"], case=case, statement="补充说明")
    case.refresh_from_db()
    assert case.state == "legal_review"
    assert LegalReview.objects.filter(case=case, result="").count() == 1


@override_settings(ANJIAN_CASE_DELIBERATION="all")
def test_deliberation_for_every_case_when_configured(world) -> None:
    case = after_statement(world)
    assert case.state == "deliberation"


def test_withdrawal_needs_a_reason(world) -> None:
    case = investigating(world)
    with pytest.raises(ServiceError):
        services.case_withdraw(actor=world["leader"], case=case, reason=" ")
    services.case_withdraw(actor=world["leader"], case=case, reason="违法事实不能成立")
    case.refresh_from_db()
    assert case.state == "withdrawn" and case.end_reason == "违法事实不能成立"
