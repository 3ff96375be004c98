"""`anjian draws verify DRAW_ID` and `anjian draws verify --files DIR`: re-run a draw from what
was published (the directory, the secret, the quotas, the inspector pool, the assignment inputs)
and compare with what was recorded. The same steps an outsider follows with
docs/algorithms/draw.md (section 10); `--files` takes only the files a member of the public
downloaded from the portal (record.json and the TSV files), and no database.

Every failure is a named check with its reason, never a traceback: tampered inputs can break any
step in any way, and the checks after it still run where they can.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from anjian.core.bulk import gc_paused
from anjian.draws import algorithm, publication

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

    def check(self, name: str, test: Callable[[], bool | str]) -> bool:
        """Run one check; an exception is that check failing with its reason, never a crash
        that hides the checks after it. A test may return a string: the failure's reason."""
        try:
            outcome = test()
        except Exception as exc:  # tampered inputs can break any step in any way
            outcome = f"{type(exc).__name__}: {exc}"[:500]
        passed = outcome is True or (not isinstance(outcome, str) and bool(outcome))
        if isinstance(outcome, str) and outcome:
            self.reasons[name] = outcome
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


def _quotas_fit(directory: algorithm.Directory, quotas: dict[str, Any]) -> bool | str:
    sizes: dict[str, int] = {}
    for h in directory.strata:
        sizes[h] = sizes.get(h, 0) + 1
    for h, q in sorted(quotas.items()):
        if h not in sizes:
            return f"quota for {h!r}, a stratum the directory does not have"
        if not isinstance(q, int) or isinstance(q, bool) or not 0 <= q <= sizes[h]:
            return f"quota {q!r} for {h!r}, whose stratum has {sizes[h]} entities"
    return True


@dataclass
class Recorded:
    """What the draw recorded, wherever it comes from (the database, or record.json)."""

    record: dict[str, Any]
    read: Callable[[str], bytes]  # a published file's bytes, checked against its hash
    legacy: set[str] = field(default_factory=set)  # kinds in the comma-joined format of before
    selection: Callable[[], list[str]] | None = None  # the drawn usccs, sorted
    teams: Callable[[], dict[str, tuple[str, ...]]] | None = None


def _selection_file(data: bytes) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    usccs, teams = [], {}
    for line in data.decode().split("\n")[1:]:
        if not line:
            continue
        uscc, _stratum, _forced, _p, team, _refusal = line.split("\t")
        usccs.append(uscc)
        teams[uscc] = tuple(json.loads(team))
    return sorted(usccs), teams


def _read_file(
    out: Verification, name: str, read: Callable[[str], bytes], kind: str
) -> bytes | None:
    try:
        return read(kind)
    except publication.PublishedFileAltered as exc:
        out.fail(f"file {name}", exc.reason)
    except Exception as exc:
        out.fail(f"file {name}", f"{type(exc).__name__}: {exc}"[:500])
    return None


def _hash_check(out: Verification, name: str, got: bytes, sha: str | None) -> None:
    actual = hashlib.sha256(got).hexdigest()
    out.check(
        f"file {name}",
        lambda: not sha or actual == sha or f"recorded {sha}, the file hashes to {actual}",
    )


@gc_paused()
def verify_recorded(out: Verification, rec: Recorded) -> Verification:
    from anjian.draws.services import (
        people_parse,
        pool_parse,
        probabilities_text,
        result_json,
        selection_text,
    )

    r = rec.record
    files = r.get("files") or {}
    data: dict[str, bytes] = {}
    for kind, name in publication.FILES.items():
        if kind not in files:
            continue
        got = _read_file(out, name, rec.read, kind)
        if got is not None:
            data[kind] = got
            _hash_check(out, name, got, (files[kind] or {}).get("sha256"))
    directory = None
    if "directory" in data:
        directory = _value(
            out,
            "directory hash",
            lambda: algorithm.Directory.from_serialisation(data["directory"]),
        )
    elif "directory hash" not in out.reasons:
        out.fail("directory hash", "the directory file is not published")
    quotas = {str(k): v for k, v in (r.get("quotas") or {}).items()}
    quotas_ok = False
    if directory is not None:
        d = directory
        out.check(
            "directory hash",
            lambda: (
                d.hash_hex == r.get("directory_hash")
                or f"recorded {r.get('directory_hash')}, the directory hashes to {d.hash_hex}"
            ),
        )
        quotas_ok = out.check("quotas fit the directory", lambda: _quotas_fit(d, quotas))
        if "probabilities" in data and quotas_ok:
            out.check(
                "inclusion probabilities",
                lambda: (
                    probabilities_text(d, quotas) == data["probabilities"]
                    or "the published probabilities differ from the recomputed ones"
                ),
            )
    rules_in = r.get("rules") or {}
    rules = algorithm.AssignmentRules(
        per_entity=rules_in.get("per_entity", 2),
        avoid_own_county=rules_in.get("avoid_own_county", True),
        max_per_inspector=rules_in.get("max_per_inspector"),
    )
    on = _value(out, "inspector pool hash", lambda: _date(r.get("on")))
    pool = None
    if "inspectors" in data:
        pool = _value(
            out,
            "inspector pool hash",
            lambda: pool_parse(data["inspectors"], legacy="inspectors" in rec.legacy),
        )
    if pool is not None and on is not None:
        p = pool
        out.check(
            "inspector pool hash",
            lambda: (
                algorithm.pool_hash(p, on=on, rules=rules) == r.get("pool_hash")
                or "the published pool, date and rules hash to another value"
            ),
        )
    elif "inspector pool hash" not in out.reasons:
        out.fail("inspector pool hash", "the inspector pool is not published")
    if r.get("status") != "drawn" or not r.get("secret"):
        return out
    secret = str(r["secret"])
    out.check(
        "secret matches commitment",
        lambda: algorithm.commitment_check(secret, str(r.get("commitment", ""))),
    )
    recorded: list[str] | None = None
    teams: dict[str, tuple[str, ...]] | None = None
    if rec.selection is not None:
        recorded = _value(out, "selection", rec.selection)
        teams = _value(out, "inspector teams", rec.teams) if rec.teams else None
    elif "selection" in data:
        parsed = _value(out, "selection", lambda: _selection_file(data["selection"]))
        if parsed is not None:
            recorded, teams = parsed
    result = None
    if directory is None:
        out.fail("seed", "the directory could not be read")
        out.fail("selection", "the directory could not be read")
    elif not quotas_ok:
        out.fail("seed", "the quotas do not fit the directory: the draw cannot be re-run")
        out.fail("selection", "the quotas do not fit the directory: the draw cannot be re-run")
    else:
        dd = directory
        result = _value(
            out, "selection", lambda: algorithm.draw_entities(dd, quotas, secret=secret)
        )
        if result is not None:
            drawn = result
            out.check("seed", lambda: drawn.seed.hex() == r.get("seed"))
            out.check(
                "selection",
                lambda: recorded is not None and sorted(drawn.selected) == recorded,
            )
        else:
            out.fail("seed", "the selection could not be re-run from the published inputs")
    people = None
    if "assignment-inputs" in data:
        people = _value(
            out,
            "assignment inputs cover the selection",
            lambda: people_parse(
                data["assignment-inputs"], legacy="assignment-inputs" in rec.legacy
            ),
        )
    else:
        out.fail("assignment inputs cover the selection", "the assignment inputs are missing")
    if people is not None:
        pp = people
        out.check(
            "assignment inputs cover the selection",
            lambda: recorded is not None and sorted(x.uscc for x in pp) == recorded,
        )
    if people is None or pool is None or result is None or on is None:
        out.fail("inspector teams", "an input of the assignment could not be read or re-run")
        return out
    seed = result.seed
    assignment = _value(
        out,
        "inspector teams",
        lambda: algorithm.assign_inspectors(people, pool, on=on, rules=rules, seed=seed),
    )
    if assignment is None:
        return out
    expected = {u: tuple(assignment.teams.get(u, ())) for u in (recorded or [])}
    out.check("inspector teams", lambda: teams == expected)
    if "selection" in data and directory is not None:
        a, dd2, res = assignment, directory, result
        refusals = {x.uscc: x for x in a.refusals}
        out.check(
            "selection.tsv (probabilities, teams, refusals)",
            lambda: (
                selection_text(res, dd2, a, refusals) == data["selection"]
                or "the published selection file differs from the re-run"
            ),
        )
    if "result" in data:
        a2, res2 = assignment, result
        out.check(
            "result.json (per-stratum details, refusals, loads, counter_end)",
            lambda: (
                result_json(res2, a2) == data["result"]
                or _first_difference(json.loads(result_json(res2, a2)), json.loads(data["result"]))
            ),
        )
    return out


def _first_difference(expected: dict[str, Any], published: dict[str, Any]) -> str:
    for key in sorted(set(expected) | set(published)):
        if expected.get(key) != published.get(key):
            return f"{key}: the re-run gives something else than the published file"
    return "the bytes differ from the canonical JSON of the re-run"


def _date(text: Any) -> Any:
    import datetime

    return datetime.date.fromisoformat(str(text))


def draw_verify(draw: Any) -> Verification:
    """Verify a draw of this database from its stored files and rows."""
    from anjian.draws import selectors
    from anjian.draws.states import DrawStatus

    out = Verification(draw.pk)
    if draw.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
        out.checks.append(("the draw is committed", False))
        return out
    record = selectors.public_record(draw, results=True)
    # Every kind the draw has, also those the portal does not show yet.
    record["files"] = {
        kind: {"sha256": publication.recorded(draw, kind) or None}
        for kind in publication.FILES
        if publication.exists(draw, kind)
    }
    if draw.status == DrawStatus.DRAWN:
        record.update({"secret": draw.secret, "seed": draw.seed})
    legacy = {k for k in publication.FILES if k not in (draw.files or {})}

    def selection() -> list[str]:
        return sorted(draw.selections.values_list("entity__uscc", flat=True))

    def teams() -> dict[str, tuple[str, ...]]:
        return {
            uscc: tuple(f"u{pk}" for pk in team)
            for uscc, team in draw.selections.values_list("entity__uscc", "team")
        }

    return verify_recorded(
        out,
        Recorded(
            record=record,
            read=lambda kind: publication.read(draw, kind),
            legacy=legacy,
            selection=selection,
            teams=teams,
        ),
    )


def _find(directory: Path, name: str) -> Path | None:
    """A downloaded file: `name` itself or the portal's `draw-<n>-name`."""
    exact = directory / name
    if exact.is_file():
        return exact
    found = sorted(directory.glob(f"draw-*-{name}"))
    return found[0] if len(found) == 1 else None


def files_verify(directory: Path) -> Verification:
    """Verify a draw from the files downloaded from its portal page, with no database:
    record.json (the record as data) and the files it lists with their SHA-256."""
    out = Verification(0)
    path = _find(directory, "record.json")
    if path is None:
        out.fail("record.json", f"no record.json (or draw-N-record.json) in {directory}")
        return out
    record = _value(out, "record.json", lambda: json.loads(path.read_text(encoding="utf-8")))
    if not isinstance(record, dict):
        if "record.json" not in out.reasons:
            out.fail("record.json", "not a JSON object")
        return out
    out.draw_id = int(record.get("draw") or 0)

    def read(kind: str) -> bytes:
        found = _find(directory, publication.FILES[kind])
        if found is None:
            raise FileNotFoundError(f"{publication.FILES[kind]} is not in {directory}")
        return found.read_bytes()

    return verify_recorded(out, Recorded(record=record, read=read))
