"""`anjian demo-data`: the demo's history reads in the order of its story, at every size the
README promises, and its audit chain is intact and never goes back in time."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from anjian.accounts.models import User
from anjian.core import clock
from anjian.core.models import AuditEvent
from anjian.core.workdays import is_workday
from anjian.demo import DEMO_PASSWORD, NAMED_ACCOUNTS, demo_story_start

pytestmark = pytest.mark.django_db


def _demo_data(entities: int) -> tuple[int, str]:
    """Load the demo; the chain's seq before it (the test database's own region register)."""
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    out = io.StringIO()
    call_command("demo_data", entities=entities, stdout=out)
    return before, out.getvalue()


def _assert_the_story_reads_in_order(before: int) -> None:
    from anjian.cases.models import Case, ClueTransfer
    from anjian.documents.models import OfficialDocument
    from anjian.draws.models import Draw
    from anjian.inspections.models import (
        CorrectionOrder,
        InspectionRecord,
        InspectionTask,
        Reinspection,
    )
    from anjian.plans.models import InspectionPlan, PlanEvent

    local = timezone.localtime
    start = demo_story_start()
    now = timezone.now()

    # The audit trail: appended in story order with the story's times, from its start to now.
    times = list(
        AuditEvent.objects.filter(seq__gt=before)
        .order_by("seq")
        .values_list("occurred_at", flat=True)
    )
    assert times and times[0] >= start - datetime.timedelta(hours=1)
    assert all(a <= b for a, b in itertools.pairwise(times)), "an audit event goes back in time"
    assert times[-1] <= now
    assert times[-1] - times[0] > datetime.timedelta(days=300)  # a year's story, not one minute
    call_command("audit", "verify", stdout=io.StringIO())  # exits non-zero on a broken chain

    # Plans are approved before their tasks exist (the tasks are made when a plan is issued).
    issued = 0
    for plan in InspectionPlan.objects.all():
        approvals = PlanEvent.objects.filter(plan=plan, action="approve").order_by("at")
        first_task = (
            InspectionTask.objects.filter(plan_line__plan=plan).order_by("created_at").first()
        )
        if first_task is not None:
            issued += 1
            assert approvals.exists(), plan.title
            assert approvals.last().at < first_task.created_at, plan.title
        events = list(
            PlanEvent.objects.filter(plan=plan).order_by("pk").values_list("at", flat=True)
        )
        assert events == sorted(events) and plan.created_at <= events[0], plan.title
    assert InspectionPlan.objects.exists()

    # A draw is committed days before it is drawn, and drawn before its window opens.
    for draw in Draw.objects.all():
        assert draw.committed_at is not None
        assert local(draw.committed_at).date() < draw.inspection_from
        if draw.drawn_at is not None:
            assert draw.drawn_at - draw.committed_at >= datetime.timedelta(days=2), draw.title
            assert local(draw.drawn_at).date() < draw.inspection_from, draw.title

    # An inspection starts and ends on one working day, between 08:30 and 17:30.
    for record in InspectionRecord.objects.all():
        began = local(record.started_at)
        assert is_workday(began.date()), record.pk
        assert datetime.time(8, 30) <= began.time() <= datetime.time(17, 30), record.pk
        if record.finished_at is not None:
            ended = local(record.finished_at)
            assert ended.date() == began.date() and ended.time() <= datetime.time(17, 30)
        for answer_at in record.answers.values_list("answered_at", flat=True):
            assert local(answer_at).date() == began.date(), record.pk

    # A document is issued on the day of its act, and recorded that day.
    for doc in OfficialDocument.objects.all():
        act: datetime.date | None
        subject = doc.subject_type.get_object_for_this_type(pk=doc.subject_id)
        if isinstance(subject, InspectionRecord):
            act = local(subject.finished_at).date()
        elif isinstance(subject, CorrectionOrder):
            act = subject.issued_on
        elif isinstance(subject, Reinspection):
            act = subject.on
        elif isinstance(subject, ClueTransfer):
            act = subject.sent_on  # a clue's 案件移送书
        elif subject._meta.label_lower == "credit.dishonestylisting":  # the listing decision
            act = subject.listed_on
        else:
            assert isinstance(subject, Case)
            act = {
                "penalty_notice": subject.notified_on,
                "filing_approval": subject.filed_on,  # issued by the approval
                "closing_approval": subject.closed_on,  # issued by the closing
            }.get(doc.kind, subject.decided_on)
        assert doc.issued_on == act == local(doc.created_at).date(), (doc.kind, doc.number)

    # The named accounts can log in today: their password was set when the story ended, so
    # the 90-day password age does not send them to the change-password page.
    for username, *_rest in NAMED_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username
        assert user.password_changed_at is not None
        assert now - user.password_changed_at < datetime.timedelta(days=1), username


def test_the_demo_story_reads_in_order() -> None:
    from anjian.cases.models import Case
    from anjian.documents.models import OfficialDocument
    from anjian.draws.models import Draw
    from anjian.inspections.models import InspectionRecord

    before, _out = _demo_data(300)
    # Every scenario has something to show at this size.
    assert Draw.objects.filter(status="drawn").exists()
    assert Draw.objects.filter(status="committed").exists()
    submitted = InspectionRecord.objects.filter(status="submitted")
    assert submitted.exclude(task__source="ad_hoc").count() == 3  # the inspections' scenario
    assert submitted.filter(task__source="ad_hoc").count() == 1  # the enterprise's mine
    assert InspectionRecord.objects.filter(status="draft").count() == 1
    assert Case.objects.filter(state="closed").exists()
    kinds = set(OfficialDocument.objects.values_list("kind", flat=True))
    assert {"inspection_record", "correction_order", "penalty_notice"} <= kinds
    _assert_the_story_reads_in_order(before)


@pytest.mark.parametrize("entities", [0, 100])
def test_demo_data_loads_at_every_size(entities: int) -> None:
    """0 entities: the organisations, the catalog and the plans, no draws, inspections or
    cases, and the command says why; 100: what fits, still in story order."""
    before, out = _demo_data(entities)
    assert "sz_leader" in out and "sz_head" in out
    if entities == 0:
        assert "未生成" in out and "--entities 1500" in out
    _assert_the_story_reads_in_order(before)


def test_a_story_time_dates_records_and_audit_events() -> None:
    """The clock the services, the record timestamps and the audit writer read: the story's
    time inside `story_time`, the server's outside."""
    from anjian.catalog.models import SupervisionItem
    from anjian.catalog.services import catalog_starter_load

    moment = timezone.make_aware(datetime.datetime(2025, 3, 4, 10, 15))
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with clock.story_time(moment):
        assert clock.now() == moment and clock.today() == datetime.date(2025, 3, 4)
        catalog_starter_load(source="system")
    assert set(SupervisionItem.objects.values_list("created_at", flat=True)) == {moment}
    stamped = set(AuditEvent.objects.filter(seq__gt=before).values_list("occurred_at", flat=True))
    assert stamped == {moment}
    assert abs(clock.now() - timezone.now()) < datetime.timedelta(seconds=5)
    naive = datetime.datetime(2025, 3, 4, 10, 15)  # which zone?
    with pytest.raises(ValueError), clock.story_time(naive):
        pass


def test_a_step_asking_for_the_moment_of_the_one_before_comes_a_minute_after() -> None:
    # On a Friday, "21 days ago" (approved at 15:00) and "20 days ago" (issued at 9:30) both go
    # back to the Friday three weeks before: the issue must still follow the approval.
    from anjian.demo import Scenario, _play, _Story

    friday = timezone.make_aware(datetime.datetime(2026, 11, 20, 15, 0))
    seen: list[datetime.datetime] = []

    def plan_story() -> Scenario:
        yield friday
        seen.append(clock.now())  # approved
        yield friday.replace(hour=9, minute=30)
        seen.append(clock.now())  # issued
        return {}

    _play(plan_story(), story=_Story(end=friday + datetime.timedelta(days=21)))
    assert seen == [friday, friday + datetime.timedelta(minutes=1)]
