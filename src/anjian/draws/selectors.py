"""Reads for draws: lists in scope, one draw with its selection, and what the public may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.catalog.selectors import item_name_expression
from anjian.core.bulk import gc_paused
from anjian.core.choices import CreditGrade, Industry, RiskLevel
from anjian.core.models import Region
from anjian.core.scope import get_visible_or_404
from anjian.draws.models import (
    RULE_LABELS,
    Draw,
    DrawSelection,
    InspectorConflict,
    RandomCheckItem,
    unassigned_text,
)
from anjian.draws.states import DrawStatus

PUBLIC_STATUSES = (DrawStatus.COMMITTED, DrawStatus.DRAWN)


def draw_list(viewer: Any, *, status: str = "", own_bureau: bool = False) -> QuerySet[Draw]:
    qs = Draw.objects.visible_to(viewer)
    if status:
        qs = qs.filter(status=status)
    if own_bureau:
        qs = qs.filter(bureau_id=getattr(viewer, "bureau_id", None) or 0)
    return (
        qs.select_related("bureau", "redo_of")
        .annotate(selected=Count("selections"))
        .order_by("-id")
    )


def draw_get(viewer: Any, pk: int) -> Draw:
    return get_visible_or_404(
        Draw.objects.select_related("bureau", "redo_of", "created_by"), viewer, pk=pk
    )


def stratum_labels(keys: Iterable[str]) -> dict[str, str]:
    """Each stratum key in words: an industry code (`coal_mine`: 煤矿), a county code
    (`140602`: 平鲁区), or both joined by "|". The keys stay what the published files and the
    algorithm use; officers and the public read the words."""
    keys = list(keys)
    industries = {code: str(label) for code, label in Industry.choices}
    codes = {part for k in keys for part in k.split("|") if part not in industries}
    counties = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        k: " · ".join(industries.get(part) or counties.get(part, part) for part in k.split("|"))
        for k in keys
    }


@dataclass
class ParameterWords:
    """A draw's parameters as officers and the public read them: names, not codes."""

    items: list[tuple[str, str, str]]  # (item code, its name on the first inspection day, division)
    industries: list[str]
    regions: list[str]
    ratios: list[tuple[str, int]]  # ("C级 · 重大风险（红）", per ten thousand)


def parameter_words(draw: Draw) -> ParameterWords:
    f = draw.filters or {}
    industries = {code: str(label) for code, label in Industry.choices}
    regions = dict(
        Region.objects.filter(code__in=f.get("regions") or []).values_list("code", "name")
    )
    grades = {"": str(_("not graded")), **{c: str(label) for c, label in CreditGrade.choices}}
    levels = {"": str(_("unknown")), **{c: str(label) for c, label in RiskLevel.choices}}
    items = []
    for rc in draw.items.select_related("item", "division").order_by("item__code"):
        version = rc.item.version_for(draw.inspection_from)
        items.append(
            (rc.item.code, version.name if version else "", rc.division.name if rc.division else "")
        )
    ratios = []
    for key, n in (draw.ratios or {}).items():
        grade, _sep, level = key.partition("|")
        ratios.append((f"{grades.get(grade, grade)} · {levels.get(level, level)}", n))
    return ParameterWords(
        items=items,
        industries=[industries.get(c, c) for c in f.get("industries") or []],
        regions=[regions.get(c, c) for c in f.get("regions") or []],
        ratios=ratios,
    )


@dataclass
class DrawPreview:
    """What committing a draft would freeze, read from the registry and the pool as they are
    now, so that the officer can check it before the irreversible step. Nothing is written."""

    directory_size: int = 0
    excluded_recent: int = 0
    excluded_zero_ratio: int = 0
    forced: int = 0
    quotas: list[tuple[str, str, int]] = field(default_factory=list)  # key, words, quota
    total: int = 0
    pool_size: int = 0  # inspectors with a certificate valid on the first inspection day
    capacity: int | None = 0  # places left before the workload limit (None: no limit)
    needed: int = 0  # places the drawn entities' teams take
    errors: list[str] = field(default_factory=list)


@gc_paused()  # the directory's million rows, as in draw_commit
def draw_preview(draw: Draw) -> DrawPreview:
    from anjian.core.errors import ServiceError
    from anjian.draws import algorithm
    from anjian.draws.services import directory_build, pool_build, quotas_for

    out = DrawPreview()
    try:
        build = directory_build(draw)
    except ServiceError as exc:  # e.g. a forced code outside the directory
        out.errors = exc.reasons()
        return out
    directory = build.directory
    out.directory_size = len(directory)
    out.excluded_recent = build.excluded_recent
    out.excluded_zero_ratio = build.excluded_zero_ratio
    out.forced = int(directory.forced.sum())
    if out.directory_size:
        out.quotas = _quota_words(quotas_for(directory))
        out.total = sum(n for _k, _w, n in out.quotas)
    pool, rules = pool_build(draw)
    day = draw.inspection_from
    valid = [i for i in pool if algorithm.valid_on(i, day)]
    out.pool_size = len(valid)
    most = rules.max_per_inspector
    out.capacity = None if most is None else sum(max(0, most - i.load) for i in valid)
    out.needed = out.total * rules.per_entity
    return out


def _quota_words(quotas: dict[str, int]) -> list[tuple[str, str, int]]:
    labels = stratum_labels(quotas)
    return sorted(((k, labels[k], n) for k, n in quotas.items()), key=lambda r: (-r[2], r[1]))


def quota_rows(draw: Draw) -> list[tuple[str, str, int]]:
    """(key, words, quota) per stratum of a committed draw, largest first, as the page shows
    them."""
    return _quota_words(draw.quotas or {})


def selection_rows(draw: Draw) -> QuerySet[DrawSelection]:
    return draw.selections.select_related("entity", "entity__region").order_by("entity__uscc")


def teams_attach(selections: Iterable[DrawSelection]) -> list[DrawSelection]:
    """Fetch the drawn teams' users of a page of selections in one query (for
    `DrawSelection.team_members`)."""
    rows = list(selections)
    by_pk = User.objects.in_bulk({pk for s in rows for pk in s.team})
    for s in rows:
        s._team_members = [by_pk[pk] for pk in s.team if pk in by_pk]  # type: ignore[attr-defined]
    return rows


def avoidances_attach(draw: Draw, selections: list[DrawSelection]) -> list[DrawSelection]:
    """Who each drawn entity's team was kept from, by name and rule: the pool inspectors with
    a declared conflict with it, and those who inspected it last. Read from the assignment
    inputs published with the result (section 9.1), the very inputs the draw used, so a
    conflict declared later does not show here. Sets `s.avoided` to [(name, rule label)]."""
    from anjian.draws import publication
    from anjian.draws.services import stored_people, stored_pool

    for s in selections:
        s.avoided = []  # type: ignore[attr-defined]
    if (
        draw.status != DrawStatus.DRAWN
        or not publication.exists(draw, "assignment-inputs")
        or not selections
    ):
        return selections
    wanted = {s.entity.uscc for s in selections}
    try:
        people = {p.uscc: p for p in stored_people(draw) if p.uscc in wanted}
        pooled = {i.id for i in stored_pool(draw)}
    except publication.PublishedFileAltered:  # `anjian draws verify` names it; show no names
        return selections
    ids = {
        ident
        for p in people.values()
        for ident in p.conflicts | p.last_inspectors
        if ident in pooled
    }
    names = dict(
        User.objects.filter(pk__in=[int(i[1:]) for i in ids]).values_list("pk", "full_name")
    )
    for s in selections:
        person = people.get(s.entity.uscc)
        avoided = []
        if person is not None:
            for ident in sorted(person.conflicts | person.last_inspectors):
                if ident not in pooled:
                    continue  # not in the pool: never a candidate
                rule = "conflict" if ident in person.conflicts else "last_inspector"
                avoided.append((names.get(int(ident[1:])) or ident, RULE_LABELS[rule]))
        s.avoided = avoided  # type: ignore[attr-defined]
    return selections


def selection_export_header() -> list[str]:
    return [
        str(_("unified social credit code")),
        str(_("name")),
        str(_("county")),
        str(_("industry")),
        str(_("stratum")),
        str(_("inclusion probability")),
        str(_("forced in")),
        str(_("inspectors")),
        str(_("why no team")),
    ]


def selection_export_rows(draw: Draw) -> Iterator[list[Any]]:
    """The drawn entities of `draw` for a spreadsheet (抽查结果表), in credit-code order as on
    the page: the team by name in drawn order, or why the pool could not staff it."""
    counties = dict(Region.objects.values_list("code", "name"))
    industries = dict(Industry.choices)
    rows = list(
        draw.selections.order_by("entity__uscc").values_list(
            "entity__uscc",
            "entity__name",
            "entity__region_id",
            "entity__industry",
            "stratum",
            "probability",
            "forced",
            "team",
            "unassigned_reasons",
        )
    )
    names = dict(
        User.objects.filter(pk__in={pk for r in rows for pk in r[7]}).values_list("pk", "full_name")
    )
    strata = stratum_labels({r[4] for r in rows})
    for uscc, name, county, industry, stratum, probability, forced, team, reasons in rows:
        refusal = "" if team else unassigned_text(reasons)
        yield [
            uscc,
            name,
            counties.get(county, county),
            str(industries.get(industry, industry)),
            strata[stratum],
            round(probability, 6),
            bool(forced),
            "、".join(names.get(pk) or f"#{pk}" for pk in team),
            refusal,
        ]


def results_public(draw: Draw, today: datetime.date | None = None) -> bool:
    """The selection is published once the inspection window has closed: verifiable by anyone,
    without telling the drawn enterprises in advance that an inspection is coming. The
    commitment, the directory hash and the parameters are public from the commitment on."""
    today = today or timezone.localdate()
    return draw.status == DrawStatus.DRAWN and today > draw.inspection_until


def public_draws() -> QuerySet[Draw]:
    return (
        Draw.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("bureau", "redo_of")
        .order_by("-committed_at", "-id")
    )


def public_draw(pk: int) -> Draw:
    draw = public_draws().filter(pk=pk).first()
    if draw is None:
        raise Http404
    return draw


def random_check_items(viewer: Any) -> QuerySet[RandomCheckItem]:
    return (
        RandomCheckItem.objects.visible_to(viewer)
        .select_related("item", "division", "bureau")
        .annotate(item_name=item_name_expression("item"))
    )


def conflict_list(viewer: Any) -> QuerySet[InspectorConflict]:
    return InspectorConflict.objects.visible_to(viewer).select_related("inspector", "entity")


def _utc(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def public_record(draw: Draw, *, results: bool) -> dict[str, Any]:
    """record.json (docs/algorithms/draw.md, section 16): every value the portal's page of the
    draw shows, as data: codes and ids instead of words (industry and region codes, stratum
    keys, inspector ids), the date `on` of the assignment, and each published file with its
    SHA-256. The secret, the seed and the files naming drawn entities only with the results."""
    from anjian.core.masking import mask_text
    from anjian.draws import publication

    items = []
    for rc in draw.items.select_related("item", "division").order_by("item__code"):
        version = rc.item.version_for(draw.inspection_from)
        items.append(
            {
                "code": rc.item.code,
                "name": version.name if version else "",
                "division": rc.division.name if rc.division else "",
            }
        )
    files = {}
    for kind, name in publication.FILES.items():
        if kind in publication.WITH_RESULTS and not results:
            continue
        if not publication.exists(draw, kind):
            continue
        files[kind] = {
            "name": name,
            "sha256": publication.recorded(draw, kind) or None,
            "url": f"/portal/draws/{draw.pk}/files/{kind}/",
        }
    record: dict[str, Any] = {
        "version": "anjian-draw-v1",
        "draw": draw.pk,
        "title": draw.title,
        "bureau": {"region": draw.bureau.region_id, "name": draw.bureau.name},
        "status": draw.status,
        "redo_of": draw.redo_of_id,
        "redo_reason": mask_text(draw.redo_reason) if draw.redo_reason else "",
        "redone_by": list(
            draw.redos.filter(status__in=PUBLIC_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        "items": items,
        "inspection_from": draw.inspection_from.isoformat(),
        "inspection_until": draw.inspection_until.isoformat(),
        # The date the assignment checks certificates on (section 9.1): the window's first day.
        "on": draw.inspection_from.isoformat(),
        "filters": draw.filters or {},
        "strata_by": draw.strata_by,
        "default_ratio": draw.default_ratio,
        "ratios": draw.ratios or {},
        "recent_months": draw.recent_months,
        "recent_factor": draw.recent_factor,
        "forced": list(draw.forced or []),
        "rules": {
            "per_entity": draw.inspectors_per_entity,
            "avoid_own_county": draw.avoid_own_county,
            "max_per_inspector": draw.max_per_inspector,
        },
        "committed_at": _utc(draw.committed_at),
        "commitment": draw.commitment,
        "directory_hash": draw.directory_hash,
        "directory_size": draw.directory_size,
        "pool_hash": draw.pool_hash,
        "quotas": dict(sorted((draw.quotas or {}).items())),
        "results_public": results,
        "files": files,
    }
    if results and draw.status == DrawStatus.DRAWN:
        summary = draw.summary or {}
        record.update(
            {
                "secret": draw.secret,
                "seed": draw.seed,
                "drawn_at": _utc(draw.drawn_at),
                "selected": summary.get("selected"),
                "assigned": summary.get("assigned"),
                "refused": summary.get("refused"),
                "overflow": summary.get("overflow"),
                "inspection_results": [
                    {
                        "uscc": uscc,
                        "item": code,
                        "done_on": done.isoformat() if done else None,
                        "outcome": outcome,
                        "published_on": published.isoformat() if published else None,
                    }
                    for uscc, code, done, outcome, published in draw.tasks.filter(
                        published_on__isnull=False
                    )
                    .order_by("entity__uscc", "item__code")
                    .values_list("entity__uscc", "item__code", "done_on", "outcome", "published_on")
                ],
            }
        )
    return record
