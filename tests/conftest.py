"""Shared fixtures: an organisation in three levels, and users in and out of each scope.

The layout (GB/T 2260 codes):
    140000 山西省 ── 140200 大同市 (city)         ── 140213 平城区 (county)
                 ├─ 140600 朔州市 (city)         ── 140603 平鲁区 (county)
                 └─ 140500 晋城市 (city)         ── 140525 泽州县 (county)
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management.commands import flush
from django.db import connections
from django.test import Client
from django.utils import timezone

from anjian.accounts.models import Bureau, Division, EnforcementCertificate, RoleAssignment, User
from anjian.accounts.roles import Role
from anjian.core import audit_triggers
from anjian.core.models import Region

TEST_PASSWORD = "Test-Pass-2026"

# CI's PostgreSQL pass connects as the application role (docs/security.md, "Database roles"),
# which may neither lift the triggers nor empty the audit table; a flush then reconnects as the
# owner role named here, as a DBA would have to.
DB_OWNER = os.environ.get("ANJIAN_TEST_DB_OWNER", "")


@contextlib.contextmanager
def _connected_as_owner(connection: Any) -> Iterator[None]:
    if not DB_OWNER or connection.vendor != "postgresql":
        yield
        return
    user = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = DB_OWNER
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = user


# Transactional tests empty every table with `flush`, which the append-only triggers refuse.
# Lift the triggers for the flush only, exactly as a DBA would have to, and put them back.
_original_flush = flush.Command.handle


def _flush_with_triggers_lifted(self: Any, **options: Any) -> Any:
    connection = connections[options.get("database", "default")]
    with _connected_as_owner(connection):
        audit_triggers.uninstall(connection)
        try:
            return _original_flush(self, **options)
        finally:
            audit_triggers.install(connection)


flush.Command.handle = _flush_with_triggers_lifted  # type: ignore[method-assign]


def _bureau(code: str) -> Bureau:
    region = Region.objects.get(code=code)
    bureau, _ = Bureau.objects.get_or_create(
        region=region,
        defaults={
            "name": f"{region.full_name}应急管理局",
            "short_name": region.name,
            "level": region.level,
        },
    )
    return bureau


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """Create a user of the bureau at `region`, with roles, able to log in with TEST_PASSWORD."""
    counter = {"n": 0}

    def make(region: str | None = "140000", roles: list[str] | None = None, **extra: Any) -> User:
        counter["n"] += 1
        bureau = _bureau(region) if region else None
        division = None
        if bureau is not None:
            division, _ = Division.objects.get_or_create(bureau=bureau, name="综合科")
        user = User.objects.create_user(
            username=extra.pop("username", f"u{counter['n']}_{region or 'none'}"),
            password=TEST_PASSWORD,
            full_name=extra.pop("full_name", f"测试用户{counter['n']}"),
            bureau=bureau,
            division=division,
            password_changed_at=timezone.now(),
            **extra,
        )
        for role in roles or []:
            RoleAssignment.objects.create(user=user, role=role)
        if Role.ADMINISTRATOR in (roles or []):
            User.objects.filter(pk=user.pk).update(is_staff=True)
            user.is_staff = True
        return user

    return make


@pytest.fixture
def make_certificate() -> Callable[..., EnforcementCertificate]:
    counter = {"n": 0}

    def make(holder: User, *, days_left: int = 400, **extra: Any) -> EnforcementCertificate:
        counter["n"] += 1
        today = timezone.localdate()
        return EnforcementCertificate.objects.create(
            holder=holder,
            number=extra.pop("number", f"T{holder.pk:05d}{counter['n']:04d}"),
            issued_by="山西省人民政府",
            valid_from=extra.pop("valid_from", today - datetime.timedelta(days=365)),
            valid_until=today + datetime.timedelta(days=days_left),
            specialties=extra.pop("specialties", ["coal_mine"]),
            **extra,
        )

    return make


@pytest.fixture
def org(make_user: Callable[..., User]) -> dict[str, User]:
    """Users at each level. 'county' is 平鲁区 (朔州市); 'other_county' is 泽州县 (晋城市)."""
    return {
        "province_admin": make_user("140000", [Role.ADMINISTRATOR], username="prov_admin"),
        "province_auditor": make_user("140000", [Role.AUDITOR], username="prov_audit"),
        "city_admin": make_user("140600", [Role.ADMINISTRATOR], username="city_admin"),
        "city_head": make_user(
            "140600", [Role.DIVISION_HEAD, Role.INSPECTOR], username="city_head"
        ),
        "county_admin": make_user("140603", [Role.ADMINISTRATOR], username="county_admin"),
        "county_inspector": make_user("140603", [Role.INSPECTOR], username="county_insp"),
        "other_county_admin": make_user("140525", [Role.ADMINISTRATOR], username="other_admin"),
        "other_county_inspector": make_user("140525", [Role.INSPECTOR], username="other_insp"),
        "legal": make_user("140600", [Role.LEGAL_REVIEWER], username="city_legal"),
        "no_role": make_user("140603", [], username="no_role"),
    }


@pytest.fixture
def login() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def make_uscc(region: str, serial: int, *, prefix: str = "91") -> str:
    """A valid unified social credit code for a region (GB 32100-2015 check character)."""
    from stdnum.cn import uscc

    body = f"{prefix}{region}{serial:09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def make_entity(db: Any) -> Callable[..., Any]:
    """Register an entity through the service (as the system), with sensible defaults."""
    from anjian.core.services import SYSTEM_ACTOR
    from anjian.entities.services import entity_create
    from anjian.entities.validation import EntityValues

    counter = {"n": 0}

    def make(region: str = "140603", **extra: Any) -> Any:
        counter["n"] += 1
        values: dict[str, Any] = {
            "uscc": make_uscc(region, counter["n"]),
            "name": f"测试企业{counter['n']}有限公司",
            "former_names": [],
            "industry": "coal_mine",
            "sub_sector": "",
            "region_id": region,
            "address": "",
            "legal_representative": "张三丰",
            "business_status": "operating",
            "scale": "",
            "established_on": None,
            "key_supervision": False,
            "new_business_form": False,
            "observation_start": None,
            "observation_end": None,
            "major_hazard_source": False,
        }
        # The credit grade is not a registry value (credit computes it): a test that needs a
        # graded entity sets the column as credit's recomputation would.
        grade = extra.pop("credit_grade", "")
        values.update(extra)
        entity = entity_create(actor=SYSTEM_ACTOR, values=EntityValues(**values))
        if grade:
            type(entity).objects.filter(pk=entity.pk).update(credit_grade=grade)
            entity.credit_grade = grade
        return entity

    return make


@pytest.fixture
def make_item(org: dict[str, Any]) -> Callable[..., Any]:
    """Supervision items of the starter catalog's shape, made by the province administrator."""
    from anjian.catalog import services as catalog_services
    from anjian.catalog.services import ItemValues

    counter = {"n": 0}

    def make(
        name: str = "对煤矿企业瓦斯防治情况的行政检查",
        *,
        levels: list[str] | None = None,
        industries: list[str] | None = None,
    ) -> Any:
        counter["n"] += 1
        return catalog_services.item_create(
            actor=org["province_admin"],
            code=f"1400000010{counter['n']:04d}",
            values=ItemValues(
                name=name,
                act_kind="inspection",
                industries=industries or ["coal_mine"],
                levels=levels or ["province", "city", "county"],
                legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第六十五条"}],
                check_points=[{"content": "查阅瓦斯检查记录", "method": "documents"}],
            ),
            effective_from=datetime.date(2021, 9, 1),
        )

    return make


@pytest.fixture
def item(make_item: Callable[..., Any]) -> Any:
    return make_item()


@pytest.fixture
def city_draft(
    make_user: Callable[..., User],
    make_entity: Callable[..., Any],
    make_certificate: Callable[..., Any],
    make_item: Callable[..., Any],
    tmp_path: Any,
    settings: Any,
) -> dict[str, Any]:
    """A draft draw of 朔州市's bureau (half of its six entities drawn: ratio 5000) and what it
    needs: its division head `sz_draw_head`, one random-check item, and five certified
    inspectors `draw_i0`…`draw_i4` (three of the city, one of 平鲁区, one of 朔城区). The draw's
    files go to a temporary MEDIA_ROOT. Returns {"head", "draw"}."""
    from anjian.draws import services

    settings.MEDIA_ROOT = tmp_path
    head = make_user("140600", [Role.DIVISION_HEAD], username="sz_draw_head")
    rc = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    for n in range(6):
        make_entity("140603" if n % 2 else "140602")
    for n, region in enumerate(["140600", "140600", "140600", "140603", "140602"]):
        make_certificate(make_user(region, [Role.INSPECTOR], username=f"draw_i{n}"))
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=services.DrawValues(
            title="朔州市抽查",
            items=[rc],
            inspection_from=datetime.date(2026, 7, 1),
            inspection_until=datetime.date(2026, 8, 31),
            default_ratio=5000,
        ),
    )
    return {"head": head, "draw": draw}


class TestClock:
    """The platform's time under a test's control, moving with the real clock from where it was
    set. `anjian.core.clock`, Django (sessions, `timezone.localdate()`) and django-axes (the
    cool-off) all read `django.utils.timezone.now`, so moving it moves them together: a test
    waits 31 minutes with `advance(minutes=31)` instead of sleeping."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import axes.attempts
        import axes.handlers.proxy

        self._real = timezone.now
        self._offset = datetime.timedelta(0)
        self._pinned: datetime.date | None = None
        for module in (timezone, axes.attempts, axes.handlers.proxy):
            monkeypatch.setattr(module, "now", self.now)

    def now(self) -> datetime.datetime:
        moment = self._real() + self._offset
        if self._pinned is not None:
            # The date stays: past its midnight the time stops at its last instant.
            end = timezone.make_aware(
                datetime.datetime.combine(self._pinned, datetime.time.max),
                timezone.get_default_timezone(),
            )
            moment = min(moment, end)
        return moment

    def advance(self, **delta: float) -> None:
        self._offset += datetime.timedelta(**delta)

    def set(self, moment: datetime.datetime) -> None:
        self._offset = moment - self._real()

    def pin_date(self, day: datetime.date) -> None:
        """Keep `today()` at `day` for the test (the run may cross midnight in Asia/Shanghai):
        time moves on as usual, but never past the day's last instant."""
        self._pinned = day


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> TestClock:
    return TestClock(monkeypatch)


# The tests that take minutes (the every-page crawl, the demo story, the benches) go first: with
# `-n 2` the workers take tests in collection order, so a long test collected last would run
# alone at the end while the other worker idles. Order inside each group is kept.
_LONG_FIRST = (
    "test_every_page.py",
    "test_numbering_file_sqlite.py",
    "test_bench.py",
    "demo",
    "tests/browser/",
    "test_reaching_the_work.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, part in enumerate(_LONG_FIRST) if part in path), len(_LONG_FIRST))

    items.sort(key=rank)
