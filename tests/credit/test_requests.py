"""Objections and repair: working-day deadlines for acceptance and answer; an objection granted
withdraws the record (kept, not counted, not gathered back); a repair only after the minimum
publication period, then the record leaves public view but stays in the file."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from anjian.core.errors import Conflict, NotFound, ServiceError
from anjian.core.workdays import workdays_after
from anjian.credit import grading, services
from anjian.credit.models import (
    CreditRecord,
    EntityCredit,
    RecordKind,
    RecordStatus,
    RequestKind,
    RequestStatus,
)
from anjian.credit.requests import request_accept, request_decide, request_submit

pytestmark = pytest.mark.django_db

# A Friday: the weekend does not count.
FRIDAY = datetime.date(2026, 9, 25)


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "head": make_user("140603", ["division_head"], username="c_head"),
        "leader": make_user("140603", ["bureau_leader"], username="c_leader"),
        "other": make_user("140525", ["division_head", "bureau_leader"], username="o_lead"),
    }


def _penalty(entity: Any, on: datetime.date) -> CreditRecord:
    return CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        kind=RecordKind.PENALTY,
        title="行政处罚决定 （晋朔平）应急罚〔2025〕9号：罚款（4万元）",
        occurred_on=on,
        weight=-14,
        counts_until=datetime.date(on.year + 3, on.month, on.day),
        public=True,
        source_type="cases.case",
        source_id="999999",
    )


def test_deadlines_are_working_days(make_entity: Any, people: dict[str, Any]) -> None:
    record = _penalty(make_entity("140603"), datetime.date(2026, 6, 1))
    req = request_submit(
        actor=people["head"],
        record=record,
        kind=RequestKind.OBJECTION,
        applicant="企业安全科 赵六",
        content="处罚决定已被复议撤销",
        submitted_on=FRIDAY,
    )
    assert req.accept_due == workdays_after(FRIDAY, 3)
    assert (req.accept_due - FRIDAY).days >= 5  # Monday to Wednesday at the earliest
    req = request_accept(actor=people["head"], request=req, accept=True, on=FRIDAY)
    assert req.answer_due == workdays_after(FRIDAY, 10)
    assert (req.answer_due - FRIDAY).days >= 14  # two weekends (and the National Day holiday)
    with pytest.raises(Conflict):  # one open request of a kind per record
        request_submit(
            actor=people["head"], record=record, kind=RequestKind.OBJECTION,
            applicant="x", content="y",
        )  # fmt: skip


def test_an_objection_granted_withdraws_the_record(
    make_entity: Any, people: dict[str, Any]
) -> None:
    entity = make_entity("140603")
    record = _penalty(entity, datetime.date(2026, 6, 1))
    grading.recompute(entity_ids=[entity.pk])
    assert EntityCredit.objects.get(pk=entity.pk).score == 71
    req = request_submit(
        actor=people["head"], record=record, kind=RequestKind.OBJECTION,
        applicant="赵六", content="处罚决定已被复议撤销",
    )  # fmt: skip
    with pytest.raises(ServiceError):  # refusing acceptance needs a reason
        request_accept(actor=people["head"], request=req, accept=False)
    request_accept(actor=people["head"], request=req, accept=True)
    with pytest.raises(ServiceError):
        request_decide(actor=people["leader"], request=req, grant=True, outcome=" ")
    with pytest.raises(NotFound):
        request_decide(actor=people["other"], request=req, grant=True, outcome="x")
    request_decide(
        actor=people["leader"], request=req, grant=True, outcome="复议决定书确认撤销，记录撤回"
    )
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert EntityCredit.objects.get(pk=entity.pk).score == 85
    # Gathering again does not bring it back (its source row is gone here anyway).
    services.records_sync(entity_ids=[entity.pk])
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN


def test_repair_only_after_the_minimum_period_and_then_out_of_public_view(
    make_entity: Any, people: dict[str, Any]
) -> None:
    entity = make_entity("140603", name="平鲁区修复测试煤业有限公司")
    decided = datetime.date(2025, 12, 15)
    record = _penalty(entity, decided)
    req = request_submit(
        actor=people["head"], record=record, kind=RequestKind.REPAIR,
        applicant="赵六", content="已整改并缴清罚款，申请信用修复",
    )  # fmt: skip
    request_accept(actor=people["head"], request=req, accept=True)
    with pytest.raises(ServiceError) as early:
        request_decide(
            actor=people["leader"], request=req, grant=True, outcome="同意",
            on=datetime.date(2026, 12, 14),
        )  # fmt: skip
    assert "2026-12-15" in str(early.value.fields["outcome"])
    request_decide(
        actor=people["leader"], request=req, grant=True, outcome="满一年，已履行，同意修复",
        on=datetime.date(2026, 12, 15),
    )  # fmt: skip
    record.refresh_from_db()
    assert not record.public and record.repaired_on == datetime.date(2026, 12, 15)
    assert record.status == RecordStatus.ACTIVE  # still in the file
    req.refresh_from_db()
    assert req.status == RequestStatus.GRANTED
    public = Client().get(f"/portal/credit/{entity.uscc}/").content.decode()
    assert "应急罚〔2025〕9号" not in public
    # Gathering from its source does not make it public again.
    record.source_type = "cases.case"
    services.records_sync(entity_ids=[entity.pk])
    record.refresh_from_db()
    assert not record.public or record.status == RecordStatus.VOID


def test_a_non_public_record_cannot_be_repaired(make_entity: Any, people: dict[str, Any]) -> None:
    record = _penalty(make_entity("140603"), datetime.date(2025, 1, 1))
    CreditRecord.objects.filter(pk=record.pk).update(public=False)
    record.refresh_from_db()
    with pytest.raises(ServiceError):
        request_submit(
            actor=people["head"], record=record, kind=RequestKind.REPAIR,
            applicant="x", content="y",
        )  # fmt: skip


def test_an_objection_runs_to_the_end_on_the_pages(
    make_entity: Any, people: dict[str, Any], login: Any
) -> None:
    entity = make_entity("140603")
    record = _penalty(entity, datetime.date(2026, 6, 1))
    head, leader = login(people["head"]), login(people["leader"])
    head.post(
        f"/credit/records/{record.pk}/requests/",
        {"kind": "objection", "applicant": "赵六", "content": "处罚决定已被撤销"},
    )
    req = record.requests.get()
    page = head.get(f"/credit/entities/{entity.uscc}/").content.decode()
    assert "异议和信用修复" in page and "前受理" in page and "处罚决定已被撤销" in page
    head.post(f"/credit/requests/{req.pk}/accept/", {"decision": "accept"})
    assert "前答复" in leader.get(f"/credit/entities/{entity.uscc}/").content.decode()
    assert "前答复" in leader.get("/credit/").content.decode()
    leader.post(f"/credit/requests/{req.pk}/answer/", {"decision": "grant", "outcome": "属实"})
    req.refresh_from_db()
    record.refresh_from_db()
    assert req.status == RequestStatus.GRANTED and record.status == RecordStatus.WITHDRAWN
    other = login(people["other"])
    assert other.post(f"/credit/requests/{req.pk}/accept/").status_code == 404


def test_a_repaired_penalty_leaves_the_publications_portal_too(
    make_entity: Any, people: dict[str, Any]
) -> None:
    """The penalty's publication (行政处罚公示) is withdrawn with the repair's reason: the
    portal's list and page no longer show it; the officers' publication page says why."""
    from anjian.publications.models import Publication

    entity = make_entity("140603", name="平鲁区公示修复煤业有限公司")
    decided = datetime.date(2025, 12, 15)
    record = _penalty(entity, decided)
    publication = Publication.objects.create(
        kind="penalty_decision", subject_type="cases.case", subject_id="999999",
        bureau=people["head"].bureau, region_id="140603", decided_on=decided,
        due_on=datetime.date(2025, 12, 22), period_months=36,
        ends_on=datetime.date(2028, 12, 15), status="published",
        fields={"party_name": entity.name, "decision_number": "（晋朔平）应急罚〔2025〕9号"},
        party_name=entity.name, party_uscc=entity.uscc, published_on=datetime.date(2025, 12, 16),
    )  # fmt: skip
    portal = Client()
    assert entity.name in portal.get("/portal/penalties/").content.decode()
    assert portal.get(f"/portal/penalties/{publication.pk}/").status_code == 200
    req = request_submit(
        actor=people["head"], record=record, kind=RequestKind.REPAIR,
        applicant="赵六", content="已整改并缴清罚款，申请信用修复",
    )  # fmt: skip
    request_accept(actor=people["head"], request=req, accept=True)
    request_decide(
        actor=people["leader"], request=req, grant=True, outcome="满一年，已履行，同意修复",
        on=datetime.date(2026, 12, 15),
    )  # fmt: skip
    publication.refresh_from_db()
    assert publication.status == "withdrawn" and "信用修复" in publication.withdrawn_reason
    assert entity.name not in portal.get("/portal/penalties/").content.decode()
    assert portal.get(f"/portal/penalties/{publication.pk}/").status_code == 404
