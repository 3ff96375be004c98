"""The on-site record: two inspectors with valid certificates, every check point answered, a
hazard or violation answer backed by a finding, and submission completing the task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.inspections import services
from anjian.inspections.models import (
    CheckAnswer,
    FindingKind,
    InspectionRecord,
    InspectionTask,
    RecordStatus,
    TaskSource,
    TaskStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Refusals read in the source language here; the pages' tests read them in Chinese."""
    with translation.override("en"):
        yield


def en(messages) -> list[str]:
    return [str(m) for m in messages]


def answer_all(record, actor, points, answers):
    for point, answer in zip(points, answers, strict=True):
        services.record_answer(actor=actor, record=record, check_point=point, answer=answer)


def test_a_record_starts_with_the_checklist_in_force_and_a_numbered_team(site) -> None:
    record = services.record_start(
        actor=site["inspector"], task=site["task"], place="调度室", present_name="赵六"
    )
    year = timezone.localdate().year
    # The record carries its document's number (the documents' series) from the start.
    assert record.number.endswith(f"）应急现记〔{year}〕1号") and record.number_sequence == 1
    assert list(record.item_versions.all()) == [site["item"].versions.get()]
    assert {u.pk for u in record.inspectors.all()} == {site["inspector"].pk, site["second"].pk}
    assert record.region_id == "140603" and record.status == RecordStatus.DRAFT
    event = AuditEvent.objects.get(action="inspections.record.started")
    # The certificate numbers the team inspected under are in the audit trail.
    assert set(event.changes["inspectors"]) == {"county_insp", "county_insp2"}
    with pytest.raises(Conflict):
        services.record_start(
            actor=site["inspector"], task=site["task"], place="调度室", present_name="赵六"
        )


def test_one_inspector_is_refused(site) -> None:
    with pytest.raises(ServiceError) as err:
        services.record_start(
            actor=site["inspector"],
            task=site["task"],
            place="调度室",
            present_name="赵六",
            inspectors=[site["inspector"]],
        )
    assert en(err.value.fields["inspectors"]) == [
        "At least two inspectors carry out an inspection."
    ]
    assert not InspectionRecord.objects.exists()


def test_an_expired_certificate_is_refused_naming_the_inspector(site) -> None:
    cert = site["second"].certificates.get()
    cert.valid_from = timezone.localdate() - datetime.timedelta(days=900)
    cert.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    cert.save()
    with pytest.raises(ServiceError) as err:
        services.record_start(
            actor=site["inspector"], task=site["task"], place="调度室", present_name="赵六"
        )
    assert en(err.value.fields["inspectors"]) == [
        f"李四 holds no enforcement certificate valid on {timezone.localdate().isoformat()}."
    ]


def test_a_revoked_certificate_is_refused(site) -> None:
    site["second"].certificates.update(revoked_at=timezone.now(), revoked_reason="调离")
    with pytest.raises(ServiceError) as err:
        services.record_start(
            actor=site["inspector"], task=site["task"], place="调度室", present_name="赵六"
        )
    assert "李四" in str(err.value.fields["inspectors"][0])


def test_another_countys_inspector_cannot_touch_the_task_or_join_the_team(site, org) -> None:
    stranger = org["other_county_inspector"]
    with pytest.raises(NotFound):
        services.record_start(actor=stranger, task=site["task"], place="x", present_name="y")
    with pytest.raises(ServiceError) as err:
        services.record_start(
            actor=site["inspector"],
            task=site["task"],
            place="x",
            present_name="y",
            inspectors=[site["inspector"], stranger],
        )
    assert en(err.value.fields["inspectors"]) == [
        f"{stranger} is not an officer of this bureau or of one under it."
    ]


def test_only_the_team_writes_the_record(site, started, org, make_user, make_certificate) -> None:
    colleague = make_user("140603", ["inspector"], username="colleague")
    make_certificate(colleague)
    with pytest.raises(NotPermitted):
        services.record_answer(
            actor=colleague, record=started, check_point=site["points"][0], answer="compliant"
        )
    with pytest.raises(NotPermitted):  # the administrator does not inspect
        services.record_answer(
            actor=org["county_admin"],
            record=started,
            check_point=site["points"][0],
            answer="compliant",
        )
    with pytest.raises(NotFound):
        services.record_answer(
            actor=org["other_county_inspector"],
            record=started,
            check_point=site["points"][0],
            answer="compliant",
        )


def test_an_answer_is_saved_at_once_and_replaced_while_in_draft(site, started) -> None:
    a = site["inspector"]
    services.record_answer(actor=a, record=started, check_point=site["points"][0], answer="hazard")
    services.record_answer(
        actor=site["second"],
        record=started,
        check_point=site["points"][0],
        answer="compliant",
        note="记录齐全",
    )
    row = CheckAnswer.objects.get(record=started)
    assert (row.answer, row.note, row.answered_by) == ("compliant", "记录齐全", site["second"])
    events = AuditEvent.objects.filter(action="inspections.record.answered").order_by("seq")
    assert [e.changes["answer"] for e in events] == [[None, "hazard"], ["hazard", "compliant"]]


def test_a_check_point_of_another_checklist_is_refused(site, started, make_item) -> None:
    other = make_item("对烟花爆竹企业的行政检查").versions.get().check_points.get()
    with pytest.raises(ServiceError) as err:
        services.record_answer(
            actor=site["inspector"], record=started, check_point=other, answer="compliant"
        )
    assert "check_point" in err.value.fields


def test_an_unanswered_check_point_blocks_submission(site, started) -> None:
    answer_all(started, site["inspector"], site["points"][:2], ["compliant", "not_applicable"])
    with pytest.raises(ServiceError) as err:
        services.record_submit(actor=site["inspector"], record=started)
    assert en(err.value.fields["answers"]) == ["Check point 3 is not answered."]
    assert InspectionTask.objects.get().status == TaskStatus.OPEN


def test_a_hazard_answer_without_a_finding_blocks_submission(site, started) -> None:
    a = site["inspector"]
    answer_all(started, a, site["points"], ["compliant", "hazard", "violation"])
    with pytest.raises(ServiceError) as err:
        services.record_submit(actor=a, record=started)
    assert en(err.value.fields["answers"]) == [
        "Check point 2 is answered Hazard but has no such finding.",
        "Check point 3 is answered Violation but has no such finding.",
    ]
    services.finding_add(
        actor=a,
        record=started,
        kind=FindingKind.HAZARD,
        check_point=site["points"][1],
        description="瓦斯监控分站断电",
        severity="general",
    )
    # A finding of the wrong kind does not back a violation answer.
    services.finding_add(
        actor=a,
        record=started,
        kind=FindingKind.HAZARD,
        check_point=site["points"][2],
        description="两名电工无证",
        severity="general",
    )
    with pytest.raises(ServiceError):
        services.record_submit(actor=a, record=started)


def test_a_finding_on_a_compliant_answer_blocks_submission(site, started) -> None:
    a = site["inspector"]
    answer_all(started, a, site["points"], ["compliant"] * 3)
    f = services.finding_add(
        actor=a,
        record=started,
        kind=FindingKind.HAZARD,
        check_point=site["points"][0],
        description="记录缺页",
        severity="general",
    )
    with pytest.raises(ServiceError):
        services.record_submit(actor=a, record=started)
    services.finding_remove(actor=a, finding=f)
    services.record_submit(actor=a, record=started)


def test_finding_values_are_checked(site, started) -> None:
    a = site["inspector"]
    with pytest.raises(ServiceError) as err:
        services.finding_add(actor=a, record=started, kind="hazard", description="")
    assert {"description", "severity"} <= set(err.value.fields)
    with pytest.raises(ServiceError) as err:
        services.finding_add(
            actor=a, record=started, kind="violation", description="无证作业", severity="major"
        )
    assert "severity" in err.value.fields
    f = services.finding_add(
        actor=a,
        record=started,
        kind="violation",
        description="无证作业",
        check_point=site["points"][2],
    )
    # The legal basis defaults to the check point's.
    assert f.legal_basis == "安全生产法第三十条"
    assert f.fact_date == timezone.localdate(started.started_at)


def test_submission_completes_the_task_and_freezes_the_record(site, started) -> None:
    a = site["inspector"]
    answer_all(started, a, site["points"], ["compliant", "hazard", "violation"])
    services.finding_add(
        actor=a,
        record=started,
        kind="hazard",
        check_point=site["points"][1],
        description="瓦斯监控分站断电",
        severity="major",
    )
    services.finding_add(
        actor=a,
        record=started,
        kind="violation",
        check_point=site["points"][2],
        description="两名电工无证上岗",
    )
    services.record_submit(
        actor=site["second"], record=started, summary="发现隐患一项、违法行为一项"
    )
    started.refresh_from_db()
    assert started.status == RecordStatus.SUBMITTED and started.finished_at is not None
    task = InspectionTask.objects.get()
    assert task.status == TaskStatus.DONE and task.record_number == started.number
    assert task.done_on == timezone.localdate(started.started_at)
    event = AuditEvent.objects.get(action="inspections.record.submitted")
    assert event.changes["answers"]["hazard"] == 1 and len(event.changes["findings"]) == 2
    with pytest.raises(Conflict):
        services.record_answer(
            actor=a, record=started, check_point=site["points"][0], answer="hazard"
        )
    with pytest.raises(Conflict):
        services.finding_add(
            actor=a, record=started, kind="hazard", description="x", severity="general"
        )


def test_ad_hoc_tasks_need_a_reason_a_team_and_the_bureaus_own_staff(site, make_user) -> None:
    today = timezone.localdate()
    head = site["head"]
    other_head = make_user("140525", ["division_head"], username="other_head")
    with pytest.raises(NotPermitted):
        services.task_create_ad_hoc(
            actor=site["inspector"],
            bureau=head.bureau,
            entity=site["mine"],
            items=[site["item"]],
            inspectors=[site["inspector"], site["second"]],
            due_on=today,
            reason="举报",
        )
    with pytest.raises(ServiceError) as err:
        services.task_create_ad_hoc(
            actor=head,
            bureau=head.bureau,
            entity=site["mine"],
            items=[site["item"]],
            inspectors=[site["inspector"]],
            due_on=today,
            reason=" ",
        )
    assert {"inspectors", "reason"} <= set(err.value.fields)
    with pytest.raises(NotFound):
        services.task_create_ad_hoc(
            actor=other_head,
            bureau=head.bureau,
            entity=site["mine"],
            items=[site["item"]],
            inspectors=[],
            due_on=today,
            reason="x",
        )
    (task,) = services.task_create_ad_hoc(
        actor=head,
        bureau=head.bureau,
        entity=site["mine"],
        items=[site["item"]],
        inspectors=[site["inspector"], site["second"]],
        due_on=today,
        reason="群众举报瓦斯超限",
    )
    assert task.source == TaskSource.AD_HOC and task.inspectors.count() == 2
    record = services.record_start(
        actor=site["inspector"], task=task, place="井口", present_name="赵六"
    )
    assert record.task == task


def test_an_entity_outside_the_bureaus_jurisdiction_is_refused(site, make_entity) -> None:
    head = site["head"]
    elsewhere = make_entity("140525")
    with pytest.raises(ServiceError) as err:
        services.task_create_ad_hoc(
            actor=head,
            bureau=head.bureau,
            entity=elsewhere,
            items=[site["item"]],
            inspectors=[site["inspector"], site["second"]],
            due_on=timezone.localdate(),
            reason="x",
        )
    assert "entity" in err.value.fields


def test_assigning_a_plan_tasks_team_checks_certificates(site, make_user) -> None:
    task = site["task"]
    task.inspectors.clear()
    rookie = make_user("140603", ["inspector"], username="rookie", full_name="新人")
    with pytest.raises(ServiceError) as err:
        services.task_assign_inspectors(
            actor=site["head"], task=task, inspectors=[site["inspector"], rookie]
        )
    assert "新人" in str(err.value.fields["inspectors"][0])
    with pytest.raises(NotPermitted):
        services.task_assign_inspectors(
            actor=site["inspector"], task=task, inspectors=[site["inspector"], site["second"]]
        )
    services.task_assign_inspectors(
        actor=site["head"], task=task, inspectors=[site["inspector"], site["second"]]
    )
    assert task.inspectors.count() == 2
    assert AuditEvent.objects.filter(action="inspections.task.assigned").count() == 1


def test_a_finding_with_evidence_is_not_removed_until_the_evidence_is_withdrawn(
    site, started
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from anjian.evidence.services import evidence_add, evidence_withdraw
    from anjian.inspections.models import Finding

    a = site["inspector"]
    f = services.finding_add(
        actor=a,
        record=started,
        kind=FindingKind.HAZARD,
        check_point=site["points"][0],
        description="记录缺页",
        severity="general",
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    photo = evidence_add(
        a,
        upload=SimpleUploadedFile("记录.pdf", pdf, content_type="application/pdf"),
        subject=f,
        region=started.region_id,
    )
    with pytest.raises(ServiceError):
        services.finding_remove(actor=a, finding=f)
    assert Finding.objects.filter(pk=f.pk).exists()
    evidence_withdraw(a, evidence=photo, reason="拍错了对象")
    services.finding_remove(actor=a, finding=f)
    assert not Finding.objects.filter(pk=f.pk).exists()
