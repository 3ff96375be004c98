"""The demo's credit story: the 40,000-yuan decision becomes a credit record and lowers its
entity's grade from B to C, the reason on the entity's credit page."""

from __future__ import annotations

from typing import Any

import pytest

from anjian.accounts.models import User
from anjian.cases.models import Case
from anjian.core.models import AuditEvent
from anjian.credit.models import CreditRecord, EntityCredit, RecordKind
from anjian.entities.models import Entity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("credit_demo")]


def test_the_demo_penalty_lowers_a_grade_with_the_reason_shown(login: Any) -> None:
    assert CreditRecord.objects.exists() and EntityCredit.objects.exists()

    closed = Case.objects.get(state="closed")
    record = CreditRecord.objects.get(source_id=str(closed.pk), kind=RecordKind.PENALTY)
    assert record.weight == -14 and record.occurred_on == closed.decided_on
    changes = [
        e.changes["credit_grade"]
        for e in AuditEvent.objects.filter(
            action="credit.grade.changed", object_id=str(closed.entity_id)
        ).order_by("seq")
    ]
    assert changes[-1][0] == "B" and changes[-1][1] in {"C", "D"}  # lowered by the penalty
    entity = Entity.objects.get(pk=closed.entity_id)
    assert entity.credit_grade == changes[-1][1]

    page = login(User.objects.get(username="pl_inspector")).get(f"/credit/entities/{entity.uscc}/")
    text = page.content.decode()
    assert record.title in text and f"/cases/{closed.pk}/" in text and "-14" in text


def test_the_demo_accident_concealment_is_listed_after_legal_review(login: Any) -> None:
    from anjian.credit.dishonesty import forced_into_draw
    from anjian.credit.models import DishonestyListing

    listing = DishonestyListing.objects.get(record__kind=RecordKind.ACCIDENT_CONCEALED)
    assert listing.status == "listed" and listing.decision is not None
    assert listing.review_opinion and listing.bureau.region_id == "140603"

    class NextDraw:
        inspection_from = listing.listed_on

    assert listing.entity.uscc in forced_into_draw(NextDraw())
    public = login(User.objects.get(username="pl_inspector")).get("/portal/credit/dishonesty/")
    assert listing.entity.name in public.content.decode()


def test_the_demo_objection_and_repair_run_to_the_end_within_their_deadlines(
    login: Any,
) -> None:
    """The demo enterprise's objection is accepted within 3 working days and answered within
    10; its repair of a penalty past the minimum publication period is accepted and granted,
    and the record leaves public view but stays in the file."""
    from anjian.core.workdays import workdays_after
    from anjian.credit.models import CreditRequest
    from anjian.credit.requests import repair_possible_from
    from anjian.demo_credit import _enterprise_entity

    entity = _enterprise_entity()
    requests = {r.kind: r for r in CreditRequest.objects.filter(entity=entity)}
    assert set(requests) == {"objection", "repair"}
    for req in requests.values():
        assert req.accepted_on is not None and req.accepted_on <= req.accept_due
        assert req.accept_due == workdays_after(req.submitted_on, 3)
        assert req.answer_due == workdays_after(req.accepted_on, 10)
        assert req.decided_on is not None and req.decided_on <= req.answer_due
        assert req.outcome
    objection, repair = requests["objection"], requests["repair"]
    assert objection.status == "refused" and objection.record.status == "active"
    assert repair.status == "granted"
    record = CreditRecord.objects.get(pk=repair.record_id)
    assert not record.public and record.repaired_on == repair.decided_on
    assert record.repaired_on >= repair_possible_from(record)
    actions = set(
        AuditEvent.objects.filter(object_type="credit.creditrequest").values_list(
            "action", flat=True
        )
    )
    assert {"credit.request.submitted", "credit.request.accepted",
            "credit.request.answered"} <= actions  # fmt: skip
    page = login(User.objects.get(username="pl_head")).get(f"/credit/entities/{entity.uscc}/")
    assert record.title in page.content.decode()  # still in the file
