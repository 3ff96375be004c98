"""Writes for random inspections: configure a draw, commit it (freeze and hash the directory and
the inspector pool, publish the commitment), run it (reveal the secret, draw, assign inspectors,
make inspection tasks), redo it (a new draw that names the first), and declare conflicts.

The draw itself is `draws.algorithm` (docs/algorithms/draw.md). Here is what the platform adds:
which entities form the directory and with what weight, which inspectors form the pool, and the
rule that nothing committed is ever edited, re-run or deleted.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import numpy as np
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Collate, Concat
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau, EnforcementCertificate, User
from anjian.accounts.roles import Capability, Role
from anjian.core import clock
from anjian.core.bulk import gc_paused, insert_columns
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.scope import region_codes_under, region_q
from anjian.core.services import AuditSource, audit_record
from anjian.core.workdays import workday_on_or_before
from anjian.draws import algorithm, publication
from anjian.draws.models import Draw, DrawSelection, InspectorConflict, RandomCheckItem
from anjian.draws.states import DrawStatus, StrataBy
from anjian.entities.models import Entity
from anjian.entities.validation import FieldInvalid, uscc_clean
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
from anjian.inspections.scheduling import over_limit_require
from anjian.plans.rules import INSPECTABLE

RATIO_SCALE = 10_000  # ratios are parts per ten thousand
FACTOR_SCALE = 100  # the recently-inspected factor is a percentage


def ratio_key(grade: str, level: str) -> str:
    return f"{grade}|{level}"


@dataclass
class DrawValues:
    title: str
    items: list[RandomCheckItem]
    inspection_from: datetime.date
    inspection_until: datetime.date
    industries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    key_supervision_only: bool = False
    major_hazard_only: bool = False
    strata_by: str = StrataBy.INDUSTRY
    default_ratio: int = 500
    ratios: dict[str, int] = field(default_factory=dict)  # "grade|level" -> per ten thousand
    recent_months: int = 0
    recent_factor: int = 100
    forced: list[str] = field(default_factory=list)
    inspectors_per_entity: int = 2
    avoid_own_county: bool = True
    max_per_inspector: int = 20


def _values_check(bureau: Bureau, v: DrawValues) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = defaultdict(list)
    if not v.title.strip():
        errors["title"].append(_("This value is required."))
    if not v.items:
        errors["items"].append(_("Choose at least one random-check item."))
    elif any(i.bureau_id != bureau.pk for i in v.items):
        errors["items"].append(_("Choose items of the draw's own bureau."))
    if v.inspection_until < v.inspection_from:
        errors["inspection_until"].append(_("The inspections cannot end before they start."))
    if any(i not in Industry.values for i in v.industries):
        errors["industries"].append(_("Choose one of the listed values."))
    below = set(region_codes_under(bureau.region_id))
    if any(r not in below for r in v.regions):
        errors["regions"].append(_("Choose regions within the bureau's jurisdiction."))
    if v.strata_by not in StrataBy.values:
        errors["strata_by"].append(_("Choose one of the listed values."))
    if not 0 < v.default_ratio <= RATIO_SCALE:
        errors["default_ratio"].append(_("A ratio is from 1 to 10000 per ten thousand."))
    for key, ratio in v.ratios.items():
        grade, _sep, level = key.partition("|")
        if grade not in ("", *CreditGrade.values) or level not in ("", *RiskLevel.values):
            errors["ratios"].append(_("Unknown grade or level: %(key)s") % {"key": key})
        elif not isinstance(ratio, int) or not 0 <= ratio <= RATIO_SCALE:
            errors["ratios"].append(_("A ratio is from 0 to 10000 per ten thousand."))
    if not 0 <= v.recent_factor <= FACTOR_SCALE:
        errors["recent_factor"].append(_("Give a percentage from 0 to 100."))
    if v.recent_months > 120:
        errors["recent_months"].append(_("At most 120 months."))
    if v.inspectors_per_entity < 2:
        # 行政处罚法 第四十二条: 执法人员不得少于两人.
        errors["inspectors_per_entity"].append(_("At least two inspectors per entity."))
    if v.max_per_inspector < 1:
        errors["max_per_inspector"].append(_("At least one."))
    # The form cleans pasted codes first; the API hands them over as they came. A code with a
    # wrong check character would otherwise surface at the commit as "not in the directory".
    for code in filter(str.strip, v.forced):
        try:
            uscc_clean(code)
        except FieldInvalid as exc:
            errors["forced"].append(f"{code}：{exc.message}")
    return {k: v for k, v in errors.items() if v}


def _draw_fields(v: DrawValues) -> dict[str, Any]:
    return {
        "title": v.title.strip(),
        "inspection_from": v.inspection_from,
        "inspection_until": v.inspection_until,
        "filters": {
            "industries": sorted(set(v.industries)),
            "regions": sorted(set(v.regions)),
            "key_supervision_only": v.key_supervision_only,
            "major_hazard_only": v.major_hazard_only,
        },
        "strata_by": v.strata_by,
        "default_ratio": v.default_ratio,
        "ratios": dict(sorted(v.ratios.items())),
        "recent_months": v.recent_months,
        "recent_factor": v.recent_factor,
        "forced": sorted({uscc_clean(u) for u in v.forced if u.strip()}),
        "inspectors_per_entity": v.inspectors_per_entity,
        "avoid_own_county": v.avoid_own_county,
        "max_per_inspector": v.max_per_inspector,
    }


def _own_bureau(actor: Any, bureau: Bureau | None) -> Bureau:
    actor_require(actor, Capability.DRAWS_MANAGE)
    if bureau is None or getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("A bureau runs its own draws."))
    actor_require_region(actor, bureau.region_id)
    return bureau


@transaction.atomic
def draw_create(
    *,
    actor: Any,
    bureau: Bureau | None,
    values: DrawValues,
    redo_of: Draw | None = None,
    redo_reason: str = "",
    source: str = AuditSource.WEB,
) -> Draw:
    bureau = _own_bureau(actor, bureau)
    errors = _values_check(bureau, values)
    if redo_of is not None:
        redo_of = Draw.objects.get(pk=redo_of.pk)
        if redo_of.bureau_id != bureau.pk or redo_of.status not in (
            DrawStatus.COMMITTED,
            DrawStatus.DRAWN,
        ):
            errors.setdefault("redo_of", []).append(_("Only a committed or drawn draw is redone."))
        if not redo_reason.strip():
            errors.setdefault("redo_reason", []).append(_("Say why the draw is redone."))
    if errors:
        raise ServiceError.for_fields(errors)
    fields = _draw_fields(values)
    draw = Draw.objects.create(
        bureau=bureau,
        created_by=actor,
        redo_of=redo_of,
        redo_reason=redo_reason.strip(),
        **fields,
    )
    draw.items.set(values.items)
    audit_record(
        actor=actor,
        action="draws.draw.created",
        obj=draw,
        region=bureau.region_id,
        changes={
            **{k: v for k, v in fields.items() if not isinstance(v, datetime.date)},
            "items": [i.item.code for i in values.items],
            "redo_of": redo_of.pk if redo_of else None,
            "redo_reason": redo_reason.strip(),
        },
        source=source,
    )
    return draw


def _locked(draw: Draw, status: str) -> Draw:
    locked = Draw.objects.select_for_update().select_related("bureau").get(pk=draw.pk)
    if locked.status != status:
        raise Conflict(
            _("The draw is %(status)s; this step needs it %(needed)s.")
            % {"status": DrawStatus(locked.status).label, "needed": DrawStatus(status).label}
        )
    return locked


@transaction.atomic
def draw_abandon(*, actor: Any, draw: Draw, reason: str, source: str = AuditSource.WEB) -> Draw:
    """A draft that was never committed may be given up; a committed draw never is."""
    locked = _locked(draw, DrawStatus.DRAFT)
    _own_bureau(actor, locked.bureau)
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say why the draw is given up."))
    Draw.objects.filter(pk=locked.pk).update(status=DrawStatus.ABANDONED)
    audit_record(
        actor=actor,
        action="draws.draw.abandoned",
        obj=locked,
        region=locked.bureau.region_id,
        changes={"reason": reason.strip()},
        source=source,
    )
    locked.status = DrawStatus.ABANDONED
    return locked


# --- the directory and the pool --------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryBuild:
    directory: algorithm.Directory
    excluded_recent: int
    excluded_zero_ratio: int
    # Each directory row's entity: its key, county and industry, in the directory's order.
    pks: np.ndarray
    counties: list[str]
    industries: list[str]


def _industries_of(rc: RandomCheckItem, day: datetime.date) -> set[str] | None:
    """The industries an item applies to on `day` (None: every industry)."""
    version = rc.item.version_for(day)
    return set(version.industries) if version and version.industries else None


def item_industries(draw: Draw) -> set[str] | None:
    """The industries any of the draw's items applies to (None: some item applies to all)."""
    found: set[str] = set()
    for rc in draw.items.select_related("item"):
        industries = _industries_of(rc, draw.inspection_from)
        if industries is None:
            return None
        found |= industries
    return found


def recently_inspected(since: datetime.date) -> set[int]:
    done = InspectionTask.objects.filter(status=TaskStatus.DONE, done_on__gte=since).values_list(
        "entity_id", flat=True
    )
    drawn = DrawSelection.objects.filter(
        draw__status=DrawStatus.DRAWN, draw__drawn_at__date__gte=since
    ).values_list("entity_id", flat=True)
    return set(done) | set(drawn)


def _stratum_expression(strata_by: str) -> Any:
    if strata_by == StrataBy.INDUSTRY:
        return F("industry")
    if strata_by == StrataBy.REGION:
        return F("region_id")
    return Concat(F("industry"), Value("|"), F("region_id"), output_field=CharField())


def _ratio_expression(draw: Draw) -> Any:
    """The ratio table as one SQL CASE, so that the database hands over each entity's ratio
    instead of its grade and level (a million rows cross the wire in this query)."""
    whens = []
    for key, ratio in sorted((draw.ratios or {}).items()):
        grade, level = key.split("|")
        whens.append(When(credit_grade=grade, risk_level=level, then=Value(int(ratio))))
    default = Value(int(draw.default_ratio))
    return Case(*whens, default=default, output_field=IntegerField()) if whens else default


def directory_build(
    draw: Draw, *, today: datetime.date | None = None, optional_forced: set[str] | None = None
) -> DirectoryBuild:
    """The inspection-object directory (检查对象名录库) of `draw`, from the registry as it is:
    inspectable entities in the bureau's jurisdiction matching the filters, each weighted by the
    ratio table (credit grade × risk level) and down-weighted (or left out) when inspected
    within the recent months. Forced entities are marked."""
    today = today or clock.today()
    f = draw.filters or {}
    qs = Entity.objects.filter(business_status__in=INSPECTABLE)
    region = draw.bureau.region_id
    if f.get("regions"):
        codes = sorted({c for r in f["regions"] for c in region_codes_under(r)})
        qs = qs.filter(region_id__in=codes)
    else:
        qs = qs.filter(region_q("region_id", region))
    if f.get("industries"):
        qs = qs.filter(industry__in=f["industries"])
    covered = item_industries(draw)
    if covered is not None:
        # Only entities that at least one of the draw's items applies to can be inspected.
        qs = qs.filter(industry__in=sorted(covered))
    if f.get("key_supervision_only"):
        qs = qs.filter(key_supervision=True)
    if f.get("major_hazard_only"):
        qs = qs.filter(major_hazard_source=True)
    # Code-point order, as the directory's canonical order is (credit codes are ASCII).
    by_code = Collate("uscc", "C") if connection.vendor == "postgresql" else "uscc"
    query = (
        qs.annotate(stratum=_stratum_expression(draw.strata_by), ratio=_ratio_expression(draw))
        .order_by(by_code)
        .values_list("pk", "uscc", "stratum", "ratio", "region_id", "industry")
    )
    # Straight from the cursor: the ORM's per-row converters cost more than the query here
    # (the columns are plain integers and text).
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = len(rows)
    pks_t, usccs_t, strata_t, ratios_t, regions_t, industries_t = (
        zip(*rows, strict=True) if rows else ((), (), (), (), (), ())
    )
    del rows
    pks = np.fromiter(pks_t, dtype=np.int64, count=n)
    ratio = np.fromiter(ratios_t, dtype=np.int64, count=n)
    optional = optional_forced or set()
    forced_codes = set(draw.forced or []) | optional
    forced = ratio >= RATIO_SCALE  # 10000 per ten thousand means "every one": a certainty
    if forced_codes:
        forced |= np.fromiter((u in forced_codes for u in usccs_t), dtype=np.bool_, count=n)
    factor = np.full(n, FACTOR_SCALE, dtype=np.int64)
    if draw.recent_months:
        since = today - datetime.timedelta(days=round(draw.recent_months * 30.44))
        recent = np.fromiter(recently_inspected(since), dtype=np.int64)
        factor[np.isin(pks, recent)] = draw.recent_factor
    zero_recent = ~forced & (factor == 0)
    zero_ratio = ~forced & (ratio == 0) & ~zero_recent
    keep = ~(zero_recent | zero_ratio)
    kept = keep.tolist()
    # A code forced by a provider (optional) may lie outside the directory: left aside.
    missing = sorted(forced_codes - optional - set(compress(usccs_t, forced.tolist())))
    if missing:
        raise ServiceError.for_field(
            "forced",
            _("Not in the directory (outside the filters or jurisdiction, or closed): %(codes)s")
            % {"codes": "、".join(missing[:5])},
        )
    return DirectoryBuild(
        directory=algorithm.Directory.from_columns(
            list(compress(usccs_t, kept)),
            list(compress(strata_t, kept)),
            np.maximum(1, ratio * factor)[keep],
            forced[keep],
        ),
        excluded_recent=int(zero_recent.sum()),
        excluded_zero_ratio=int(zero_ratio.sum()),
        pks=pks[keep],
        counties=list(compress(regions_t, kept)),
        industries=list(compress(industries_t, kept)),
    )


def inspector_id(user_pk: int) -> str:
    return f"u{user_pk}"


def pool_build(draw: Draw) -> tuple[list[algorithm.Inspector], algorithm.AssignmentRules]:
    """The inspector pool (执法检查人员名录库): active inspectors of the bureau and the bureaus
    under it, each with the enforcement certificate valid on the first inspection day (or their
    latest one, whose dates then exclude them), its specialties, and how many open tasks they
    already carry (so that workload balances across draws)."""
    region = draw.bureau.region_id
    users = User.objects.filter(
        is_active=True, role_assignments__role=Role.INSPECTOR, bureau__isnull=False
    )
    users = users.filter(region_q("bureau__region_id", region))
    users = users.select_related("bureau").distinct()
    certificates: dict[int, EnforcementCertificate] = {}
    for cert in EnforcementCertificate.objects.filter(
        holder__in=users, revoked_at__isnull=True
    ).order_by("holder_id", "valid_until"):
        current = certificates.get(cert.holder_id)
        fits = cert.valid_from <= draw.inspection_from <= cert.valid_until
        if (
            current is None
            or fits
            or not (current.valid_from <= draw.inspection_from <= current.valid_until)
        ):
            certificates[cert.holder_id] = cert
    loads: dict[int, int] = defaultdict(int)
    for user_id in InspectionTask.inspectors.through.objects.filter(
        inspectiontask__status=TaskStatus.OPEN
    ).values_list("user_id", flat=True):
        loads[user_id] += 1
    pool = [
        algorithm.Inspector(
            id=inspector_id(u.pk),
            county=u.bureau.region_id if u.bureau else "",
            specialties=frozenset(certificates[u.pk].specialties),
            valid_from=certificates[u.pk].valid_from,
            valid_until=certificates[u.pk].valid_until,
            load=loads.get(u.pk, 0),
        )
        for u in users
        if u.pk in certificates
    ]
    rules = algorithm.AssignmentRules(
        per_entity=draw.inspectors_per_entity,
        avoid_own_county=draw.avoid_own_county,
        max_per_inspector=draw.max_per_inspector,
    )
    return pool, rules


def _columns_bytes(directory: algorithm.Directory, build: DirectoryBuild) -> bytes:
    """The directory as the run needs it, column by column (NumPy's .npz), with each row's
    entity key, county and industry as the commit read them: reading it back takes a tenth
    of the time of parsing the published text (which stays the record), and the run need
    not look the drawn entities up again."""
    county_keys, county_codes = algorithm.coded(build.counties)
    industry_keys, industry_codes = algorithm.coded(build.industries)
    out = io.BytesIO()
    np.savez(
        out,
        pks=build.pks.astype(np.int64),
        county_keys=np.array(county_keys, dtype=np.str_),
        county_codes=county_codes,
        industry_keys=np.array(industry_keys, dtype=np.str_),
        industry_codes=industry_codes,
        usccs=np.frombuffer("\n".join(directory.usccs).encode(), dtype=np.uint8),
        keys=np.array(directory.stratum_keys, dtype=np.str_),
        codes=directory.stratum_codes,
        weights=directory.weights,
        forced=directory.forced,
    )
    return out.getvalue()


def _pool_text(pool: list[algorithm.Inspector]) -> bytes:
    names = dict(
        User.objects.filter(pk__in=[int(i.id[1:]) for i in pool]).values_list("pk", "full_name")
    )
    lines = ["id\tname\tcounty\tspecialties\tvalid_from\tvalid_until\tload\n"]
    for i in sorted(pool, key=lambda p: p.id):
        lines.append(
            f"{i.id}\t{names.get(int(i.id[1:]), '')}\t{i.county}"
            f"\t{publication.list_cell(i.specialties)}"
            f"\t{i.valid_from or ''}\t{i.valid_until or ''}\t{i.load}\n"
        )
    return "".join(lines).encode()


def quotas_for(directory: algorithm.Directory) -> dict[str, int]:
    """Each stratum's quota: its forced entities, plus its share of the expected number of the
    others (the sum of their ratios), the shares rounded so that they add up to the rounded
    total (largest remainder; ties by stratum key). The quotas are published with the
    commitment, so a verifier takes them as given (docs/algorithms/draw.md, section 7)."""
    scale = RATIO_SCALE * FACTOR_SCALE
    forced: dict[str, int] = defaultdict(int)
    expected: dict[str, int] = defaultdict(int)  # in units of 1/scale
    sizes: dict[str, int] = defaultdict(int)
    for stratum, weight, is_forced in zip(
        directory.strata, directory.weights.tolist(), directory.forced.tolist(), strict=True
    ):
        sizes[stratum] += 1
        if is_forced:
            forced[stratum] += 1
        else:
            expected[stratum] += weight
    total = round(sum(expected.values()) / scale)
    base = {h: expected[h] // scale for h in sizes}
    spare = total - sum(base.values())
    by_remainder = sorted(sizes, key=lambda h: (-(expected[h] % scale), h))
    for h in by_remainder[: max(spare, 0)]:
        base[h] += 1
    return {h: min(sizes[h], forced[h] + base[h]) for h in sorted(sizes)}


def probabilities_text(directory: algorithm.Directory, quotas: dict[str, int]) -> bytes:
    """Every entity's inclusion probability, published with the commitment (they do not depend
    on the secret): uscc, stratum, the exact fraction and its decimal value."""
    numerators, denominators = algorithm.inclusion_probabilities(directory, quotas)
    # A directory has a few hundred distinct probabilities (one per stratum and weight), so
    # each is written out once and the rows share the text: formatting a fraction and a
    # decimal for each of a million rows took most of a second.
    # (Each side numbered by its distinct values first: NumPy's row-wise unique is 10x slower.)
    n_values, n_codes = np.unique(numerators, return_inverse=True)
    d_values, d_codes = np.unique(denominators, return_inverse=True)
    width = len(d_values)
    pairs, which = np.unique(
        n_codes.reshape(-1).astype(np.int64) * width + d_codes.reshape(-1), return_inverse=True
    )
    texts = []
    for pair in pairs.tolist():
        n, d = int(n_values[pair // width]), int(d_values[pair % width])
        divisor = math.gcd(n, d) or 1
        # As NumPy divided before: each side rounded to a double first.
        texts.append(f"{n // divisor}/{d // divisor}\t{float(n) / float(d):.6f}\n")
    lines = ["uscc\tstratum\tprobability\tdecimal\n"]
    lines.extend(
        f"{u}\t{h}\t{texts[i]}"
        for u, h, i in zip(
            directory.usccs, directory.strata, which.reshape(-1).tolist(), strict=True
        )
    )
    return "".join(lines).encode()


def selection_text(
    result: algorithm.DrawResult,
    directory: algorithm.Directory,
    assignment: algorithm.AssignmentResult,
    refusals: dict[str, algorithm.AssignmentRefusal],
) -> bytes:
    """selection.tsv (docs/algorithms/draw.md, section 16): each drawn entity in uscc order,
    its stratum, forced 1/0, its exact inclusion probability, its team (inspector ids in the
    order they were chosen, a JSON array) and, when the pool could not staff it, the refusal
    (a JSON object: needed, eligible, excluded by rule)."""
    lines = ["uscc\tstratum\tforced\tprobability\tteam\trefusal\n"]
    numerators = result.probability_numerators
    denominators = result.probability_denominators
    for u in result.selected:  # canonical (uscc) order
        i = directory.index_of(u)
        team = json.dumps(list(assignment.teams.get(u, ())), separators=(",", ":"))
        refusal = ""
        if u in refusals:
            r = refusals[u]
            refusal = (
                publication.canonical_json(
                    {"needed": r.needed, "eligible": r.eligible, "excluded": r.excluded}
                )
                .decode()
                .strip()
            )
        lines.append(
            f"{u}\t{directory.strata[i]}\t{int(directory.forced[i])}"
            f"\t{int(numerators[i])}/{int(denominators[i])}\t{team}\t{refusal}\n"
        )
    return "".join(lines).encode()


def result_json(result: algorithm.DrawResult, assignment: algorithm.AssignmentResult) -> bytes:
    """result.json (section 16): what the draw computed besides the selection, so that a
    verifier compares data: the per-stratum details (section 8.6), the overflow, and of the
    assignment the refusals in processing order, every inspector's final load and
    `counter_end`. Integers that may exceed 2^53 are decimal strings, as in the vectors."""
    return publication.canonical_json(
        {
            "version": algorithm.VERSION,
            "seed": result.seed.hex(),
            "selected": len(result.selected),
            "overflow": result.overflow,
            "strata": [
                {
                    "stratum": h.stratum,
                    "size": h.size,
                    "quota": h.quota,
                    "total_weight": str(h.total_weight),
                    "forced": h.forced,
                    "overflow": h.overflow,
                    "certainties": h.certainties,
                    "systematic_quota": h.systematic_quota,
                    "systematic_weight": str(h.systematic_weight),
                    "start": None if h.start is None else str(h.start),
                    "selected": h.selected,
                }
                for h in result.strata
            ],
            "refusals": [
                {"uscc": r.uscc, "needed": r.needed, "eligible": r.eligible, "excluded": r.excluded}
                for r in assignment.refusals
            ],
            "loads": dict(sorted(assignment.loads.items())),
            "counter_end": assignment.counter_end,
        }
    )


@gc_paused()
@transaction.atomic
def draw_commit(*, actor: Any, draw: Draw, source: str = AuditSource.WEB) -> Draw:
    """Freeze the directory and the pool, hash them, make the secret and publish its commitment.
    From here on the draw can be run once and never edited or deleted."""
    locked = _locked(draw, DrawStatus.DRAFT)
    _own_bureau(actor, locked.bureau)
    # Entities a later capability forces in (draws/forced.py): kept where in the directory.
    from anjian.draws.forced import forced_by_providers

    chosen = set(locked.forced or [])
    auto = {u: why for u, why in forced_by_providers(locked).items() if u not in chosen}
    build = directory_build(locked, optional_forced=set(auto))
    directory = build.directory
    if auto:
        present = set(directory.usccs)
        auto = {u: why for u, why in sorted(auto.items()) if u in present}
        locked.forced = sorted(chosen | set(auto))
    if not len(directory):
        raise Conflict(_("The directory is empty: no entity matches the filters."))
    quotas = quotas_for(directory)
    pool, rules = pool_build(locked)
    secret = algorithm.secret_new()
    # Stored by content hash (draws/publication.py); the draw records each hash.
    files = {
        "directory": publication.store(directory.serialisation()),
        "inspectors": publication.store(_pool_text(pool)),
        "probabilities": publication.store(probabilities_text(directory, quotas)),
    }
    columns = _columns_bytes(directory, build)
    files[publication.INTERNAL] = publication.store(columns, compressed=False)
    locked.files = files
    locked.directory_file = publication.path_for(files["directory"])
    locked.pool_file = publication.path_for(files["inspectors"])
    locked.directory_size = len(directory)
    locked.directory_hash = directory.hash_hex
    locked.pool_hash = algorithm.pool_hash(pool, on=locked.inspection_from, rules=rules)
    locked.quotas = quotas
    locked.secret = secret
    locked.commitment = algorithm.secret_commitment(secret)
    locked.status = DrawStatus.COMMITTED
    locked.committed_at = clock.now()
    locked.summary = {
        "excluded_recent": build.excluded_recent,
        "excluded_zero_ratio": build.excluded_zero_ratio,
        "pool_size": len(pool),
        "total": sum(quotas.values()),
        **({"forced_auto": auto} if auto else {}),
    }
    locked.save()
    audit_record(
        actor=actor,
        action="draws.draw.committed",
        obj=locked,
        region=locked.bureau.region_id,
        changes={
            "commitment": locked.commitment,
            "directory_hash": locked.directory_hash,
            "directory_size": locked.directory_size,
            "pool_hash": locked.pool_hash,
            "quotas": quotas,
        },
        source=source,
    )
    return locked


def stored_directory(draw: Draw) -> algorithm.Directory:
    """The committed directory, read back from its file (not from the registry, which moves);
    its hash is the hash of the stored bytes."""
    return algorithm.Directory.from_serialisation(publication.read(draw, "directory"))


@dataclass
class DirectoryEntities:
    """Each committed directory row's entity (key, county, industry), as the commit read it."""

    pks: np.ndarray
    county_keys: list[str]
    county_codes: np.ndarray
    industry_keys: list[str]
    industry_codes: np.ndarray

    def rows(self, usccs: list[str], positions: list[int]) -> dict[str, dict[str, Any]]:
        """As `selected_entities` gives them, for the entities `usccs` at `positions` of the
        directory."""
        at = np.array(positions, dtype=np.int64)
        pks = self.pks[at].tolist()
        counties = map(self.county_keys.__getitem__, self.county_codes[at].tolist())
        industries = map(self.industry_keys.__getitem__, self.industry_codes[at].tolist())
        return {
            u: {"pk": pk, "uscc": u, "region_id": r, "industry": i}
            for u, pk, r, i in zip(usccs, pks, counties, industries, strict=True)
        }


def committed_directory(draw: Draw) -> tuple[algorithm.Directory, DirectoryEntities | None]:
    """The committed directory for the run, and its rows' entities: from the columns file the
    commit wrote beside the published text, when its hash is the one the commit stored (a
    draw committed before that file existed gets None, and its text is parsed as a verifier
    would). The caller still checks the text's hash against the published directory hash."""
    data = publication.read(draw, "directory")
    if publication.INTERNAL in (draw.files or {}):
        raw = publication.read(draw, publication.INTERNAL)
    else:  # committed before content addressing: the columns file under the draw's id
        path = (draw.summary or {}).get("directory_columns_file")
        if not path:  # committed before the columns file existed
            return algorithm.Directory.from_serialisation(data), None
        with default_storage.open(path, "rb") as fh:
            raw = fh.read()
        if hashlib.sha256(raw).hexdigest() != draw.summary.get("directory_columns_sha256"):
            raise Conflict(_("The stored directory does not match its published hash."))
    with np.load(io.BytesIO(raw), allow_pickle=False) as columns:
        usccs = columns["usccs"].tobytes().decode()
        directory = algorithm.Directory.from_parts(
            usccs.split("\n") if usccs else [],
            columns["keys"].tolist(),
            columns["codes"],
            columns["weights"],
            columns["forced"],
            data,
        )
        entities = DirectoryEntities(
            pks=columns["pks"],
            county_keys=columns["county_keys"].tolist(),
            county_codes=columns["county_codes"],
            industry_keys=columns["industry_keys"].tolist(),
            industry_codes=columns["industry_codes"],
        )
        return directory, entities


def stored_pool(draw: Draw) -> list[algorithm.Inspector]:
    return pool_parse(
        publication.read(draw, "inspectors"), legacy="inspectors" not in (draw.files or {})
    )


def pool_parse(data: bytes, *, legacy: bool = False) -> list[algorithm.Inspector]:
    """The published inspector pool (inspectors.tsv) back as the algorithm's inspectors."""
    text = data.decode()
    pool = []
    for line in text.split("\n")[1:]:
        if not line:
            continue
        ident, _name, county, specialties, start, end, load = line.split("\t")
        pool.append(
            algorithm.Inspector(
                id=ident,
                county=county,
                specialties=publication.list_parse(specialties, legacy=legacy),
                valid_from=datetime.date.fromisoformat(start) if start else None,
                valid_until=datetime.date.fromisoformat(end) if end else None,
                load=int(load),
            )
        )
    return pool


def _people_text(people: list[algorithm.AssignmentEntity]) -> bytes:
    """The per-entity assignment inputs as used (section 9.1), published with the result so that
    a later change to conflicts or inspection history cannot blur the verification."""
    lines = ["uscc\tcounty\tspecialties\tconflicts\tlast_inspectors\n"]
    for p in sorted(people, key=lambda e: e.uscc):
        lines.append(
            "\t".join(
                [
                    p.uscc,
                    p.county,
                    publication.list_cell(p.specialties),
                    publication.list_cell(p.conflicts),
                    publication.list_cell(p.last_inspectors),
                ]
            )
            + "\n"
        )
    return "".join(lines).encode()


def stored_people(draw: Draw) -> list[algorithm.AssignmentEntity]:
    return people_parse(
        publication.read(draw, "assignment-inputs"),
        legacy="assignment-inputs" not in (draw.files or {}),
    )


def people_parse(data: bytes, *, legacy: bool = False) -> list[algorithm.AssignmentEntity]:
    """The published assignment inputs (assignment-inputs.tsv) back as the algorithm's."""
    text = data.decode()
    out = []
    for line in text.split("\n")[1:]:
        if not line:
            continue
        uscc, county, specialties, conflicts, last = line.split("\t")

        def split(value: str) -> frozenset[str]:
            return publication.list_parse(value, legacy=legacy)

        out.append(
            algorithm.AssignmentEntity(
                uscc=uscc,
                county=county,
                specialties=split(specialties),
                conflicts=split(conflicts),
                last_inspectors=split(last),
            )
        )
    return out


def selected_entities(selected: list[str]) -> dict[str, dict[str, Any]]:
    """The drawn entities' pk, county and industry by credit code, read once per draw."""
    query = Entity.objects.filter(uscc__in_array=selected).values_list(
        "pk", "uscc", "region_id", "industry"
    )
    # Straight from the cursor, as in directory_build: plain integers and text, and the ORM's
    # per-row work would cost more than the query (a province-wide draw reads 44,820 rows).
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {u: {"pk": pk, "uscc": u, "region_id": r, "industry": i} for pk, u, r, i in rows}


def assignment_entities(rows: dict[str, dict[str, Any]]) -> list[algorithm.AssignmentEntity]:
    """Per drawn entity (`selected_entities`): its county, the specialty it needs (its
    industry), declared conflicts and who inspected it last (the team of its latest done task)."""
    pks = [r["pk"] for r in rows.values()]
    conflicts: dict[int, set[str]] = defaultdict(set)
    for entity_id, user_id in InspectorConflict.objects.filter(entity_id__in_array=pks).values_list(
        "entity_id", "inspector_id"
    ):
        conflicts[entity_id].add(inspector_id(user_id))
    # Who inspected each entity last: the team of its latest done task (and who recorded it).
    latest: dict[int, tuple[datetime.date, int, int | None]] = {}
    for task_id, entity_id, done_on, done_by in InspectionTask.objects.filter(
        entity_id__in_array=pks, status=TaskStatus.DONE
    ).values_list("pk", "entity_id", "done_on", "done_by_id"):
        key = (done_on or datetime.date.min, task_id)
        if entity_id not in latest or key > latest[entity_id][:2]:
            latest[entity_id] = (*key, done_by)
    last: dict[int, set[str]] = {
        e: {inspector_id(by)} if by else set() for e, (_d, _t, by) in latest.items()
    }
    task_entity = {t: e for e, (_d, t, _b) in latest.items()}
    through = InspectionTask.inspectors.through
    for task_id, user_id in through.objects.filter(
        inspectiontask_id__in_array=list(task_entity)
    ).values_list("inspectiontask_id", "user_id"):
        last[task_entity[task_id]].add(inspector_id(user_id))
    none: frozenset[str] = frozenset()  # most drawn entities have no conflict and no history
    specialty = {i: frozenset({i}) for i in {r["industry"] for r in rows.values()}}
    return [
        algorithm.AssignmentEntity(
            u,
            r["region_id"],
            specialty[r["industry"]],
            frozenset(conflicts[r["pk"]]) if r["pk"] in conflicts else none,
            frozenset(last[r["pk"]]) if r["pk"] in last else none,
        )
        for u, r in rows.items()
    ]


@gc_paused()
@transaction.atomic
def draw_run(
    *, actor: Any, draw: Draw, over_limit_reason: str = "", source: str = AuditSource.WEB
) -> Draw:
    """Reveal the secret, draw, assign inspectors and make the inspection tasks; once only.
    When the tasks take drawn entities beyond a limit a later capability sets (credit's yearly
    caps, `inspections/scheduling.py`: one check for the whole sample), the run needs
    `over_limit_reason` and is otherwise refused and rolled back; the draw is the same when run
    again (its seed is committed), now with the reason in those tasks' notes and the audit."""
    locked = _locked(draw, DrawStatus.COMMITTED)
    _own_bureau(actor, locked.bureau)
    directory, entities = committed_directory(locked)
    if directory.hash_hex != locked.directory_hash:
        raise Conflict(_("The stored directory does not match its published hash."))
    pool = stored_pool(locked)
    rules = algorithm.AssignmentRules(
        per_entity=locked.inspectors_per_entity,
        avoid_own_county=locked.avoid_own_county,
        max_per_inspector=locked.max_per_inspector,
    )
    if algorithm.pool_hash(pool, on=locked.inspection_from, rules=rules) != locked.pool_hash:
        raise Conflict(_("The stored inspector pool does not match its published hash."))
    result = algorithm.draw_entities(directory, locked.quotas, secret=locked.secret)
    # The drawn entities as the commit read them (county and industry frozen with the
    # directory), or, for a draw committed before the columns file, from the registry.
    # Where each drawn entity is in the directory (`selected` lists them in its order).
    positions = np.flatnonzero(result.selected_mask).tolist()
    position = dict(zip(result.selected, positions, strict=True))
    if entities is not None:
        rows = entities.rows(result.selected, positions)
    else:
        rows = selected_entities(result.selected)
    people = assignment_entities(rows)
    files = dict(locked.files or {})
    files["assignment-inputs"] = publication.store(_people_text(people))
    assignment = algorithm.assign_inspectors(
        people, pool, on=locked.inspection_from, rules=rules, seed=result.seed
    )
    ids = {u: r["pk"] for u, r in rows.items()}
    # Written in the order of the entities' keys: each row's foreign-key check then locks the
    # registry rows in the order of the table's pages instead of at random (a fifth faster
    # at a million entities).
    selected = sorted(result.selected, key=ids.__getitem__)
    probabilities = result.probabilities
    refusals = {r.uscc: r for r in assignment.refusals}
    at = [position[u] for u in selected]
    insert_columns(
        DrawSelection,
        {
            "draw_id": [locked.pk] * len(at),
            "entity_id": [ids[u] for u in selected],
            "stratum": [directory.strata[i] for i in at],
            "forced": directory.forced[at].tolist(),
            "probability": probabilities[at].astype(float).tolist(),
            "unassigned_reasons": [
                {"eligible": refusals[u].eligible, "excluded": refusals[u].excluded}
                if u in refusals
                else {}
                for u in selected
            ],
            "team": [[int(member[1:]) for member in assignment.teams.get(u, ())] for u in selected],
        },
    )
    industries = {u: r["industry"] for u, r in rows.items()}
    tasks = _tasks_from_draw(locked, selected, ids, industries, assignment.teams)
    over_limit = over_limit_require(
        InspectionTask.objects.filter(draw=locked), _due_on(locked).year, over_limit_reason
    )
    files["selection"] = publication.store(selection_text(result, directory, assignment, refusals))
    files["result"] = publication.store(result_json(result, assignment))
    locked.files = files
    locked.seed = result.seed.hex()
    locked.status = DrawStatus.DRAWN
    locked.drawn_at = clock.now()
    locked.summary = {
        **locked.summary,
        "selected": len(result.selected),
        "assigned": len(assignment.teams),
        "refused": len(assignment.refusals),
        "overflow": result.overflow,
        "tasks": tasks,
        **({"over_limit": over_limit["over_limit_count"]} if over_limit else {}),
    }
    locked.save()
    audit_record(
        actor=actor,
        action="draws.draw.drawn",
        obj=locked,
        region=locked.bureau.region_id,
        changes={
            "secret": locked.secret,
            "seed": locked.seed,
            "selected": len(result.selected),
            "assigned": len(assignment.teams),
            "refused": len(assignment.refusals),
            "tasks": tasks,
            **over_limit,
        },
        source=source,
    )
    return locked


def _due_on(draw: Draw) -> datetime.date:
    return max(draw.inspection_from, workday_on_or_before(draw.inspection_until))


def _tasks_from_draw(
    draw: Draw,
    selected: list[str],
    ids: dict[str, int],
    industries: dict[str, str],
    teams: dict[str, tuple[str, ...]],
) -> int:
    """One task per drawn and staffed entity and random-check item, with its team; an entity the
    pool could not staff gets no task until the draw's refusal is resolved."""
    items = [
        (rc, _industries_of(rc, draw.inspection_from)) for rc in draw.items.select_related("item")
    ]
    due = _due_on(draw)
    tasks = [
        (u, rc)
        for u in selected
        if u in teams
        for rc, applies_to in items
        # Each entity is inspected on the items that apply to its industry.
        if applies_to is None or industries[u] in applies_to
    ]
    made = insert_columns(
        InspectionTask,
        {
            "bureau_id": [draw.bureau_id] * len(tasks),
            "division_id": [rc.division_id for _u, rc in tasks],
            "entity_id": [ids[u] for u, _rc in tasks],
            "item_id": [rc.item_id for _u, rc in tasks],
            "source": [TaskSource.DRAW.value] * len(tasks),
            "draw_id": [draw.pk] * len(tasks),
            "period_start": [draw.inspection_from] * len(tasks),
            "due_on": [due] * len(tasks),
        },
        returning=["entity_id"],
    )
    by_entity = {v: k for k, v in ids.items()}
    team_rows = [
        (task_id, int(member[1:]))
        for task_id, entity_id in made
        for member in teams[by_entity[entity_id]]
    ]
    insert_columns(
        InspectionTask.inspectors.through,
        {
            "inspectiontask_id": [r[0] for r in team_rows],
            "user_id": [r[1] for r in team_rows],
        },
    )
    return len(made)


def draw_export_record(*, actor: Any, draw: Draw, rows: int, source: str) -> None:
    """Exports are audited (等保2.0: who exported what, when)."""
    actor_require(actor, Capability.WORKSPACE)
    audit_record(
        actor=actor,
        action="draws.draw.exported",
        obj=draw,
        region=draw.bureau.region_id,
        changes={"format": "xlsx", "rows": rows},
        source=source,
    )


@transaction.atomic
def conflict_declare(
    *, actor: Any, inspector: User, entity: Entity, reason: str, source: str = AuditSource.WEB
) -> InspectorConflict:
    """回避: an inspector declares a conflict with an entity (or their division head does)."""
    actor_require(actor, Capability.CONFLICTS_DECLARE)
    actor_require_region(actor, entity.region_id)
    if inspector.pk != getattr(actor, "pk", None) and not actor.can(Capability.DRAWS_MANAGE):
        raise NotPermitted(_("Inspectors declare their own conflicts."))
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say what the conflict is."))
    conflict, created = InspectorConflict.objects.get_or_create(
        inspector=inspector, entity=entity, defaults={"reason": reason.strip()}
    )
    if not created:
        raise Conflict(_("This conflict is already declared."))
    audit_record(
        actor=actor,
        action="draws.conflict.declared",
        obj=conflict,
        region=entity.region_id,
        changes={"inspector": inspector.username, "entity": entity.uscc, "reason": reason.strip()},
        source=source,
    )
    return conflict


def random_check_item_add(
    *, actor: Any, bureau: Bureau | None, item: Any, division: Any = None,
    source: str = AuditSource.WEB,
) -> RandomCheckItem:  # fmt: skip
    bureau = _own_bureau(actor, bureau)
    if division is not None and division.bureau_id != bureau.pk:
        raise ServiceError.for_field("division", _("Choose a division of the plan's bureau."))
    rc, created = RandomCheckItem.objects.get_or_create(
        bureau=bureau, item=item, defaults={"division": division}
    )
    if not created:
        raise Conflict(_("This item is already on the random-check list."))
    audit_record(
        actor=actor,
        action="draws.item.added",
        obj=rc,
        region=bureau.region_id,
        changes={"item": item.code, "division": division.name if division else ""},
        source=source,
    )
    return rc
