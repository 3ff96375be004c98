"""The inspections' entries on an entity's profile: its on-site inspections, the hazards and
violations found, the correction orders with their state, and the published results of its
random inspections; and the profile's sections for the recent inspections and the hazards not
yet rectified.

Each provider is one query, bounded by `PROVIDER_LIMIT`, in the viewer's data scope
(a county inspector on a city's team sees that record and no other of the city's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from anjian.catalog.models import ItemVersion
from anjian.entities.models import Entity
from anjian.entities.timeline import (
    PROVIDER_LIMIT,
    ProfileSection,
    TimelineEntry,
    profile_section,
    timeline_provider,
)
from anjian.inspections.models import (
    CorrectionOrder,
    Finding,
    FindingKind,
    HazardSeverity,
    InspectionRecord,
    InspectionTask,
    OrderStatus,
    RecordStatus,
)

profile_section(
    ProfileSection(
        key="inspections",
        title=gettext_lazy("Recent inspections"),
        kind="inspection",
        empty=gettext_lazy("No inspection recorded."),
        order=10,
    )
)
profile_section(
    ProfileSection(
        key="rectifications",
        title=gettext_lazy("Hazards not yet rectified"),
        kind="rectification",
        open_only=True,
        empty=gettext_lazy("No open correction order."),
        order=20,
    )
)


def _finding_count(kind: str) -> Coalesce:
    """The record's findings of one kind, counted in a subquery (no GROUP BY of the records)."""
    counted = (
        Finding.objects.filter(record=OuterRef("pk"), kind=kind)
        .order_by()
        .values("record")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _checklist_names() -> RawSQL:
    """The names of the record's checklist versions joined by 、, in the versions' own order
    (ItemVersion's ordering: item, number): the list a prefetch of `item_versions` gave, read
    as a column of the records' query. A correlated subquery in SQL of its own because
    Django 5.2 has no ordered string aggregate outside PostgreSQL's contrib."""
    quote = connection.ops.quote_name
    link = InspectionRecord.item_versions.through
    links, versions = quote(link._meta.db_table), quote(ItemVersion._meta.db_table)
    record_id = f"{quote(InspectionRecord._meta.db_table)}.{quote('id')}"
    # Only table and column names from the models go into the text; the separator is a
    # parameter.
    rows = (
        f"FROM {links} l JOIN {versions} v ON v.id = l.itemversion_id "
        f"WHERE l.inspectionrecord_id = {record_id}"
    )
    order = "ORDER BY v.item_id, v.number"
    if connection.vendor == "postgresql":
        sql = f"(SELECT STRING_AGG(v.name, %s {order}) {rows})"
    else:
        # SQLite before 3.44 has no ORDER BY inside an aggregate: it concatenates in the order
        # of an ordered subquery (which it does not flatten into an aggregate).
        sql = f"(SELECT GROUP_CONCAT(name, %s) FROM (SELECT v.name {rows} {order}))"  # noqa: S608
    return RawSQL(sql, ("、",), output_field=CharField())  # noqa: S611  # nosec B611


@timeline_provider
def inspection_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    records = (
        InspectionRecord.objects.visible_to(user)
        .filter(entity=entity)
        .select_related("task__item")
        .only("number", "started_at", "status", "task__item__code")
        # Counts and checklist names as columns of this one query, not a prefetch per kind.
        .annotate(
            hazards=_finding_count(FindingKind.HAZARD),
            violations=_finding_count(FindingKind.VIOLATION),
            checklists=_checklist_names(),
        )
        .order_by("-started_at", "-id")[:PROVIDER_LIMIT]
    )
    for record in records:
        found = []
        if record.hazards:
            found.append(
                ngettext("%(n)d hazard", "%(n)d hazards", record.hazards) % {"n": record.hazards}
            )
        if record.violations:
            found.append(
                ngettext("%(n)d violation", "%(n)d violations", record.violations)
                % {"n": record.violations}
            )
        if record.status == RecordStatus.SUBMITTED and not found:
            found.append(_("no problem found"))
        # The checklist versions name what was inspected; the item's code if none was kept.
        inspected = record.checklists or record.task.item.code
        parts = [inspected, *found]
        yield TimelineEntry(
            when=timezone.localdate(record.started_at),
            kind="inspection",
            label=pgettext("timeline", "Inspection"),
            title=_("On-site inspection %(number)s") % {"number": record.number},
            detail="，".join(parts),
            url=reverse("inspections:record_detail", args=[record.pk]),
            open=record.status == RecordStatus.DRAFT,
            flag=_("Draft") if record.status == RecordStatus.DRAFT else "",
        )


@timeline_provider
def finding_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    # A draft's findings may still be removed: only a submitted record's are facts.
    findings = (
        Finding.objects.visible_to(user)
        .filter(record__entity=entity, record__status=RecordStatus.SUBMITTED)
        .select_related("record")
        .only("fact_date", "kind", "description", "severity", "record__number")
        .order_by("-fact_date", "-id")[:PROVIDER_LIMIT]
    )
    for finding in findings:
        hazard = finding.kind == FindingKind.HAZARD
        yield TimelineEntry(
            when=finding.fact_date,
            kind="finding",
            label=finding.get_kind_display(),
            title=Truncator(finding.description).chars(60),
            detail=finding.record.number,
            url=reverse("inspections:record_detail", args=[finding.record_id])
            + f"#finding-{finding.pk}",
            flag=(
                str(HazardSeverity(finding.severity).label)
                if hazard and finding.severity == HazardSeverity.MAJOR
                else ""
            ),
        )


@timeline_provider
def rectification_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    today = timezone.localdate()
    orders = (
        CorrectionOrder.objects.visible_to(user)
        .filter(record__entity=entity)
        .select_related("record")
        .only("issued_on", "deadline", "status", "rectified_on", "record__number")
        # What is to be rectified, in the first finding's words, and how many findings: two
        # columns of this query, not a prefetch of every finding.
        .annotate(
            first_finding=Subquery(
                Finding.objects.filter(correction_orders=OuterRef("pk"))
                .order_by("pk")
                .values("description")[:1]
            ),
            finding_count=Coalesce(
                Subquery(
                    Finding.objects.filter(correction_orders=OuterRef("pk"))
                    .order_by()
                    .values("correction_orders")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        )
        .order_by("-issued_on", "-id")[:PROVIDER_LIMIT]
    )
    for order in orders:
        outstanding = order.status != OrderStatus.RECTIFIED
        if order.status == OrderStatus.RECTIFIED and order.rectified_on:
            state = _("rectified on %(date)s") % {"date": order.rectified_on.isoformat()}
        else:
            state = order.get_status_display()
        more = order.finding_count - 1
        what = Truncator(order.first_finding).chars(60) if order.first_finding is not None else ""
        if more > 0:
            what += "；" + ngettext("and %(n)d more finding", "and %(n)d more findings", more) % {
                "n": more
            }
        yield TimelineEntry(
            when=order.issued_on,
            kind="rectification",
            label=pgettext("timeline", "Rectification"),
            title=_("Correction order, rectify by %(date)s") % {"date": order.deadline.isoformat()},
            detail="，".join(part for part in [what, order.record.number, str(state)] if part),
            url=reverse("inspections:order_detail", args=[order.pk]),
            open=outstanding,
            flag=_("Overdue") if outstanding and order.deadline < today else "",
        )


@timeline_provider
def result_publication_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    """A random inspection's published result (一公开), with the draw that chose the entity."""
    tasks = (
        InspectionTask.objects.visible_to(user)
        .filter(entity=entity, published_on__isnull=False)
        .select_related("draw")
        .only("published_on", "outcome", "draw__title")
        .order_by("-published_on", "-id")[:PROVIDER_LIMIT]
    )
    for task in tasks:
        if task.published_on is None:  # excluded by the filter; for the type checker
            continue
        yield TimelineEntry(
            when=task.published_on,
            kind="publication",
            label=pgettext("timeline", "Publication"),
            title=_("Random inspection result published: %(outcome)s")
            % {"outcome": task.get_outcome_display()},
            detail=task.draw.title if task.draw else "",
            url=reverse("draws:draw_detail", args=[task.draw_id]) if task.draw_id else "",
        )
