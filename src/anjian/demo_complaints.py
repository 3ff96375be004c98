"""The demo's reports (举报, complaints app), played in the dated story (`demo.demo_story_load`).

平鲁区's desk officer (pl_desk) receives what a county really gets in a month or two:
- an anonymous report from a phone: a plant works at night after it was ordered to stop and
  put right its hazards. (Not a coal mine: by default those reports go to the city,
  ANJIAN_COMPLAINT_ROUTING.) Accepted the next working day, handed to the division head
  (pl_head), who sends two inspectors to verify it; the verification is still under way
  today. A second anonymous report of the same thing a few days later is linked to the first,
  not handled twice.
- a hotline call (12350) the desk records for a named caller about blocked escape routes in a
  light-industry workshop; verified and found not to hold, the caller is told why.
- a report received two days ago that still waits for acceptance, so the desk's list has work.
The reward committee member (pl_committee) has nothing to decide yet: rewards follow fines, and
no fine has come of these reports by the story's end.
"""

from __future__ import annotations

import datetime
from typing import Any

NIGHT_WORK = (
    "该企业在被责令停产整改后，仍于夜间组织人员在3号车间生产，"
    "厂区晚上十点后关灯，运输车辆凌晨进出，工人未佩戴防护用品作业。"
)
# The same reporter, or a workmate, writing again a few days later: mostly the same words.
NIGHT_WORK_AGAIN = (
    "该企业被责令停产整改后，仍在夜间组织人员在3号车间生产，"
    "运输车辆凌晨进出，工人未佩戴防护用品作业。昨晚又在生产。"
)
ESCAPE_ROUTES = (
    "来电人反映：该公司二号车间安全出口被成品货架堵住，疏散通道堆放纸箱，"
    "车间内有工人吸烟，担心发生火灾无法逃生。"
)
DUST = "反映该企业打磨车间粉尘很大，除尘设备长期不开，工人没有防尘口罩，车间地面积尘很厚。"


def complaints_story(story: Any) -> Any:
    from django.db.models import Q

    from anjian.accounts.models import User
    from anjian.catalog.models import SupervisionItem
    from anjian.complaints import handling, services
    from anjian.complaints.models import Report, ReportChannel
    from anjian.core.services import AuditSource
    from anjian.demo import _at, _certified_colleague, _named_accounts_ensure
    from anjian.entities.models import Entity

    needed = ("pl_desk", "pl_head", "pl_inspector")
    if Report.objects.exists() or User.objects.filter(username__in=needed).count() < 3:
        return {"reports": 0}
    plant = (
        Entity.objects.filter(
            region_id="140603",
            industry__in=["non_coal_mine", "hazardous_chemicals", "building_materials"],
        )
        .order_by("industry", "-uscc")
        .first()
    )
    workshop = (
        Entity.objects.filter(region_id="140603")
        .filter(Q(industry="light_industry") | Q(industry="metallurgy"))
        .order_by("-uscc")
        .first()
    )
    if plant is None:
        return {"reports": 0}
    # The catalog item that supervises the plant's industry (an empty list means every one).
    items = []
    for item in SupervisionItem.objects.order_by("code"):
        version = item.version_for(story.today)
        if version is not None and (not version.industries or plant.industry in version.industries):
            items.append(item)
            break
    if workshop is None or not items:
        return {"reports": 0}
    s = AuditSource.SYSTEM
    made = 0

    # The anonymous report from a phone, 40 days ago in the evening, and its follow-up.
    first_day = story.ago(40)
    yield _at(first_day, 21, 40)
    report, _code = services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(
            kind="illegal_production",
            body=NIGHT_WORK,
            place="3号车间",
            occurred="近一周每天夜间",
            entity=plant,
        ),
        channel=ReportChannel.WEB,
        source=s,
    )
    made += 1
    accept_day = story.ago(39)
    yield _at(accept_day, 9, 15)
    users = _named_accounts_ensure(*needed)
    desk, head, inspector = users["pl_desk"], users["pl_head"], users["pl_inspector"]
    services.report_accept(actor=desk, report=report, handler=head, source=s)
    yield _at(accept_day, 10, 30)
    colleague = _certified_colleague(inspector, accept_day)
    team = [inspector] + ([colleague] if colleague is not None else [])
    if len(team) == 2:
        handling.report_inspection_start(
            actor=head,
            report=report,
            items=items,
            inspectors=team,
            due_on=story.today + datetime.timedelta(days=5),
            source=s,
        )
    yield _at(accept_day, 10, 45)
    handling.report_reply(
        actor=head,
        report=report,
        text="我局已安排执法人员对该矿进行核查，核查结果将在此告知。",
        source=s,
    )

    # The same thing, again anonymously, five days later: linked to the first on receipt.
    yield _at(story.ago(35), 7, 5)
    services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(
            kind="illegal_production", body=NIGHT_WORK_AGAIN, place="3号车间", entity=plant
        ),
        channel=ReportChannel.WEB,
        source=s,
    )
    made += 1

    # A named hotline call, recorded by the desk; verified, not substantiated, the caller told.
    call_day = story.ago(25)
    yield _at(call_day, 15, 20)
    call, _code = services.report_receive(
        actor=desk,
        values=services.ReportValues(
            kind="hazard",
            body=ESCAPE_ROUTES,
            place="二号车间",
            entity=workshop,
            anonymous=False,
            reporter_name="韩桂兰",
            reporter_phone="13935061234",
            reporter_is_employee=True,
        ),
        channel=ReportChannel.HOTLINE,
        source=s,
    )
    made += 1
    yield _at(story.ago(24), 9, 0)
    services.report_accept(actor=desk, report=call, handler=head, source=s)
    yield _at(story.ago(18), 16, 0)
    handling.report_close(
        actor=head,
        report=call,
        outcome="unsubstantiated",
        result=(
            "经执法人员现场核查，该公司二号车间安全出口和疏散通道畅通，"
            "未发现堵塞情况；已提醒企业加强车间吸烟管理。"
        ),
        source=s,
    )

    # Received two days ago, waiting for the desk.
    yield _at(story.ago(2), 20, 10)
    services.report_receive(
        actor=services.PUBLIC,
        values=services.ReportValues(kind="hazard", body=DUST, entity=workshop),
        channel=ReportChannel.WEB,
        source=s,
    )
    made += 1
    return {"reports": made}
