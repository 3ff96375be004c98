"""Entities a later capability forces into every draw (e.g. credit's serious-dishonesty list:
listed entities are inspected in each draw of their jurisdiction). Draws knows none of them:
each registers a provider from its AppConfig.ready() with `forced_provider`.

A provider takes the draw being committed and returns {credit code: why}. At commitment the
draw keeps those of them that are in its directory (the others are outside its filters or
jurisdiction and are left aside), adds them to its forced credit codes (which the draw's
published parameters and files list) and records why in `summary["forced_auto"]`, shown with
the parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], dict[str, str]]
_providers: list[Provider] = []


def forced_provider(fn: Provider) -> Provider:
    if fn not in _providers:
        _providers.append(fn)
    return fn


def forced_by_providers(draw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for provider in _providers:
        for uscc, why in provider(draw).items():
            out.setdefault(uscc, why)
    return out
