"""Writes for random inspections, the commitment: which entities form the directory and with
what weight, which inspectors form the pool, the published files (directory, pool,
probabilities) and the commitment to the secret (docs/algorithms/draw.md, sections 3 and 4).
Callers import from `anjian.draws.services`.
"""

from __future__ import annotations

import datetime
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import compress
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.db.models.functions import Collate, Concat
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import EnforcementCertificate, User
from anjian.accounts.roles import Role
from anjian.core import clock
from anjian.core.bulk import gc_paused
from anjian.core.errors import Conflict, ServiceError
from anjian.core.scope import region_codes_under, region_q
from anjian.core.services import AuditSource, audit_record
from anjian.draws import algorithm, publication
from anjian.draws.models import Draw, DrawSelection, RandomCheckItem
from anjian.draws.services.configure import FACTOR_SCALE, RATIO_SCALE, _locked, _own_bureau
from anjian.draws.states import DrawStatus, StrataBy
from anjian.entities.models import Entity
from anjian.inspections.models import InspectionTask, TaskStatus
from anjian.plans.rules import INSPECTABLE


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
