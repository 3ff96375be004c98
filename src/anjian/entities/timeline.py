"""The entity profile's timeline: one list into which every capability adds its entries.

A capability registers a provider with `timeline_provider`; a provider receives the entity and
the viewer and returns entries the viewer may see (it applies the data scope for its own
records, so a record the viewer may not open is not listed). Inspections, findings,
rectifications, draws, cases and their publications add theirs from their own apps; credit
records, reports and warnings will add theirs as they arrive.

A provider keeps to one query however many records the entity has (counts and the first of a
record's related rows come as annotations of that query, not as a prefetch), reads only the
columns its entries show, and keeps to its most recent `PROVIDER_LIMIT` records: the profile is
read on a phone at the site. A relation the profile shows twice, as a table and in the timeline
(licences, filings, declared standards), is prefetched once with the entity
(`profile_prefetch`, `entities.selectors.entity_profile_get`) and its provider reads
`entity.<relation>.all()`, which then costs no query.

A capability may also register a section (`profile_section`): a card at the top of the profile
with the entries of one kind, e.g. the open correction orders, so that an officer sees what is
outstanding without reading the whole timeline. Sections are cut from the same entries, so they
cost no query of their own.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anjian.entities.models import Entity, Filing, Licence

# The most records of one kind a provider reads for one profile.
PROVIDER_LIMIT = 50


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.date
    kind: str  # "registry", "licence", "filing", "standard", "inspection", "finding", "case", ...
    title: str
    detail: str = ""
    url: str = ""
    # The group the entry belongs to, in words (检查, 隐患, 案件 …), shown as its badge.
    label: str = ""
    # Still outstanding (an open correction order, a case not closed): what a section lists.
    open: bool = False
    # A warning the officer must not miss (逾期, 重大事故隐患), shown in red.
    flag: str = ""


Provider = Callable[[Entity, Any], Iterable[TimelineEntry]]
_providers: list[Provider] = []


def timeline_provider(func: Provider) -> Provider:
    if func not in _providers:
        _providers.append(func)
    return func


@dataclass(frozen=True)
class ProfileSection:
    key: str
    title: Any  # a lazy translation, read when the page renders
    kind: str
    open_only: bool = False
    empty: Any = ""
    order: int = 100
    limit: int = 5


@dataclass
class SectionView:
    section: ProfileSection
    entries: list[TimelineEntry]
    more: int


_sections: dict[str, ProfileSection] = {}


def profile_section(section: ProfileSection) -> ProfileSection:
    _sections[section.key] = section
    return section


# What `entity_profile_get` prefetches with the entity, given the viewer.
PrefetchFactory = Callable[[Any], Prefetch]
_prefetches: list[PrefetchFactory] = []


def profile_prefetch(func: PrefetchFactory) -> PrefetchFactory:
    """Register a relation the profile reads in more than one place (a table and the
    timeline): prefetched once with the entity, read by both from that one query."""
    if func not in _prefetches:
        _prefetches.append(func)
    return func


def profile_prefetches(user: Any) -> list[Prefetch]:
    return [factory(user) for factory in _prefetches]


def union_rows(*querysets: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of several `values_list()` querysets (the same number of columns, of matching
    types) in one `UNION ALL` query, each row led by its queryset's index: for a provider that
    reads two tables (credit: the grade in force and the records). Each branch keeps its own
    filter, order and limit as a derived table, since SQLite refuses ORDER BY and LIMIT in a
    bare branch of a compound query (and Django's `union()` refuses them there too). The rows
    come in no promised order (the caller sorts), and as the database returns them: no field
    converters (a JSON column is its text, a boolean may be 0 or 1). A queryset that can
    match nothing (`none()`, a scope with no region) is left out."""
    parts: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets):
        try:
            sql, branch_params = qs.query.sql_with_params()
        except EmptyResultSet:
            continue
        # The branches' own SQL, compiled by Django with their values as parameters.
        parts.append(f"SELECT {i} AS branch, u{i}.* FROM ({sql}) u{i}")  # noqa: S608
        params.extend(branch_params)
    if not parts:
        return []
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [tuple(row) for row in cursor.fetchall()]


def _all_entries(user: Any, entity: Entity) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for provider in _providers:
        entries.extend(provider(entity, user))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def entity_timeline(*, user: Any, entity: Entity, limit: int = 200) -> list[TimelineEntry]:
    return _all_entries(user, entity)[:limit]


def entity_profile(
    *, user: Any, entity: Entity, limit: int = 200
) -> tuple[list[TimelineEntry], list[SectionView]]:
    """The timeline and the sections, from one pass over the providers."""
    entries = _all_entries(user, entity)
    sections = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        rows = [e for e in entries if e.kind == section.kind and (e.open or not section.open_only)]
        sections.append(
            SectionView(
                section=section,
                entries=rows[: section.limit],
                more=max(0, len(rows) - section.limit),
            )
        )
    return entries[:limit], sections


def _field_label(name: str) -> str:
    try:
        return str(getattr(Entity._meta.get_field(name.removesuffix("_id")), "verbose_name", name))
    except Exception:  # a field since removed: show its name
        return name


@timeline_provider
def _registry_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    from anjian.core.models import AuditEvent

    yield TimelineEntry(
        when=timezone.localdate(entity.created_at),
        kind="registry",
        label=pgettext("timeline", "Registry"),
        title=_("Registered on the platform"),
    )
    updates = (
        AuditEvent.objects.filter(
            object_type="entities.entity",
            object_id=str(entity.pk),
            action="entities.entity.updated",
        )
        .only("occurred_at", "changes")
        .order_by("-seq")[:50]
    )
    for event in updates:
        fields = "、".join(_field_label(k) for k in event.changes if k != "import_batch")
        yield TimelineEntry(
            when=timezone.localdate(event.occurred_at),
            kind="registry",
            label=pgettext("timeline", "Registry"),
            title=_("Registry data changed"),
            detail=fields,
        )


@profile_prefetch
def _licences(user: Any) -> Prefetch:
    # In the viewer's scope, as the profile's table of licences shows them. Whoever may open
    # the profile sees every licence of the entity (a licence's scope is its entity's region),
    # so the timeline lists the same licences it listed when it read them unscoped.
    return Prefetch("licences", queryset=Licence.objects.visible_to(user))


@profile_prefetch
def _filings(user: Any) -> Prefetch:
    return Prefetch("filings", queryset=Filing.objects.visible_to(user))


@timeline_provider
def _licence_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    # Prefetched with the entity on the profile (`_licences`): no query of its own.
    for licence in entity.licences.all():
        if licence.valid_from:
            yield TimelineEntry(
                when=licence.valid_from,
                kind="licence",
                label=pgettext("timeline", "Licence"),
                title=_("Licence issued: %(type)s") % {"type": licence.get_licence_type_display()},
                detail=licence.number,
            )


@timeline_provider
def _filing_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    for filing in entity.filings.all():
        yield TimelineEntry(
            when=filing.filed_on,
            kind="filing",
            label=pgettext("timeline", "Filing"),
            title=_("Filing: %(activity)s") % {"activity": filing.get_activity_display()},
            detail=filing.number,
        )
