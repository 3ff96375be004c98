"""The entity profile (page and API) with history in every app that adds to its timeline: its
queries do not grow with the history (one per provider at most, whatever the number of
records), and what it shows of a rich entity is what it showed before the providers were cut
to one query each (issue 24: the profile had grown to 28 queries and a scan of every
publication)."""

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

from anjian.catalog.models import Standard, StandardDeclaration
from anjian.core.services import SYSTEM_ACTOR, AuditSource, audit_record
from anjian.credit.models import CreditRecord, EntityCredit
from anjian.enterprise.models import EnterpriseMember, SelfHazard, SelfInspection
from anjian.entities import timeline
from anjian.entities.models import Filing, Licence
from anjian.inspections.models import Finding
from tests.entities.test_profile import _history

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

pytestmark = pytest.mark.django_db


def _everything(
    entity: Any, author: Any, item: Any, make_user: Callable[..., Any], n: int, tag: str
) -> dict[str, Any]:
    """`n` records of every kind the profile shows: the inspections, findings, orders, cases,
    publications and draws of `_history`, and licences, filings, declared standards, registry
    changes, enterprise accounts, self-inspections with hazards, credit records and a grade."""
    made = _history(entity, author, item, n, tag)
    version = item.versions.get()
    for i in range(n):
        Licence.objects.create(
            entity=entity,
            licence_type="safety_production",
            number=f"{tag}安许{i}",
            valid_from=TODAY - (400 + i) * DAY,
            valid_until=TODAY + (300 + i) * DAY,
        )
        Filing.objects.create(
            entity=entity,
            activity="emergency_plan",
            number=f"{tag}预案备{i}",
            filed_on=TODAY - (200 + i) * DAY,
        )
        standard = Standard.objects.create(
            code=f"Q/{tag}-{i}", title=f"{tag}企业标准{i}", kind="enterprise"
        )
        StandardDeclaration.objects.create(
            standard=standard, entity=entity, declared_on=TODAY - (150 + i) * DAY
        )
        audit_record(
            actor=SYSTEM_ACTOR,
            action="entities.entity.updated",
            obj=entity,
            region=entity.region_id,
            changes={"address": ["", f"{tag}路{i}号"], "import_batch": 1},
            source=AuditSource.SYSTEM,
        )
        member = make_user(None, [], username=f"{tag}-member-{i}", full_name=f"{tag}安全员{i}")
        EnterpriseMember.objects.create(
            user=member, entity=entity, position="safety_manager", active=i % 2 == 0
        )
        inspection = SelfInspection.objects.create(
            entity=entity,
            item_version=version,
            inspected_on=TODAY - (10 + i) * DAY,
            created_by=member,
            status="submitted",
        )
        for done in (None, TODAY):
            SelfHazard.objects.create(
                inspection=inspection,
                description=f"{tag}自查隐患{i}",
                measures="整改",
                deadline=TODAY + 10 * DAY,
                done_on=done,
            )
        record, case = made["records"][i], made["cases"][i]
        # A second finding on the order: the entry reads "and 1 more finding".
        order = record.correction_orders.get()
        order.findings.add(
            Finding.objects.create(
                record=record,
                kind="hazard",
                severity="general",
                description=f"{tag}安全出口堵塞{i}",
                fact_date=TODAY - (30 - i) * DAY,
                created_by=author,
            )
        )
        for title, source_type, source_id, facts, status, until in [
            (f"{tag}行政处罚{i}", "cases.case", str(case.pk), {}, "active", 700),
            (
                f"{tag}重大隐患{i}",
                "inspections.finding",
                tag + str(i),
                {"record": record.pk},
                "active",
                -1,
            ),
            (f"{tag}手工记录{i}", "", "", {}, "proposed", 700),
        ]:
            CreditRecord.objects.create(
                entity=entity,
                region_id=entity.region_id,
                kind="penalty",
                title=title,
                occurred_on=TODAY - (40 + i) * DAY,
                weight=-10,
                counts_until=TODAY + until * DAY,
                status=status,
                source_type=source_type,
                source_id=source_id,
                facts=facts,
            )
    EntityCredit.objects.create(
        entity=entity,
        region_id=entity.region_id,
        score=82,
        computed_grade="B",
        grade="B",
        records_counted=3 * n,
        computed_at=timezone.now(),
        computed_on=TODAY - DAY,
    )
    return made


def _queries(client: Any, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("viewer", ["county_inspector", "city_head"])
def test_the_profile_reads_ten_records_of_each_kind_in_as_many_queries_as_one(
    org, login, item, make_entity, make_user, viewer
) -> None:
    author = org["county_inspector"]
    one, ten = make_entity("140603"), make_entity("140603")
    _everything(one, author, item, make_user, 1, "甲")
    _everything(ten, author, item, make_user, 10, "乙")
    client = login(org[viewer])
    client.get(reverse("entities:entity_detail", args=[one.uscc]))  # warm the caches once
    for url_of in (
        lambda e: reverse("entities:entity_detail", args=[e.uscc]),
        lambda e: f"/api/entities/{e.uscc}",
    ):
        short, long = _queries(client, url_of(one)), _queries(client, url_of(ten))
        assert len(short) == len(long), "\n".join(long)
    body = client.get(f"/api/entities/{ten.uscc}").json()
    kinds = {entry["kind"] for entry in body["timeline"]}
    assert kinds >= {
        "registry",
        "licence",
        "filing",
        "standard",
        "inspection",
        "finding",
        "rectification",
        "case",
        "decision",
        "publication",
        "draw",
        "credit",
        "enterprise",
    }, kinds


def test_the_timeline_costs_at_most_one_query_per_provider(
    org, item, make_entity, make_user
) -> None:
    from anjian.entities.selectors import entity_profile_get

    viewer = org["county_inspector"]
    entity = make_entity("140603")
    _everything(entity, viewer, item, make_user, 3, "丙")
    viewer.role_codes  # noqa: B018  (the roles, read once per request anyway)
    viewer.scope_region_code  # noqa: B018
    entity = entity_profile_get(user=viewer, uscc=entity.uscc)
    with CaptureQueriesContext(connection) as ctx:
        entries, _sections = timeline.entity_profile(user=viewer, entity=entity)
    assert len(entries) > 30
    # Licences, filings and standards were prefetched with the entity: their providers read
    # no table; every other provider reads one query.
    assert len(ctx.captured_queries) <= len(timeline._providers) - 3, "\n".join(
        q["sql"] for q in ctx.captured_queries
    )


def _relative(text: str) -> str:
    """A date in the text as its distance from today (D+700, D-5): the expected texts do not
    depend on the day the test runs."""
    return re.sub(
        r"\d{4}-\d{2}-\d{2}",
        lambda m: f"D{(datetime.date.fromisoformat(m.group()) - TODAY).days:+d}",
        text,
    )


def _entry(entry: dict[str, Any]) -> tuple[int, str, str, str, str]:
    return (
        (datetime.date.fromisoformat(entry["when"]) - TODAY).days,
        entry["kind"],
        entry["label"],
        _relative(entry["title"]),
        _relative(entry["detail"]),
    )


# What the API's timeline showed for `_everything(..., 2, "丁")` before the providers were cut
# to one query each (taken from the code of 2026-12-07, 3c68a67): day relative to today, kind,
# label, title, detail, dates in the texts as days from today.
EXPECTED_TIMELINE: list[tuple[int, str, str, str, str]] = [
    (0, "registry", "登记", "在平台登记", ""),
    (0, "registry", "登记", "登记信息变更", "注册地址"),
    (0, "registry", "登记", "登记信息变更", "注册地址"),
    (0, "enterprise", "企业", "企业账户与开通邀请", ""),
    (0, "enterprise", "企业", "企业账户 丁安全员1（安全管理人员）", "已停用"),
    (0, "enterprise", "企业", "企业账户 丁安全员0（安全管理人员）", ""),
    (-1, "credit", "信用", "信用等级B级（82分）：查看计算依据", ""),
    (-2, "publication", "公示", "随机抽查结果已公示：发现问题，已责令整改", "丁双随机抽查1"),
    (-2, "publication", "公示", "随机抽查结果已公示：发现问题，已责令整改", "丁双随机抽查0"),
    (-3, "decision", "案件", "作出行政处罚决定 丁应急罚〔2026〕2号", "丁未按规定培训案1"),
    (-3, "decision", "案件", "作出行政处罚决定 丁应急罚〔2026〕1号", "丁未按规定培训案0"),
    (-3, "publication", "公示", "行政处罚决定公示 丁应急罚〔2026〕2号", "待公示"),
    (-3, "publication", "公示", "行政处罚决定公示 丁应急罚〔2026〕1号", "待公示"),
    (
        -10,
        "enterprise",
        "自查",
        "企业自查：对煤矿企业瓦斯防治情况的行政检查",
        "发现隐患 2 项，1 项尚未整改",
    ),
    (
        -11,
        "enterprise",
        "自查",
        "企业自查：对煤矿企业瓦斯防治情况的行政检查",
        "发现隐患 2 项，1 项尚未整改",
    ),
    (
        -20,
        "rectification",
        "整改",
        "责令限期整改，整改期限 D-5",
        "丁瓦斯监控分站断电1；另有 1 项问题，丁现记〔2026〕2号，整改中",
    ),
    (
        -20,
        "rectification",
        "整改",
        "责令限期整改，整改期限 D-5",
        "丁瓦斯监控分站断电0；另有 1 项问题，丁现记〔2026〕1号，整改中",
    ),
    (-25, "case", "案件", "案件 丁应急立〔2026〕2号", "丁未按规定培训案1，已作出决定"),
    (-25, "case", "案件", "案件 丁应急立〔2026〕1号", "丁未按规定培训案0，已作出决定"),
    (
        -29,
        "inspection",
        "检查",
        "现场检查 丁现记〔2026〕2号",
        "对煤矿企业瓦斯防治情况的行政检查，隐患 2 项，违法行为 1 项",
    ),
    (-29, "finding", "隐患", "丁安全出口堵塞1", "丁现记〔2026〕2号"),
    (-29, "finding", "违法行为", "丁特种作业人员无证上岗1", "丁现记〔2026〕2号"),
    (-29, "finding", "隐患", "丁瓦斯监控分站断电1", "丁现记〔2026〕2号"),
    (
        -30,
        "inspection",
        "检查",
        "现场检查 丁现记〔2026〕1号",
        "对煤矿企业瓦斯防治情况的行政检查，隐患 2 项，违法行为 1 项",
    ),
    (-30, "finding", "隐患", "丁安全出口堵塞0", "丁现记〔2026〕1号"),
    (-30, "finding", "违法行为", "丁特种作业人员无证上岗0", "丁现记〔2026〕1号"),
    (-30, "finding", "隐患", "丁瓦斯监控分站断电0", "丁现记〔2026〕1号"),
    (-40, "credit", "信用", "丁手工记录0", "-10分，待审批"),
    (-40, "credit", "信用", "丁重大隐患0", "-10分，已不计分"),
    (-40, "credit", "信用", "丁行政处罚0", "-10分，计分至D+700"),
    (-41, "credit", "信用", "丁手工记录1", "-10分，待审批"),
    (-41, "credit", "信用", "丁重大隐患1", "-10分，已不计分"),
    (-41, "credit", "信用", "丁行政处罚1", "-10分，计分至D+700"),
    (-50, "draw", "抽查", "被“丁双随机抽查1”抽中", "检查期间 D-60 至 D+30"),
    (-50, "draw", "抽查", "被“丁双随机抽查0”抽中", "检查期间 D-60 至 D+30"),
    (-150, "standard", "标准", "标准自我声明：Q/丁-0", "丁企业标准0"),
    (-151, "standard", "标准", "标准自我声明：Q/丁-1", "丁企业标准1"),
    (-200, "filing", "备案", "备案：应急预案备案", "丁预案备0"),
    (-201, "filing", "备案", "备案：应急预案备案", "丁预案备1"),
    (-400, "licence", "许可", "取得许可：安全生产许可证", "丁安许0"),
    (-401, "licence", "许可", "取得许可：安全生产许可证", "丁安许1"),
]


def test_a_rich_profile_reads_as_before(org, login, item, make_entity, make_user) -> None:
    inspector = org["county_inspector"]
    entity = make_entity("140603")
    made = _everything(entity, inspector, item, make_user, 2, "丁")
    client = login(inspector)
    body = client.get(f"/api/entities/{entity.uscc}").json()
    got = [_entry(e) for e in body["timeline"]]
    assert got == EXPECTED_TIMELINE
    # Each entry links where it did: the record, the order, the case, the draw, the
    # publication, the credit page or the record a credit record came from.
    urls = {e["url"] for e in body["timeline"]}
    for record in made["records"]:
        assert reverse("inspections:record_detail", args=[record.pk]) in urls
        order = record.correction_orders.get()
        assert reverse("inspections:order_detail", args=[order.pk]) in urls
    for case in made["cases"]:
        assert reverse("cases:case_detail", args=[case.pk]) in urls
    for draw in made["draws"]:
        assert reverse("draws:draw_detail", args=[draw.pk]) in urls
    for publication in made["publications"]:
        assert reverse("publications:publication_detail", args=[publication.pk]) in urls
    assert reverse("credit:entity_credit", args=[entity.uscc]) in urls
    assert [(lic["number"], lic["valid_until"]) for lic in body["licences"]] == [
        ("丁安许0", (TODAY + 300 * DAY).isoformat()),
        ("丁安许1", (TODAY + 301 * DAY).isoformat()),
    ]
    assert [f["number"] for f in body["filings"]] == ["丁预案备0", "丁预案备1"]
    assert body["missing_filings"] == []

    # The page: the same timeline, its sections, and the declared standards' table.
    html = client.get(reverse("entities:entity_detail", args=[entity.uscc])).content.decode()
    for text in ["丁企业标准0", "丁企业标准1", "丁安许1", "丁预案备1", "丁安全员1"]:
        assert text in html, text


def test_union_rows_reads_each_branch_with_its_own_order_and_limit(make_entity) -> None:
    first, second, third = make_entity(), make_entity(), make_entity()
    rows = timeline.union_rows(
        Licence.objects.none().values_list("number"),
        type(first).objects.order_by("-id").values_list("name")[:2],
        type(first).objects.filter(pk=first.pk).values_list("name"),
    )
    assert sorted(rows) == sorted([(1, third.name), (1, second.name), (2, first.name)])
    assert timeline.union_rows(Licence.objects.none().values_list("number")) == []
