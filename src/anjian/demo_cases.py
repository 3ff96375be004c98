"""The demo's enforcement cases, played in the dated story (`demo.demo_story_load`): from the
inspections' findings to filing, proposal, notice, hearing, legal review, decision, service,
payment and closing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from anjian.accounts.models import Bureau, User
from anjian.core.services import AuditSource
from anjian.core.workdays import workday_on_or_before
from anjian.demo import (
    Scenario,
    _at,
    _certified_colleague,
    _document_details,
    _named_accounts_ensure,
    _Story,
)
from anjian.demo_inspections import open_tasks
from anjian.entities.models import Entity

Step = tuple[datetime.datetime, int, Callable[[], object]]


def case_steps(
    steps: list[Step],
) -> Callable[[datetime.date, int, int, Callable[[], object]], None]:
    """`at(day, hour, minute, step)` adding the steps of one case to `steps`, which are taken
    in the order of their moments: a step is never dated before the case's previous one. Two
    days a few apart can fall on one working day (`ago` goes back to the last working day
    before a weekend or holiday), and then a later step written for an earlier hour (served at
    10:30 after a decision at 16:30) would have come first and been refused."""
    last: datetime.datetime | None = None

    def at(day: datetime.date, hour: int, minute: int, step: Callable[[], object]) -> None:
        nonlocal last
        moment = _at(day, hour, minute)
        if last is not None and moment < last:
            moment = last  # `_play` then dates it a minute after the step before
        last = moment
        steps.append((moment, len(steps), step))

    return at


def cases_story(story: _Story) -> Scenario:
    """Enforcement cases in 平鲁区, as its officers made them over the last two months
    (pl_inspector and a colleague handle, pl_leader files and decides, pl_legal reviews,
    pl_head publishes):

    - a training case decided with a 40,000-yuan fine, its notice and decision issued (DOCX/PDF),
      served, paid and closed, its publication on the portal with the workers' names masked;
    - a hidden-danger case decided three weeks ago whose publication is overdue (/publications/);
    - a 120,000-yuan case (uncertified special operations workers, not corrected by the deadline)
      after its hearing, in pl_legal's queue (/cases/reviews/);
    - an inspection last week whose violation finding opened a case now under investigation,
      with a clue from it transferred to 朔州市应急管理局, awaiting receipt.
    """
    from anjian.cases import services as cases
    from anjian.cases.models import Case, CaseSource, ServiceMethod
    from anjian.cases.services import ProposalValues
    from anjian.cases.transfers import clue_transfer_send
    from anjian.catalog.models import DiscretionBenchmark
    from anjian.draws.models import InspectorConflict
    from anjian.inspections import services as insp
    from anjian.inspections.models import InspectionRecord
    from anjian.publications.models import Publication
    from anjian.publications.services import publication_publish

    if (
        Case.objects.exists()
        or not DiscretionBenchmark.objects.filter(code="AQF-97-7-MK").exists()
        or not User.objects.filter(username="pl_inspector").exists()
    ):
        return {"cases": 0}
    today = story.today
    ago = story.ago
    yield _at(ago(62), 9, 0)
    users = _named_accounts_ensure("pl_inspector", "pl_head", "pl_leader", "pl_legal")
    inspector, head, leader = users["pl_inspector"], users["pl_head"], users["pl_leader"]
    bureau = inspector.bureau
    assert bureau is not None
    city = Bureau.objects.get(region_id="140600")
    colleague = _certified_colleague(inspector, today - datetime.timedelta(days=90))
    if colleague is None:
        return {"cases": 0}
    team = [inspector, colleague]
    s = AuditSource.SYSTEM
    benchmarks = {
        b.code: b
        for b in DiscretionBenchmark.objects.filter(
            code__in=["AQF-97-7-MK", "AQF-97-3", "AQF-102-1"]
        )
    }

    def d(day: datetime.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    conflicted = InspectorConflict.objects.filter(inspector=inspector).values("entity_id")
    chosen: list[int] = []

    def entity(*industries: str) -> Entity | None:
        found = (
            Entity.objects.filter(region_id="140603", industry__in=industries)
            .exclude(new_business_form=True)
            .exclude(address="")
            .exclude(pk__in=conflicted)
            .exclude(pk__in=chosen)
            .exclude(pk__in=InspectionRecord.objects.values("entity_id"))
            .order_by("pk")
            .first()
        )
        if found is not None:
            chosen.append(found.pk)
        return found

    def reload(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    def notice(actor: User) -> dict[str, str]:
        return {
            **_document_details(bureau, "bureau_address", "contact_phone"),
            "contact_person": actor.full_name,
        }

    decision = _document_details(bureau, "payment_place", "reconsideration_organ", "court")
    made = 0
    # Each case's steps, gathered first and then taken in the order of their days: the four
    # cases run side by side over the two months.
    steps: list[Step] = []

    # 1. Decided, paid and closed; published on the portal with the workers' names masked.
    at = case_steps(steps)
    unit = entity("metallurgy", "building_materials", "machinery", "light_industry")
    if unit is not None and "AQF-97-3" in benchmarks:
        bm = benchmarks["AQF-97-3"]
        act = ago(66)
        facts = (
            f"{d(act)}，我局接群众举报后到当事人生产现场核查，发现当事人于{act.month}月新招录的"
            "从业人员王小平、陈志刚未经安全生产教育和培训即上岗作业，未经培训合格上岗人数占应"
            "培训人数的15%。以上事实有现场检查记录、询问笔录、员工花名册、安全培训档案等证据"
            "证实。"
        )
        one: dict[str, Case] = {}

        def open_1() -> None:
            one["case"] = cases.case_open(
                actor=inspector, bureau=bureau, entity=unit, handlers=team, facts=facts,
                title=f"{unit.name}未按规定对从业人员进行安全生产教育和培训案",
                source_kind=CaseSource.REPORT, act_date=act, source=s,
            )  # fmt: skip

        at(ago(62), 9, 30, open_1)
        at(ago(62), 15, 0, lambda: cases.case_filing_decide(
            actor=leader, case=reload(one["case"]), approve=True, note="同意立案", source=s,
        ))  # fmt: skip
        at(ago(58), 10, 0, lambda: cases.case_proposal_set(
            actor=inspector, case=reload(one["case"]), source=s,
            values=ProposalValues(
                measures=["correction_order", "fine"], facts=facts, act_date=act,
                provisions=bm.legal_provision, benchmark_code=bm.code, fine_amount=40_000,
                discretion_facts={"answers": {"untrained_share": 15}},
            ),
        ))  # fmt: skip
        at(ago(58), 14, 30, lambda: cases.case_notify(
            actor=inspector, case=reload(one["case"]), notified_on=ago(58),
            document=notice(inspector), source=s,
        ))  # fmt: skip
        at(ago(53), 10, 30, lambda: cases.case_defence_close(
            actor=inspector, case=reload(one["case"]), source=s,
            statement="当事人书面陈述：已组织两名人员补训并考核合格，请求从轻处罚。经复核，"
            "补训属事后改正，不足以改变违法事实，维持原拟处罚意见。",
        ))  # fmt: skip
        at(ago(50), 16, 0, lambda: cases.case_decide(
            actor=leader, case=reload(one["case"]), decided_on=ago(50), document=decision,
            source=s,
        ))  # fmt: skip
        at(ago(49), 10, 0, lambda: cases.case_serve(
            actor=inspector, case=reload(one["case"]), served_on=ago(49),
            method=ServiceMethod.DIRECT, source=s,
        ))  # fmt: skip
        at(ago(46), 9, 30, lambda: publication_publish(
            head, Publication.objects.get(
                subject_id=str(one["case"].pk), kind="penalty_decision"
            ), on=ago(46), source=s,
        ))  # fmt: skip
        at(ago(41), 11, 0, lambda: cases.case_payment_record(
            actor=inspector, case=reload(one["case"]), amount=40_000, paid_on=ago(41),
            note="当事人通过非税收入缴款平台缴纳", source=s,
        ))  # fmt: skip
        at(ago(40), 10, 0, lambda: cases.case_execute(
            actor=inspector, case=reload(one["case"]), executed_on=ago(40),
            note="罚款已全额缴纳，补训已完成", source=s,
        ))  # fmt: skip
        at(ago(38), 15, 30, lambda: cases.case_close(
            actor=leader, case=reload(one["case"]), note="执行完毕，同意结案", source=s,
        ))  # fmt: skip
        made += 1

    # 2. Decided three weeks ago and served; nobody published it: overdue on /publications/.
    at = case_steps(steps)
    station = entity("hazardous_chemicals", "commerce_trade")
    if station is not None and "AQF-102-1" in benchmarks:
        bm2 = benchmarks["AQF-102-1"]
        act2 = ago(40)
        facts2 = (
            f"我局于{d(ago(52))}检查时发现当事人卸油区静电接地报警器损坏、可燃气体检测报警器"
            f"超期未检定、罐区消防沙池储沙不足三项一般事故隐患，责令于{d(ago(45))}前消除；"
            f"{d(act2)}复查，上述三项隐患仍未消除。"
        )
        two: dict[str, Case] = {}

        def open_2() -> None:
            two["case"] = cases.case_open(
                actor=inspector, bureau=bureau, entity=station, handlers=team, facts=facts2,
                title=f"{station.name}未采取措施消除事故隐患案", act_date=act2, source=s,
            )  # fmt: skip

        at(ago(38), 9, 0, open_2)
        at(ago(38), 14, 0, lambda: cases.case_filing_decide(
            actor=leader, case=reload(two["case"]), approve=True, note="同意立案", source=s,
        ))  # fmt: skip
        at(ago(34), 10, 0, lambda: cases.case_proposal_set(
            actor=inspector, case=reload(two["case"]), source=s,
            values=ProposalValues(
                measures=["correction_order", "fine"], facts=facts2, act_date=act2,
                provisions=bm2.legal_provision, benchmark_code=bm2.code, fine_amount=25_000,
                # Three general hazards not eliminated: 90号 tier B (issue 19).
                discretion_facts={"answers": {"general_hazards": 3}},
            ),
        ))  # fmt: skip
        at(ago(34), 15, 0, lambda: cases.case_notify(
            actor=inspector, case=reload(two["case"]), notified_on=ago(34),
            document=notice(inspector), source=s,
        ))  # fmt: skip
        # The party signed a waiver of its statement and defence (放弃陈述申辩声明).
        at(ago(28), 11, 0, lambda: cases.case_defence_close(
            actor=inspector, case=reload(two["case"]), party_waived=True, source=s,
        ))  # fmt: skip
        at(ago(25), 16, 30, lambda: cases.case_decide(
            actor=leader, case=reload(two["case"]), decided_on=ago(25), document=decision,
            source=s,
        ))  # fmt: skip
        at(ago(24), 10, 30, lambda: cases.case_serve(
            actor=inspector, case=reload(two["case"]), served_on=ago(24),
            method=ServiceMethod.POST, source=s,
        ))  # fmt: skip
        made += 1

    # 3. A large fine after a hearing, waiting in pl_legal's queue.
    at = case_steps(steps)
    mine = entity("coal_mine")
    if mine is not None:
        bm3 = benchmarks["AQF-97-7-MK"]
        act3 = ago(36)
        facts3 = (
            f"{d(ago(50))}，我局执法人员检查发现当事人3名特种作业人员（瓦斯检查工2名、井下电钳工"
            f"1名）未取得特种作业操作证上岗作业，当场下达责令限期整改指令书，责令于{d(ago(40))}前"
            f"改正；{d(act3)}复查发现，其中瓦斯检查工2名仍未取得相应资格继续上岗作业，逾期未改正。"
        )
        three: dict[str, Case] = {}

        def open_3() -> None:
            three["case"] = cases.case_open(
                actor=inspector, bureau=bureau, entity=mine, handlers=team, facts=facts3,
                title=f"{mine.name}特种作业人员未取得相应资格上岗作业案", act_date=act3,
                source=s,
            )  # fmt: skip

        at(ago(33), 9, 30, open_3)
        at(ago(33), 16, 0, lambda: cases.case_filing_decide(
            actor=leader, case=reload(three["case"]), approve=True, note="同意立案，抓紧调查取证",
            source=s,
        ))  # fmt: skip
        at(ago(26), 10, 0, lambda: cases.case_proposal_set(
            actor=inspector, case=reload(three["case"]), source=s,
            values=ProposalValues(
                measures=["correction_order", "fine"], facts=facts3, act_date=act3,
                provisions=bm3.legal_provision, benchmark_code=bm3.code,
                discretion_facts={
                    "answers": {"persons_without_certificate": 3, "not_corrected": True}
                },
                fine_amount=120_000,
            ),
        ))  # fmt: skip
        at(ago(26), 15, 30, lambda: cases.case_notify(
            actor=inspector, case=reload(three["case"]), notified_on=ago(26),
            document=notice(inspector), source=s,
        ))  # fmt: skip
        at(ago(23), 10, 0, lambda: cases.case_hearing_request(
            actor=inspector, case=reload(three["case"]), requested_on=ago(23), source=s,
        ))  # fmt: skip
        at(ago(15), 14, 30, lambda: cases.case_hearing_record(
            actor=inspector, case=reload(three["case"]), held_on=ago(15), source=s,
            report="听证会公开举行。当事人对违法事实无异议，提出两名瓦斯检查工已报名参加"
            "特种作业培训，请求从轻处罚；调查人员认为逾期未改正情节属实，建议维持拟处罚意见。",
        ))  # fmt: skip
        made += 1

    for moment, _n, step in sorted(steps, key=lambda t: (t[0], t[1])):
        yield moment
        step()

    # 4. Last week's inspection found a violation; the case is under investigation, and a clue
    #    about the mine's safety assessment report went to the city bureau.
    on_site = ago(6)
    yield _at(workday_on_or_before(on_site - datetime.timedelta(days=1)), 16, 30)
    task = (
        open_tasks(
            story, bureau=bureau, entity__industry="coal_mine", item__code="14000000100001",
            period_start__lte=on_site,
        )
        .exclude(entity_id__in=conflicted)
        .exclude(entity_id__in=chosen)
        .exclude(entity_id__in=InspectionRecord.objects.values("entity_id"))
        .first()
    )  # fmt: skip
    if task is None:
        return {"cases": made}
    insp.task_assign_inspectors(actor=head, task=task, inspectors=team, source=s)
    yield _at(on_site, 9, 10)
    record = insp.record_start(
        actor=inspector, task=task, place=f"{task.entity.name}调度室及井下15103回采工作面",
        present_name="孙振华", present_post="通风副总工程师", source=s,
    )  # fmt: skip
    yield _at(on_site, 11, 0)
    violation = None
    for n, point in enumerate(insp.record_check_points(record)):
        answer = "violation" if n == 2 else "compliant"
        insp.record_answer(
            actor=inspector, record=record, check_point=point, answer=answer, source=s
        )
        if answer == "violation":
            violation = insp.finding_add(
                actor=inspector, record=record, kind="violation", check_point=point,
                description="15103回采工作面当班瓦斯检查工冯立新未取得特种作业操作证，"
                "独立上岗从事瓦斯检查作业",
                legal_basis=benchmarks["AQF-97-7-MK"].legal_provision,
                benchmark=benchmarks["AQF-97-7-MK"], source=s,
            )  # fmt: skip
    yield _at(on_site, 11, 50)
    insp.record_submit(
        actor=inspector, record=record, summary="发现违法行为一项，建议立案调查。", source=s
    )
    if violation is None:
        return {"cases": made}
    yield _at(ago(5), 9, 30)
    case = cases.case_open(
        actor=inspector, bureau=bureau, entity=task.entity, handlers=team,
        findings=[violation], source=s, title=f"{task.entity.name}瓦斯检查工无证上岗作业案",
    )  # fmt: skip
    yield _at(ago(5), 15, 0)
    cases.case_filing_decide(
        actor=leader, case=reload(case), approve=True, note="同意立案", source=s
    )
    yield _at(ago(3), 10, 30)
    clue_transfer_send(
        actor=inspector, case=reload(case), to_bureau=city, source=s,
        reason=f"调查中发现该矿{today.year - 1}年度安全现状评价报告所载特种作业人员"
        "持证情况与现场严重不符，出具报告的安全评价机构涉嫌出具虚假报告，属市局监管，移送核查。",
    )  # fmt: skip
    return {"cases": made + 1}
