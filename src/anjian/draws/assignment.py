"""The random draw, version `anjian-draw-v1`: the inspector assignment.

Section 9 of docs/algorithms/draw.md (the specification; section numbers in the comments refer
to it). Re-exported by `draws.algorithm`, which is the module to import. No Django import.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from anjian.draws.generator import (
    RULES,
    VERSION,
    BoolArray,
    DrawInputError,
    I64Array,
    _bound,
    _check_id,
    _check_key,
    _Stream,
    _utf8_key,
    substream_key,
)

# --- section 9: inspector assignment ----------------------------------------------------------


@dataclass(frozen=True)
class Inspector:
    id: str
    county: str
    specialties: frozenset[str] = frozenset()
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    load: int = 0


@dataclass(frozen=True)
class AssignmentEntity:
    uscc: str
    county: str
    specialties: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    last_inspectors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AssignmentRules:
    per_entity: int = 2
    avoid_own_county: bool = True
    max_per_inspector: int | None = None


@dataclass(frozen=True)
class AssignmentRefusal:
    """Section 9.6: an entity that got no team, and how many inspectors each rule excluded."""

    uscc: str
    needed: int
    eligible: int
    excluded: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AssignmentResult:
    teams: dict[str, tuple[str, ...]]
    refusals: list[AssignmentRefusal]
    loads: dict[str, int]
    counter_end: int


def _check_rules(rules: AssignmentRules) -> None:
    k, most = rules.per_entity, rules.max_per_inspector
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise DrawInputError("per_entity must be an integer of at least 2")
    if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 1):
        raise DrawInputError("max_per_inspector must be an integer of at least 1, or None")
    if not isinstance(rules.avoid_own_county, bool):
        raise DrawInputError("avoid_own_county must be a boolean")


def _check_inspectors(inspectors: Sequence[Inspector]) -> list[Inspector]:
    ordered = sorted(inspectors, key=lambda i: i.id if isinstance(i.id, str) else "")
    seen = None
    for inspector in ordered:
        _check_id(inspector.id, "an inspector id")
        if inspector.id == seen:
            raise DrawInputError(f"duplicate inspector id: {inspector.id}")
        seen = inspector.id
        _check_key(inspector.county, "an inspector's county")
        for specialty in inspector.specialties:
            _check_key(specialty, "a specialty")
            if "," in specialty:
                raise DrawInputError(f"a specialty cannot contain a comma: {specialty!r}")
        for day in (inspector.valid_from, inspector.valid_until):
            if day is not None and (
                not isinstance(day, datetime.date) or isinstance(day, datetime.datetime)
            ):
                raise DrawInputError("certificate dates must be dates or None")
        load = inspector.load
        if isinstance(load, bool) or not isinstance(load, int) or load < 0:
            raise DrawInputError(f"the load of {inspector.id} must be an integer >= 0")
    return ordered


def pool_hash(inspectors: Sequence[Inspector], *, on: datetime.date, rules: AssignmentRules) -> str:
    """Section 9.2: the hash of the date, the rules and the pool, as hex."""
    _check_rules(rules)
    ordered = _check_inspectors(inspectors)
    most = "none" if rules.max_per_inspector is None else str(rules.max_per_inspector)
    lines = [
        f"{VERSION} inspectors\n",
        f"on\t{on.isoformat()}\n",
        f"per_entity\t{rules.per_entity}\n",
        f"avoid_own_county\t{int(rules.avoid_own_county)}\n",
        f"max_per_inspector\t{most}\n",
    ]
    for i in ordered:
        specialties = ",".join(sorted(i.specialties, key=_utf8_key))
        start = i.valid_from.isoformat() if i.valid_from else ""
        end = i.valid_until.isoformat() if i.valid_until else ""
        lines.append(f"{i.id}\t{i.county}\t{specialties}\t{start}\t{end}\t{i.load}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def valid_on(inspector: Inspector, on: datetime.date) -> bool:
    return (inspector.valid_from is None or inspector.valid_from <= on) and (
        inspector.valid_until is None or on <= inspector.valid_until
    )


class _Candidates:
    """Section 9.3: the candidate list of one set of required specialties (pool indices in pool
    order), with what a refusal needs to say about the inspectors outside it, and how many
    members are still below the workload limit (kept up to date by the assignment loop)."""

    def __init__(
        self, fits: BoolArray, certificate_ok: BoolArray, load: I64Array, most: int
    ) -> None:
        self.array = np.flatnonzero(fits & certificate_ok)
        self.members: list[int] = self.array.tolist()
        self.no_specialty = int((~fits).sum())
        self.no_certificate = int((fits & ~certificate_ok).sum())
        self.below_limit = int((load[self.array] < most).sum())
        self.position = {i: position for position, i in enumerate(self.members)}
        self._own: dict[int, BoolArray] = {}

    def own_county(self, code: int, county: I64Array) -> BoolArray:
        """Which members are from county `code` (cached: it never changes)."""
        if code not in self._own:
            self._own[code] = county[self.array] == code
        return self._own[code]


def assign_inspectors(
    entities: Sequence[AssignmentEntity],
    inspectors: Sequence[Inspector],
    *,
    on: datetime.date,
    rules: AssignmentRules,
    seed: bytes,
) -> AssignmentResult:
    """Section 9: a team of `rules.per_entity` inspectors for each entity, uniformly at random
    among the eligible ones, from the `assign` stream of `seed`; entities that cannot be staffed
    without bending a rule are refused with the count each rule excluded."""
    _check_rules(rules)
    pool = _check_inspectors(inspectors)
    ordered_entities = sorted(entities, key=lambda e: e.uscc if isinstance(e.uscc, str) else "")
    previous = None
    for entity in ordered_entities:
        _check_id(entity.uscc, "a uscc")
        if entity.uscc == previous:
            raise DrawInputError(f"duplicate uscc among the entities: {entity.uscc}")
        previous = entity.uscc
        _check_key(entity.county, "an entity's county")
    k = rules.per_entity
    avoid = rules.avoid_own_county
    most = rules.max_per_inspector if rules.max_per_inspector is not None else 1 << 62
    ids = [inspector.id for inspector in pool]
    index_of = {ident: position for position, ident in enumerate(ids)}
    county_codes: dict[str, int] = {}
    county = [county_codes.setdefault(i.county, len(county_codes)) for i in pool]
    county_array = np.array(county, dtype=np.int64)
    load = [i.load for i in pool]
    load_array = np.array(load, dtype=np.int64)
    certificate_ok = np.array([valid_on(i, on) for i in pool], dtype=np.bool_)
    stream = _Stream(substream_key(seed, "assign"))
    teams: dict[str, tuple[str, ...]] = {}
    refusals: list[AssignmentRefusal] = []
    lists: dict[frozenset[str], _Candidates] = {}
    lists_of: list[list[_Candidates]] = [[] for _ in pool]  # the lists each inspector is in

    def candidates_of(required: frozenset[str]) -> _Candidates:
        if required not in lists:
            fits = np.array([required <= i.specialties for i in pool], dtype=np.bool_)
            listed = _Candidates(fits, certificate_ok, load_array, most)
            lists[required] = listed
            for i in listed.members:
                lists_of[i].append(listed)
        return lists[required]

    def refuse(entity: AssignmentEntity, listed: _Candidates, code: int) -> None:
        """Section 9.6. Inspectors outside the candidate list failed the specialty or the
        certificate rule (counted once per list); the other rules only look inside the list,
        the few conflicts and last inspectors one by one."""
        p = listed.array
        own = listed.own_county(code, county_array) if avoid else np.zeros(len(p), np.bool_)
        full = load_array[p] >= most
        counts = dict.fromkeys(RULES[2:], 0)
        counts["own_county"] = int(own.sum())
        counts["workload"] = int((full & ~own).sum())
        conflicts, last = entity.conflicts, entity.last_inspectors
        for ident in conflicts | last:
            position = listed.position.get(index_of.get(ident, -1))
            if position is None or own[position]:
                continue
            counts["conflict" if ident in conflicts else "last_inspector"] += 1
            if full[position]:
                counts["workload"] -= 1
        excluded = {"specialty": listed.no_specialty, "certificate": listed.no_certificate}
        excluded.update(counts)
        eligible = len(p) - sum(counts.values())
        refusals.append(
            AssignmentRefusal(uscc=entity.uscc, needed=k, eligible=eligible, excluded=excluded)
        )

    for entity in ordered_entities:
        listed = candidates_of(frozenset(entity.specialties))
        members, m = listed.members, len(listed.members)
        code = county_codes.get(entity.county, -1)
        conflicts, last = entity.conflicts, entity.last_inspectors
        if listed.below_limit < k:  # too few left under the workload limit: |E| < k for sure
            refuse(entity, listed, code)
            continue
        bound = _bound(m)
        start = stream.pos
        chosen: list[int] = []
        misses = 0
        while len(chosen) < k:
            i = members[stream.uniform(m, bound)]
            if (
                (not avoid or county[i] != code)
                and ids[i] not in conflicts
                and ids[i] not in last
                and load[i] < most
                and i not in chosen
            ):
                chosen.append(i)
                continue
            misses += 1
            if misses < 8 + 4 * k:
                continue
            # Many misses: count the eligible candidates once; refuse if too few, otherwise
            # finish with the vectorised search (the same values, the same choices).
            p = listed.array
            mask = load_array[p] < most
            if avoid:
                mask &= county_array[p] != code
            for ident in conflicts | last:
                position = listed.position.get(index_of.get(ident, -1))
                if position is not None:
                    mask[position] = False
            for i in chosen:
                mask[listed.position[i]] = False
            if int(mask.sum()) + len(chosen) < k:
                stream.pos = start
                chosen = []
                break
            while len(chosen) < k:
                r = stream.first_hit(m, bound, mask)
                mask[r] = False
                chosen.append(members[r])
        if len(chosen) < k:
            refuse(entity, listed, code)
            continue
        for i in chosen:
            load[i] += 1
            load_array[i] += 1
            if load[i] == most:
                for other in lists_of[i]:
                    other.below_limit -= 1
        teams[entity.uscc] = tuple(ids[i] for i in chosen)
    return AssignmentResult(
        teams=teams,
        refusals=refusals,
        loads={i.id: n for i, n in zip(pool, load, strict=True)},
        counter_end=stream.pos,
    )
