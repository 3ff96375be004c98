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

from django.utils.translation import gettext_lazy as _


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
    """The user's panels; panels of the same title from several apps are one panel (the plans'
    drafts and the draws' drafts are both "drafts to submit"), placed where its first part was."""
    merged: dict[str, HomePanel] = {}
    for provider in _providers:
        for panel in provider(user):
            if not panel.counts:
                continue
            key = str(panel.title)
            if key in merged:
                first = merged[key]
                merged[key] = HomePanel(
                    first.title,
                    first.counts + panel.counts,
                    first.icon,
                    min(first.order, panel.order),
                )
            else:
                merged[key] = panel
    return sorted(merged.values(), key=lambda p: p.order)


# The panels several apps add to (see home_panels); the titles are the merge keys.
WAITING_FOR_ME = _("Waiting for my approval or decision")
TO_PUBLISH = _("Due for publication")
DRAFTS = _("Drafts to submit")


def with_query(url: str, **params: Any) -> str:
    """A list's address with the filter a home count stands for."""
    from urllib.parse import urlencode

    return f"{url}?{urlencode(params)}" if params else url
