"""`anjian draws verify DRAW_ID`: re-run a draw from what was published (the directory file, the
secret, the quotas, the inspector pool, the assignment inputs) and compare with what was
recorded. The same steps an outsider follows with docs/algorithms/draw.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from anjian.core.bulk import gc_paused
from anjian.draws import algorithm
from anjian.draws.models import Draw
from anjian.draws.services import stored_directory, stored_people, stored_pool
from anjian.draws.states import DrawStatus


@dataclass
class Verification:
    draw_id: int
    checks: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(passed for _name, passed in self.checks)


@gc_paused()
def draw_verify(draw: Draw) -> Verification:
    out = Verification(draw.pk)
    if draw.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
        out.checks.append(("the draw is committed", False))
        return out
    directory = stored_directory(draw)
    out.checks.append(("directory hash", directory.hash_hex == draw.directory_hash))
    pool = stored_pool(draw)
    rules = algorithm.AssignmentRules(
        per_entity=draw.inspectors_per_entity,
        avoid_own_county=draw.avoid_own_county,
        max_per_inspector=draw.max_per_inspector,
    )
    out.checks.append(
        (
            "inspector pool hash",
            algorithm.pool_hash(pool, on=draw.inspection_from, rules=rules) == draw.pool_hash,
        )
    )
    if draw.status != DrawStatus.DRAWN:
        return out
    out.checks.append(
        ("secret matches commitment", algorithm.commitment_check(draw.secret, draw.commitment))
    )
    result = algorithm.draw_entities(directory, draw.quotas, secret=draw.secret)
    out.checks.append(("seed", result.seed.hex() == draw.seed))
    recorded = sorted(draw.selections.values_list("entity__uscc", flat=True))
    out.checks.append(("selection", sorted(result.selected) == recorded))
    people = stored_people(draw.summary.get("assignment_inputs_file", ""))
    out.checks.append(
        ("assignment inputs cover the selection", sorted(p.uscc for p in people) == recorded)
    )
    assignment = algorithm.assign_inspectors(
        people, pool, on=draw.inspection_from, rules=rules, seed=result.seed
    )
    # The recorded teams, in drawn order, against the re-run's.
    teams = {
        uscc: tuple(f"u{pk}" for pk in team)
        for uscc, team in draw.selections.values_list("entity__uscc", "team")
    }
    expected = {u: tuple(assignment.teams.get(u, ())) for u in recorded}
    out.checks.append(("inspector teams", teams == expected))
    return out
