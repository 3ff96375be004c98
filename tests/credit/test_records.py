"""Credit records gathered from what the platform holds: a penalty decision becomes a record
right after it commits and lowers the grade, with the reason on the entity's page and its
source one click away; re-inspections and escalations; manual records and overrides need a
reason and another person's approval; another county sees none of it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from anjian.cases import services as case_services
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.credit import services
from anjian.credit.models import CreditRecord, EntityCredit, RecordKind, RecordStatus
from anjian.entities.models import Entity
from tests.cases.conftest import after_statement

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _decide(world: dict[str, Any], capture: Any) -> Any:
    case = after_statement(world)  # fine of 40,000 yuan with an order to correct
    with capture(execute=True):
        case_services.case_decide(actor=world["leader"], case=case)
    case.refresh_from_db()
    return case


def test_a_penalty_decision_becomes_a_record_and_lowers_the_grade(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any, login: Any
) -> None:
    entity = world["entity"]
    services.credit_refresh(entity_ids=[entity.pk])
    assert Entity.objects.get(pk=entity.pk).credit_grade == "B"  # 85: no record yet

    case = _decide(world, django_capture_on_commit_callbacks)

    record = CreditRecord.objects.get(entity=entity, kind=RecordKind.PENALTY)
    assert record.weight == -14  # a fine: −10, and −4 for 40,000 yuan
    assert record.occurred_on == case.decided_on
    assert record.counts_until == datetime.date(
        case.decided_on.year + 3, case.decided_on.month, case.decided_on.day
    )
    assert record.bureau_id == case.bureau_id and record.public
    assert case.decision_number in record.title and "罚款" in record.title
    credit = EntityCredit.objects.get(pk=entity.pk)
    assert (credit.score, credit.grade) == (71, "C")
    assert Entity.objects.get(pk=entity.pk).credit_grade == "C"  # what the draws read
    event = AuditEvent.objects.filter(action="credit.grade.changed").latest("seq")
    assert event.changes["credit_grade"] == ["B", "C"] and event.changes["score"] == 71

    # The reason on the entity's credit page, the source one click away.
    client = login(world["h1"])
    page = client.get(f"/credit/entities/{entity.uscc}/").content.decode()
    assert record.title in page and f"/cases/{case.pk}/" in page
    assert "−14" in page or "-14" in page
    assert "71" in page and "信用等级" in page
    # And on the entity's profile, newest first in its credit section.
    profile = client.get(f"/entities/{entity.uscc}/").content.decode()
    assert record.title in profile and f"/credit/entities/{entity.uscc}/" in profile


def test_the_same_decision_gives_one_record_and_a_void_source_voids_it(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case = _decide(world, django_capture_on_commit_callbacks)
    services.credit_refresh(entity_ids=[world["entity"].pk])
    services.credit_nightly()
    assert CreditRecord.objects.filter(kind=RecordKind.PENALTY).count() == 1
    # The source no longer says so (here: withdrawn by hand in the table): the record is void.
    type(case).objects.filter(pk=case.pk).update(state="withdrawn")
    services.credit_refresh(entity_ids=[world["entity"].pk])
    record = CreditRecord.objects.get(kind=RecordKind.PENALTY)
    assert record.status == RecordStatus.VOID
    assert EntityCredit.objects.get(pk=world["entity"].pk).score == 85


def test_rectification_late_and_failed_reinspection_become_records(
    world: dict[str, Any],
) -> None:
    from anjian.inspections.models import CorrectionOrder, Reinspection

    record = world["record"]
    order = CorrectionOrder.objects.create(
        record=record,
        deadline=TODAY - datetime.timedelta(days=20),
        issued_on=TODAY - datetime.timedelta(days=30),
        issued_by=world["h1"],
        status="rectified",
        rectified_on=TODAY - datetime.timedelta(days=5),
        escalated_at=timezone.now() - datetime.timedelta(days=10),
    )
    Reinspection.objects.create(
        order=order,
        on=TODAY - datetime.timedelta(days=12),
        result="failed",
        recorded_by=world["h1"],
    )
    services.credit_refresh(entity_ids=[world["entity"].pk])
    kinds = dict(CreditRecord.objects.filter(entity=world["entity"]).values_list("kind", "weight"))
    assert kinds == {
        RecordKind.RECTIFIED_LATE: -5,
        RecordKind.RECTIFICATION_ESCALATED: -8,
        RecordKind.REINSPECTION_FAILED: -6,
    }
    assert EntityCredit.objects.get(pk=world["entity"].pk).score == 85 - 19


def test_a_manual_record_needs_a_reason_and_another_persons_approval(
    world: dict[str, Any], make_user: Any
) -> None:
    head = make_user("140603", ["division_head"], username="county_head")
    entity = world["entity"]
    values = {
        "entity": entity,
        "kind": RecordKind.ACCIDENT,
        "title": "一般生产安全事故（1人死亡）",
        "occurred_on": TODAY - datetime.timedelta(days=3),
    }
    with pytest.raises(ServiceError) as refused:
        services.record_propose(actor=head, reason=" ", **values)
    assert "reason" in refused.value.fields
    with pytest.raises(NotPermitted):
        services.record_propose(actor=world["h1"], reason="事故调查报告", **values)
    row = services.record_propose(actor=head, reason="事故调查报告认定", **values)
    assert row.status == RecordStatus.PROPOSED and row.weight == -30
    services.credit_refresh(entity_ids=[entity.pk])
    assert EntityCredit.objects.get(pk=entity.pk).score == 85  # not counted before approval

    leader_head = make_user("140603", ["bureau_leader", "division_head"], username="lh")
    own = services.record_propose(actor=leader_head, reason="自己提出", **values)
    with pytest.raises(NotPermitted):
        services.record_decide(actor=leader_head, record=own, approve=True)
    with pytest.raises(ServiceError):
        services.record_decide(actor=world["leader"], record=row, approve=False, note="")
    services.record_decide(actor=world["leader"], record=row, approve=True)
    row.refresh_from_db()
    assert row.status == RecordStatus.ACTIVE and row.decided_by == world["leader"]
    assert EntityCredit.objects.get(pk=entity.pk).score == 55  # counted at once
    assert Entity.objects.get(pk=entity.pk).credit_grade == "D"


def test_an_override_is_approved_with_an_end_and_ended_early(
    world: dict[str, Any], make_user: Any
) -> None:
    head = make_user("140603", ["division_head"], username="county_head")
    entity = world["entity"]
    services.credit_refresh(entity_ids=[entity.pk])
    with pytest.raises(ServiceError) as refused:
        services.override_propose(actor=head, entity=entity, grade="D", reason="", ends_on=None)
    assert set(refused.value.fields) == {"reason", "ends_on"}
    with pytest.raises(ServiceError):
        services.override_propose(
            actor=head,
            entity=entity,
            grade="D",
            reason="x",
            ends_on=TODAY + datetime.timedelta(days=400),
        )
    override = services.override_propose(
        actor=head,
        entity=entity,
        grade="D",
        reason="群众举报查实非法组织生产，待立案",
        ends_on=TODAY + datetime.timedelta(days=90),
    )
    assert Entity.objects.get(pk=entity.pk).credit_grade == "B"  # not yet approved
    services.override_decide(actor=world["leader"], override=override, approve=True)
    credit = EntityCredit.objects.get(pk=entity.pk)
    assert (credit.computed_grade, credit.grade) == ("B", "D")
    assert Entity.objects.get(pk=entity.pk).credit_grade == "D"
    services.credit_nightly()  # the nightly run keeps it while it lasts
    assert Entity.objects.get(pk=entity.pk).credit_grade == "D"
    services.override_end(actor=world["leader"], override=override, reason="已立案处理")
    assert Entity.objects.get(pk=entity.pk).credit_grade == "B"


def test_another_county_sees_no_credit_record_or_override(
    world: dict[str, Any], org: dict[str, Any], make_user: Any, login: Any
) -> None:
    head = make_user("140603", ["division_head"], username="county_head")
    entity = world["entity"]
    row = services.record_propose(
        actor=head,
        entity=entity,
        kind=RecordKind.COMMENDATION,
        title="市级安全生产标准化示范企业",
        occurred_on=TODAY,
        reason="市应急局通报表扬",
    )
    override = services.override_propose(
        actor=head, entity=entity, grade="A", reason="示范", ends_on=TODAY
    )
    other_leader = make_user("140525", ["bureau_leader"], username="other_leader")
    with pytest.raises(NotFound):
        services.record_decide(actor=other_leader, record=row, approve=True)
    with pytest.raises(NotFound):
        services.override_decide(actor=other_leader, override=override, approve=True)
    other = login(org["other_county_inspector"])
    assert other.get(f"/credit/entities/{entity.uscc}/").status_code == 404
    overview = other.get("/credit/").content.decode()
    assert "市级安全生产标准化示范企业" not in overview and "示范" not in overview
    mine = login(world["leader"]).get("/credit/").content.decode()
    assert entity.name in mine
    leader_page = login(world["leader"]).get(f"/credit/entities/{entity.uscc}/")
    assert "市级安全生产标准化示范企业" in leader_page.content.decode()
    assert login(other_leader).post(f"/credit/records/{row.pk}/decide/").status_code == 404


def test_the_nightly_job_grades_every_entity(world: dict[str, Any], make_entity: Any) -> None:
    from anjian.jobs.registry import job_spec

    extra = make_entity("140603")
    spec = job_spec("credit.nightly")
    assert spec is not None and spec.at == "02:00"
    summary = spec.wrapper.call_local()
    assert summary["entities"] == Entity.objects.count()
    assert EntityCredit.objects.filter(pk=extra.pk, grade="B").exists()
    assert AuditEvent.objects.filter(action="credit.grades.recomputed").exists()
