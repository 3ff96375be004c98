"""The demo's plans and draws, played in the dated story (`demo.demo_story_load`): the
province's, 朔州's and 平鲁区's annual plans drafted, approved and issued on the platform, the
next year's in draft, and the "double random" draws that turned the plans' lines into tasks."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from anjian.accounts.models import User
from anjian.core.services import AuditSource
from anjian.core.workdays import workday_on_or_before, workdays_after
from anjian.demo import NAMED_ACCOUNTS, Scenario, _at, _plan_year, _Story, _workday_from
from anjian.entities.models import Entity


def _plan_helpers() -> tuple[dict[str, User], dict[str, Any]]:
    from anjian.catalog.models import SupervisionItem

    named = [a[0] for a in NAMED_ACCOUNTS]
    users = {u.username: u for u in User.objects.filter(username__in=named)}
    items = {i.code: i for i in SupervisionItem.objects.all()}
    return users, items


def _plan_make(actor: User, year: int, title: str, lines: list[Any]) -> Any:
    from anjian.plans.services import plan_create, plan_line_add

    plan = plan_create(
        actor=actor, bureau=actor.bureau, year=year, title=title, source=AuditSource.SYSTEM
    )
    for values in lines:
        plan_line_add(actor=actor, plan=plan, values=values, source=AuditSource.SYSTEM)
    return plan


def _plan_step(actor: User, plan: Any, action: str, comment: str = "") -> None:
    from anjian.plans.services import plan_transition

    plan_transition(
        actor=actor,
        plan=plan,
        action=action,
        comment=comment,
        # Credit's yearly caps: the demo's plans may inspect some entities more often.
        over_limit_reason="年度计划按重点监管要求加密检查" if action == "issue" else "",
        source=AuditSource.SYSTEM,
    )


def _county_lines(items: dict[str, Any], pl: User) -> list[Any]:
    """平鲁区 plans the same two lines every year: key coal mines quarterly, chemicals twice."""
    from anjian.plans.services import LineValues

    return [
        LineValues(
            item=items["14000000100001"],
            frequency=4,
            industries=["coal_mine"],
            key_supervision_only=True,
            division=pl.division,
        ),
        LineValues(item=items["14000000300001"], frequency=2, industries=["hazardous_chemicals"]),
    ]


def plans_story(story: _Story) -> Scenario:
    """平鲁区's plan for the year under way, as pl_head and sz_leader made it in December before
    the year: drafted, submitted, sent back (chemicals too seldom), resubmitted, approved,
    issued (the tasks are made then) and filed. Through the year pl_inspector records most
    tasks done when their inspection took place, some late, some never: the progress page has
    done, late and overdue tasks."""
    from anjian.catalog.models import SupervisionItem
    from anjian.inspections.models import InspectionTask
    from anjian.inspections.services import task_complete
    from anjian.plans.models import InspectionPlan
    from anjian.plans.services import LineValues

    if InspectionPlan.objects.exists() or not SupervisionItem.objects.exists():
        return {"plans": 0}
    users, items = _plan_helpers()
    pl, sz_leader, inspector = users["pl_head"], users["sz_leader"], users["pl_inspector"]
    today = story.today
    year = _plan_year(today)
    day = _workday_from(datetime.date(year - 1, 12, 1))
    yield _at(day, 9, 30)
    current = _plan_make(
        pl,
        year,
        f"平鲁区应急管理局{year}年度安全生产监督检查计划",
        [
            *_county_lines(items, pl),
            LineValues(
                item=items["14000000000002"], frequency=1, risk_levels=["major", "significant"]
            ),
        ],
    )
    yield _at(day, 11, 0)
    _plan_step(pl, current, "submit", "请市局审批")
    day = workdays_after(day, 2)
    yield _at(day, 15, 20)
    _plan_step(sz_leader, current, "reject", "危险化学品企业检查频次偏低，请按每半年一次以上安排")
    day = workdays_after(day, 1)
    yield _at(day, 10, 10)
    _plan_step(pl, current, "submit", "已按意见修改")
    day = workdays_after(day, 2)
    yield _at(day, 16, 0)
    _plan_step(sz_leader, current, "approve", "同意")
    day = workdays_after(day, 1)
    yield _at(day, 9, 30)
    _plan_step(pl, current, "issue")
    day = workdays_after(day, 2)
    yield _at(day, 10, 0)
    _plan_step(pl, current, "file")
    # Most past-due tasks were done, some late, some not at all; each is recorded on the
    # afternoon of its inspection's day.
    done: list[tuple[datetime.date, int, Any]] = []
    for n, task in enumerate(
        InspectionTask.objects.filter(plan_line__plan=current, due_on__lt=today).order_by("pk")
    ):
        if n % 5 == 4:
            continue
        on = min(today, task.due_on + datetime.timedelta(days=10 if n % 7 == 3 else -9))
        on = max(workday_on_or_before(on), task.period_start)
        done.append((on, n, task))
    story.reserved.update(task.pk for _on, _n, task in done)
    for on, n, task in sorted(done, key=lambda d: (d[0], d[1])):
        yield _at(on, 16, 30)
        task_complete(
            actor=inspector,
            task=task,
            done_on=on,
            record_number=f"（平）应急检〔{task.due_on.year}〕{n + 1}号",
            source=AuditSource.SYSTEM,
        )
    return {"plans": 1}


def next_plans_story(story: _Story) -> Scenario:
    """Next year's plans, made in the last weeks:

    - the province's, issued: major-risk coal mines quarterly;
    - 朔州市's, issued: coal-mine gas and ventilation inspections in the second half;
    - 平鲁区's, submitted to 朔州市 for approval (sz_leader sees it awaiting, with the duplicate
      it would create with the city's plan on the same coal mines).
    Counties without a plan leave their coal mines and key entities uncovered: the gaps.
    """
    from anjian.catalog.models import SupervisionItem
    from anjian.plans.models import InspectionPlan
    from anjian.plans.services import LineValues

    if InspectionPlan.objects.exists() or not SupervisionItem.objects.exists():
        return {"plans": 0}
    users, items = _plan_helpers()
    sx, sz, pl = users["sx_leader"], users["sz_head"], users["pl_head"]
    gas, water = items["14000000100001"], items["14000000100002"]
    nxt = story.today.year + 1
    yield _at(story.ago(30), 9, 30)
    province = _plan_make(
        sx,
        nxt,
        f"山西省应急管理厅{nxt}年度煤矿安全监督检查计划",
        [
            LineValues(
                item=gas,
                frequency=4,
                industries=["coal_mine"],
                risk_levels=["major"],
                key_supervision_only=True,
            )
        ],
    )
    yield _at(story.ago(30), 11, 0)
    _plan_step(sx, province, "submit")
    yield _at(story.ago(25), 9, 30)
    city = _plan_make(
        sz,
        nxt,
        f"朔州市应急管理局{nxt}年度安全生产监督检查计划",
        [
            LineValues(
                item=gas,
                frequency=2,
                industries=["coal_mine"],
                start_month=7,
                end_month=12,
                division=sz.division,
            ),
            LineValues(item=water, frequency=1, industries=["coal_mine"], division=sz.division),
        ],
    )
    yield _at(story.ago(25), 11, 30)
    _plan_step(sz, city, "submit")
    yield _at(story.ago(21), 15, 0)
    _plan_step(sx, province, "approve", "厅务会审议通过")
    yield _at(story.ago(20), 9, 30)
    _plan_step(sx, province, "issue")
    yield _at(story.ago(14), 16, 0)
    _plan_step(sx, city, "approve", "同意")
    yield _at(story.ago(10), 9, 30)
    _plan_step(sz, city, "issue")
    yield _at(story.ago(8), 10, 0)
    county = _plan_make(
        pl, nxt, f"平鲁区应急管理局{nxt}年度安全生产监督检查计划", _county_lines(items, pl)
    )
    yield _at(story.ago(5), 14, 30)
    _plan_step(pl, county, "submit", "请市局审批")
    return {"plans": 3}


def draws_story(story: _Story) -> Scenario:
    """Random inspections in 朔州市, as sz_head ran them: a draw committed ten days before
    its window, drawn three days before it and now over (the portal shows everything needed to
    check it), and one committed this week for next month (the portal shows the commitment
    only). A registry without coal mines in 朔州市 has nothing to draw from: no draws then."""
    from anjian.catalog.models import SupervisionItem
    from anjian.core.errors import Conflict
    from anjian.draws import services as draws
    from anjian.draws.models import Draw

    if Draw.objects.exists() or not SupervisionItem.objects.exists():
        return {"draws": 0}
    if not Entity.objects.filter(region__parent_id="140600", industry="coal_mine").exists():
        return {"draws": 0}
    s = AuditSource.SYSTEM
    today = story.today
    past_end = today.replace(day=1) - datetime.timedelta(days=1)
    past_start = (past_end - datetime.timedelta(days=45)).replace(day=1)
    next_start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    committed = workday_on_or_before(past_start - datetime.timedelta(days=10))
    setup = workday_on_or_before(committed - datetime.timedelta(days=14))

    yield _at(setup, 10, 0)
    head = User.objects.get(username="sz_head")
    inspector = User.objects.get(username="pl_inspector")
    items = [
        draws.random_check_item_add(
            actor=head, bureau=head.bureau, item=SupervisionItem.objects.get(code=code),
            division=head.division, source=s,
        )
        for code in ("14000000100001", "14000000100002")
    ]  # fmt: skip
    yield _at(workdays_after(setup, 2), 14, 30)
    mine = Entity.objects.filter(region_id="140603", industry="coal_mine").order_by("uscc").first()
    if mine is not None:
        draws.conflict_declare(
            actor=inspector, inspector=inspector, entity=mine, reason="配偶在该企业任职", source=s
        )
    made = 0
    for title, start, end, commit_on, run_on in [
        (f"朔州市{past_start.year}年煤矿安全“双随机”抽查（第二批）", past_start, past_end,
         committed, workday_on_or_before(past_start - datetime.timedelta(days=3))),
        (f"朔州市{next_start.year}年煤矿安全“双随机”抽查（第三批）", next_start,
         next_start + datetime.timedelta(days=27), story.ago(2), None),
    ]:  # fmt: skip
        yield _at(commit_on, 10, 0)
        try:
            with transaction.atomic():  # a refused commit leaves no draft behind
                draw = draws.draw_create(
                    actor=head, bureau=head.bureau, source=s,
                    values=draws.DrawValues(
                        title=title, items=items, inspection_from=start, inspection_until=end,
                        industries=["coal_mine"], default_ratio=1000,
                        ratios={"D|major": 10000, "C|major": 5000, "D|significant": 5000},
                        recent_months=6, recent_factor=50, avoid_own_county=True,
                        max_per_inspector=15,
                    ),
                )  # fmt: skip
                draws.draw_commit(actor=head, draw=draw, source=s)
        except Conflict:  # an empty directory: too few entities for this draw
            continue
        if run_on is not None:
            yield _at(run_on, 9, 30)
            draws.draw_run(
                actor=head, draw=draw, over_limit_reason="双随机抽查结果，依规检查", source=s
            )
        made += 1
    return {"draws": made}
