"""Coordination of annual plans (N1.3 相互衔接、避免缺位或重复; N5.1 压减重复检查; N3.4 全覆盖).

For one year and everything under one region:

- **duplicates**: the same entity and supervision item planned by two levels (e.g. a city plan
  and a county plan) or by two divisions of one bureau, in periods that overlap;
- **gaps**: key-supervision entities, and entities of the sectors that must be fully covered
  (settings.ANJIAN_FULL_COVERAGE_INDUSTRIES), that no issued plan of the year covers;
- **coverage**: for each of those categories, how many are covered.

How: a rule can only tell entities apart by county, industry, key-supervision and major-hazard
flags, credit grade and risk level. So the registry is read once as a GROUP BY over those six
attributes (tens of thousands of classes instead of a million rows; values that every line
admits alike are read as one), each class is tested against the rule lines that can reach its
county (its own bureau's, the city's and the province's), and the class size is added to every
result it falls in. Entities named on by-list lines are taken out of their class and tested in
groups of one class and the same lists. docs/PERFORMANCE.md has the figures at a million
entities and 2,000 plans; tests/plans/test_coordination.py checks the result against a plain
entity-by-entity computation.
"""

from __future__ import annotations

import datetime
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from itertools import combinations
from operator import or_
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast

from anjian.catalog.models import ItemVersion
from anjian.core.bulk import gc_paused
from anjian.core.models import Region
from anjian.core.scope import (
    region_ancestors,
    region_codes_under,
    region_q,
    visible_region_codes,
)
from anjian.entities.models import Entity
from anjian.plans.models import InspectionPlan, PlanLine
from anjian.plans.rules import COVERING, INSPECTABLE, LineRule, line_q

CLASS_FIELDS = (
    "region_id",
    "industry",
    "key_supervision",
    "major_hazard_source",
    "credit_grade",
    "risk_level",
)
KEY = "key_supervision"  # the gap category of the key-supervision list; others are industries


def full_coverage_industries() -> list[str]:
    return list(settings.ANJIAN_FULL_COVERAGE_INDUSTRIES)


# Slots: a province's check returns some 12,000 pairs, each otherwise with a dict of its own for
# the collector to walk when the check ends.
@dataclass(slots=True)
class DuplicatePair:
    a: LineRule
    b: LineRule
    entities: int = 0

    @property
    def kind(self) -> str:
        return "levels" if self.a.bureau_id != self.b.bureau_id else "divisions"

    @property
    def overlap(self) -> tuple[datetime.date, datetime.date]:
        return max(self.a.starts_on, self.b.starts_on), min(self.a.ends_on, self.b.ends_on)


@dataclass(slots=True)
class GapRow:
    region_id: str
    region_name: str
    category: str  # KEY or an industry value
    eligible: int = 0
    uncovered: int = 0


@dataclass
class Coordination:
    year: int
    region_id: str
    duplicates: list[DuplicatePair]
    duplicated_entity_items: int
    gaps: list[GapRow]
    coverage: dict[str, tuple[int, int]]  # category -> (eligible, covered)
    lines_checked: int
    classes_checked: int
    seconds: float
    extra_plan_id: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def uncovered_total(self) -> int:
        # An entity can be in two categories (a key-supervision coal mine); count it once per
        # category, as the coverage table does.
        return sum(g.uncovered for g in self.gaps)


def _relevant_lines(
    year: int, region_id: str, extra_plan: InspectionPlan | None
) -> QuerySet[PlanLine]:
    """Lines of the year's covering plans whose jurisdiction meets `region_id`'s: plans of the
    region and everything under it, and of the bureaus above it (their plans reach down)."""
    reach = set(region_codes_under(region_id)) | set(region_ancestors(region_id))
    cond = Q(plan__status__in=COVERING)
    if extra_plan is not None:
        cond |= Q(plan_id=extra_plan.pk)
    return (
        PlanLine.objects.filter(cond, plan__year=year, plan__bureau__region_id__in=reach)
        .select_related("plan__bureau", "item", "division")
        .order_by("id")
    )


def item_names(item_ids: Iterable[int], year: int) -> dict[int, str]:
    """Each item's name as its version in force at the end of `year` has it."""
    names: dict[int, str] = {}
    end = datetime.date(year, 12, 31)
    for item_id, name, since in (
        ItemVersion.objects.filter(item_id__in=set(item_ids))
        .order_by("item_id", "effective_from")
        .values_list("item_id", "name", "effective_from")
    ):
        if since <= end or item_id not in names:
            names[item_id] = name
    return names


_LINE_VALUES = (
    "pk",
    "plan_id",
    "plan__title",
    "plan__status",
    "plan__bureau_id",
    "plan__bureau__name",
    "plan__bureau__region_id",
    "division_id",
    "division__name",
    "item_id",
    "item__code",
    "starts_on",
    "ends_on",
    "frequency",
    Cast("industries", TextField()),
    "key_supervision_only",
    "major_hazard_only",
    Cast("credit_grades", TextField()),
    Cast("risk_levels", TextField()),
    "by_list",  # last: read as ln[-1]
)
# The three lists above are read as their JSON text and decoded once per distinct text: the
# lines of a year repeat a few dozen lists thousands of times.


def _rows(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` query as the driver returns them, in one fetch. On
    PostgreSQL the queries of the check need no conversion (its booleans, dates and counts
    come as Python's), and Django's iteration (100 rows per fetch, a converter call per row)
    cost as much as reading them; elsewhere the queryset is read as usual."""
    if connection.vendor != "postgresql":
        return list(qs)
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, e.g. `__in` an empty set
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Lists(dict[str | None, frozenset[str]]):
    def __missing__(self, text: str | None) -> frozenset[str]:
        found = self[text] = frozenset(json.loads(text) or ()) if text else frozenset()
        return found


class _Same(dict[Any, Any]):
    """A value's stand-in: the first value seen that every line's set admits alike."""

    def __init__(self, sets: Iterable[frozenset[str]], keep: Iterable[str] = ()) -> None:
        super().__init__()
        self.sets = [s for s in set(sets) if s]
        self.keep = set(keep)
        self.seen: dict[tuple[Any, ...], Any] = {}

    def __missing__(self, value: Any) -> Any:
        pattern = (value if value in self.keep else None, *(value in s for s in self.sets))
        found = self[value] = self.seen.setdefault(pattern, value)
        return found


class _Reach:
    """The rule lines of one region, as bit masks over what a line can restrict: the industry,
    the two flags, the grade and the risk level. A class's matching lines are then five lookups
    and four ANDs, bit i for line i (`LineRule.matches` over `lines`, in the same order)."""

    __slots__ = (
        "grade_any", "grades", "hazard", "industries", "industry_any", "key", "lines", "paired",
        "risk_any", "risks", "sets",
    )  # fmt: skip

    def __init__(self, lines: list[LineRule]) -> None:
        self.lines = lines
        every = (1 << len(lines)) - 1
        key_only = hazard_only = 0
        # The lines by the set of values they restrict to (a region's lines repeat a few sets):
        # one dictionary step per line and attribute, then one per distinct set and value.
        industries: dict[frozenset[str], int] = {}
        grades: dict[frozenset[str], int] = {}
        risks: dict[frozenset[str], int] = {}
        of_item: dict[int, list[int]] = {}
        for i, r in enumerate(lines):
            bit = 1 << i
            if r.key_only:
                key_only |= bit
            if r.hazard_only:
                hazard_only |= bit
            industries[r.industries] = industries.get(r.industries, 0) | bit
            grades[r.grades] = grades.get(r.grades, 0) | bit
            risks[r.risks] = risks.get(r.risks, 0) | bit
            of_item.setdefault(r.item_id, []).append(i)
        self.key = (every & ~key_only, every)  # by the class's flag: False, True
        self.hazard = (every & ~hazard_only, every)
        self.industries, self.industry_any = _by_value(industries)
        self.grades, self.grade_any = _by_value(grades)
        self.risks, self.risk_any = _by_value(risks)
        # The lines that make a duplicate pair with another line of the region (the same item
        # by two divisions, in periods that overlap): a set of fewer than two of them has no
        # pair within itself, and most sets have none (one division plans an item once).
        paired = 0
        for group in of_item.values():
            for i, j in combinations(group, 2):
                a, b = lines[i], lines[j]
                if (a.bureau_id != b.bureau_id or a.division_id != b.division_id) and a.overlaps(b):
                    paired |= (1 << i) | (1 << j)
        self.paired = paired
        self.sets: dict[int, int] = {}  # mask -> id of the set of lines it selects


def _by_value(by_set: dict[frozenset[str], int]) -> tuple[dict[str, int], int]:
    """From the lines (a bit mask) by the set of values they restrict to: the lines that admit
    each value named, and those that admit any value (restricting to none)."""
    admit_any = by_set.get(frozenset(), 0)
    found: dict[str, int] = {}
    for values, mask in by_set.items():
        for v in values:
            found[v] = found.get(v, 0) | mask
    return {v: mask | admit_any for v, mask in found.items()}, admit_any


def _lines_of(mask: int, lines: list[LineRule]) -> list[LineRule]:
    """The lines whose bits are set in `mask`, in order: found bit by bit (a province's reach
    holds hundreds of lines, a class matches a few of them)."""
    found = []
    while mask:
        low = mask & -mask
        found.append(lines[low.bit_length() - 1])
        mask ^= low
    return found


def _rule_of(
    ln: tuple[Any, ...],
    year: int,
    levels: dict[str, str],
    listed: frozenset[int],
    names: dict[int, str],
    lists: _Lists,
) -> LineRule:
    """A line as the check tests it, from the values of `_LINE_VALUES`."""
    (
        pk, plan_id, title, status, bureau_id, bureau_name, region, division_id, division_name,
        item_id, item_code, starts_on, ends_on, frequency, industries, key_only, hazard_only,
        grades, risks, by_list,
    ) = ln  # fmt: skip
    # In the order of LineRule's fields (line_id, plan_id, plan_title, plan_status, bureau_id,
    # bureau_name, region_id, level, division_id, division_name, item_id, item_code, item_name,
    # starts_on, ends_on, frequency, industries, key_only, hazard_only, grades, risks, by_list,
    # listed): by position, as keywords cost a third of making the rule
    return LineRule(
        pk,
        plan_id,
        title,
        status,
        bureau_id,
        bureau_name,
        region,
        levels.get(region, ""),
        division_id,
        division_name or "",
        item_id,
        item_code,
        names.get(item_id, item_code),
        starts_on or datetime.date(year, 1, 1),
        ends_on or datetime.date(year, 12, 31),
        frequency,
        lists[industries],
        key_only,
        hazard_only,
        lists[grades],
        lists[risks],
        by_list,
        listed,
    )


@gc_paused()
def coordination_check(
    *, year: int, region_id: str, extra_plan: InspectionPlan | None = None
) -> Coordination:
    """Duplicates, gaps and coverage for `year` under `region_id`. `extra_plan` adds a plan that
    is not yet issued (a draft under approval) so its approver sees what it would cause."""
    started = time.perf_counter()
    scope = Q(business_status__in=INSPECTABLE) & region_q("region_id", region_id)
    regions = {r["code"]: r for r in Region.objects.values("code", "name", "level")}
    levels = {code: r["level"] for code, r in regions.items()}

    # The lines as plain values: thousands of lines as model instances (with plan, bureau,
    # item and division) cost more than the tests made with them.
    lines = _rows(_relevant_lines(year, region_id, extra_plan).values_list(*_LINE_VALUES))
    listed_ids: dict[int, set[int]] = defaultdict(set)
    through = PlanLine.entities.through
    on_lists = through.objects.filter(planline_id__in_array=[ln[0] for ln in lines if ln[-1]])
    for line_id, entity_id in _rows(on_lists.values_list("planline_id", "entity_id")):
        listed_ids[line_id].add(entity_id)
    listed = {line_id: frozenset(ids) for line_id, ids in listed_ids.items()}
    nobody: frozenset[int] = frozenset()
    names = item_names((ln[9] for ln in lines), year)
    lists = _Lists()
    rules = [_rule_of(ln, year, levels, listed.get(ln[0], nobody), names, lists) for ln in lines]
    rule_lines: dict[str, list[LineRule]] = defaultdict(list)  # by the plan's region
    list_lines: dict[str, list[LineRule]] = defaultdict(list)
    for rule in rules:
        (list_lines if rule.by_list else rule_lines)[rule.region_id].append(rule)

    # A class meets the rule lines of its county, its city and the province. Which of them
    # match it depends on five attributes only: bit masks per region (`_Reach`, one for each
    # region rather than one per region and industry: a hundred objects, not a thousand and
    # more). Each distinct set of matching lines gets an id, and a class is reduced to the ids
    # of its sets, one per level (its signature); what a set of lines does to the duplicates
    # is worked out once per signature, not once per class.
    hit_sets: list[list[LineRule]] = []
    set_bits: list[int] = []  # by set id: the items of its lines, as a bit mask by item id
    set_twice: list[bool] = []  # by set id: whether it may hold a pair within itself

    def set_add(lines: list[LineRule], twice: bool) -> int:
        bits = 0
        for r in lines:
            bits |= 1 << r.item_id
        hit_sets.append(lines)
        set_bits.append(bits)
        set_twice.append(twice)
        return len(hit_sets) - 1

    reaches_of: dict[str, list[_Reach]] = {}  # by county
    reach_of: dict[str, _Reach | None] = {}  # by region: shared

    def reaches(county: str) -> list[_Reach]:
        found = reaches_of[county] = []
        for code in region_ancestors(county):
            if code not in reach_of:
                mine = rule_lines.get(code)
                reach_of[code] = _Reach(mine) if mine else None
            reach = reach_of[code]
            if reach is not None:
                found.append(reach)
        return found

    def signature(c: tuple[Any, ...]) -> tuple[int, ...]:
        county, industry, key, hazard, grade, risk = c
        ids = []
        for reach in reaches_of.get(county) or reaches(county):
            # inlined rather than a method of `_Reach`: this runs for every class
            mask = (
                reach.key[key]
                & reach.hazard[hazard]
                & reach.industries.get(industry, reach.industry_any)
                & reach.grades.get(grade, reach.grade_any)
                & reach.risks.get(risk, reach.risk_any)
            )
            if mask:
                found = reach.sets.get(mask)
                if found is None:
                    found = reach.sets[mask] = set_add(
                        _lines_of(mask, reach.lines), (mask & reach.paired).bit_count() > 1
                    )
                ids.append(found)
        return tuple(ids)

    # The duplicates of a signature, in parts. The sets of one signature hold disjoint lines
    # (each set is one region's), so its pairs are those within each set plus those across
    # each two of its sets that plan a common item, and these parts recur in many signatures
    # (the province's set of a class is shared by every county): each part is worked out once,
    # as the pairs it holds and the items they are of (a bit mask by item id), and the entities
    # of every signature holding it are added to it once, at the end.
    Pairs = list[tuple[LineRule, LineRule]]
    part_pairs: dict[tuple[int, ...], tuple[Pairs, int]] = {}
    part_entities: dict[tuple[int, ...], int] = {}
    signature_parts: dict[tuple[int, ...], tuple[list[tuple[int, ...]], int]] = {}
    set_items: dict[int, dict[int, list[LineRule]]] = {}  # set id -> item -> its lines
    # A set's lines of one item (a group) give the same pairs in every set that holds exactly
    # that group.
    group_cache: dict[tuple[int, ...], Pairs] = {}

    def items_of(s: int) -> dict[int, list[LineRule]]:
        found = set_items.get(s)
        if found is None:
            found = set_items[s] = defaultdict(list)
            for r in hit_sets[s]:  # in line order: each group is sorted by line id
                found[r.item_id].append(r)
        return found

    # Two lines are a duplicate pair if they are not one division's own (its own business) and
    # their periods overlap (`LineRule.overlaps`); written out in the two comprehensions below,
    # which test tens of thousands of pairs.

    def part(key: tuple[int, ...]) -> tuple[Pairs, int]:
        found = part_pairs.get(key)
        if found is not None:
            return found
        pairs_here: Pairs = []
        items = 0
        if len(key) == 1:  # within one set
            for item, group in items_of(key[0]).items():
                if len(group) < 2:
                    continue
                group_key = tuple(r.line_id for r in group)
                hits = group_cache.get(group_key)
                if hits is None:
                    hits = group_cache[group_key] = [
                        (a, b)
                        for a, b in combinations(group, 2)
                        if (a.bureau_id != b.bureau_id or a.division_id != b.division_id)
                        and a.starts_on <= b.ends_on
                        and b.starts_on <= a.ends_on
                    ]
                if hits:
                    pairs_here += hits
                    items |= 1 << item
        else:  # across two sets
            mine, theirs = items_of(key[0]), items_of(key[1])
            for item in mine.keys() & theirs.keys():
                hits = [
                    (a, b) if a.line_id < b.line_id else (b, a)
                    for a in mine[item]
                    for b in theirs[item]
                    if (a.bureau_id != b.bureau_id or a.division_id != b.division_id)
                    and a.starts_on <= b.ends_on
                    and b.starts_on <= a.ends_on
                ]
                if hits:
                    pairs_here += hits
                    items |= 1 << item
        found = part_pairs[key] = (pairs_here, items)
        return found

    def parts_of(sig: tuple[int, ...]) -> tuple[list[tuple[int, ...]], int]:
        """The parts of `sig` that hold pairs, and in how many items it is a duplicate."""
        found = signature_parts.get(sig)
        if found is None:
            keys: list[tuple[int, ...]] = []
            items = 0
            for k, s in enumerate(sig):
                if set_twice[s]:  # two paired lines of its region: the set may duplicate itself
                    hits, of_items = part((s,))
                    if hits:
                        keys.append((s,))
                        items |= of_items
                bits = set_bits[s]
                for t in sig[k + 1 :]:
                    if bits & set_bits[t]:  # a common item: the two sets may duplicate
                        hits, of_items = part((s, t))
                        if hits:
                            keys.append((s, t))
                            items |= of_items
            found = signature_parts[sig] = (keys, items.bit_count())
        return found

    full = set(full_coverage_industries())
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    duplicated = 0
    gap_rows: dict[tuple[str, str], GapRow] = {}
    coverage: dict[str, list[int]] = {KEY: [0, 0], **{i: [0, 0] for i in sorted(full)}}

    def duplicates_add(sig: tuple[int, ...], n: int) -> None:
        nonlocal duplicated
        keys, items_hit = parts_of(sig)
        if items_hit:
            duplicated += n * items_hit
            for key in keys:
                part_entities[key] = part_entities.get(key, 0) + n

    def gaps_add(county: str, industry: str, key_supervision: bool, n: int, covered: bool) -> None:
        categories = ([KEY] if key_supervision else []) + ([industry] if industry in full else [])
        for cat in categories:
            coverage[cat][0] += n
            row = gap_rows.get((county, cat))
            if row is None:
                name = regions[county]["name"] if county in regions else county
                row = gap_rows[(county, cat)] = GapRow(county, name, cat)
            row.eligible += n
            if covered:
                coverage[cat][1] += n
            else:
                row.uncovered += n

    # Values of an attribute that every rule line admits alike (risk levels "general" and
    # "low" when lines name only the high ones, grades when none names a grade, the hazard
    # flag when no line asks for it) make one class: fewer classes to test (6,210 instead of
    # 10,711 at the bench's province scope). The industries of the sectors to cover fully stay
    # apart, for the gaps.
    every_rule = [r for here in rule_lines.values() for r in here]
    same_industry = _Same((r.industries for r in every_rule), full)
    same_grade = _Same(r.grades for r in every_rule)
    same_risk = _Same(r.risks for r in every_rule)
    hazard_used = any(r.hazard_only for r in every_rule)

    def class_of(
        county: str, industry: str, key: bool, hazard: bool, grade: str, risk: str
    ) -> tuple[Any, ...]:
        """The class an entity's attributes are tested as (the stand-ins above)."""
        return (
            county,
            same_industry[industry],
            key,
            hazard and hazard_used,
            same_grade[grade],
            same_risk[risk],
        )

    # Entities named on a by-list line leave their class and are tested apart, grouped by
    # their class and the by-list lines (of their county, city or province) that name them.
    named_on: dict[int, list[int]] = defaultdict(list)  # entity -> its by-list lines' set ids
    set_region: dict[int, str] = {}  # of those sets
    for rules_here in list_lines.values():
        for r in rules_here:
            s = set_add([r], False)  # the line alone, as a set of one
            set_region[s] = r.region_id
            for pk in r.listed:
                named_on[pk].append(s)
    # (Plain dicts rather than Counters, here and for `part_entities`: a Counter's missing key
    # is a call of a Python method, once per new key, thousands of them.)
    singles: dict[tuple[tuple[Any, ...], tuple[int, ...]], int] = {}
    listed_of_class: dict[tuple[Any, ...], int] = {}
    if named_on:
        lists_of = {pk: tuple(ids) for pk, ids in named_on.items()}
        # The listed entities straight from the list table's rows (an array of their ids read
        # by index on the server), not a list of ids sent back from here. Counted by class and
        # lists first (thousands of entities, fewer groups), then each group's lists are kept
        # to those of its county, city and province.
        named: dict[tuple[tuple[Any, ...], tuple[int, ...]], int] = {}
        for row in _rows(
            Entity.objects.filter(scope, pk__in_array=on_lists.values("entity_id"))
            .values_list("pk", *CLASS_FIELDS)
            .order_by()
        ):
            group = (class_of(*row[1:]), lists_of[row[0]])
            named[group] = named.get(group, 0) + 1
        reach_of_county: dict[str, list[str]] = {}
        for (c, ids), n in named.items():
            listed_of_class[c] = listed_of_class.get(c, 0) + n
            reach = reach_of_county.get(c[0])
            if reach is None:
                reach = reach_of_county[c[0]] = region_ancestors(c[0])
            group = (c, tuple([s for s in ids if set_region[s] in reach]))
            singles[group] = singles.get(group, 0) + n

    classes: dict[tuple[Any, ...], int] = {}
    for county, industry, key, hazard, grade, risk, n in _rows(
        Entity.objects.filter(scope)
        .values(*CLASS_FIELDS)
        .annotate(n=Count("pk"))
        .values_list(*CLASS_FIELDS, "n")
        .order_by()
    ):
        c = class_of(county, industry, key, hazard, grade, risk)
        classes[c] = classes.get(c, 0) + n
    # (The listed entities were read first and are taken out of their classes now.)
    for c, n in listed_of_class.items():
        classes[c] -= n

    signatures: dict[tuple[Any, ...], tuple[int, ...]] = {}  # of the listed entities' classes
    by_signature: dict[tuple[int, ...], int] = {}
    for c, n in classes.items():
        if n > 0:
            sig = signature(c)
            by_signature[sig] = by_signature.get(sig, 0) + n
            if c[2] or c[1] in full:
                gaps_add(c[0], c[1], c[2], n, bool(sig))
            if c in listed_of_class:
                signatures[c] = sig
    for sig, n in by_signature.items():
        duplicates_add(sig, n)
    for (c, listed_on), n in singles.items():
        own = signatures.get(c)  # none yet when every entity of the class is listed
        if own is None:
            own = signatures[c] = signature(c)
        # every set holds a line: a class with a set is covered
        duplicates_add(own + listed_on, n)
        gaps_add(c[0], c[1], c[2], n, bool(own + listed_on))

    for key, n in part_entities.items():
        for a, b in part_pairs[key][0]:
            pair = pairs.get((a.line_id, b.line_id))
            if pair is None:
                pair = pairs[(a.line_id, b.line_id)] = DuplicatePair(a, b)
            pair.entities += n

    return Coordination(
        year=year,
        region_id=region_id,
        duplicates=sorted(
            pairs.values(), key=lambda p: (-p.entities, p.a.item_code, p.a.line_id, p.b.line_id)
        ),
        duplicated_entity_items=duplicated,
        gaps=sorted(
            (g for g in gap_rows.values() if g.uncovered),
            key=lambda g: (-g.uncovered, g.region_id, g.category),
        ),
        coverage={cat: (v[0], v[1]) for cat, v in coverage.items()},
        lines_checked=len(rules),
        classes_checked=len(classes),
        seconds=time.perf_counter() - started,
        extra_plan_id=extra_plan.pk if extra_plan else None,
    )


def duplicate_entities(line_a: PlanLine, line_b: PlanLine) -> QuerySet[Entity]:
    """The entities a duplicate pair covers twice (the list behind its count)."""
    return Entity.objects.filter(line_q(line_a)).filter(line_q(line_b)).order_by("region_id", "pk")


def gap_entities(
    *, year: int, region_id: str, category: str, extra_plan: InspectionPlan | None = None
) -> QuerySet[Entity]:
    """The entities of `category` in `region_id` (a county) that no covering line reaches."""
    qs = Entity.objects.filter(
        business_status__in=INSPECTABLE, region_id__in=region_codes_under(region_id)
    )
    qs = qs.filter(key_supervision=True) if category == KEY else qs.filter(industry=category)
    covering = [line_q(ln) for ln in _relevant_lines(year, region_id, extra_plan)]
    if covering:
        qs = qs.exclude(reduce(or_, covering))
    return qs.order_by("pk")


def region_choices_for(viewer: Any) -> list[tuple[str, str]]:
    """The regions a viewer may look at coordination for: their own and everything below."""
    codes = visible_region_codes(viewer)
    qs = Region.objects.all() if codes is None else Region.objects.filter(code__in=codes)
    return [(r.code, r.name) for r in qs.order_by("code")]
