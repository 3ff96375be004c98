"""The home page's "today's work": one registry into which every later stage adds its panels.

Accounts knows no later app (plans, draws, inspections, cases, publications). Each of them
registers a provider with `home_panel` from its AppConfig.ready(); a provider receives the user
and returns the panels for that user's roles (none when the user has no work of that kind),
counted through the app's own selectors within the user's data scope. Every count links to the
list that shows exactly those records: the list page accepts the same filter in its query
string, so the number on the home page and the rows behind it agree.

Keep providers cheap: a home page is opened many times a day, so a panel is a few COUNT queries,
never a list of records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomeCount:
    label: Any
    count: int
    url: str
    # "danger" for what is late, "warning" for what is due soon; blank for the rest.
    tone: str = ""


@dataclass(frozen=True)
class HomePanel:
    title: Any
    counts: list[HomeCount] = field(default_factory=list)
    icon: str = "inbox"
    # Panels sort by this, then by title: the desk's own work before what it supervises.
    order: int = 50


Provider = Callable[[Any], Iterable[HomePanel]]
_providers: list[Provider] = []


def home_panel(func: Provider) -> Provider:
    if func not in _providers:
        _providers.append(func)
    return func


def home_panels(user: Any) -> list[HomePanel]:
    panels = [panel for provider in _providers for panel in provider(user) if panel.counts]
    return sorted(panels, key=lambda p: p.order)


def with_query(url: str, **params: Any) -> str:
    """A list's address with the filter a home count stands for."""
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}" if params else url
