"""The entity profile as an officer reads it: what the later stages did to the entity (its
inspections, findings, correction orders, cases, draws and publications), each linked to the
record and limited to what the viewer may open; the sections of what is outstanding; licences
marked as expiring within the warning period; and a page whose queries do not grow with the
entity's history."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Bureau
from anjian.cases.models import Case
from anjian.draws.models import Draw, DrawSelection
from anjian.draws.states import DrawStatus
from anjian.entities.models import Licence, LicenceStatus
from anjian.entities.selectors import LICENCE_WARNING_DAYS, licence_state
from anjian.inspections.models import (
    CorrectionOrder,
    Finding,
    InspectionRecord,
    InspectionTask,
)
from anjian.publications.models import Publication

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def _history(entity: Any, author: Any, item: Any, n: int, tag: str) -> dict[str, Any]:
    """`n` inspections of `entity` by `author`'s bureau, each with a hazard and a violation, an
    overdue correction order, a case with its publication, and a draw that drew the entity."""
    bureau: Bureau = author.bureau
    made: dict[str, list[Any]] = {"records": [], "cases": [], "draws": [], "publications": []}
    for i in range(n):
        task = InspectionTask.objects.create(
            bureau=bureau,
            entity=entity,
            item=item,
            source="ad_hoc",
            period_start=TODAY - 40 * DAY,
            due_on=TODAY - 30 * DAY,
        )
        record = InspectionRecord.objects.create(
            task=task,
            entity=entity,
            bureau=bureau,
            region_id=bureau.region_id,
            number=f"{tag}现记〔2026〕{i + 1}号",
            place="调度室",
            present_name="赵六",
            started_at=timezone.now() - datetime.timedelta(days=30 - i),
            created_by=author,
            status="submitted",
        )
        record.item_versions.set(item.versions.all())
        hazard = Finding.objects.create(
            record=record,
            kind="hazard",
            severity="major",
            description=f"{tag}瓦斯监控分站断电{i}",
            fact_date=TODAY - (30 - i) * DAY,
            created_by=author,
        )
        Finding.objects.create(
            record=record,
            kind="violation",
            description=f"{tag}特种作业人员无证上岗{i}",
            fact_date=TODAY - (30 - i) * DAY,
            created_by=author,
        )
        order = CorrectionOrder.objects.create(
            record=record, deadline=TODAY - 5 * DAY, issued_on=TODAY - 20 * DAY, issued_by=author
        )
        order.findings.set([hazard])
        case = Case.objects.create(
            bureau=bureau,
            region_id=bureau.region_id,
            entity=entity,
            number=f"{tag}应急立〔2026〕{i + 1}号",
            title=f"{tag}未按规定培训案{i}",
            source="inspection",
            act_date=TODAY - 30 * DAY,
            opened_on=TODAY - 25 * DAY,
            decided_on=TODAY - 3 * DAY,
            decision_number=f"{tag}应急罚〔2026〕{i + 1}号",
            state="awaiting_decision",
        )
        # Decided the one way the database allows (cases/triggers.py): from awaiting decision.
        Case.objects.filter(pk=case.pk).update(state="decided")
        publication = Publication.objects.create(
            kind="penalty_decision",
            subject_type="cases.case",
            subject_id=str(case.pk),
            bureau=bureau,
            region_id=bureau.region_id,
            decided_on=TODAY - 3 * DAY,
            due_on=TODAY + 5 * DAY,
            period_months=12,
            ends_on=TODAY + 360 * DAY,
            fields={"decision_number": case.decision_number, "party_name": entity.name},
            party_name=entity.name,
            party_uscc=entity.uscc,
        )
        draw = Draw.objects.create(
            bureau=bureau,
            title=f"{tag}双随机抽查{i}",
            status=DrawStatus.DRAWN,
            inspection_from=TODAY - 60 * DAY,
            inspection_until=TODAY + 30 * DAY,
            drawn_at=timezone.now() - datetime.timedelta(days=50),
        )
        DrawSelection.objects.create(draw=draw, entity=entity, stratum="coal_mine", probability=1)
        # The inspection was this draw's, and its result is published (一公开).
        InspectionTask.objects.filter(pk=task.pk).update(
            source="draw", draw=draw, outcome="corrected", published_on=TODAY - 2 * DAY
        )
        made["records"].append(record)
        made["cases"].append(case)
        made["draws"].append(draw)
        made["publications"].append(publication)
    return made


@pytest.fixture
def mine(make_entity: Callable[..., Any]) -> Any:
    return make_entity("140603", name="平鲁区井东煤业有限公司")


def _page(client: Any, entity: Any) -> str:
    response = client.get(reverse("entities:entity_detail", args=[entity.uscc]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_profile_shows_what_was_done_to_the_entity_each_linked(org, login, mine, item) -> None:
    inspector = org["county_inspector"]
    made = _history(mine, inspector, item, 1, "平鲁")
    client = login(inspector)
    html = _page(client, mine)

    record, case, draw = made["records"][0], made["cases"][0], made["draws"][0]
    publication = made["publications"][0]
    for text in [
        "现场检查 平鲁现记〔2026〕1号",
        "对煤矿企业瓦斯防治情况的行政检查",  # what was inspected, by name
        "隐患 1 项",
        "平鲁瓦斯监控分站断电0",
        "重大事故隐患",
        "平鲁特种作业人员无证上岗0",
        f"责令限期整改，整改期限 {(TODAY - 5 * DAY).isoformat()}",
        "逾期",
        "案件 平鲁应急立〔2026〕1号",
        "作出行政处罚决定 平鲁应急罚〔2026〕1号",
        "行政处罚决定公示 平鲁应急罚〔2026〕1号",
        "被“平鲁双随机抽查0”抽中",
        "随机抽查结果已公示：发现问题，已责令整改",
    ]:
        assert text in html, text
    for url in [
        reverse("inspections:record_detail", args=[record.pk]),
        reverse("inspections:order_detail", args=[record.correction_orders.get().pk]),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("draws:draw_detail", args=[draw.pk]),
        reverse("publications:publication_detail", args=[publication.pk]),
    ]:
        assert f'href="{url}' in html, url
    # Every entry's link opens for the officer who was offered it.
    timeline = html.split('aj-timeline"', 1)[1].split("</ul>", 1)[0]
    links = set(re.findall(r'href="([^"#]+)', timeline))
    assert len(links) >= 5
    for url in links:
        assert client.get(url).status_code == 200, url


def test_the_sections_show_what_is_outstanding(org, login, mine, item) -> None:
    inspector = org["county_inspector"]
    made = _history(mine, inspector, item, 1, "平鲁")
    html = _page(login(inspector), mine)
    sections = {
        key: html.split(f'id="section-{key}"', 1)[1].split("</ul>", 1)[0]
        for key in ("inspections", "rectifications", "cases")
    }
    assert "最近检查" in html and "未整改隐患" in html
    assert "平鲁现记〔2026〕1号" in sections["inspections"]
    assert "逾期" in sections["rectifications"]
    assert "平鲁应急立〔2026〕1号" in sections["cases"]

    # Rectified, the order leaves the section (and stays in the timeline).
    CorrectionOrder.objects.filter(record=made["records"][0]).update(
        status="rectified", rectified_on=TODAY
    )
    html = _page(login(inspector), mine)
    section = html.split('id="section-rectifications"', 1)[1].split("</ul>", 1)[0]
    assert "暂无未整改的隐患" in section
    assert f"已于 {TODAY.isoformat()} 整改完毕" in html


def test_an_empty_history_reads_as_such(org, login, mine) -> None:
    html = _page(login(org["county_inspector"]), mine)
    assert "暂无检查记录。" in html
    assert "暂无未整改的隐患。" in html
    assert "暂无涉及该单位的案件。" in html


def test_records_the_viewer_may_not_open_are_not_listed(org, login, mine, item) -> None:
    """The city bureau inspected a county's mine: the county inspector sees the mine but not the
    city's record, case, draw or publication; the city's division head sees them all."""
    _history(mine, org["city_head"], item, 1, "朔州")
    county_html = _page(login(org["county_inspector"]), mine)
    for text in ["朔州现记", "朔州瓦斯监控", "朔州应急立", "朔州应急罚", "朔州双随机抽查"]:
        assert text not in county_html, text
    assert "随机抽查结果已公示" not in county_html
    city_html = _page(login(org["city_head"]), mine)
    for text in ["朔州现记", "朔州瓦斯监控", "朔州应急立", "朔州应急罚", "朔州双随机抽查"]:
        assert text in city_html, text


def test_the_page_reads_a_long_history_in_as_many_queries_as_a_short_one(
    org, login, mine, item, make_entity
) -> None:
    inspector = org["county_inspector"]
    other = make_entity("140603")
    _history(mine, inspector, item, 1, "甲")
    _history(other, inspector, item, 4, "乙")
    client = login(inspector)
    _page(client, mine)  # warm the caches (regions, sessions) once

    def queries(entity: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            html = _page(client, entity)
        assert "现场检查" in html
        return len(ctx.captured_queries)

    assert queries(mine) == queries(other)


@pytest.mark.parametrize(
    ("days_left", "label", "tone"),
    [
        (-1, "已过期", "danger"),
        (0, "即将到期", "warning"),
        (LICENCE_WARNING_DAYS, "即将到期", "warning"),
        (LICENCE_WARNING_DAYS + 1, "有效", "success"),
    ],
)
def test_a_licence_is_valid_expiring_or_expired_by_the_warning_period(
    days_left: int, label: str, tone: str
) -> None:
    licence = Licence(valid_until=TODAY + days_left * DAY, status=LicenceStatus.VALID)
    state = licence_state(licence, today=TODAY)
    assert (str(state.label), state.tone) == (label, tone)
    assert state.days_left == (days_left if tone == "warning" else None)


def test_a_suspended_licence_reads_as_suspended_whatever_its_date() -> None:
    licence = Licence(valid_until=TODAY + 5 * DAY, status=LicenceStatus.SUSPENDED)
    assert licence_state(licence, today=TODAY).tone == "secondary"


def test_the_profile_marks_expiring_licences_with_the_days_left(org, login, mine) -> None:
    for number, days in [("A-1", 12), ("A-2", -3), ("A-3", 400)]:
        Licence.objects.create(
            entity=mine,
            licence_type="safety_production",
            number=number,
            valid_until=TODAY + days * DAY,
        )
    html = _page(login(org["county_inspector"]), mine)
    rows = {n: next(r for r in html.split("<tr>") if n in r) for n in ("A-1", "A-2", "A-3")}
    assert "即将到期" in rows["A-1"] and "剩 12 天" in rows["A-1"]
    assert "已过期" in rows["A-2"] and "即将到期" not in rows["A-2"]
    assert "有效" in rows["A-3"] and "剩" not in rows["A-3"]
    # The expiring-licences page uses the same warning period by default.
    expiring = login(org["county_inspector"]).get(reverse("entities:licence_expiring"))
    assert f'value="{LICENCE_WARNING_DAYS}"' in expiring.content.decode()


def test_the_timeline_dates_are_the_day_in_china_not_in_utc(org, login, make_entity) -> None:
    # 17:30 UTC is 01:30 the next morning in Beijing: an entity registered then, and changed
    # then, was registered and changed on the 6th, the day the officer's calendar shows.
    from anjian.core import clock
    from anjian.core.services import audit_record

    with clock.story_time(datetime.datetime(2026, 3, 5, 17, 30, tzinfo=datetime.UTC)):
        entity = make_entity(name="山西平鲁夜班煤业有限公司")
        audit_record(
            actor=org["county_inspector"],
            action="entities.entity.updated",
            object_type="entities.entity",
            object_id=str(entity.pk),
            region=entity.region_id,
            changes={"address": ["平鲁区旧址", "平鲁区新址"]},
        )
        body = login(org["county_inspector"]).get(f"/api/entities/{entity.uscc}").json()
    registry = [e for e in body["timeline"] if e["kind"] == "registry"]
    assert len(registry) == 2  # registered, and the change
    assert {e["when"] for e in registry} == {"2026-03-06"}
    # The enterprise accounts entry is dated today, the 6th: nothing is dated later.
    assert max(e["when"] for e in body["timeline"]) == "2026-03-06"
