"""`anjian demo-data`: load the deterministic Shanxi demo data set and print the demo logins."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from anjian.core import clock
from anjian.demo import (
    DEMO_CASES,
    DEMO_ENTITIES,
    DEMO_PASSWORD,
    FULL_STORY_ENTITIES,
    demo_catalog_load,
    demo_enterprise_load,
    demo_entities_load,
    demo_logins_open,
    demo_organisations_load,
    demo_setup_time,
    demo_story_load,
    demo_story_start,
)
from anjian.demo_enterprise import demo_association_login

# Where `make demo` and `anjian runserver` serve by default: the demo's documents print this
# check address when ANJIAN_PUBLIC_BASE_URL is unset (make demo sets it to its HOST:PORT).
DEMO_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Migrate the database, load the Shanxi demo data set (idempotent) and print the demo "
        "logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument(
            "--entities",
            type=int,
            default=DEMO_ENTITIES,
            help=f"market entities to generate (default {DEMO_ENTITIES}; 0 for none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.ANJIAN_PUBLIC_BASE_URL:
            self._load(**options)
            return
        self.stdout.write(
            f"ANJIAN_PUBLIC_BASE_URL 未设置，演示文书的核验地址使用 {DEMO_BASE_URL} "
            "/ documents print this check address"
        )
        with override_settings(ANJIAN_PUBLIC_BASE_URL=DEMO_BASE_URL):
            self._load(**options)

    def _load(self, **options: Any) -> None:
        story_start = demo_story_start()
        _migrate(story_start)
        with demo_setup_time(story_start):
            logins = demo_organisations_load(seed=options["seed"], logins_open=False)
            catalog = demo_catalog_load()
            self.stdout.write(
                f"监管事项目录 / catalog: {catalog['items']} 事项, "
                f"{catalog['benchmarks']} 裁量基准, {catalog['standards']} 标准 新增"
            )
            started = time.perf_counter()
            batches = demo_entities_load(entities=options["entities"], seed=options["seed"])
        if batches:
            counts = "，".join(
                f"{b.get_kind_display()} {b.rows_created} 新增 / {b.rows_unchanged} 未变"
                for b in batches.values()
            )
            self.stdout.write(
                f"演示企业 / demo entities: {counts}（{time.perf_counter() - started:.1f} s）"
            )
        story = demo_story_load()
        demo_logins_open()
        enterprise_login = demo_enterprise_load()
        if enterprise_login is not None:
            logins = [*logins, enterprise_login]
        association_login = demo_association_login()
        if association_login is not None:
            logins = [*logins, association_login]
        plans = story["plans"]
        if plans["plans"]:
            self.stdout.write(
                f"年度计划 / plans: {plans['plans']} 个计划, {plans['tasks']} 个检查任务"
            )
        if story["draws"].get("draws"):
            self.stdout.write(
                f"双随机抽查 / draws: 朔州市 {story['draws']['draws']} 次"
                "（已抽取的和已承诺待抽取的）"
            )
        if story["inspections"].get("records"):
            self.stdout.write("现场检查 / inspections: 平鲁区 4 份检查记录（含整改、复查、逾期）")
        if story["cases"].get("cases"):
            self.stdout.write(
                f"执法案件 / cases: 平鲁区 {story['cases']['cases']} 件（全部情景为：已结案并公示、"
                "公示逾期、待法制审核、调查中并移送线索）"
            )
        if story.get("parties", {}).get("cases"):
            self.stdout.write(
                "双罚案件 / a unit and its principal: 平鲁区 1 件（均未缴纳罚款：催告、加处罚款、"
                "申请人民法院强制执行、结案）"
            )
        if story.get("credit", {}).get("records"):
            self.stdout.write(
                f"信用监管 / credit: {story['credit']['records']} 条信用记录，"
                f"{story['credit']['graded']} 个市场主体按记录评级（处罚决定后等级下降）"
            )
        if story.get("enterprise", {}).get("enterprise"):
            self.stdout.write(
                "企业端 / enterprise side: 平鲁区 1 家煤矿（激活账户、自查、带照片整改报告经复查"
                "通过、处罚决定电子送达、事故快报逐级上报并补报、年报）；朔州市煤炭工业协会"
            )
        if story.get("reports", {}).get("reports"):
            self.stdout.write(
                f"投诉举报 / reports: 平鲁区 {story['reports']['reports']} 件（匿名举报转核查、"
                "重复举报合并、12350 来电核查不属实、待受理）"
            )
        # What a small registry left out: the scenarios need 平鲁区's coal mines and tasks.
        skipped = [
            label
            for key, count, label in [
                ("draws", "draws", "双随机抽查"),
                ("inspections", "records", "现场检查"),
                ("cases", "cases", "执法案件"),
            ]
            if not story[key].get(count) and not _already_loaded(key)
        ]
        if 0 < story["cases"].get("cases", 0) < DEMO_CASES:
            skipped.append(f"{DEMO_CASES - story['cases']['cases']} 件执法案件")
        if skipped:
            self.stdout.write(
                f"未生成 / left out: {'、'.join(skipped)}"
                f"（演示企业较少；--entities {FULL_STORY_ENTITIES} 以上可生成完整情景）"
            )
        self.stdout.write(f"情景时间 / story: {story_start:%Y-%m-%d} 至今天")
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.description}")
        self.stdout.write("")


def _migrate(story_start: datetime.datetime) -> None:
    """Migrate the database. A new one is installed at the story's start, so that its first
    audit events (the region register) come before the story's instead of after them."""
    if "core_auditevent" not in connection.introspection.table_names():
        with clock.story_time(story_start - datetime.timedelta(minutes=30)):
            call_command("migrate", interactive=False, verbosity=0)
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def _already_loaded(key: str) -> bool:
    """A re-run finds the scenario there from before: nothing skipped."""
    from anjian.cases.models import Case
    from anjian.draws.models import Draw
    from anjian.inspections.models import InspectionRecord

    return {
        "draws": Draw.objects.exists,
        "inspections": InspectionRecord.objects.exists,
        "cases": Case.objects.exists,
    }[key]()
