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
from collections.abc import Callable, Generator, Iterator
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
from anjian.core.workdays import is_workday, workday_on_or_before, workdays_after
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

    A step is never dated before the one played before it, nor before `after` (the chain's end
    when the story is played onto a database that already holds later events), nor after the
    story's end: the audit chain's times stay non-decreasing whatever the scenarios ask."""
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
        moment = min(max(moment, last or moment), story.end)
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
    from anjian.demo_complaints import complaints_story
    from anjian.demo_enterprise import enterprise_story
    from anjian.demo_parties import parties_story

    story = _Story(end=timezone.now())
    names = ["plans", "next_plans", "draws", "inspections", "cases", "parties", "credit", "reports"]
    names.append("enterprise")
    results = _play(
        _plans_story(story),
        _next_plans_story(story),
        _draws_story(story),
        _inspections_story(story),
        _cases_story(story),
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
    """The plans alone (`_plans_story`, `_next_plans_story`), played as a story: for tests and
    for a database an older demo loaded."""
    story = _Story(end=timezone.now())
    current, _nxt = _play(_plans_story(story), _next_plans_story(story), story=story)
    return _plan_counts() if current.get("plans") else {"plans": 0, "tasks": 0}


@transaction.atomic
def demo_draws_load() -> dict[str, int]:
    """The draws alone (`_draws_story`), played as a story: for tests and for a database an
    older demo loaded. `demo_story_load` plays them together, in the order of their days."""
    story = _Story(end=timezone.now())
    return _play(_draws_story(story), story=story)[0]


@transaction.atomic
def demo_inspections_load() -> dict[str, int]:
    """The inspections alone (`_inspections_story`), played as a story: for tests and for a
    database an older demo loaded. `demo_story_load` plays them together, in the order of
    their days."""
    story = _Story(end=timezone.now())
    return _play(_inspections_story(story), story=story)[0]


@transaction.atomic
def demo_complaints_load() -> dict[str, int]:
    """The reports alone (`demo_complaints.complaints_story`), played as a story."""
    from anjian.demo_complaints import complaints_story

    story = _Story(end=timezone.now())
    return _play(complaints_story(story), story=story)[0]


@transaction.atomic
def demo_cases_load() -> dict[str, int]:
    """The cases alone (`_cases_story`), played as a story: for tests and for a database an
    older demo loaded. `demo_story_load` plays them together, in the order of their days."""
    story = _Story(end=timezone.now())
    return _play(_cases_story(story), story=story)[0]


@transaction.atomic
def demo_parties_load() -> dict[str, int]:
    """The case of a unit and its principal alone (`demo_parties.parties_story`), as a story."""
    from anjian.demo_parties import parties_story

    story = _Story(end=timezone.now())
    return _play(parties_story(story), story=story)[0]


def demo_credit_load() -> dict[str, int]:
    """The cases and the credit they move (`_cases_story`, `_credit_story`), played together:
    for tests and for a database an older demo loaded."""
    story = _Story(end=timezone.now())
    return _play(_cases_story(story), _credit_story(story), story=story)[1]


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


def _plans_story(story: _Story) -> Scenario:
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


def _next_plans_story(story: _Story) -> Scenario:
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


def _draws_story(story: _Story) -> Scenario:
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


def _open_tasks(story: _Story, **filters: Any) -> Any:
    """Open tasks of the plan's that no scenario will complete later in the story."""
    from anjian.inspections.models import InspectionTask, TaskStatus

    return (
        InspectionTask.objects.filter(status=TaskStatus.OPEN, record__isnull=True, **filters)
        .exclude(pk__in=story.reserved)
        .select_related("entity", "item")
        .order_by("due_on", "pk")
    )


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


def _on_site_now(story: _Story) -> datetime.datetime:
    """When the inspection under way began: within the last hour if the office is open now,
    else at 15:00 on the last working day (the record is still being filled in)."""
    today = story.today
    if is_workday(today) and story.end >= _at(today, 9, 0):
        return max(_at(today, 8, 30), min(story.end - datetime.timedelta(minutes=40),
                                          _at(today, 15, 0)))  # fmt: skip
    return _at(workday_on_or_before(today - datetime.timedelta(days=1)), 15, 0)


def _inspections_story(story: _Story) -> Scenario:
    """On-site inspections in 平鲁区, as pl_inspector and a colleague made them on the plan's
    open tasks, each on one working day between 08:30 and 17:30: one clean record, one with a
    hazard whose correction order was rectified and passed re-inspection, one whose order is
    overdue and due for escalation (the overdue list), and one record still being filled in
    (pl_inspector can continue it)."""
    from anjian.inspections import services as insp
    from anjian.inspections.models import InspectionRecord

    if InspectionRecord.objects.exists() or not User.objects.filter(username="pl_head").exists():
        return {"records": 0}
    s = AuditSource.SYSTEM
    first = story.ago(30)
    # The division head assigns the month's inspections the afternoon before the first.
    yield _at(workday_on_or_before(first - datetime.timedelta(days=1)), 16, 0)
    head = User.objects.get(username="pl_head")
    inspector = User.objects.get(username="pl_inspector")
    colleague = _certified_colleague(inspector, story.today - datetime.timedelta(days=60))
    if colleague is None:
        return {"records": 0}
    team = [inspector, colleague]
    tasks = list(
        _open_tasks(
            story,
            bureau=inspector.bureau,
            period_start__lte=story.today - datetime.timedelta(days=40),
        )[:4]
    )
    if len(tasks) < 4:
        return {"records": 0}
    story.reserved.update(task.pk for task in tasks)
    for task in tasks:
        insp.task_assign_inspectors(actor=head, task=task, inspectors=team, source=s)

    def start(task: Any, present: str) -> Any:
        return insp.record_start(
            actor=inspector, task=task, place=task.entity.address or f"{task.entity.name}生产现场",
            present_name=present, present_post="安全副矿长", source=s,
        )  # fmt: skip

    def answer(record: Any, hazard: str = "", at: str = "") -> Any:
        """Answer every point compliant but the one whose content names `at`, where the hazard
        was seen: its finding then cites that point's own legal basis."""
        found = None
        for point in insp.record_check_points(record):
            value = "hazard" if hazard and at in point.content else "compliant"
            insp.record_answer(
                actor=inspector, record=record, check_point=point, answer=value, source=s
            )
            if value == "hazard":
                found = insp.finding_add(
                    actor=inspector, record=record, kind="hazard", check_point=point,
                    description=hazard, severity="general", source=s,
                )  # fmt: skip
        return found

    # 1. A clean inspection.
    yield _at(first, 9, 10)
    clean = start(tasks[0], "王建国")
    yield _at(first, 10, 40)
    answer(clean)
    yield _at(first, 11, 20)
    insp.record_submit(actor=inspector, record=clean, summary="未发现问题。", source=s)
    # 2. A hazard, rectified and re-inspected.
    fixed_on = story.ago(28)
    yield _at(fixed_on, 9, 0)
    fixed = start(tasks[1], "李志强")
    yield _at(fixed_on, 10, 30)
    hazard = answer(fixed, "井下3号瓦斯监控分站断电，未能实时上传数据", at="安全监控系统")
    yield _at(fixed_on, 11, 30)
    insp.record_submit(actor=inspector, record=fixed, summary="发现一般事故隐患一项。", source=s)
    order = None
    if hazard is not None:
        yield _at(fixed_on, 11, 45)
        order = insp.correction_order_issue(
            actor=inspector, record=fixed, findings=[hazard], issued_on=fixed_on,
            deadline=insp.deadline_suggest(fixed_on), source=s,
        )  # fmt: skip
    # 3. A hazard left unrectified past its deadline: on the overdue list, due for escalation.
    late_on = story.ago(25)
    yield _at(late_on, 14, 0)
    late = start(tasks[2], "张海军")
    yield _at(late_on, 15, 10)
    hazard = answer(late, "主要通风机备用风机未按规定每月切换试运转", at="通风系统")
    yield _at(late_on, 16, 10)
    insp.record_submit(actor=inspector, record=late, summary="发现一般事故隐患一项。", source=s)
    if hazard is not None:
        yield _at(late_on, 16, 25)
        insp.correction_order_issue(
            actor=inspector, record=late, findings=[hazard], issued_on=late_on,
            deadline=late_on + datetime.timedelta(days=7), source=s,
        )  # fmt: skip
    if order is not None:
        reported = workdays_after(fixed_on, 4)
        yield _at(reported, 10, 0)
        insp.rectification_report(
            actor=inspector, order=order, text="已更换分站电源模块并恢复数据上传，附照片。",
            submitted_on=reported, source=s,
        )  # fmt: skip
        checked = workdays_after(fixed_on, 6)
        yield _at(checked, 14, 30)
        insp.reinspection_record(
            actor=inspector, order=order, on=checked, inspectors=team, result="passed",
            opinion="隐患已消除，整改到位。", source=s,
        )  # fmt: skip
    # 4. An inspection under way.
    began = _on_site_now(story)
    yield began
    draft = start(tasks[3], "刘卫东")
    yield began + datetime.timedelta(minutes=25)
    points = insp.record_check_points(draft)
    if points:
        insp.record_answer(
            actor=inspector, record=draft, check_point=points[0], answer="compliant", source=s
        )
    return {"records": InspectionRecord.objects.count()}


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


def _cases_story(story: _Story) -> Scenario:
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
    steps: list[tuple[datetime.datetime, int, Callable[[], object]]] = []

    def at(day: datetime.date, hour: int, minute: int, step: Callable[[], object]) -> None:
        steps.append((_at(day, hour, minute), len(steps), step))

    # 1. Decided, paid and closed; published on the portal with the workers' names masked.
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
        _open_tasks(
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
