"""The legal-review gate (N5.2): a major decision without a passed legal review of the current
proposal is refused on every path: the service, the page, the API, the admin and the shell."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from anjian.cases import services
from anjian.cases.models import Case, LegalReview
from anjian.core.errors import Conflict, NotPermitted
from tests.cases.conftest import (
    MAJOR,
    TODAY,
    after_statement,
    investigating,
    open_case,
    proposal,
)

pytestmark = pytest.mark.django_db


def _to_awaiting_decision_without_review(case: Case) -> Case:
    """What a careless data fix would do: skip the review and deliberation."""
    Case.objects.filter(pk=case.pk).update(state="awaiting_decision")
    return Case.objects.get(pk=case.pk)


def test_a_major_case_goes_to_legal_review_after_the_statement(world) -> None:
    case = after_statement(world, **MAJOR)
    assert case.major and case.state == "legal_review"
    review = LegalReview.objects.get(case=case)
    assert review.snapshot_hash == case.proposal_hash and review.result == ""


def test_service_refuses_a_major_decision_without_review(world) -> None:
    case = _to_awaiting_decision_without_review(after_statement(world, **MAJOR))
    with pytest.raises(NotPermitted) as exc:
        services.case_decide(actor=world["leader"], case=case)
    assert "法制审核" in str(exc.value.message)
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


def test_a_passed_review_opens_the_decision(world) -> None:
    case = after_statement(world, **MAJOR)
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
    case.refresh_from_db()
    assert case.state == "deliberation"  # major cases are deliberated by default
    services.case_deliberate(
        actor=world["leader"],
        case=case,
        held_on=TODAY,
        participants="局长、副局长",
        conclusion="同意",
    )
    case.refresh_from_db()
    services.case_decide(actor=world["leader"], case=case)
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_on == TODAY
    assert case.penalty_fact_key


def test_a_change_after_the_review_voids_it(world) -> None:
    """Returned to investigating, the proposal changes: the old pass no longer counts."""
    case = after_statement(world, **MAJOR)
    services.case_review_decide(
        actor=world["reviewer"],
        case=case,
        passed=False,
        opinion="事实不清",
        return_to="investigating",
    )
    case.refresh_from_db()
    services.case_proposal_set(
        actor=world["h1"],
        case=case,
        values=services.ProposalValues(
            measures=["fine"],
            benchmark_code="AQF-TEST-1",
            fine_amount=180_000,
            discretion_facts={"not_corrected": True},
        ),
    )
    case.refresh_from_db()
    # Even a (forged) earlier pass of another proposal does not open the gate.
    assert not LegalReview.objects.filter(result="pass", snapshot_hash=case.proposal_hash).exists()
    case = _to_awaiting_decision_without_review(case)
    with pytest.raises(NotPermitted):
        services.case_decide(actor=world["leader"], case=case)


def test_a_proposal_changed_behind_the_service_needs_a_new_review(world) -> None:
    """A proposal changed in the shell no longer matches its hash: the service refuses it."""
    case = investigating(world, **MAJOR)
    Case.objects.filter(pk=case.pk).update(fine_amount=190_000)
    case.refresh_from_db()
    with pytest.raises(Conflict):
        services.case_notify(actor=world["h1"], case=case)


def test_shell_queryset_update_to_decided_is_refused(world) -> None:
    case = _to_awaiting_decision_without_review(after_statement(world, **MAJOR))
    with pytest.raises(DatabaseError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state="decided")
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


def test_shell_save_to_decided_is_refused(world) -> None:
    case = after_statement(world, **MAJOR)
    case.state = "decided"
    with pytest.raises(DatabaseError), transaction.atomic():
        case.save()
    assert Case.objects.get(pk=case.pk).state == "legal_review"


def test_shell_cannot_skip_to_served_or_clear_the_major_flag(world) -> None:
    case = after_statement(world, **MAJOR)
    with pytest.raises(DatabaseError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state="served")
    with pytest.raises(DatabaseError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(major=False)  # frozen after the notice
    assert Case.objects.get(pk=case.pk).major


def test_shell_cannot_pass_a_review_by_creating_it_passed(world) -> None:
    case = after_statement(world, **MAJOR)
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalReview.objects.create(case=case, snapshot_hash=case.proposal_hash, result="pass")


def test_a_handler_cannot_pass_the_review_even_in_the_shell(world) -> None:
    from django.utils import timezone

    case = after_statement(world, **MAJOR)
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalReview.objects.filter(case=case).update(
            result="pass", reviewer=world["h1"], decided_at=timezone.now()
        )
    with pytest.raises(NotPermitted):
        services.case_review_decide(actor=world["h1"], case=case, passed=True, opinion="x")


def test_a_decided_review_never_changes(world) -> None:
    case = after_statement(world, **MAJOR)
    review = services.case_review_decide(
        actor=world["reviewer"], case=case, passed=False, opinion="证据不足"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        LegalReview.objects.filter(pk=review.pk).update(result="pass")


def test_a_minor_case_is_decided_without_review(world) -> None:
    case = after_statement(world)
    assert not case.major and case.state == "awaiting_decision"
    services.case_decide(actor=world["leader"], case=case)
    assert Case.objects.get(pk=case.pk).state == "decided"


def test_admin_cannot_change_a_case(world, make_user, login) -> None:
    case = _to_awaiting_decision_without_review(after_statement(world, **MAJOR))
    admin = make_user("140603", ["administrator"], username="county_sysadmin")
    client = login(admin)
    url = f"/admin/cases/case/{case.pk}/change/"
    assert client.get("/admin/cases/case/").status_code == 200
    response = client.post(url, {"state": "decided"})
    assert response.status_code in (302, 403)
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


def test_a_pass_of_proposal_a_does_not_open_the_gate_for_proposal_b(world) -> None:
    """Proposal A is reviewed and passed; the case is then changed to proposal B through the
    service. The service itself refuses B's decision, naming the review it lacks; the
    database trigger behind it is a second line, not the one that answers."""
    case = after_statement(world, **MAJOR)
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="合法")
    # A careless data fix sends the case back; the handler sets a different proposal.
    Case.objects.filter(pk=case.pk).update(state="investigating")
    case.refresh_from_db()
    services.case_proposal_set(
        actor=world["h1"],
        case=case,
        values=services.ProposalValues(
            measures=["fine"],
            benchmark_code="AQF-TEST-1",
            fine_amount=190_000,
            discretion_facts={"not_corrected": True},
        ),
    )
    case = _to_awaiting_decision_without_review(Case.objects.get(pk=case.pk))
    assert LegalReview.objects.filter(case=case, result="pass").exists()  # of proposal A
    with pytest.raises(NotPermitted) as exc:
        services.case_decide(actor=world["leader"], case=case)
    assert "法制审核" in str(exc.value.message)
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


def test_two_cases_on_one_fact_the_second_decision_is_refused_for_ne_bis_in_idem(world) -> None:
    """Both cases are proposed before either is decided (the proposal check cannot see a
    decision that does not exist yet); the second decision is refused by the service with the
    一事不再罚 reason, not by a database error."""
    from anjian.inspections.models import Finding

    first = after_statement(world)
    same_fact = Finding.objects.create(
        record=world["record"],
        kind="violation",
        description="同一违法行为另案记录",
        legal_basis="安全生产法第二十八条",
        benchmark=world["benchmark"],
        fact_date=world["finding"].fact_date,
        created_by=world["h1"],
    )
    second = open_case(world, findings=[same_fact])
    Case.objects.filter(pk=second.pk).update(opened_on=first.opened_on)
    second.refresh_from_db()
    services.case_filing_decide(actor=world["leader"], case=second, approve=True)
    services.case_proposal_set(actor=world["h1"], case=second, values=proposal())
    services.case_notify(actor=world["h1"], case=second, notified_on=first.notified_on)
    services.case_defence_close(actor=world["h1"], case=second, statement="无异议")
    second.refresh_from_db()
    assert first.act_date == second.act_date and second.state == "awaiting_decision"

    services.case_decide(actor=world["leader"], case=first)
    with pytest.raises(Conflict) as exc:
        services.case_decide(actor=world["leader"], case=Case.objects.get(pk=second.pk))
    assert "一事不再罚" in str(exc.value.message)
    assert Case.objects.get(pk=second.pk).state == "awaiting_decision"
