"""Electronic service (N4.2, 行政处罚法 第六十一条): with the enterprise's agreement, its
confirmation of receipt of a document in its account is the service; a penalty decision's case
records it as served electronically, through the case's own step, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.cases.models import Case
from anjian.core.models import AuditEvent
from anjian.enterprise.models import DocumentReceipt, ServiceAgreement
from tests.cases import conftest as cases_conftest
from tests.cases.conftest import after_statement
from tests.enterprise.conftest import _document

pytestmark = pytest.mark.django_db

world = cases_conftest.world  # the cases' tests' bureau, officers and entity, as a fixture


@pytest.fixture
def own(world: dict) -> Any:
    return world["entity"]


@pytest.fixture
def decision(world: dict) -> Any:
    """A penalty decision of the county, reached through the case's own steps."""
    from django.contrib.contenttypes.models import ContentType

    from anjian.cases import services as case_services
    from anjian.documents.models import OfficialDocument

    case = after_statement(world)
    case_services.case_decide(actor=world["leader"], case=case)
    issued = OfficialDocument.objects.filter(
        kind="penalty_decision",
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=str(case.pk),
    ).first()
    return issued or _document(world["bureau"], case, "penalty_decision", 9901)


def test_with_the_agreement_the_confirmation_serves_the_decision(
    decision: Any, principal: Any, login: Any
) -> None:
    client = login(principal)
    client.post(reverse("enterprise:service"), {"scope": "decisions"})
    agreement = ServiceAgreement.objects.get()
    assert agreement.agreed_by == principal and agreement.agreed_on == timezone.localdate()
    listing = client.get(reverse("enterprise:document_list")).content.decode()
    assert decision.number in listing and "确认签收" in listing
    client.post(reverse("enterprise:document_confirm", args=[decision.pk]))
    receipt = DocumentReceipt.objects.get()
    assert receipt.confirmed_by == principal and receipt.counts_as_service
    case = Case.objects.get(pk=decision.subject_id)
    assert case.state == "served" and case.served_on == timezone.localdate()
    assert case.service_method == "electronic"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"enterprise.service.agreed", "enterprise.document.received", "cases.case.serve"} <= (
        actions
    )
    assert "已电子送达" in client.get(reverse("enterprise:document_list")).content.decode()


def test_without_the_agreement_a_receipt_is_no_service(
    decision: Any, principal: Any, login: Any
) -> None:
    login(principal).post(reverse("enterprise:document_confirm", args=[decision.pk]))
    assert not DocumentReceipt.objects.get().counts_as_service
    assert Case.objects.get(pk=decision.subject_id).state == "decided"


def test_only_the_principal_agrees_and_another_entity_s_document_is_not_found(
    own: Any, decision: Any, activate: Any, login: Any, make_entity: Any, entity_file: Any
) -> None:
    safety = activate(own, "safety_manager").user
    login(safety).post(reverse("enterprise:service"), {"scope": "all"})
    assert not ServiceAgreement.objects.exists()
    theirs = entity_file(make_entity("140603"))
    response = login(safety).post(
        reverse("enterprise:document_confirm", args=[theirs["notice"].pk])
    )
    assert response.status_code == 404
    assert not DocumentReceipt.objects.exists()
