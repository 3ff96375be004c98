"""Subscriptions to the audit trail: how a later stage learns that an earlier one did something.

Every state change already writes an audit event with a stable dotted code
(`cases.case.decide`, `inspections.reinspection.recorded`). A later capability registers here,
from its AppConfig.ready(), a callback for the codes it cares about (`audit_subscribe`); the
audit writer calls it with the new event inside the caller's transaction. So the credit app
learns of a penalty decision without the cases app importing it, as the timeline providers and
home panels let later apps add themselves.

A callback must be cheap and must not fail the step that wrote the event: it should only note
what to do after the commit (`transaction.on_commit`), where its own failure cannot undo the
decision. Exceptions raised by a callback are logged and swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Callback = Callable[[Any], None]
_subscribers: list[tuple[tuple[str, ...], Callback]] = []


def audit_subscribe(prefixes: tuple[str, ...], callback: Callback) -> None:
    """Call `callback(event)` for each new audit event whose action starts with one of
    `prefixes` (a full code or `app.` for a whole app)."""
    if all(cb is not callback for _, cb in _subscribers):
        _subscribers.append((tuple(prefixes), callback))


def audit_published(event: Any) -> None:
    for prefixes, callback in _subscribers:
        if event.action.startswith(prefixes):
            try:
                callback(event)
            except Exception:
                logger.exception("audit subscriber %r failed on %s", callback, event.action)
