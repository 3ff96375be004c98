"""The report's workflow as data (Signalen's `ALLOWED_STATUS_CHANGES`), checked in one place.

received ──accept──► accepted ──inspection / case──► handling ──close──► handled
    │  ╲                 │  ╲──────────────close───────────────────────►
    │   reject ► rejected│
    │                    └─transfer─► received (at the other bureau)
    ├─transfer─► received (at the other bureau)
    └─duplicate─► duplicate ──separate──► received
"""

from __future__ import annotations

from anjian.complaints.models import ReportState as S

ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    "accept": {S.ACCEPTED: frozenset({S.RECEIVED})},
    "reject": {S.REJECTED: frozenset({S.RECEIVED})},
    "transfer": {S.RECEIVED: frozenset({S.RECEIVED, S.ACCEPTED})},
    "duplicate": {S.DUPLICATE: frozenset({S.RECEIVED, S.ACCEPTED})},
    "separate": {S.RECEIVED: frozenset({S.DUPLICATE})},
    "handle": {S.HANDLING: frozenset({S.ACCEPTED, S.HANDLING})},
    "close": {S.HANDLED: frozenset({S.ACCEPTED, S.HANDLING})},
}


def allowed_from(step: str) -> frozenset[str]:
    (targets,) = ALLOWED[step].values()
    return targets


def target_of(step: str) -> str:
    (target,) = ALLOWED[step].keys()
    return str(target)
