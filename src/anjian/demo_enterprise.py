"""The demo's enterprise side (issue 21), played in the dated story (`demo.demo_story_load`).

A 平鲁区 coal mine that no other scenario touches gets its account the way a real one would:
pl_inspector issues an invitation, its principal activates it as `pl_enterprise` and agrees to
electronic service. Over the following weeks the mine:
- checks itself against the gas checklist and finds two hazards, one rectified since, one open;
- is inspected (an ad hoc inspection): one order rectified with the mine's own report and
  photos, accepted on re-inspection; a second order with a longer deadline still open;
- is fined for untrained workers: notified, decided, and served electronically when its
  principal confirms receipt of the decision in the account;
- reports an accident (一般, one seriously injured) 35 minutes after it happened; pl_inspector
  forwards it to the city within the hour, where sz_head reads it and the chain ends (art. 10:
  a 一般 accident goes up to the city); a supplement adds the loss;
- files last year's annual safety report.
朔州市's coal-industry association (`sz_association`) has two member mines and a convention.

The inboxes fill from the audit events (notifications app) when the story commits.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from anjian.demo import DemoLogin

DEMO_ASSOCIATION_LOGIN = DemoLogin(
    "sz_association", "朔州市煤炭工业协会（行业协会账户：会员单位公开信息、自律公约）"
)
ASSOCIATION_CODE = "51140600MJY384215R"  # a social organisation's code (GB 32100 check digit)

CONVENTION = (
    "一、会员单位严格落实安全生产主体责任，主要负责人每月带班下井不少于规定次数；\n"
    "二、如实记录和报告事故隐患，不瞒报、谎报、迟报生产安全事故；\n"
    "三、每季度开展一次自查并在平台公开自查结果，接受行业和社会监督；\n"
    "四、会员单位之间不互相挖用未经培训合格的特种作业人员。"
)


def _photo(colour: tuple[int, int, int], name: str) -> Any:
    """A small real JPEG, as a phone would upload it (Pillow, which the seals already use)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 60, 280, 200), fill=(215, 215, 205))
    draw.line((40, 130, 280, 130), fill=(90, 90, 90), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _mine(story: Any, exclude: list[int]) -> Any:
    """A 平鲁区 coal mine in business with no task, record or case yet, from the end of the
    register (the other scenarios take theirs from its start)."""
    from anjian.cases.models import Case
    from anjian.entities.models import Entity
    from anjian.inspections.models import InspectionTask

    mines = (
        Entity.objects.filter(region_id="140603", industry="coal_mine", business_status="operating")
        .exclude(new_business_form=True)
        .exclude(address="")
        .exclude(pk__in=exclude)
        .exclude(pk__in=Case.objects.values("entity_id"))
        .order_by("-pk")
    )
    mine = mines.exclude(pk__in=InspectionTask.objects.values("entity_id")).first()
    if mine is None:
        # Every mine in business has a plan task: take one whose tasks nobody has started, and
        # keep the other scenarios off them.
        mine = mines.exclude(
            pk__in=InspectionTask.objects.filter(record__isnull=False).values("entity_id")
        ).first()
        if mine is not None:
            story.reserved.update(
                InspectionTask.objects.filter(entity=mine).values_list("pk", flat=True)
            )
    return mine


def enterprise_story(story: Any) -> Any:
    from anjian.accidents import services as accidents
    from anjian.accounts.models import User
    from anjian.annualreports import services as annual
    from anjian.cases import services as cases
    from anjian.cases.models import CaseSource
    from anjian.cases.services import ProposalValues
    from anjian.catalog.models import DiscretionBenchmark, SupervisionItem
    from anjian.core.services import AuditSource
    from anjian.core.workdays import workdays_after
    from anjian.demo import (
        DEMO_ENTERPRISE_LOGIN,
        DEMO_PASSWORD,
        _at,
        _certified_colleague,
        _document_details,
        _named_accounts_ensure,
    )
    from anjian.draws.models import InspectorConflict
    from anjian.enterprise import services as ent
    from anjian.enterprise.models import EnterpriseMember
    from anjian.inspections import services as insp

    needed = ("pl_inspector", "pl_head", "pl_leader", "sz_head")
    if (
        EnterpriseMember.objects.exists()
        or User.objects.filter(username__in=needed).count() < len(needed)
        or not DiscretionBenchmark.objects.filter(code="AQF-97-3").exists()
        or not SupervisionItem.objects.filter(code="14000000100001").exists()
    ):
        return {"enterprise": 0}
    s = AuditSource.SYSTEM
    ago = story.ago

    # The invitation, its activation, and the agreement to electronic service.
    yield _at(ago(56), 9, 40)
    users = _named_accounts_ensure(*needed)
    inspector, head, leader = users["pl_inspector"], users["pl_head"], users["pl_leader"]
    conflicted = list(
        InspectorConflict.objects.filter(inspector=inspector).values_list("entity_id", flat=True)
    )
    mine = _mine(story, conflicted)
    colleague = _certified_colleague(inspector, ago(90))
    if mine is None or colleague is None:
        return {"enterprise": 0}
    team = [inspector, colleague]
    bureau = inspector.bureau
    assert bureau is not None  # a named account of 平鲁区's bureau
    _invitation, code = ent.invitation_issue(
        actor=inspector, entity=mine, position="principal", source=s
    )
    yield _at(ago(56), 15, 20)
    member = ent.invitation_activate(
        values=ent.ActivationValues(
            uscc=mine.uscc,
            code=code,
            username=DEMO_ENTERPRISE_LOGIN.username,
            password=DEMO_PASSWORD,
            phone="13903490000",
            full_name="张矿长",
        ),
        client="demo",
        source=s,
    )
    principal = member.user
    yield _at(ago(55), 10, 5)
    ent.service_agreement_record(actor=principal, entity=mine, scope="all", source=s)

    # The mine's own check against the gas checklist: two hazards.
    item = SupervisionItem.objects.get(code="14000000100001")
    version = next((v for v in ent.checklists_for(mine) if v.item_id == item.pk), None)
    yield _at(ago(52), 16, 30)
    if version is not None:
        points = list(version.check_points.order_by("order"))
        answers = {
            p.pk: ("non_compliant", "分站供电不稳") if n == 0 else ("compliant", "")
            for n, p in enumerate(points)
        }
        if len(points) > 1:
            answers[points[1].pk] = ("non_compliant", "巷道风速记录缺两班")
        hazards = [
            {
                "description": "井下2号瓦斯监控分站备用电源续航不足2小时",
                "measures": "更换分站备用电池，每周测试一次",
                "deadline": workdays_after(ago(52), 5),
                "done": False,
            },
            {
                "description": "15102工作面回风巷测风记录缺两班",
                "measures": "补测并落实测风员交接班签字",
                "deadline": workdays_after(story.today, 10),
                "done": False,
            },
        ]
        inspection = ent.self_inspection_record(
            actor=principal,
            entity=mine,
            item_version=version,
            answers=answers,
            hazards=hazards if len(points) > 1 else hazards[:1],
            photos={0: [_photo((60, 90, 120), "2号分站.jpg")]},
            source=s,
        )
        yield _at(ago(47), 11, 0)
        first = inspection.hazards.order_by("pk").first()
        ent.self_hazard_done(actor=principal, hazard=first, source=s)

    # An ad hoc inspection: a hazard, a second one needing longer, and a violation.
    on_site = ago(44)
    yield _at(workday_on_or_before_prev(on_site), 16, 0)
    tasks = insp.task_create_ad_hoc(
        actor=head,
        bureau=bureau,
        entity=mine,
        items=[item],
        inspectors=team,
        due_on=workdays_after(on_site, 5),
        reason="企业自查发现瓦斯监控问题，安排现场核查",
        over_limit_reason="企业自查报告瓦斯监控分站问题，涉及重大灾害风险，需现场核实",
        source=s,
    )
    yield _at(on_site, 9, 20)
    record = insp.record_start(
        actor=inspector,
        task=tasks[0],
        place=f"{mine.name}调度室及井下15102工作面",
        present_name="张矿长",
        present_post="矿长（主要负责人）",
        source=s,
    )
    yield _at(on_site, 10, 50)
    found = []
    for n, point in enumerate(insp.record_check_points(record)):
        value = "hazard" if n in (0, 1) else "compliant"
        insp.record_answer(
            actor=inspector, record=record, check_point=point, answer=value, source=s
        )
        if value == "hazard":
            found.append(
                insp.finding_add(
                    actor=inspector,
                    record=record,
                    kind="hazard",
                    check_point=point,
                    description=(
                        "井下2号瓦斯监控分站传感器超期未标校"
                        if n == 0
                        else "15102工作面回风巷局部通风机未实现“双风机、双电源”自动切换"
                    ),
                    severity="general",
                    source=s,
                )
            )
    # The benchmark in force on the day (a revised one may have been loaded beside it).
    bm = (
        DiscretionBenchmark.objects.filter(code="AQF-97-3")
        .exclude(effective_from__gt=on_site)
        .order_by("-effective_from")
        .first()
    )
    assert bm is not None  # checked at the start
    violation = insp.finding_add(
        actor=inspector,
        record=record,
        kind="violation",
        description="新招录的井下作业人员刘强、赵小军未经安全生产教育和培训即上岗作业",
        legal_basis=bm.legal_provision,
        benchmark=bm,
        source=s,
    )
    yield _at(on_site, 11, 40)
    insp.record_submit(
        actor=inspector, record=record, summary="发现一般事故隐患两项、违法行为一项。", source=s
    )
    orders = []
    if found:
        yield _at(on_site, 11, 55)
        orders.append(
            insp.correction_order_issue(
                actor=inspector,
                record=record,
                findings=found[:1],
                issued_on=on_site,
                deadline=insp.deadline_suggest(on_site),
                source=s,
            )
        )
        if len(found) > 1:
            # Switching gear underground takes a supplier: a deadline past today.
            orders.append(
                insp.correction_order_issue(
                    actor=inspector,
                    record=record,
                    findings=found[1:],
                    issued_on=on_site,
                    deadline=workdays_after(story.today, 8),
                    source=s,
                )
            )
    # The case for the untrained workers: notified, decided, served electronically.
    facts = (
        f"{on_site.year}年{on_site.month}月{on_site.day}日，我局执法人员在当事人井下检查时发现，"
        "当事人新招录的井下作业人员刘强、赵小军未经安全生产教育和培训即上岗作业，"
        "未经培训合格上岗人数占应培训人数的15%。以上事实有现场检查记录、询问笔录、"
        "员工花名册、安全培训档案等证据证实。"
    )
    yield _at(ago(43), 9, 30)
    case = cases.case_open(
        actor=inspector,
        bureau=bureau,
        entity=mine,
        handlers=team,
        findings=[violation],
        title=f"{mine.name}未按规定对从业人员进行安全生产教育和培训案",
        source_kind=CaseSource.INSPECTION,
        facts=facts,
        act_date=on_site,
        source=s,
    )
    yield _at(ago(43), 15, 30)
    cases.case_filing_decide(
        actor=leader, case=_reload(case), approve=True, note="同意立案", source=s
    )
    yield _at(ago(40), 10, 0)
    cases.case_proposal_set(
        actor=inspector,
        case=_reload(case),
        source=s,
        values=ProposalValues(
            measures=["correction_order", "fine"],
            facts=facts,
            act_date=on_site,
            provisions=bm.legal_provision,
            benchmark_code=bm.code,
            fine_amount=40_000,
            discretion_facts={"answers": {"untrained_share": 15}},
        ),
    )
    yield _at(ago(40), 15, 0)
    cases.case_notify(
        actor=inspector,
        case=_reload(case),
        notified_on=ago(40),
        source=s,
        document={
            **_document_details(bureau, "bureau_address", "contact_phone"),
            "contact_person": inspector.full_name,
        },
    )
    # The mine reports the rectification with photos; the inspectors accept it on site.
    if orders:
        yield _at(workdays_after(on_site, 4), 17, 10)
        ent.rectification_submit(
            actor=principal,
            order=orders[0],
            text="已委托有资质单位对2号分站全部传感器重新标校，标校记录存档；"
            "建立传感器标校台账，专人负责到期提醒。",
            photos=[_photo((70, 110, 150), "标校现场.jpg"), _photo((120, 150, 90), "标校台账.jpg")],
            source=s,
        )
        checked = workdays_after(on_site, 6)
        yield _at(checked, 14, 40)
        insp.reinspection_record(
            actor=inspector,
            order=orders[0],
            on=checked,
            inspectors=team,
            result="passed",
            opinion="经复查，传感器已标校并有记录，隐患已消除，整改到位。",
            source=s,
        )

    yield _at(ago(35), 10, 30)
    cases.case_defence_close(
        actor=inspector,
        case=_reload(case),
        source=s,
        statement="当事人未提出陈述、申辩，未要求听证。",
    )
    yield _at(ago(33), 16, 0)
    cases.case_decide(
        actor=leader,
        case=_reload(case),
        decided_on=ago(33),
        source=s,
        document=_document_details(bureau, "payment_place", "reconsideration_organ", "court"),
    )
    yield _at(ago(32), 8, 50)
    decision = _decision_of(case)
    if decision is not None:
        ent.receipt_confirm(actor=principal, document=decision, source=s)

    # The accident: reported 35 minutes after it happened, forwarded up to the city, where a
    # 一般 accident's chain ends.
    day = ago(20)
    yield _at(day, 14, 40)
    report = accidents.report_file(
        actor=principal,
        entity=mine,
        audit_source=s,
        values=accidents.ReportValues(
            occurred_at=_at(day, 14, 5),
            place="15102工作面运输顺槽",
            accident_type="workplace",
            dead=0,
            injured=1,
            missing=0,
            cause="运输顺槽带式输送机机尾清理浮煤时未停机闭锁，一名作业人员右臂被卷入",
            measures="立即停机闭锁，现场止血包扎后升井送朔州市人民医院救治，封闭现场",
            reporter_name="张矿长",
            reporter_phone="13903490000",
        ),
    )
    yield _at(day, 15, 10)
    accidents.report_opened(actor=inspector, report=report)
    yield _at(day, 15, 35)
    accidents.report_forward(actor=inspector, report=report, source=s)
    yield _at(day, 16, 20)
    city = users["sz_head"]
    accidents.report_opened(actor=city, report=report)
    yield _at(ago(17), 10, 0)
    accidents.supplement_add(
        actor=principal,
        report=report,
        source=s,
        values=accidents.SupplementValues(
            dead=0,
            injured=1,
            missing=0,
            direct_loss=186_000,
            note="伤者右臂骨折，已脱离危险；直接经济损失初步核定为18.6万元。",
        ),
    )

    # Last year's annual safety report.
    yield _at(ago(10), 11, 30)
    annual.report_file(
        actor=principal,
        entity=mine,
        year=story.today.year - 1,
        source=s,
        values={
            "employees": 486,
            "safety_managers": 21,
            "training_hours": 7200,
            "investment": 5_800_000,
            "hazards_found": 143,
            "hazards_rectified": 141,
            "accidents": 0,
            "accident_deaths": 0,
            "underground_workers": 352,
            "gas_drills": 24,
        },
    )

    # 朔州市's coal-industry association, with two member mines and a convention.
    yield _at(ago(8), 10, 0)
    associations = _association_story(users["sz_head"], mine, DEMO_PASSWORD, s)
    return {"enterprise": 1, "associations": associations}


def workday_on_or_before_prev(day: datetime.date) -> datetime.date:
    """The working day before `day` (the task is assigned the afternoon before)."""
    from anjian.core.workdays import workday_on_or_before

    return workday_on_or_before(day - datetime.timedelta(days=1))


def _reload(case: Any) -> Any:
    from anjian.cases.models import Case

    return Case.objects.get(pk=case.pk)


def _decision_of(case: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from anjian.cases.models import Case
    from anjian.documents.models import OfficialDocument

    return OfficialDocument.objects.filter(
        kind="penalty_decision",
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=str(case.pk),
    ).first()


def _association_story(officer: Any, mine: Any, password: str, source: str) -> int:
    from anjian.accounts import services as account_services
    from anjian.accounts.roles import Role
    from anjian.associations import services as assoc
    from anjian.associations.models import Association
    from anjian.core.services import SYSTEM_ACTOR
    from anjian.entities.models import Entity

    if Association.objects.filter(code=ASSOCIATION_CODE).exists():
        return 0
    association = assoc.association_create(
        actor=officer, name="朔州市煤炭工业协会", code=ASSOCIATION_CODE
    )
    other = (
        Entity.objects.filter(
            region__code__startswith="1406", industry="coal_mine", business_status="operating"
        )
        .exclude(pk=mine.pk)
        .exclude(address="")
        .order_by("pk")
        .first()
    )
    for member in [mine, other]:
        if member is not None:
            assoc.member_add(actor=officer, association=association, uscc=member.uscc)
    account_services.user_create(
        actor=SYSTEM_ACTOR,
        username=DEMO_ASSOCIATION_LOGIN.username,
        password=password,
        full_name="协会秘书处",
        roles=[Role.ASSOCIATION],
        source=source,
    )
    assoc.account_bind(
        actor=SYSTEM_ACTOR, association=association, username=DEMO_ASSOCIATION_LOGIN.username
    )
    assoc.convention_publish(
        actor=_association_user(),
        title="朔州市煤矿企业安全生产自律公约",
        body=CONVENTION,
    )
    return 1


def _association_user() -> Any:
    from anjian.accounts.models import User

    return User.objects.get(username=DEMO_ASSOCIATION_LOGIN.username)


def demo_association_login() -> DemoLogin | None:
    """The association's login, once the story made it."""
    from anjian.accounts.models import User

    if User.objects.filter(username=DEMO_ASSOCIATION_LOGIN.username).exists():
        return DEMO_ASSOCIATION_LOGIN
    return None
