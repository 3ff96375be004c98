"""The entity profile's timeline: one list into which every capability adds its entries.

A capability registers a provider with `timeline_provider`; a provider receives the entity and
the viewer and returns entries the viewer may see (it applies the data scope for its own
records). Inspections, cases, credit records, reports and warnings add theirs as they arrive.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from anjian.entities.models import Entity


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date
    kind: str  # "registry", "licence", "filing", later "inspection", "case", "credit", ...
    title: str
    detail: str = ""
    url: str = ""


Provider = Callable[[Entity, Any], Iterable[TimelineEntry]]
_providers: list[Provider] = []


def timeline_provider(func: Provider) -> Provider:
    if func not in _providers:
        _providers.append(func)
    return func


def entity_timeline(*, user: Any, entity: Entity, limit: int = 200) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in _providers:
        entries.extend(provider(entity, user))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _field_label(name: str) -> str:
    try:
        return str(getattr(Entity._meta.get_field(name.removesuffix("_id")), "verbose_name", name))
    except Exception:  # a field since removed: show its name
        return name


@timeline_provider
def _registry_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    from anjian.core.models import AuditEvent

    yield TimelineEntry(
        when=entity.created_at.date(), kind="registry", title=_("Registered on the platform")
    )
    updates = AuditEvent.objects.filter(
        object_type="entities.entity", object_id=str(entity.pk), action="entities.entity.updated"
    ).order_by("-seq")[:50]
    for event in updates:
        fields = "、".join(_field_label(k) for k in event.changes if k != "import_batch")
        yield TimelineEntry(
            when=event.occurred_at.date(),
            kind="registry",
            title=_("Registry data changed"),
            detail=fields,
        )


@timeline_provider
def _licence_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    for licence in entity.licences.all():
        if licence.valid_from:
            yield TimelineEntry(
                when=licence.valid_from,
                kind="licence",
                title=_("Licence issued: %(type)s") % {"type": licence.get_licence_type_display()},
                detail=licence.number,
            )


@timeline_provider
def _filing_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    for filing in entity.filings.all():
        yield TimelineEntry(
            when=filing.filed_on,
            kind="filing",
            title=_("Filing: %(activity)s") % {"activity": filing.get_activity_display()},
            detail=filing.number,
        )
