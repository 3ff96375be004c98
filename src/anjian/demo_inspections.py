"""The demo's inspections, played in the dated story (`demo.demo_story_load`): the drawn tasks
inspected on site with their findings, correction orders, rectification and re-inspection."""

from __future__ import annotations

import datetime
from typing import Any

from anjian.accounts.models import User
from anjian.core.services import AuditSource
from anjian.core.workdays import is_workday, workday_on_or_before, workdays_after
from anjian.demo import Scenario, _at, _certified_colleague, _Story


def open_tasks(story: _Story, **filters: Any) -> Any:
    """Open tasks of the plan's that no scenario will complete later in the story."""
    from anjian.inspections.models import InspectionTask, TaskStatus

    return (
        InspectionTask.objects.filter(status=TaskStatus.OPEN, record__isnull=True, **filters)
        .exclude(pk__in=story.reserved)
        .select_related("entity", "item")
        .order_by("due_on", "pk")
    )


def on_site_now(story: _Story) -> datetime.datetime:
    """When the inspection under way began: within the last hour if the office is open now,
    else at 15:00 on the last working day (the record is still being filled in)."""
    today = story.today
    if is_workday(today) and story.end >= _at(today, 9, 0):
        return max(_at(today, 8, 30), min(story.end - datetime.timedelta(minutes=40),
                                          _at(today, 15, 0)))  # fmt: skip
    return _at(workday_on_or_before(today - datetime.timedelta(days=1)), 15, 0)


def inspections_story(story: _Story) -> Scenario:
    """On-site inspections in 平鲁区, as pl_inspector and a colleague made them on the plan's
    open tasks, each on one working day between 08:30 and 17:30: one clean record, one with a
    hazard whose correction order was rectified and passed re-inspection, one whose order is
    overdue and due for escalation (the overdue list), and one record still being filled in
    (pl_inspector can continue it)."""
    from anjian.inspections import services as insp
    from anjian.inspections.models import InspectionRecord

    if InspectionRecord.objects.exists() or not User.objects.filter(username="pl_head").exists():
        return {"records": 0}
    s = AuditSource.SYSTEM
    first = story.ago(30)
    # The division head assigns the month's inspections the afternoon before the first.
    yield _at(workday_on_or_before(first - datetime.timedelta(days=1)), 16, 0)
    head = User.objects.get(username="pl_head")
    inspector = User.objects.get(username="pl_inspector")
    colleague = _certified_colleague(inspector, story.today - datetime.timedelta(days=60))
    if colleague is None:
        return {"records": 0}
    team = [inspector, colleague]
    tasks = list(
        open_tasks(
            story,
            bureau=inspector.bureau,
            period_start__lte=story.today - datetime.timedelta(days=40),
        )[:4]
    )
    if len(tasks) < 4:
        return {"records": 0}
    story.reserved.update(task.pk for task in tasks)
    for task in tasks:
        insp.task_assign_inspectors(actor=head, task=task, inspectors=team, source=s)

    def start(task: Any, present: str) -> Any:
        return insp.record_start(
            actor=inspector, task=task, place=task.entity.address or f"{task.entity.name}生产现场",
            present_name=present, present_post="安全副矿长", source=s,
        )  # fmt: skip

    def answer(record: Any, hazard: str = "", at: str = "") -> Any:
        """Answer every point compliant but the one whose content names `at`, where the hazard
        was seen: its finding then cites that point's own legal basis."""
        found = None
        for point in insp.record_check_points(record):
            value = "hazard" if hazard and at in point.content else "compliant"
            insp.record_answer(
                actor=inspector, record=record, check_point=point, answer=value, source=s
            )
            if value == "hazard":
                found = insp.finding_add(
                    actor=inspector, record=record, kind="hazard", check_point=point,
                    description=hazard, severity="general", source=s,
                )  # fmt: skip
        return found

    # 1. A clean inspection.
    yield _at(first, 9, 10)
    clean = start(tasks[0], "王建国")
    yield _at(first, 10, 40)
    answer(clean)
    yield _at(first, 11, 20)
    insp.record_submit(actor=inspector, record=clean, summary="未发现问题。", source=s)
    # 2. A hazard, rectified and re-inspected.
    fixed_on = story.ago(28)
    yield _at(fixed_on, 9, 0)
    fixed = start(tasks[1], "李志强")
    yield _at(fixed_on, 10, 30)
    hazard = answer(fixed, "井下3号瓦斯监控分站断电，未能实时上传数据", at="安全监控系统")
    yield _at(fixed_on, 11, 30)
    insp.record_submit(actor=inspector, record=fixed, summary="发现一般事故隐患一项。", source=s)
    order = None
    if hazard is not None:
        yield _at(fixed_on, 11, 45)
        order = insp.correction_order_issue(
            actor=inspector, record=fixed, findings=[hazard], issued_on=fixed_on,
            deadline=insp.deadline_suggest(fixed_on), source=s,
        )  # fmt: skip
    # 3. A hazard left unrectified past its deadline: on the overdue list, due for escalation.
    late_on = story.ago(25)
    yield _at(late_on, 14, 0)
    late = start(tasks[2], "张海军")
    yield _at(late_on, 15, 10)
    hazard = answer(late, "主要通风机备用风机未按规定每月切换试运转", at="通风系统")
    yield _at(late_on, 16, 10)
    insp.record_submit(actor=inspector, record=late, summary="发现一般事故隐患一项。", source=s)
    if hazard is not None:
        yield _at(late_on, 16, 25)
        insp.correction_order_issue(
            actor=inspector, record=late, findings=[hazard], issued_on=late_on,
            deadline=late_on + datetime.timedelta(days=7), source=s,
        )  # fmt: skip
    if order is not None:
        reported = workdays_after(fixed_on, 4)
        yield _at(reported, 10, 0)
        insp.rectification_report(
            actor=inspector, order=order, text="已更换分站电源模块并恢复数据上传，附照片。",
            submitted_on=reported, source=s,
        )  # fmt: skip
        checked = workdays_after(fixed_on, 6)
        yield _at(checked, 14, 30)
        insp.reinspection_record(
            actor=inspector, order=order, on=checked, inspectors=team, result="passed",
            opinion="隐患已消除，整改到位。", source=s,
        )  # fmt: skip
    # 4. An inspection under way.
    began = on_site_now(story)
    yield began
    draft = start(tasks[3], "刘卫东")
    yield began + datetime.timedelta(minutes=25)
    points = insp.record_check_points(draft)
    if points:
        insp.record_answer(
            actor=inspector, record=draft, check_point=points[0], answer="compliant", source=s
        )
    return {"records": InspectionRecord.objects.count()}
