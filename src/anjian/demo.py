"""The Shanxi demo data set: bureaus at every level, their divisions, officers and certificates,
the registry, plans, random draws, inspections and cases.

Deterministic for a given seed and relative to today: the story begins in November of the year
before the plan year under way and ends now. Every record is created through the services at the
story's time (`anjian.core.clock.story_time`), so the demo's audit trail is a real one, in the
order of the story, and `anjian audit verify` has something to verify.
"""

from __future__ import annotations

import contextlib
import datetime
import heapq
import random
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from anjian.accounts import services as account_services
from anjian.accounts.models import Bureau, Division, User
from anjian.accounts.roles import Role
from anjian.core import clock
from anjian.core.abbreviations import bureau_abbreviation
from anjian.core.choices import Industry
from anjian.core.models import Region, RegionLevel
from anjian.core.services import SYSTEM_ACTOR, AuditSource, regions_load
from anjian.core.workdays import is_workday, workday_on_or_before
from anjian.entities.models import Entity

DEMO_PASSWORD = "Anjian@2026"  # noqa: S105  (printed by `make demo`; demo only)

# The provincial department's divisions named in the 2020 notice (CLAUSES.md).
PROVINCE_DIVISIONS = [
    "政策法规处",
    "人事处",
    "教育训练处",
    "预案管理处",
    "火灾管理处",
    "煤矿综合处",
    "煤矿执法处",
    "煤矿地质处",
    "煤矿通风处",
    "煤矿机电处",
    "危化处",
    "非煤矿山处",
    "冶金工贸处",
    "规划财务处",
    "行政审批处",
    "防汛抗旱处",
    "调查统计处",
    "科技信息处",
]
CITY_DIVISIONS = [
    "办公室",
    "政策法规科",
    "煤矿安全监督管理科",
    "危险化学品安全监督管理科",
    "非煤矿山安全监督管理科",
    "工贸安全监督管理科",
    "综合行政执法支队",
]
COUNTY_DIVISIONS = ["办公室", "安全生产监督管理股", "综合行政执法大队"]

# Cities whose economy (and so whose inspectors' specialties) lean on coal.
COAL_CITIES = {"140200", "140400", "140500", "140600", "141100"}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "建国志强海军卫东晓明丽娟永红俊杰晓燕文博浩然子涵雨桐宇航欣怡晨阳思远佳琪鹏飞慧敏振华立新春梅秀英桂兰玉兰建华国庆利民保平小军红霞"  # noqa: E501


@dataclass(frozen=True)
class DemoLogin:
    username: str
    description: str


def _name(rng: random.Random) -> str:
    given_len = rng.choice([1, 2, 2])
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(given_len))


def _bureau_name(region: Region) -> tuple[str, str]:
    if region.level == RegionLevel.PROVINCE:
        return "山西省应急管理厅", "省应急厅"
    if region.level == RegionLevel.CITY:
        return f"{region.name}应急管理局", region.name
    assert region.parent is not None
    return f"{region.parent.name}{region.name}应急管理局", region.name


# Long-distance area codes of the eleven cities (the demo's bureau telephones).
AREA_CODES = {
    "140100": "0351", "140200": "0352", "140300": "0353", "140400": "0355", "140500": "0356",
    "140600": "0349", "140700": "0354", "140800": "0359", "140900": "0350", "141000": "0357",
    "141100": "0358",
}  # fmt: skip


def _bureau_document_details(region: Region) -> dict[str, str]:
    """What a demo bureau's notices and decisions print (cases/documents.py). Reconsideration
    lies with the government at the bureau's own level (行政复议法 2023, art. 24); suits go to the
    basic court where the bureau sits. Plausible, not real, addresses and numbers."""
    if region.level == RegionLevel.PROVINCE:
        return {
            "address": "山西省太原市小店区长治路应急管理综合楼",
            "phone": "0351-4600110",
            "payment_place": "中国工商银行山西省分行营业部（山西省财政厅非税收入汇缴结算户），"
            "或通过山西省非税收入缴款平台缴纳",
            "reconsideration_organ": "山西省人民政府",
            "court": "太原市小店区人民法院",
        }
    city = region if region.level == RegionLevel.CITY else region.parent
    assert city is not None
    seat = region.name if region.level == RegionLevel.COUNTY else "市直"
    if region.code == "140603":
        address = "山西省朔州市平鲁区井坪镇府前街8号"
        phone = "0349-6022110"
    else:
        address = f"山西省{city.name}{'' if region == city else region.name}政务中心应急管理局"
        phone = f"{AREA_CODES.get(city.code, '0351')}-{6000000 + int(region.code) % 99991:07d}"
    if region.level == RegionLevel.CITY:
        first_district = (
            Region.objects.filter(parent=region, name__endswith="区").order_by("code").first()
        )
        court = f"{city.name}{first_district.name if first_district else ''}人民法院"
        organ = f"{city.name}人民政府"
    else:
        prefix = city.name if region.name.endswith("区") else ""
        court = f"{prefix}{region.name}人民法院"
        organ = f"{city.name}{region.name}人民政府"
    return {
        "address": address,
        "phone": phone,
        "payment_place": f"中国工商银行{city.name}{seat}支行（{city.name}"
        f"{'' if region == city else region.name}财政局非税收入汇缴结算户），"
        "或通过山西省非税收入缴款平台缴纳",
        "reconsideration_organ": organ,
        "court": court,
    }


def _specialties(region: Region, rng: random.Random) -> list[str]:
    city = region.code if region.level == RegionLevel.CITY else (region.parent_id or "")
    base = [Industry.COAL_MINE] if city in COAL_CITIES else [Industry.HAZARDOUS_CHEMICALS]
    extra = rng.sample(
        [
            Industry.NON_COAL_MINE,
            Industry.METALLURGY,
            Industry.HAZARDOUS_CHEMICALS,
            Industry.BUILDING_MATERIALS,
            Industry.COMMERCE_TRADE,
            Industry.FIREWORKS,
        ],
        k=2,
    )
    return sorted({str(s) for s in [*base, *extra]})


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _certificate(
    holder: User,
    region: Region,
    serial: _Counter,
    rng: random.Random,
    *,
    valid_until: datetime.date | None = None,
) -> None:
    today = clock.today()  # the day it is recorded; valid some while before
    start = today - datetime.timedelta(days=rng.randint(200, 1200))
    account_services.certificate_issue(
        actor=SYSTEM_ACTOR,
        holder=holder,
        number=f"{region.code}{today.year % 100:02d}{serial.next():06d}",
        issued_by="山西省人民政府",
        valid_from=start,
        valid_until=valid_until or (start + datetime.timedelta(days=365 * 5)),
        specialties=_specialties(region, rng),
        source=AuditSource.SYSTEM,
    )


def _user(
    username: str,
    bureau: Bureau,
    division: Division | None,
    roles: list[str],
    rng: random.Random,
    *,
    can_login: bool,
) -> User:
    return account_services.user_create(
        actor=SYSTEM_ACTOR,
        username=username,
        password=DEMO_PASSWORD if can_login else None,
        full_name=_name(rng),
        bureau=bureau,
        division=division,
        roles=roles,
        source=AuditSource.SYSTEM,
    )


# Named demo accounts: (username, region code, division, roles, what it shows)
NAMED_ACCOUNTS = [
    ("sx_admin", "140000", "科技信息处", [Role.ADMINISTRATOR], "省应急厅 系统管理员（全省）"),
    ("sx_audit", "140000", "科技信息处", [Role.AUDITOR], "省应急厅 审计管理员（全省）"),
    ("sx_leader", "140000", "政策法规处", [Role.BUREAU_LEADER], "省应急厅 厅领导（全省）"),
    (
        "sx_inspector",
        "140000",
        "煤矿执法处",
        [Role.INSPECTOR],
        "省应急厅 煤矿执法处 执法人员（全省）",
    ),
    (
        "sx_legal",
        "140000",
        "政策法规处",
        [Role.LEGAL_REVIEWER],
        "省应急厅 政策法规处 法制审核人员（全省）",
    ),
    (
        "dt_head",
        "140200",
        "煤矿安全监督管理科",
        [Role.DIVISION_HEAD, Role.INSPECTOR],
        "大同市应急管理局 科长兼执法人员（大同市及所辖区县）",
    ),
    ("dt_admin", "140200", "办公室", [Role.ADMINISTRATOR], "大同市应急管理局 管理员（大同市）"),
    (
        "dt_legal",
        "140200",
        "政策法规科",
        [Role.LEGAL_REVIEWER],
        "大同市应急管理局 法制审核人员（大同市）",
    ),
    (
        "pl_inspector",
        "140603",
        "综合行政执法大队",
        [Role.INSPECTOR],
        "朔州市平鲁区应急管理局 执法人员（仅平鲁区）",
    ),
    (
        "sz_leader",
        "140600",
        "办公室",
        [Role.BUREAU_LEADER],
        "朔州市应急管理局 局领导（审批所辖区县的年度计划）",
    ),
    (
        "sz_head",
        "140600",
        "煤矿安全监督管理科",
        [Role.DIVISION_HEAD],
        "朔州市应急管理局 煤矿科科长（编制市局年度计划，组织双随机抽查）",
    ),
    (
        "pl_head",
        "140603",
        "安全生产监督管理股",
        [Role.DIVISION_HEAD],
        "朔州市平鲁区应急管理局 股长（编制区局年度计划）",
    ),
    (
        "zz_inspector",
        "140525",
        "综合行政执法大队",
        [Role.INSPECTOR],
        "晋城市泽州县应急管理局 执法人员（仅泽州县）",
    ),
    (
        "pl_leader",
        "140603",
        "办公室",
        [Role.BUREAU_LEADER],
        "朔州市平鲁区应急管理局 局领导（立案审批、处罚决定、结案）",
    ),
    (
        "pl_legal",
        "140603",
        "办公室",
        [Role.LEGAL_REVIEWER],
        "朔州市平鲁区应急管理局 法制审核人员（待审核案件 /cases/reviews/）",
    ),
    (
        "pl_desk",
        "140603",
        "办公室",
        [Role.COMPLAINTS_DESK],
        "朔州市平鲁区应急管理局 举报受理人员（受理、分办举报）",
    ),
    (
        "pl_committee",
        "140603",
        "办公室",
        [Role.REWARD_COMMITTEE],
        "朔州市平鲁区应急管理局 举报奖励评审委员",
    ),
]


@transaction.atomic
def demo_organisations_load(*, seed: int = 2020, logins_open: bool = True) -> list[DemoLogin]:
    """Create bureaus, divisions, the named demo accounts and a pool of inspectors.

    With `logins_open` false the named accounts get no password yet: the story creates them at
    its start and `demo_logins_open` gives them the demo password at its end."""
    rng = random.Random(seed)
    regions_load()
    if User.objects.filter(username="sx_admin").exists():
        return [DemoLogin(u, d) for u, _r, _d, _roles, d in NAMED_ACCOUNTS]
    serial = _Counter()
    bureaus: dict[str, Bureau] = {}
    divisions: dict[tuple[str, str], Division] = {}
    for region in Region.objects.filter(statistical_only=False).select_related("parent"):
        name, short = _bureau_name(region)
        bureau = account_services.bureau_create(
            name=name, region_code=region.code, short_name=short, source=AuditSource.SYSTEM
        )
        # Its part of document numbers: 晋朔平 in （晋朔平）应急罚〔2026〕12号.
        bureau.document_abbreviation = bureau_abbreviation(bureau)
        bureau.save(update_fields=["document_abbreviation"])
        # What its notices and decisions print; an administrator edits them on the bureau page.
        bureau = account_services.bureau_document_details_set(
            actor=SYSTEM_ACTOR,
            bureau=bureau,
            source=AuditSource.SYSTEM,
            **_bureau_document_details(region),
        )
        bureaus[region.code] = bureau
        names = {
            RegionLevel.PROVINCE: PROVINCE_DIVISIONS,
            RegionLevel.CITY: CITY_DIVISIONS,
            RegionLevel.COUNTY: COUNTY_DIVISIONS,
        }[RegionLevel(region.level)]
        for division_name in names:
            divisions[(region.code, division_name)] = account_services.division_create(
                bureau=bureau, name=division_name, source=AuditSource.SYSTEM
            )
    regions = {r.code: r for r in Region.objects.select_related("parent")}
    for username, code, division_name, roles, _desc in NAMED_ACCOUNTS:
        user = _user(
            username,
            bureaus[code],
            divisions[(code, division_name)],
            [str(r) for r in roles],
            rng,
            can_login=logins_open,
        )
        if Role.INSPECTOR in roles:
            _certificate(user, regions[code], serial, rng)
    # One expired and one soon-expiring certificate, so the warning states are visible (today,
    # when the story ends).
    today = timezone.localdate()
    for i, (days, label) in enumerate([(-20, "expired"), (25, "expiring")]):
        code = "140200"
        user = _user(
            f"dt_inspector_{label}",
            bureaus[code],
            divisions[(code, "综合行政执法支队")],
            [Role.INSPECTOR],
            rng,
            can_login=False,
        )
        _certificate(
            user, regions[code], serial, rng, valid_until=today + datetime.timedelta(days=days + i)
        )
    # An inspector pool: three per city, two per county, who cannot log in until given a
    # password (the draws capability assigns them).
    for code, bureau in bureaus.items():
        region = regions[code]
        count = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 3, RegionLevel.COUNTY: 2}[
            RegionLevel(region.level)
        ]
        unit = "综合行政执法支队" if region.level == RegionLevel.CITY else "综合行政执法大队"
        for k in range(count):
            user = _user(
                f"insp_{code}_{k + 1}",
                bureau,
                divisions[(code, unit)],
                [Role.INSPECTOR],
                rng,
                can_login=False,
            )
            _certificate(user, region, serial, rng)
    return [DemoLogin(u, d) for u, _r, _d, _roles, d in NAMED_ACCOUNTS]


DEMO_ENTITIES = 5000
# Enough entities for every scenario (the tests' size). With fewer, 平鲁区 may lack the coal
# mines and plan tasks the draws, inspections and cases need: the demo loads what it can and
# says what it left out.
FULL_STORY_ENTITIES = 1500
DEMO_CASES = 4  # the cases scenario's four cases, when the registry has what each needs


# ---------------------------------------------------------------------------------------------
# The story. The demo is the platform's last year or so of use, written with the times it
# happened: each scenario below is a generator that yields the story time of its next step and
# takes that step when resumed. `_play` runs several of them interleaved in time order, each step
# inside `clock.story_time`, so records and audit events carry the story's times and the audit
# chain's times never go back. Code before a scenario's first yield only reads (its guards): it
# runs before the story begins.

Scenario = Generator[datetime.datetime, None, dict[str, int]]


@dataclass
class _Story:
    """What the scenarios of one play share."""

    # The story ends now: no step is dated later than the moment the demo was loaded.
    end: datetime.datetime
    # Tasks a scenario will complete later in the story; the others leave them alone.
    reserved: set[int] = field(default_factory=set)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.end)

    def ago(self, days: int) -> datetime.date:
        """The working day `days` calendar days ago, or the last one before it: offices act on
        working days."""
        return workday_on_or_before(self.today - datetime.timedelta(days=days))


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """`hour:minute` on `day` in Asia/Shanghai (the platform's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _workday_from(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def _chain_end() -> datetime.datetime | None:
    """When the chain's last event happened, not counting the region register that `migrate`
    loads: a database migrated before the demo still gets the story at the story's times (the
    register's events then stand before it with the time of the migration)."""
    from anjian.core.models import AuditEvent

    return (
        AuditEvent.objects.exclude(action__startswith="core.region.")
        .order_by("-seq")
        .values_list("occurred_at", flat=True)
        .first()
    )


def _play(
    *scenarios: Scenario, story: _Story, after: datetime.datetime | None = None
) -> list[dict[str, int]]:
    """Run the scenarios' steps in story-time order (ties in the order given).

    A step is dated after the one played before it (a minute after, if it asked for a moment
    not later) and after `after` (the chain's end when the story is played onto a database
    that already holds later events), but never after the story's end: the audit chain's
    times stay non-decreasing whatever the scenarios ask."""
    results: list[dict[str, int]] = [{} for _ in scenarios]
    queue: list[tuple[datetime.datetime, int]] = []
    for i, scenario in enumerate(scenarios):
        try:
            heapq.heappush(queue, (next(scenario), i))
        except StopIteration as done:
            results[i] = done.value
    last = after
    while queue:
        moment, i = heapq.heappop(queue)
        if last is not None and moment <= last:
            # A minute after the step before: two of a scenario's days can go back to one
            # working day (`_Story.ago`), and a plan issued at 9:30 on the day it was approved
            # at 15:00 would otherwise be issued at the very moment of its approval.
            moment = last + datetime.timedelta(minutes=1)
        moment = min(moment, story.end)
        last = moment
        with clock.story_time(moment):
            try:
                heapq.heappush(queue, (next(scenarios[i]), i))
            except StopIteration as done:
                results[i] = done.value
    return results


def demo_story_start(today: datetime.date | None = None) -> datetime.datetime:
    """When the demo's platform went into use: early November of the year before the plan
    year under way, so that its plan was drafted, approved and issued on the platform."""
    today = today or timezone.localdate()
    plan_year = _plan_year(today)
    return _at(_workday_from(datetime.date(plan_year - 1, 11, 2)), 9, 0)


def _plan_year(today: datetime.date) -> int:
    # The plan under way: this year's from July on (half its tasks are due), else last year's.
    return today.year if today.month >= 7 else today.year - 1


@contextlib.contextmanager
def demo_setup_time(moment: datetime.datetime) -> Iterator[None]:
    """Run the demo's setting-up (organisations, catalog, registry import) at `moment`, the
    story's start, unless the chain already holds later events (a re-run that adds entities):
    then now, for a chain never goes back in time."""
    end = _chain_end()
    if end is not None and end > moment:
        yield
        return
    with clock.story_time(moment):
        yield


@transaction.atomic
def demo_story_load() -> dict[str, dict[str, int]]:
    """The plans, draws, inspections and cases, played together in the order of the story."""
    from anjian.demo_cases import cases_story
    from anjian.demo_complaints import complaints_story
    from anjian.demo_enterprise import enterprise_story
    from anjian.demo_inspections import inspections_story
    from anjian.demo_parties import parties_story
    from anjian.demo_plans import draws_story, next_plans_story, plans_story

    story = _Story(end=timezone.now())
    names = ["plans", "next_plans", "draws", "inspections", "cases", "parties", "credit", "reports"]
    names.append("enterprise")
    results = _play(
        plans_story(story),
        next_plans_story(story),
        draws_story(story),
        inspections_story(story),
        cases_story(story),
        parties_story(story),
        _credit_story(story),
        complaints_story(story),
        enterprise_story(story),
        story=story,
        after=_chain_end(),
    )
    out = dict(zip(names, results, strict=True))
    out["plans"] = _plan_counts() if out["plans"].get("plans") else {"plans": 0, "tasks": 0}
    return out


def demo_logins_open() -> int:
    """Give the named accounts the demo password, now. They were created at the story's start
    without one: a password set a year ago would be past its 90-day age and every demo login
    would begin on the change-password page."""
    opened = 0
    names = [a[0] for a in NAMED_ACCOUNTS]
    for user in User.objects.filter(username__in=names).order_by("pk"):
        if not user.has_usable_password():
            account_services.user_password_change(
                actor=SYSTEM_ACTOR, user=user, new_password=DEMO_PASSWORD, source=AuditSource.SYSTEM
            )
            opened += 1
    return opened


def demo_catalog_load() -> dict[str, int]:
    """The starter catalog (src/anjian/catalog/data/starter_*.json), through the services."""
    from anjian.catalog.responsibilities import responsibilities_demo_load
    from anjian.catalog.services import catalog_starter_load

    counts = catalog_starter_load(source=AuditSource.SYSTEM)
    # Who answers for each item in the province, 朔州市 and 平鲁区 (N1.1), public on the portal.
    counts["responsibilities"] = responsibilities_demo_load(source=AuditSource.SYSTEM)
    return counts


def _plan_counts() -> dict[str, int]:
    from anjian.inspections.models import InspectionTask
    from anjian.plans.models import InspectionPlan

    return {"plans": InspectionPlan.objects.count(), "tasks": InspectionTask.objects.count()}


@transaction.atomic
def demo_plans_load() -> dict[str, int]:
    """The plans alone (`plans_story`, `next_plans_story`), played as a story: for tests and
    for a database an older demo loaded."""
    from anjian.demo_plans import next_plans_story, plans_story

    story = _Story(end=timezone.now())
    current, _nxt = _play(plans_story(story), next_plans_story(story), story=story)
    return _plan_counts() if current.get("plans") else {"plans": 0, "tasks": 0}


@transaction.atomic
def demo_draws_load() -> dict[str, int]:
    """The draws alone (`draws_story`), played as a story: for tests and for a database an
    older demo loaded. `demo_story_load` plays them together, in the order of their days."""
    from anjian.demo_plans import draws_story

    story = _Story(end=timezone.now())
    return _play(draws_story(story), story=story)[0]


@transaction.atomic
def demo_inspections_load() -> dict[str, int]:
    """The inspections alone (`inspections_story`), played as a story: for tests and for a
    database an older demo loaded. `demo_story_load` plays them together, in the order of
    their days."""
    from anjian.demo_inspections import inspections_story

    story = _Story(end=timezone.now())
    return _play(inspections_story(story), story=story)[0]


@transaction.atomic
def demo_complaints_load() -> dict[str, int]:
    """The reports alone (`demo_complaints.complaints_story`), played as a story."""
    from anjian.demo_complaints import complaints_story

    story = _Story(end=timezone.now())
    return _play(complaints_story(story), story=story)[0]


@transaction.atomic
def demo_cases_load() -> dict[str, int]:
    """The cases alone (`cases_story`), played as a story: for tests and for a database an
    older demo loaded. `demo_story_load` plays them together, in the order of their days."""
    from anjian.demo_cases import cases_story

    story = _Story(end=timezone.now())
    return _play(cases_story(story), story=story)[0]


@transaction.atomic
def demo_parties_load() -> dict[str, int]:
    """The case of a unit and its principal alone (`demo_parties.parties_story`), as a story."""
    from anjian.demo_parties import parties_story

    story = _Story(end=timezone.now())
    return _play(parties_story(story), story=story)[0]


def demo_credit_load() -> dict[str, int]:
    """The cases and the credit they move (`cases_story`, `_credit_story`), played together:
    for tests and for a database an older demo loaded."""
    from anjian.demo_cases import cases_story

    story = _Story(end=timezone.now())
    return _play(cases_story(story), _credit_story(story), story=story)[1]


def _credit_story(story: _Story) -> Scenario:
    """Credit (信用监管) moving with the cases: the entities under investigation are graded
    before the first decision (no record: 85 points, B); right after the 40,000-yuan decision
    its penalty becomes a credit record (−14) and the entity falls to C, the reason on its
    credit page; the second decision does the same; at the end every entity inspected or
    penalised is graded from its records. In the running platform this happens by itself after
    each commit (credit/subscriptions.py); the story calls the same service at the story's
    times so that the audit trail shows it in order."""
    from django.apps import apps

    if not apps.is_installed("anjian.credit"):
        return {"records": 0, "graded": 0}
    from anjian.cases.models import Case
    from anjian.credit.models import CreditRecord, EntityCredit
    from anjian.credit.services import credit_refresh
    from anjian.inspections.models import InspectionRecord

    def refresh(decided_only: bool = False) -> None:
        cases = Case.objects.exclude(entity__isnull=True)
        if decided_only:
            cases = cases.filter(decided_on__isnull=False)
        ids = set(cases.values_list("entity_id", flat=True))
        credit_refresh(entity_ids=ids, source=AuditSource.SYSTEM)

    ago = story.ago
    yield _at(ago(50), 15, 45)  # before the first decision: the parties' grades as they stand
    refresh()
    yield _at(ago(50), 16, 5)  # right after it: the penalty is a record, the grade falls
    refresh(decided_only=True)
    yield _at(ago(25), 16, 35)
    refresh(decided_only=True)
    yield from _dishonesty_story(story)
    from anjian.demo_credit import credit_requests_story

    yield from credit_requests_story(story)
    yield story.end
    inspected = set(
        InspectionRecord.objects.filter(status="submitted").values_list("entity_id", flat=True)
    )
    cases = set(Case.objects.exclude(entity__isnull=True).values_list("entity_id", flat=True))
    credit_refresh(entity_ids=inspected | cases, source=AuditSource.SYSTEM)
    return {"records": CreditRecord.objects.count(), "graded": EntityCredit.objects.count()}


def _dishonesty_story(story: _Story) -> Iterator[datetime.datetime]:
    """An accident concealment (瞒报事故) at a 平鲁区 coal mine not in any case: pl_head enters
    the record, pl_leader approves it, which proposes a serious-dishonesty listing to 平鲁区's
    bureau; pl_legal passes the legal review, pl_leader lists it with the decision document.
    From then on the mine is on the public list and forced into 平鲁区's next draws."""
    from anjian.cases.models import Case
    from anjian.credit import dishonesty, services
    from anjian.credit.models import DishonestyListing, RecordKind

    users = _named_accounts_ensure("pl_head", "pl_leader", "pl_legal")
    in_cases = Case.objects.exclude(entity__isnull=True).values("entity_id")
    mine = (
        Entity.objects.filter(region_id="140603", industry="coal_mine", business_status="operating")
        .exclude(pk__in=in_cases)
        .order_by("pk")
        .first()
    )
    if mine is None:
        return
    ago = story.ago
    yield _at(ago(20), 10, 0)
    record = services.record_propose(
        actor=users["pl_head"], entity=mine, kind=RecordKind.ACCIDENT_CONCEALED,
        title="瞒报一般生产安全事故（井下运输伤人事故，1人重伤）", occurred_on=ago(32),
        reason="事故调查组调查报告认定企业迟报、瞒报", source=AuditSource.SYSTEM,
    )  # fmt: skip
    yield _at(ago(20), 15, 30)
    services.record_decide(
        actor=users["pl_leader"], record=record, approve=True, source=AuditSource.SYSTEM
    )
    listing = DishonestyListing.objects.filter(record=record).first()
    if listing is None:
        return
    yield _at(ago(19), 9, 30)
    dishonesty.listing_review(
        actor=users["pl_legal"], listing=listing, passed=True,
        opinion="事实清楚，证据确凿，符合应急管理部令第11号规定的列入情形",
        source=AuditSource.SYSTEM,
    )  # fmt: skip
    yield _at(ago(18), 10, 0)
    dishonesty.listing_decide(
        actor=users["pl_leader"], listing=listing, approve=True,
        reconsideration_organ="朔州市平鲁区人民政府", court="朔州市平鲁区人民法院",
        source=AuditSource.SYSTEM,
    )  # fmt: skip


def demo_entities_load(*, entities: int = DEMO_ENTITIES, seed: int = 2020) -> dict[str, Any]:
    """Generate the demo entity files (docs/import-format.md) and import them as the system.

    Going through the import, not around it, means the demo exercises the same checks and the
    same bulk path a bureau's own spreadsheet does. Re-running changes nothing (the import is
    idempotent); a larger N adds entities, because a smaller run is a prefix of a larger one.
    """
    import tempfile
    from pathlib import Path

    from anjian.entities.demo import demo_entity_files_write
    from anjian.entities.importing import entity_import, filing_import, licence_import

    out: dict[str, Any] = {}
    if entities <= 0:
        return out
    with tempfile.TemporaryDirectory(prefix="anjian-demo-") as tmp:
        files = demo_entity_files_write(Path(tmp), entities=entities, seed=seed)
        for kind, importer in (
            ("entities", entity_import),
            ("licences", licence_import),
            ("filings", filing_import),
        ):
            out[kind] = importer(
                actor=SYSTEM_ACTOR,
                source_file=files[kind],
                file_name=files[kind].name,
                source=AuditSource.SYSTEM,
            )
    return out


def _certified_colleague(inspector: User, since: datetime.date) -> User | None:
    """Another inspector of the same bureau whose certificate has been valid since `since`."""
    from anjian.accounts.models import EnforcementCertificate

    return (
        User.objects.filter(
            bureau=inspector.bureau,
            role_assignments__role=Role.INSPECTOR,
            certificates__in=EnforcementCertificate.objects.filter(
                revoked_at__isnull=True,
                valid_from__lte=since,
                valid_until__gte=timezone.localdate(),
            ),
            is_active=True,
        )
        .exclude(pk=inspector.pk)
        .order_by("username")
        .first()
    )


# What the case documents print for 平鲁区 when the bureau has no details of its own on file
# (cases/documents.py takes them from `accounts.Bureau`; the bureau's own win when set).
PINGLU_DOCUMENT_DETAILS = {
    "bureau_address": "山西省朔州市平鲁区井坪镇府前街8号",
    "contact_phone": "0349-6022110",
    "payment_place": "中国工商银行朔州平鲁支行（罚没款代收账户），或通过山西省非税收入缴款平台缴纳",
    "reconsideration_organ": "朔州市平鲁区人民政府",
    "court": "朔州市平鲁区人民法院",
}
_BUREAU_DETAIL_FIELDS = {
    "bureau_address": "address",
    "contact_phone": "phone",
    "payment_place": "payment_place",
    "reconsideration_organ": "reconsideration_organ",
    "court": "court",
}


def _document_details(bureau: Bureau, *keys: str) -> dict[str, str]:
    return {
        k: str(getattr(bureau, _BUREAU_DETAIL_FIELDS[k], "") or "").strip()
        or PINGLU_DOCUMENT_DETAILS[k]
        for k in keys
    }


def _named_accounts_ensure(*usernames: str) -> dict[str, User]:
    """The named accounts, creating any a database loaded by an older demo lacks."""
    rng = random.Random(f"demo-{'-'.join(usernames)}")
    for username, code, division_name, roles, _desc in NAMED_ACCOUNTS:
        if username in usernames and not User.objects.filter(username=username).exists():
            bureau = Bureau.objects.get(region_id=code)
            division = Division.objects.get(bureau=bureau, name=division_name)
            _user(username, bureau, division, [str(r) for r in roles], rng, can_login=True)
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


# The enterprise side (docs/enterprise.md): the principal of one 平鲁区 coal mine that the story
# inspected (a correction order) and that has a case, bound through an invitation as a real
# enterprise would be.
DEMO_ENTERPRISE_LOGIN = DemoLogin(
    "pl_enterprise", "平鲁区一家煤矿的主要负责人（企业账户：只见本企业）"
)


def demo_enterprise_load() -> DemoLogin | None:
    """Bind the demo enterprise login (idempotent): issue an invitation for the story's entity
    with a correction order and a case, and activate it with the demo password. None when the
    story has no such entity (a small registry)."""
    from django.db.models import Exists, OuterRef

    from anjian.cases.models import Case
    from anjian.enterprise import services as enterprise_services
    from anjian.enterprise.models import EnterpriseMember
    from anjian.inspections.models import CorrectionOrder

    username = DEMO_ENTERPRISE_LOGIN.username
    if EnterpriseMember.objects.filter(user__username=username).exists():
        return DEMO_ENTERPRISE_LOGIN
    orders = CorrectionOrder.objects.filter(
        record__entity=OuterRef("pk"), record__status="submitted"
    )
    cases = Case.objects.filter(entity=OuterRef("pk"), lead__isnull=True)
    entity = (
        Entity.objects.filter(region_id="140603")
        .filter(Exists(orders), Exists(cases))
        .order_by("pk")
        .first()
    ) or Entity.objects.filter(region_id="140603").filter(Exists(orders)).order_by("pk").first()
    if entity is None:
        return None
    _invitation, code = enterprise_services.invitation_issue(
        actor=SYSTEM_ACTOR, entity=entity, position="principal", source=AuditSource.SYSTEM
    )
    enterprise_services.invitation_activate(
        values=enterprise_services.ActivationValues(
            uscc=entity.uscc,
            code=code,
            username=username,
            password=DEMO_PASSWORD,
            phone="13903490000",
            full_name="张矿长",
        ),
        client="demo",
        source=AuditSource.SYSTEM,
    )
    return DEMO_ENTERPRISE_LOGIN
