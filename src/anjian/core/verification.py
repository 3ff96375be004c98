"""Checks that `anjian audit verify` runs after the chain itself, registered by other apps.

The core knows nothing of the apps that keep files or other records whose integrity hangs on the
audit trail (evidence, documents). Such an app registers a check in its AppConfig.ready():

    audit_check_register("evidence.files", evidence_files_verify, files=True)

A check takes `rehash` (False: only see that each file is present and of the recorded size) and
returns a `CheckReport`. `files=True` marks checks that read stored files, which
`anjian audit verify --files=skip` leaves out for speed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CheckReport:
    title: str  # what was checked, for the command's output ("Evidence files")
    checked: int
    problems: list[str] = field(default_factory=list)  # one line each, naming the record

    @property
    def intact(self) -> bool:
        return not self.problems


Check = Callable[..., CheckReport]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    run: Check
    files: bool


_CHECKS: dict[str, RegisteredCheck] = {}


def audit_check_register(name: str, run: Check, *, files: bool = False) -> None:
    _CHECKS[name] = RegisteredCheck(name=name, run=run, files=files)


def audit_checks() -> list[RegisteredCheck]:
    return [_CHECKS[name] for name in sorted(_CHECKS)]


def audit_checks_run(*, files: str = "hash") -> list[CheckReport]:
    """Run every registered check. `files`: "hash" re-reads and hashes stored files, "exists"
    only checks presence and size, "skip" leaves file checks out."""
    reports = []
    for check in audit_checks():
        if check.files and files == "skip":
            continue
        reports.append(check.run(rehash=files != "exists"))
    return reports
