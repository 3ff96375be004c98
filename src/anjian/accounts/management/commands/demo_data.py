"""`anjian demo-data`: load the deterministic Shanxi demo data set and print the demo logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from anjian.demo import (
    DEMO_ENTITIES,
    DEMO_PASSWORD,
    demo_cases_load,
    demo_catalog_load,
    demo_draws_load,
    demo_entities_load,
    demo_inspections_load,
    demo_organisations_load,
    demo_plans_load,
)

# Where `make demo` and `anjian runserver` serve by default: the demo's documents print this
# check address when ANJIAN_PUBLIC_BASE_URL is unset (make demo sets it to its HOST:PORT).
DEMO_BASE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Load the Shanxi demo data set (idempotent) and print the demo logins."

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
        logins = demo_organisations_load(seed=options["seed"])
        catalog = demo_catalog_load()
        self.stdout.write(
            f"监管事项目录 / catalog: {catalog['items']} 事项, {catalog['benchmarks']} 裁量基准, "
            f"{catalog['standards']} 标准 新增"
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
        plans = demo_plans_load()
        if plans["plans"]:
            self.stdout.write(
                f"年度计划 / plans: {plans['plans']} 个计划, {plans['tasks']} 个检查任务"
            )
        if demo_draws_load()["draws"]:
            self.stdout.write("双随机抽查 / draws: 朔州市 2 次（1 次已抽取，1 次已承诺）")
        if demo_inspections_load()["records"]:
            self.stdout.write("现场检查 / inspections: 平鲁区 4 份检查记录（含整改、复查、逾期）")
        if demo_cases_load()["cases"]:
            self.stdout.write(
                "执法案件 / cases: 平鲁区（已结案并公示、公示逾期、待法制审核、调查中并移送线索）"
            )
        self.stdout.write("")
        self.stdout.write(f"演示账号 / demo logins (password for all: {DEMO_PASSWORD})")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.description}")
        self.stdout.write("")
