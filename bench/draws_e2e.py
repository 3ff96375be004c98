"""Random draw, end to end (issue 8): a draw over the bench's whole entity registry as the
officer experiences it, through the services (`draw_commit`, `draw_run`) and `draw_verify`.

Run by `make bench` with `--draws`, after the entities are loaded (see bench/__main__.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian make bench \
        BENCH_ARGS="--skip-core --skip-entity-timings --entities 1000000 --draws"

The setup, which is not what is measured, writes straight to the tables (bulk_create): a bureau
for the province, every city and every county that has entities; a division head of the
province; 5,000 inspectors (a tenth at the province, three tenths at the cities, the rest at
the counties in proportion to their entities), each with one enforcement certificate for one
or two industries (chosen in proportion to the expected number of drawn entities of each
industry), about 2 % of them expired before the inspection day; declared conflicts for 5 % of
the inspectable entities; a done inspection task with two inspectors for 10 % of them (done
within the last 24 months, so about half count as recently inspected) and a few open tasks (the
inspectors' current load); the starter catalog, of which one item that covers every industry
goes on the province's random-check list. One seeded random generator: the same registry gives
the same setup.

The draw: the whole province, 5 % by default (500 per ten thousand) with a ratio table that
raises poor credit and high risk and lowers good credit and low risk (about 5 % overall), strata
by industry (the platform stratifies by industry, county or industry × county; industry gives
the 12 industry categories), recently inspected (12 months) at half weight, 20 entities forced
in, teams of two, nobody from the entity's own county, at most 30 entities per inspector, and
the declared-conflict and last-inspector rules. Timed: `draw_commit` and `draw_run` of three
such draws (all three committed before the first is run, so that each is staffed from the same
loads), medians and ranges; then, on the first committed draw, each step they are made of
called on its own (reading only), the NumPy baseline on the same directory and quotas, and
`draw_verify`.

The target (under 5 s) is the draw: `draw_run`, which reveals the secret, draws, assigns and
makes the tasks. The commit is reported beside it, not counted in it: the issue has the
bureau publish the commitment *before* the draw, usually days earlier (ADR 0009).
"""

from __future__ import annotations

import cProfile
import datetime
import gzip
import hashlib
import io
import pstats
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from random import Random
from typing import Any

import numpy as np

from bench.draws import numpy_baseline, timed

SEED = 8
INSPECTORS = 5_000
EXPIRED_SHARE = 0.02
CONFLICT_SHARE = 0.05
DONE_SHARE = 0.10
OPEN_TASKS = 5_000
FORCED = 20
RUNS = 3  # draws measured, each committed and run once
MAX_PER_INSPECTOR = 30
ITEM_CODE = "14000000000002"  # 应急预案编制、备案和演练情况的行政检查: every industry
DEFAULT_RATIO = 500
# Per ten thousand, by "credit grade|risk level"; the cells not listed take DEFAULT_RATIO.
RATIOS: dict[str, int] = {
    "D|major": 3000,
    "D|significant": 2000,
    "D|general": 1500,
    "D|low": 1000,
    "C|major": 2000,
    "C|significant": 1000,
    "C|general": 700,
    "B|major": 1500,
    "B|significant": 800,
    "B|general": 450,
    "B|low": 250,
    "A|major": 800,
    "A|general": 250,
    "A|low": 150,
}

OVER_LIMIT = "性能测试：按抽查结果检查"


def _s(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def _range(times: list[float]) -> str:
    return f"{_s(min(times))} to {_s(max(times))}"


def _bureau(region: Any, regions: dict[str, Any]) -> Any:
    """The bureau of `region`, made if missing (named as bench/plans.py names them)."""
    from anjian.accounts.models import Bureau

    bureau = Bureau.objects.filter(region_id=region.code).first()
    if bureau is None:
        name = region.name + ("应急管理厅" if region.level == "province" else "应急管理局")
        if region.level == "county" and region.parent_id:
            name = regions[region.parent_id].name + name
        bureau = Bureau.objects.create(name=name, region=region, level=region.level)
    return bureau


def _setup(rng: Random, today: datetime.date, inspection_from: datetime.date) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from anjian.accounts.models import Division, EnforcementCertificate, RoleAssignment, User
    from anjian.accounts.roles import Role
    from anjian.catalog.models import SupervisionItem
    from anjian.catalog.services import catalog_starter_load
    from anjian.core.models import Region
    from anjian.draws import services
    from anjian.draws.models import InspectorConflict
    from anjian.entities.models import Entity
    from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
    from anjian.plans.rules import INSPECTABLE

    regions = {r.code: r for r in Region.objects.all()}
    inspectable = Entity.objects.filter(business_status__in=INSPECTABLE)
    per_county = Counter[str](
        dict(inspectable.values_list("region_id").annotate(n=Count("pk")).order_by())
    )
    province = _bureau(regions["140000"], regions)
    cities = [_bureau(r, regions) for c, r in sorted(regions.items()) if r.level == "city"]
    counties = {c: _bureau(regions[c], regions) for c in sorted(per_county)}

    division, _ = Division.objects.get_or_create(bureau=province, name="应急管理综合行政执法总队")
    head = User.objects.create_user(
        username="bench_draw_head",
        password=None,
        full_name="抽查处负责人",
        bureau=province,
        division=division,
    )
    RoleAssignment.objects.create(user=head, role=Role.DIVISION_HEAD)

    # Specialties in proportion to the expected number drawn of each industry.
    demand: Counter[str] = Counter()
    for industry, grade, level, n in (
        inspectable.values_list("industry", "credit_grade", "risk_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        demand[industry] += n * RATIOS.get(services.ratio_key(grade, level), DEFAULT_RATIO)
    industries = sorted(demand)
    weights = [demand[i] for i in industries]
    county_codes = sorted(per_county)
    county_weights = [per_county[c] for c in county_codes]
    password = make_password(None)  # unusable
    users = []
    for i in range(INSPECTORS):
        roll = rng.random()
        if roll < 0.1:
            bureau = province
        elif roll < 0.4:
            bureau = rng.choice(cities)
        else:
            bureau = counties[rng.choices(county_codes, county_weights)[0]]
        users.append(
            User(
                username=f"bench_inspector_{i:05d}",
                password=password,
                full_name=f"检查员{i:05d}",
                bureau=bureau,
            )
        )
    users = User.objects.bulk_create(users, batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.INSPECTOR) for u in users], batch_size=2000
    )
    certificates, expired = [], 0
    for n, user in enumerate(users):
        specialties = {rng.choices(industries, weights)[0]}
        if rng.random() < 0.5:
            specialties.add(rng.choices(industries, weights)[0])
        lapsed = rng.random() < EXPIRED_SHARE
        expired += lapsed
        certificates.append(
            EnforcementCertificate(
                holder=user,
                number=f"BENCH{n:06d}",
                issued_by="山西省人民政府",
                valid_from=today - datetime.timedelta(days=rng.randint(30, 1500)),
                valid_until=inspection_from
                + datetime.timedelta(days=-rng.randint(1, 25) if lapsed else rng.randint(90, 1500)),
                specialties=sorted(specialties),
            )
        )
    EnforcementCertificate.objects.bulk_create(certificates, batch_size=2000)

    catalog_starter_load()
    item = SupervisionItem.objects.get(code=ITEM_CODE)
    rc = services.random_check_item_add(
        actor=head, bureau=province, item=item, division=division, source="system"
    )

    # Conflicts and inspection history, over a sample of the inspectable entities.
    pks = list(inspectable.order_by("pk").values_list("pk", flat=True))
    user_ids = [u.pk for u in users]
    conflicts = [
        InspectorConflict(inspector_id=rng.choice(user_ids), entity_id=pk, reason="近亲属任职")
        for pk in rng.sample(pks, round(len(pks) * CONFLICT_SHARE))
    ]
    InspectorConflict.objects.bulk_create(conflicts, batch_size=5000)
    tasks, teams, recent = [], [], 0
    since = today - datetime.timedelta(days=round(12 * 30.44))
    for pk in rng.sample(pks, round(len(pks) * DONE_SHARE)):
        done_on = today - datetime.timedelta(days=rng.randint(1, 730))
        recent += done_on >= since
        team = rng.sample(user_ids, 2)
        tasks.append(
            InspectionTask(
                bureau=province,
                entity_id=pk,
                item=item,
                source=TaskSource.AD_HOC,
                period_start=done_on - datetime.timedelta(days=30),
                due_on=done_on,
                status=TaskStatus.DONE,
                done_on=done_on,
                done_by_id=team[0],
            )
        )
        teams.append(team)
    opened = min(OPEN_TASKS, len(pks))
    for pk in rng.sample(pks, opened):
        tasks.append(
            InspectionTask(
                bureau=province,
                entity_id=pk,
                item=item,
                source=TaskSource.AD_HOC,
                period_start=today,
                due_on=today + datetime.timedelta(days=rng.randint(10, 120)),
            )
        )
        teams.append(rng.sample(user_ids, 2))
    tasks = InspectionTask.objects.bulk_create(tasks, batch_size=5000)
    through = InspectionTask.inspectors.through
    through.objects.bulk_create(
        [
            through(inspectiontask_id=t.pk, user_id=u)
            for t, team in zip(tasks, teams, strict=True)
            for u in team
        ],
        batch_size=10_000,
    )
    forced = list(inspectable.filter(pk__in=rng.sample(pks, FORCED)).values_list("uscc", flat=True))
    return {
        "head": head,
        "province": province,
        "rc": rc,
        "forced": forced,
        "bureaus": 1 + len(cities) + len(counties),
        "inspectable": len(pks),
        "expired": expired,
        "conflicts": len(conflicts),
        "done": len(tasks) - opened,
        "open": opened,
        "recent": recent,
    }


def _profile(fn: Callable[[], Any], label: str, limit: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return f"cProfile of {label} (cumulative, then own time):\n" + out.getvalue()


def draw_e2e_benchmarks(*, profile: bool = False) -> tuple[list[tuple[str, str]], list[str]]:
    """Returns (rows for the results table, profile texts when `profile`)."""
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    from anjian.core.bulk import gc_paused
    from anjian.draws import algorithm, selectors, services
    from anjian.draws.services import DrawValues
    from anjian.draws.verify import draw_verify
    from anjian.inspections.models import InspectionTask

    rows: list[tuple[str, str]] = []
    notes: list[str] = []
    rng = Random(SEED)
    today = timezone.localdate()
    inspection_from = today + datetime.timedelta(days=14)
    made, dt = timed(lambda: _setup(rng, today, inspection_from))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            # The load and the setup wrote gigabytes that PostgreSQL would otherwise still be
            # flushing to disk while the draw is measured (its own checkpoint, spread over
            # minutes); a bureau's database is not in the middle of loading a million rows.
            cursor.execute("CHECKPOINT")
    rows.append(
        (
            f"draw setup (not measured work): {made['bureaus']} bureaus, {INSPECTORS:,} "
            f"inspectors ({made['expired']} expired certificates), {made['conflicts']:,} "
            f"conflicts, {made['done']:,} done tasks ({made['recent']:,} within 12 months), "
            f"{made['open']:,} open",
            f"{dt:.1f} s",
        )
    )
    head, province = made["head"], made["province"]
    values = DrawValues(
        title="全省双随机抽查（基准测试）",
        items=[made["rc"]],
        inspection_from=inspection_from,
        inspection_until=inspection_from + datetime.timedelta(days=60),
        strata_by="industry",
        default_ratio=DEFAULT_RATIO,
        ratios=RATIOS,
        recent_months=12,
        recent_factor=50,
        forced=made["forced"],
        inspectors_per_entity=2,
        avoid_own_county=True,
        max_per_inspector=MAX_PER_INSPECTOR,
    )

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        # Three draws, all committed before any is run: the pool's loads (open tasks) are
        # frozen at the commit, so each run staffs its draw as the first would. The figures
        # are the medians of the three, and the range is shown.
        commits: list[tuple[Any, float]] = []
        for n in range(RUNS):
            draft = services.draw_create(actor=head, bureau=province, values=values)
            if n == 0:  # what the draft's page shows before the commitment
                preview, t_preview = timed(partial(selectors.draw_preview, draft))
                assert not preview.errors, preview.errors
            commits.append(timed(partial(services.draw_commit, actor=head, draw=draft)))
        committed = commits[0][0]
        t_commits = [t for _d, t in commits]

        # The steps of the commit and of the run, each on its own, on the committed draw.
        # As the services run them: with the cyclic garbage collector paused (core.bulk).
        with gc_paused():
            build, t_build = timed(lambda: services.directory_build(committed))
            directory = build.directory
            quotas, t_quotas = timed(lambda: services.quotas_for(directory))
            assert quotas == committed.quotas
            (pool, rules), t_pool = timed(lambda: services.pool_build(committed))
            serialised, t_serialise = timed(directory.serialisation)
            _, t_sha = timed(lambda: hashlib.sha256(serialised).digest())
            packed, t_gzip = timed(lambda: gzip.compress(serialised, compresslevel=1))
            probabilities, t_probabilities = timed(
                lambda: services.probabilities_text(directory, quotas)
            )
            _, t_probabilities_gzip = timed(lambda: gzip.compress(probabilities, compresslevel=1))
            _, t_pool_files = timed(
                lambda: (
                    services._pool_text(pool),
                    algorithm.pool_hash(pool, on=committed.inspection_from, rules=rules),
                )
            )
            _, t_parse = timed(lambda: services.stored_directory(committed))
            (stored, entities), t_stored = timed(lambda: services.committed_directory(committed))
            _, t_rehash = timed(lambda: stored.hash_hex)
            assert stored.hash_hex == committed.directory_hash and entities is not None
            _, t_stored_pool = timed(
                lambda: algorithm.pool_hash(
                    services.stored_pool(committed), on=committed.inspection_from, rules=rules
                )
            )
            result, t_draw = timed(
                lambda: algorithm.draw_entities(stored, committed.quotas, secret=committed.secret),
                3,
            )
            _, t_baseline = timed(numpy_baseline(stored, committed.quotas), 3)
            positions = np.flatnonzero(result.selected_mask).tolist()
            people, t_people = timed(
                lambda: services.assignment_entities(entities.rows(result.selected, positions))
            )
            _, t_people_file = timed(
                lambda: gzip.compress(services._people_text(people), compresslevel=1)
            )
            assignment, t_assign = timed(
                lambda: algorithm.assign_inspectors(
                    people, pool, on=committed.inspection_from, rules=rules, seed=result.seed
                )
            )

        # The bench's registry has earlier tasks: some drawn entities go beyond their yearly cap
        # (credit's check, one query for the whole sample), so the run gives its reason.
        runs = [
            timed(partial(services.draw_run, actor=head, draw=d, over_limit_reason=OVER_LIMIT))
            for d, _t in commits
        ]
        drawn = runs[0][0]
        t_runs = [t for _d, t in runs]
        # The floor of the run's writes, in the same run: the rows of the first draw copied
        # into the same tables (binary COPY, then their foreign-key checks), rolled back.
        floor: dict[str, float] | None = None
        if connection.vendor == "postgresql":
            spare = services.draw_create(actor=head, bureau=province, values=values)
            floors = [write_floor(drawn, spare) for _ in range(RUNS)]
            floor = {k: statistics.median(f[k] for f in floors) for k in floors[0]}
        verification, t_verify = timed(lambda: draw_verify(drawn))
        assert verification.ok, verification.checks
        summary = drawn.summary
        assert summary["selected"] == len(result.selected)
        assert summary["assigned"] == len(assignment.teams)
        tasks = InspectionTask.objects.filter(draw=drawn).count()
        task_team_rows = InspectionTask.inspectors.through.objects.filter(
            inspectiontask__draw=drawn
        ).count()

        if profile:
            second = services.draw_create(actor=head, bureau=province, values=values)
            notes.append(
                _profile(lambda: services.draw_commit(actor=head, draw=second), "draw_commit")
            )
            notes.append(
                _profile(
                    lambda: services.draw_run(
                        actor=head, draw=second, over_limit_reason=OVER_LIMIT
                    ),
                    "draw_run",
                )
            )

    t_commit, t_run = statistics.median(t_commits), statistics.median(t_runs)
    totals = [c + r for c, r in zip(t_commits, t_runs, strict=True)]
    total = statistics.median(totals)
    read_side = t_stored + t_rehash + t_stored_pool + t_draw + t_people + t_people_file + t_assign
    t_rest = t_run - read_side
    n = len(directory)
    strata = len(directory.stratum_keys)
    selected = summary["selected"]
    excluded = build.excluded_recent + build.excluded_zero_ratio
    refusals = Counter[str]()
    for refusal in assignment.refusals:
        for rule, count in refusal.excluded.items():
            if count:
                refusals[rule] += 1
    rows += [
        (
            f"draw: directory of the whole province, {n:,} entities ({made['inspectable']:,} "
            f"inspectable, {excluded:,} left out), {strata} strata by industry, "
            f"{FORCED} forced",
            f"{selected:,} drawn ({selected / n:.2%}); pool {len(pool):,} inspectors",
        ),
        (
            f"draw: teams of 2, not from the own county, at most {MAX_PER_INSPECTOR} each, "
            "conflicts and last inspectors avoided",
            f"{summary['assigned']:,} teams, {summary['refused']:,} refused; {tasks:,} tasks",
        ),
        (
            "rows the run writes: selections (each with its drawn team), tasks, task–inspector "
            "rows",
            f"{selected:,} + {tasks:,} + {task_team_rows:,} = "
            f"{selected + tasks + task_team_rows:,}",
        ),
        (
            f"`draw_commit`, before the draw (directory, hashing, files, pool, commitment), "
            f"median of {RUNS} draws",
            f"{_s(t_commit)} ({_range(t_commits)})",
        ),
        (
            f"**the draw, end to end: `draw_run`** (reveal, draw, assignment, selections, "
            f"teams, tasks), median of {RUNS} draws (targets: under 5 s, issue 8; under 2 s, "
            "issue 24)",
            f"**{_s(t_run)}** ({_range(t_runs)}; under 5 s "
            f"{'met' if max(t_runs) < 5 else 'NOT met'}; "
            f"under 2 s {'met' if t_run < 2 else 'NOT met'})",
        ),
        (
            "the draft's preview (`draw_preview`: directory, quotas, pool; nothing written)",
            _s(t_preview),
        ),
        *(
            [
                (
                    "**floor of the run**: the same rows binary-COPYed into the same tables "
                    "(selections / tasks / task–inspector rows) + their foreign-key checks, "
                    f"median of {RUNS}",
                    f"**{_s(floor['floor'])}** ({_s(floor['draws_drawselection'])} + "
                    f"{_s(floor['inspections_inspectiontask'])} + "
                    f"{_s(floor['inspections_inspectiontask_inspectors'])} + FK "
                    f"{_s(floor['fk'])}); `draw_run` is **{t_run / floor['floor']:.2f}×** "
                    "(goal: 2×)",
                )
            ]
            if floor
            else []
        ),
        (
            "commit + run (the commitment is published days before the draw: ADR 0009)",
            f"{_s(total)} ({_range(totals)})",
        ),
        (
            f"… commit: `directory_build` (registry query, weights, `from_columns`), "
            f"{excluded + n:,} rows read",
            _s(t_build),
        ),
        ("… commit: `quotas_for`", _s(t_quotas)),
        ("… commit: `pool_build`", _s(t_pool)),
        (
            f"… commit: `Directory.serialisation` ({len(serialised) / 1e6:.0f} MB; made once, "
            "the hash reuses it)",
            _s(t_serialise),
        ),
        ("… commit: SHA-256 of the serialisation", _s(t_sha)),
        (f"… commit: gzip level 1 of the directory file ({len(packed) / 1e6:.1f} MB)", _s(t_gzip)),
        (
            f"… commit: `probabilities_text` (`inclusion_probabilities`, "
            f"{len(probabilities) / 1e6:.0f} MB) + gzip level 1",
            f"{_s(t_probabilities)} + {_s(t_probabilities_gzip)}",
        ),
        ("… commit: pool file text + `pool_hash`", _s(t_pool_files)),
        (
            "… run: `committed_directory` (the columns file and its hash check, the text "
            "read and gunzipped)",
            _s(t_stored),
        ),
        (
            "… (parsing the published text instead, as `stored_directory` and verifiers do)",
            _s(t_parse),
        ),
        ("… run: directory hash check (SHA-256 of the stored bytes)", _s(t_rehash)),
        ("… run: `stored_pool` + `pool_hash` check", _s(t_stored_pool)),
        ("… run: **`draw_entities`** (median of 3)", f"**{_s(t_draw)}**"),
        (
            "… NumPy baseline, `Generator.choice(p=w/W_h, replace=False)` per stratum, same "
            "directory and quotas (median of 3)",
            f"{_s(t_baseline)} (`draw_entities` is **{t_draw / t_baseline:.2f}×** the "
            "baseline; goal: 2×)",
        ),
        (
            f"… run: drawn entities from the columns + `assignment_entities` (conflicts, "
            f"last teams of {selected:,})",
            _s(t_people),
        ),
        ("… run: assignment inputs file (text + gzip)", _s(t_people_file)),
        (f"… run: `assign_inspectors` ({len(pool):,} inspectors)", _s(t_assign)),
        (
            "… run: the rest (writing selections and tasks with their teams, the foreign-key "
            "checks at COMMIT, the audit event), by difference",
            _s(t_rest),
        ),
        ("`draw_verify` of the drawn draw (ok)", _s(t_verify)),
    ]
    if refusals:
        rows.append(
            (
                "… refusals: entities where a rule excluded someone",
                ", ".join(f"{rule} {count:,}" for rule, count in refusals.most_common()),
            )
        )
    return rows, notes


def write_floor(drawn: Any, spare: Any) -> dict[str, float]:
    """The floor of the run's writes (issue 24): the rows the run wrote for `drawn` (its
    selections, tasks and task–inspector rows), copied out to memory in PostgreSQL's binary
    format and timed as a binary `COPY` into the same tables (every index, check and trigger
    as for the run), under the draft `spare` and new keys so that nothing collides, then their
    foreign-key checks (`SET CONSTRAINTS ALL IMMEDIATE`: what COMMIT would run); all rolled
    back. Returns seconds by step, and "floor", their sum."""
    from django.db import connection, transaction

    from anjian.draws.models import DrawSelection
    from anjian.inspections.models import InspectionTask

    through = InspectionTask.inspectors.through
    tables: list[tuple[str, list[str], str]] = []
    for model, where in (
        (DrawSelection, "draw_id = %(draw)s"),
        (InspectionTask, "draw_id = %(draw)s"),
        (
            through,
            "inspectiontask_id IN (SELECT id FROM inspections_inspectiontask "
            "WHERE draw_id = %(draw)s)",
        ),
    ):
        columns, expressions = [], []
        for f in model._meta.concrete_fields:
            columns.append(f.column)
            if f.primary_key or f.column == "inspectiontask_id":  # new keys, out of the way
                expression = f"{f.column} + 1000000000"
            elif f.column == "draw_id":
                expression = "%(spare)s"
            else:
                expression = f.column
            # Typed as the column is: binary COPY takes no conversions.
            expressions.append(f"CAST({expression} AS {f.db_type(connection)})")
        select = f"SELECT {', '.join(expressions)} FROM {model._meta.db_table} WHERE {where}"
        tables.append((model._meta.db_table, columns, select))
    data: list[bytes] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for _table, _columns, select in tables:
            query = raw.mogrify(select, {"draw": drawn.pk, "spare": spare.pk})
            chunks = []
            with raw.copy(f"COPY ({query}) TO STDOUT (FORMAT BINARY)") as copy:
                for chunk in copy:
                    chunks.append(bytes(chunk))
            data.append(b"".join(chunks))
    times: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for (table, columns, _select), payload in zip(tables, data, strict=True):
            t = time.perf_counter()
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as c:
                c.write(payload)
            times[table] = time.perf_counter() - t
        t = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        times["fk"] = time.perf_counter() - t
        transaction.set_rollback(True)
    times["floor"] = sum(times.values())
    return times
