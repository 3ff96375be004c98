"""Writes for random inspections, the run: the committed directory and pool read back and
checked against their hashes, the secret revealed, the draw and the assignment
(`draws.algorithm`), and what the run writes: the selections with their teams, the inspection
tasks with their inspectors, the published result files and the audit event. Callers import
from `anjian.draws.services`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from anjian.core import clock
from anjian.core.bulk import gc_paused, insert_columns
from anjian.core.errors import Conflict
from anjian.core.services import AuditSource, audit_record
from anjian.core.workdays import workday_on_or_before
from anjian.draws import algorithm, publication
from anjian.draws.models import Draw, DrawSelection, InspectorConflict
from anjian.draws.services.commit import _industries_of, inspector_id
from anjian.draws.services.configure import _locked, _own_bureau
from anjian.draws.states import DrawStatus
from anjian.entities.models import Entity
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
from anjian.inspections.scheduling import over_limit_require


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
    tasks, task_lines = _tasks_from_draw(locked, selected, ids, industries, assignment.teams)
    rows_sha256 = rows_digest(selected, ids, assignment.teams, task_lines)
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
            # The run writes its rows in bulk and records them in this one event: the
            # published files by content hash, and a digest of the rows themselves.
            "files": {k: files[k] for k in ("assignment-inputs", "selection", "result")},
            "rows_sha256": rows_sha256,
            **over_limit,
        },
        source=source,
    )
    return locked


def rows_digest(
    selected: list[str], ids: dict[str, int], teams: dict[str, tuple[str, ...]], task_lines: str
) -> str:
    """SHA-256 of the rows a run wrote, recorded in its audit event so that the rows in the
    database can be checked against the audit trail: a line `s<TAB>entity id<TAB>team` per
    selection in entity-id order (the team: user ids in drawn order, comma-joined), then a
    line `t<TAB>task id<TAB>entity id<TAB>item id<TAB>team` per task in task-id order (user
    ids sorted as text), each line ending in a newline."""
    lines = [
        f"s\t{ids[u]}\t" + ",".join(member[1:] for member in teams.get(u, ())) + "\n"
        for u in selected
    ]
    return hashlib.sha256(("".join(lines) + task_lines).encode()).hexdigest()


def _due_on(draw: Draw) -> datetime.date:
    return max(draw.inspection_from, workday_on_or_before(draw.inspection_until))


def _tasks_from_draw(
    draw: Draw,
    selected: list[str],
    ids: dict[str, int],
    industries: dict[str, str],
    teams: dict[str, tuple[str, ...]],
) -> tuple[int, str]:
    """One task per drawn and staffed entity and random-check item, with its team; an entity the
    pool could not staff gets no task until the draw's refusal is resolved. Returns how many,
    and their lines of the rows digest (`rows_digest`)."""
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
        returning=["entity_id", "item_id"],
    )
    by_entity = {v: k for k, v in ids.items()}
    team_rows = [
        (task_id, int(member[1:]))
        for task_id, entity_id, _item in made
        for member in teams[by_entity[entity_id]]
    ]
    insert_columns(
        InspectionTask.inspectors.through,
        {
            "inspectiontask_id": [r[0] for r in team_rows],
            "user_id": [r[1] for r in team_rows],
        },
    )
    lines = [
        f"t\t{task_id}\t{entity_id}\t{item_id}\t"
        + ",".join(sorted(member[1:] for member in teams[by_entity[entity_id]]))
        + "\n"
        for task_id, entity_id, item_id in sorted(made)
    ]
    return len(made), "".join(lines)
