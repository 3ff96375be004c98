"""Legal review for the reasons of 行政处罚法 第五十八条 (1)–(4), chosen by the handler with a
reason, for a case that is not "major"; the reviewer's page shows why it came."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.cases import legal_review, services
from anjian.cases.models import Case, LegalReview
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from tests.cases.conftest import after_statement, notified

pytestmark = pytest.mark.django_db


def test_a_complex_case_goes_to_review_after_the_statement(world) -> None:
    case = notified(world)  # a fine of 40,000: not major
    assert not case.major
    legal_review.case_review_request(
        actor=world["h1"], case=case, reasons=["complex"], note="涉及多个法律关系"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == "notified" and case.review_reasons == ["complex"]
    services.case_defence_close(actor=world["h1"], case=case, statement="无异议")
    case = Case.objects.get(pk=case.pk)
    assert case.state == "legal_review"
    assert "(3)" in (services.gate_refusal(case) or "") or "（三）" in (
        services.gate_refusal(case) or ""
    )
    services.case_review_decide(actor=world["reviewer"], case=case, passed=True, opinion="同意")
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).state == "decided"
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), action="cases.review.requested"
    ).exists()


def test_chosen_while_awaiting_the_decision_the_case_goes_to_review_at_once(world) -> None:
    case = after_statement(world)
    assert case.state == "awaiting_decision"
    legal_review.case_review_request(
        actor=world["h2"], case=case, reasons=["public_interest"], note="涉及周边村民饮水安全"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == "legal_review"
    assert LegalReview.objects.filter(case=case, result="").count() == 1


def test_each_refusal_says_why(world) -> None:
    case = notified(world)
    with pytest.raises(ServiceError) as refused:
        legal_review.case_review_request(actor=world["h1"], case=case, reasons=[], note="")
    assert {"reasons", "note"} <= set(refused.value.fields)
    with pytest.raises(ServiceError) as refused:  # (2) needs a hearing
        legal_review.case_review_request(
            actor=world["h1"], case=case, reasons=["major_rights_hearing"], note="重大权益"
        )
    assert "reasons" in refused.value.fields
    with pytest.raises(NotPermitted):  # the handler chooses, not the leader
        legal_review.case_review_request(
            actor=world["leader"], case=case, reasons=["complex"], note="复杂"
        )
    services.case_defence_close(actor=world["h1"], case=case, statement="无异议")
    services.case_decide(actor=world["leader"], case=Case.objects.get(pk=case.pk))
    with pytest.raises(Conflict):  # decided: too late
        legal_review.case_review_request(
            actor=world["h1"], case=Case.objects.get(pk=case.pk), reasons=["complex"], note="x"
        )


def test_the_review_page_shows_why_the_case_came(world, login) -> None:
    case = after_statement(world)
    client = login(world["h1"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert 'data-action="review_request"' in page
    client.post(
        reverse("cases:execution_step", args=[case.pk, "review_request"]),
        {"reasons": ["complex", "other_law"], "note": "需多部门会商"},
    )
    assert Case.objects.get(pk=case.pk).state == "legal_review"
    page = login(world["reviewer"]).get(reverse("cases:review_detail", args=[case.pk]))
    text = page.content.decode()
    assert "需多部门会商" in text
    assert str(legal_review.ReviewReason.COMPLEX.label) in text
