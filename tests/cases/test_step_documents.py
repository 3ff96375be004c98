"""The approval forms the steps issue themselves (issue 19): the 立案审批表 at the approval of the
filing, the 结案审批表 at the closing of each party's proceedings (双罚, ADR 0011); never two of
the same kind for one case."""

from __future__ import annotations

import pytest

from anjian.cases import casefile_documents, services
from anjian.core.errors import Conflict
from anjian.documents.selectors import documents_for
from anjian.documents.services import document_revoke
from tests.cases import test_parties
from tests.cases.conftest import TODAY, open_case
from tests.cases.test_casefile import number_re, pdf_text
from tests.cases.test_parties import (
    add_principal,
    fresh,
    person_proposal,
    to_decision,
    unit_case,
)

pytestmark = pytest.mark.django_db
double = test_parties.double  # the fixture: a unit's and a person's benchmarks


def kinds_of(case) -> list[str]:
    return sorted(documents_for(case).values_list("kind", flat=True))


def test_the_approval_of_the_filing_issues_the_filing_approval_form_once(world) -> None:
    case = open_case(world)
    assert kinds_of(case) == []  # awaiting approval: nothing yet
    services.case_filing_decide(
        actor=world["leader"], case=case, approve=True, note="同意立案，尽快调查取证"
    )
    doc = documents_for(case).get(kind="filing_approval")
    assert number_re("应急立审").match(doc.number)
    assert doc.issued_on == TODAY and doc.issued_by == world["leader"]
    text = pdf_text(doc)
    assert case.number in text and "建议立案调查" in text and "同意立案，尽快调查取证" in text
    assert world["h1"].certificates.first().number in text
    # A second one is refused, whether asked for on the page or through the API.
    assert "filing_approval" not in casefile_documents.on_demand_for(world["h1"], fresh(case))
    with pytest.raises(Conflict) as refused:
        casefile_documents.casefile_document_issue(
            actor=world["h1"], case=fresh(case), kind="filing_approval",
            values={"handler_opinion": "建议立案"},
        )  # fmt: skip
    assert doc.number in str(refused.value.message) and "立案审批表" in str(refused.value.message)
    assert kinds_of(case) == ["filing_approval"]


def test_a_refused_filing_issues_no_approval_form(world) -> None:
    case = open_case(world)
    services.case_filing_decide(actor=world["leader"], case=case, approve=False, note="不属管辖")
    assert kinds_of(case) == []


def test_a_filing_approval_issued_on_demand_before_the_approval_stands(world) -> None:
    case = open_case(world)
    early = casefile_documents.casefile_document_issue(
        actor=world["h1"], case=case, kind="filing_approval",
        values={"handler_opinion": "建议立案"},
    )  # fmt: skip
    services.case_filing_decide(actor=world["leader"], case=fresh(case), approve=True)
    assert list(documents_for(case).values_list("pk", flat=True)) == [early.pk]


def test_a_revoked_approval_form_may_be_replaced_once(world) -> None:
    case = open_case(world)
    services.case_filing_decide(actor=world["leader"], case=case, approve=True)
    first = documents_for(case).get(kind="filing_approval")
    document_revoke(world["leader"], first, reason="承办人意见有误")
    again = casefile_documents.casefile_document_issue(
        actor=world["h1"], case=fresh(case), kind="filing_approval",
        values={"handler_opinion": "经核查，建议立案"},
    )  # fmt: skip
    assert again.number != first.number
    with pytest.raises(Conflict):
        casefile_documents.casefile_document_issue(
            actor=world["h1"], case=fresh(case), kind="filing_approval",
            values={"handler_opinion": "再来一份"},
        )  # fmt: skip


def test_closing_issues_a_closing_form_for_the_unit_and_for_each_party(double) -> None:
    world = double
    case = unit_case(world)
    person = person_proposal(world, add_principal(world, case))
    case, person = to_decision(world, case), to_decision(world, person)
    for party, amount in ((case, 40_000), (person, 30_000)):
        services.case_payment_record(actor=world["h1"], case=party, amount=amount, paid_on=TODAY)
        services.case_execute(actor=world["h1"], case=fresh(party), executed_on=TODAY)
    assert not documents_for(case).filter(kind="closing_approval").exists()
    services.case_close(actor=world["leader"], case=fresh(case), note="同意结案归档")

    unit_form = documents_for(case).get(kind="closing_approval")
    person_form = documents_for(person).get(kind="closing_approval")
    assert number_re("应急结").match(unit_form.number) and unit_form.number != person_form.number
    unit_text, person_text = pdf_text(unit_form), pdf_text(person_form)
    assert fresh(case).decision_number in unit_text and "40,000元" in unit_text
    assert "同意结案归档" in unit_text and "执行完毕" in unit_text
    assert "张建国" in person_text and fresh(person).decision_number in person_text
    assert "30,000元" in person_text
    # The person's row carries no filing approval of its own: the unit's filing covers it.
    assert kinds_of(person).count("filing_approval") == 0
    assert kinds_of(case).count("filing_approval") == 1
    for party in (case, person):
        assert "closing_approval" not in casefile_documents.on_demand_for(world["h1"], fresh(party))
        with pytest.raises(Conflict):
            casefile_documents.casefile_document_issue(
                actor=world["h1"], case=fresh(party), kind="closing_approval",
                values={"execution": "x", "handler_opinion": "x"},
            )  # fmt: skip
