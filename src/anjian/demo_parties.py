"""The demo's case of a unit and its principal (双罚, cases/parties.py), played in the dated
story (`demo.demo_story_load`) beside the other scenarios.

平鲁区: a light-industry company was ordered to train its workers and had not done so by the
deadline (安全生产法 第九十七条第三项, tier D of 应急〔2024〕90号: 100,000 yuan); its principal is
fined 20,000 yuan as the directly responsible manager (the person's range, 20,000–50,000). Both
have their notice, hearing right, legal review, collective deliberation, decision and service;
neither pays: the written reminder (催告), the late-payment surcharge (加处罚款), the application
to the court once the remedy periods have ended, the court's ruling, and the case closes. The
steps that would fall after today are left for later (on a young story the case waits at the
court).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from anjian.core.workdays import workday_on_or_before

PRINCIPAL = {
    "name": "赵志强",
    "address": "山西省朔州市平鲁区井坪镇南关街6号",
    "position": "总经理（主要负责人）",
}


def _principal_id_number() -> str:
    """A valid 公民身份号码 (平鲁区, born 1975-06-18), its check digit computed by stdnum."""
    from stdnum.cn import ric

    base = "14060319750618213"
    return base + ric.calc_check_digit(base + "0")  # stdnum takes the number with a digit


def parties_story(story: Any) -> Any:
    from anjian.accounts.models import User
    from anjian.cases import execution, parties
    from anjian.cases import services as cases
    from anjian.cases.models import Case, CaseSource, ServiceMethod
    from anjian.cases.services import ProposalValues
    from anjian.catalog.models import DiscretionBenchmark
    from anjian.core.services import AuditSource
    from anjian.demo import (
        _at,
        _certified_colleague,
        _document_details,
        _named_accounts_ensure,
        _workday_from,
        demo_story_start,
    )
    from anjian.entities.models import Entity

    if (
        Case.objects.filter(lead__isnull=False).exists()
        or not DiscretionBenchmark.objects.filter(code="AQF-97-3").exists()
        or not User.objects.filter(username="pl_inspector").exists()
    ):
        return {"cases": 0}
    today = story.today
    start = max(
        timezone.localdate(demo_story_start(today)) + datetime.timedelta(days=14),
        today - datetime.timedelta(days=300),
    )

    def wd(days: int) -> datetime.date:
        return _workday_from(start + datetime.timedelta(days=days))

    def d(day: datetime.date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    yield _at(wd(0), 9, 0)
    users = _named_accounts_ensure("pl_inspector", "pl_leader", "pl_legal")
    inspector, leader, legal = users["pl_inspector"], users["pl_leader"], users["pl_legal"]
    bureau = inspector.bureau
    colleague = _certified_colleague(inspector, wd(0) - datetime.timedelta(days=1))
    unit = (
        Entity.objects.filter(region_id="140603", industry="light_industry")
        .exclude(new_business_form=True)
        .exclude(address="")
        .exclude(legal_representative="")
        .order_by("-pk")
        .first()
    )
    if bureau is None or colleague is None or unit is None:
        return {"cases": 0}
    s = AuditSource.SYSTEM
    act = workday_on_or_before(start - datetime.timedelta(days=3))
    ordered = workday_on_or_before(act - datetime.timedelta(days=30))
    facts = (
        f"{d(ordered)}，我局执法人员检查发现当事人新入职的12名从业人员中有3名未经安全生产教育和"
        f"培训即上岗作业，当场下达责令限期整改指令书，责令于{d(act - datetime.timedelta(days=1))}"
        f"前改正；{d(act)}复查发现，上述3名人员仍未经培训合格继续上岗作业，逾期未改正。当事人"
        f"总经理{PRINCIPAL['name']}作为主要负责人，未组织制定并实施本单位安全生产教育和培训计划，"
        "对逾期未改正负有直接责任。"
    )
    answers = {"answers": {"untrained_share": 25, "not_corrected": True}}
    decision = _document_details(bureau, "payment_place", "reconsideration_organ", "court")

    def notice() -> dict[str, str]:
        return {
            **_document_details(bureau, "bureau_address", "contact_phone"),
            "contact_person": inspector.full_name,
        }

    def fresh(case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    yield _at(wd(0), 9, 30)
    case = cases.case_open(
        actor=inspector, bureau=bureau, entity=unit, handlers=[inspector, colleague],
        title=f"{unit.name}及其主要负责人未按规定对从业人员进行安全生产教育和培训案",
        source_kind=CaseSource.INSPECTION, facts=facts, act_date=act, source=s,
    )  # fmt: skip
    yield _at(wd(0), 15, 0)
    cases.case_filing_decide(
        actor=leader, case=fresh(case), approve=True, note="同意立案，对单位及其主要负责人一并调查",
        source=s,
    )  # fmt: skip
    yield _at(wd(2), 10, 0)
    person = parties.case_party_add(
        actor=inspector, case=fresh(case), id_number=_principal_id_number(), source=s,
        **PRINCIPAL,
    )  # fmt: skip
    yield _at(wd(3), 10, 0)
    cases.case_proposal_set(
        actor=inspector, case=fresh(case), source=s,
        values=ProposalValues(
            measures=["correction_order", "fine"], facts=facts, act_date=act,
            provisions="《中华人民共和国安全生产法》第二十八条第一款",
            benchmark_code="AQF-97-3", discretion_facts=answers, fine_amount=100_000,
        ),
    )  # fmt: skip
    yield _at(wd(3), 10, 30)
    cases.case_proposal_set(
        actor=inspector, case=fresh(person), source=s,
        values=ProposalValues(
            measures=["fine"], facts=facts, act_date=act,
            provisions="《中华人民共和国安全生产法》第二十一条第（三）项",
            benchmark_code="AQF-97-3", discretion_facts=answers, fine_amount=20_000,
        ),
    )  # fmt: skip
    for minute, party in ((30, case), (45, person)):
        yield _at(wd(3), 14, minute)
        cases.case_notify(
            actor=inspector, case=fresh(party), notified_on=wd(3), document=notice(), source=s
        )
    # Neither asked for a hearing by its deadline; both stated their case in writing.
    statements = (
        "当事人书面陈述：已安排3名人员参加培训，请求从轻处罚。经复核，逾期未改正事实清楚，"
        "维持拟处罚意见。",
        f"{PRINCIPAL['name']}书面陈述：对违法事实无异议，因生产任务紧未及时组织培训。经复核，"
        "不足以从轻，维持拟处罚意见。",
    )
    # The day after both parties' deadlines (working days, holidays counted) have passed.
    deadlines = [
        day
        for party in (fresh(case), fresh(person))
        for day in (party.statement_deadline, party.hearing_deadline)
        if day is not None
    ]
    heard = _workday_from(max(deadlines) + datetime.timedelta(days=1))

    def after(days: int) -> datetime.date:
        return _workday_from(heard + datetime.timedelta(days=days))

    for minute, party, statement in ((0, case, statements[0]), (30, person, statements[1])):
        yield _at(heard, 10, minute)
        cases.case_defence_close(actor=inspector, case=fresh(party), statement=statement, source=s)
    # Both decisions are major (a unit's 100,000 yuan; a person's 10,000 or more): each passes
    # its own legal review and the leadership's collective deliberation.
    for minute, party in ((0, case), (30, person)):
        yield _at(after(2), 10, minute)
        cases.case_review_decide(
            actor=legal, case=fresh(party), passed=True, source=s,
            opinion="事实清楚，证据确凿，适用法律正确，程序合法，裁量适当。",
        )  # fmt: skip
    for minute, party in ((0, case), (20, person)):
        yield _at(after(3), 15, minute)
        cases.case_deliberate(
            actor=leader, case=fresh(party), held_on=after(3), source=s,
            participants="局长、分管副局长、法制审核人员、承办人员",
            conclusion="同意对单位罚款十万元、对主要负责人罚款二万元。",
        )  # fmt: skip
    for minute, party in ((0, case), (30, person)):
        yield _at(after(4), 16, minute)
        cases.case_decide(
            actor=leader, case=fresh(party), decided_on=after(4), document=decision, source=s
        )
    for minute, party in ((0, case), (30, person)):
        yield _at(after(5), 10, minute)
        cases.case_serve(
            actor=inspector, case=fresh(party), served_on=after(5), method=ServiceMethod.DIRECT,
            source=s,
        )  # fmt: skip
    # Neither pays: the reminder after the 15 days, the surcharge after the reminder's 10.
    deadline = execution.payment_deadline(fresh(case))
    assert deadline is not None
    reminded = _workday_from(deadline + datetime.timedelta(days=3))
    for minute, party in ((0, case), (30, person)):
        yield _at(reminded, 10, minute)
        execution.case_remind(
            actor=inspector, case=fresh(party), reminded_on=reminded, source=s,
            note="直接送达催告书，当事人签收",
        )  # fmt: skip
    reply_by = execution.reminder_deadline(fresh(case))
    assert reply_by is not None
    surcharged = _workday_from(reply_by + datetime.timedelta(days=4))
    for minute, party in ((0, case), (30, person)):
        yield _at(surcharged, 15, minute)
        execution.case_surcharge_decide(
            actor=leader, case=fresh(party), until=surcharged, decided_on=surcharged, source=s,
            note="逾期不缴纳罚款，依法加处罚款",
        )  # fmt: skip
    window = execution.court_window(fresh(case))
    assert window is not None
    applied = _workday_from(window[0] + datetime.timedelta(days=2))
    if applied > today - datetime.timedelta(days=1):
        return {"cases": 1}  # a young story: the remedy periods have not ended yet
    for minute, party in ((0, case), (30, person)):
        yield _at(applied, 10, minute)
        execution.case_court_apply(
            actor=leader, case=fresh(party), applied_on=applied, source=s,
            note="当事人在法定期限内未申请行政复议或提起行政诉讼，又不履行，申请强制执行",
        )  # fmt: skip
    ruled = _workday_from(applied + datetime.timedelta(days=21))
    if ruled > today - datetime.timedelta(days=3):
        return {"cases": 1}
    for minute, (party, number) in ((0, (case, 12)), (30, (person, 13))):
        yield _at(ruled, 11, minute)
        execution.case_court_ruling_record(
            actor=inspector, case=fresh(party), ruled_on=ruled, source=s,
            ruling=f"朔州市平鲁区人民法院（{ruled.year}）晋0603行审{number}号行政裁定书：准予强制执行",
        )  # fmt: skip
    closing = _workday_from(ruled + datetime.timedelta(days=2))
    yield _at(closing, 15, 30)
    cases.case_close(
        actor=leader, case=fresh(case), source=s,
        note="单位及其主要负责人的处罚决定均已由人民法院裁定准予强制执行，同意结案",
    )  # fmt: skip
    return {"cases": 1}
