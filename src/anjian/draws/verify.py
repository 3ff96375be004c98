"""`anjian draws verify DRAW_ID`: re-run a draw from what was published (the directory file, the
secret, the quotas, the inspector pool, the assignment inputs) and compare with what was
recorded. The same steps an outsider follows with docs/algorithms/draw.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from anjian.core.bulk import gc_paused
from anjian.draws import algorithm
from anjian.draws.models import Draw
from anjian.draws.services import stored_directory, stored_people, stored_pool
from anjian.draws.states import DrawStatus

T = TypeVar("T")


@dataclass
class Verification:
    draw_id: int
    checks: list[tuple[str, bool]] = field(default_factory=list)
    # Why a check failed, where more can be said than "no" (a file that cannot be read, a step
    # that could not run on tampered inputs).
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(passed for _name, passed in self.checks)

    def check(self, name: str, test: Callable[[], bool]) -> bool:
        """Run one check; an exception is that check failing with its reason, never a crash
        that hides the checks after it."""
        try:
            passed = bool(test())
        except Exception as exc:  # tampered inputs can break any step in any way
            passed = False
            self.reasons[name] = f"{type(exc).__name__}: {exc}"[:500]
        self.checks.append((name, passed))
        return passed

    def fail(self, name: str, reason: str) -> None:
        self.checks.append((name, False))
        self.reasons[name] = reason


def _value(out: Verification, name: str, compute: Callable[[], T]) -> T | None:
    """Compute an input of later checks; when it cannot be computed, that is the check `name`
    failing with its reason, and the caller skips what depends on it."""
    try:
        return compute()
    except Exception as exc:
        out.fail(name, f"{type(exc).__name__}: {exc}"[:500])
        return None


@gc_paused()
def draw_verify(draw: Draw) -> Verification:
    out = Verification(draw.pk)
    if draw.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
        out.checks.append(("the draw is committed", False))
        return out
    directory = _value(out, "directory hash", lambda: stored_directory(draw))
    if directory is not None:
        out.check("directory hash", lambda: directory.hash_hex == draw.directory_hash)
    rules = algorithm.AssignmentRules(
        per_entity=draw.inspectors_per_entity,
        avoid_own_county=draw.avoid_own_county,
        max_per_inspector=draw.max_per_inspector,
    )
    pool = _value(out, "inspector pool hash", lambda: stored_pool(draw))
    if pool is not None:
        out.check(
            "inspector pool hash",
            lambda: (
                algorithm.pool_hash(pool, on=draw.inspection_from, rules=rules) == draw.pool_hash
            ),
        )
    if draw.status != DrawStatus.DRAWN:
        return out
    out.check(
        "secret matches commitment",
        lambda: algorithm.commitment_check(draw.secret, draw.commitment),
    )
    recorded = sorted(draw.selections.values_list("entity__uscc", flat=True))
    result = None
    if directory is None:
        out.fail("seed", "the directory could not be read")
        out.fail("selection", "the directory could not be read")
    else:
        result = _value(
            out,
            "selection",
            lambda: algorithm.draw_entities(directory, draw.quotas, secret=draw.secret),
        )
        if result is not None:
            drawn = result
            out.check("seed", lambda: drawn.seed.hex() == draw.seed)
            out.check("selection", lambda: sorted(drawn.selected) == recorded)
        else:
            out.fail("seed", "the selection could not be re-run from the published inputs")
    people = _value(
        out,
        "assignment inputs cover the selection",
        lambda: stored_people(draw.summary.get("assignment_inputs_file", "")),
    )
    if people is not None:
        out.check(
            "assignment inputs cover the selection",
            lambda: sorted(p.uscc for p in people) == recorded,
        )
    if people is None or pool is None or result is None:
        out.fail("inspector teams", "an input of the assignment could not be read or re-run")
        return out
    seed = result.seed
    assignment = _value(
        out,
        "inspector teams",
        lambda: algorithm.assign_inspectors(
            people, pool, on=draw.inspection_from, rules=rules, seed=seed
        ),
    )
    if assignment is None:
        return out
    # The recorded teams, in drawn order, against the re-run's.
    teams = {
        uscc: tuple(f"u{pk}" for pk in team)
        for uscc, team in draw.selections.values_list("entity__uscc", "team")
    }
    expected = {u: tuple(assignment.teams.get(u, ())) for u in recorded}
    out.check("inspector teams", lambda: teams == expected)
    return out
