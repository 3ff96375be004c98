"""Credit on the entity's profile (registered from apps.py; entities knows no later app): the
grade in force with a link to how it was computed, and each credit record newest first, its
source one click away, in a section of its own and in the timeline."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import F, JSONField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from anjian.core import clock
from anjian.credit.links import source_url
from anjian.credit.models import CreditRecord, EntityCredit, RecordStatus
from anjian.entities.models import Entity
from anjian.entities.timeline import (
    PROVIDER_LIMIT,
    ProfileSection,
    TimelineEntry,
    profile_section,
    timeline_provider,
    union_rows,
)

profile_section(
    ProfileSection(
        key="credit",
        title=gettext_lazy("Credit"),
        kind="credit",
        empty=gettext_lazy("No credit record."),
        order=40,
        limit=6,
    )
)


def _points(weight: int) -> str:
    return _("%(points)s points") % {"points": f"{weight:+d}"}


# The columns read of each table, in the same order: the grade in force as a row of the same
# shape as a record (its grade for the title, its score for the points) so that both come in
# one query (`union_rows`).
_RECORD_COLUMNS = (
    "id",
    "occurred_on",
    "title",
    "weight",
    "status",
    "counts_until",
    "source_type",
    "source_id",
    "facts",
)


def _day(value: Any) -> datetime.date:
    # SQLite may give a date of a compound query's column as its text.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


@timeline_provider
def credit_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    page = reverse("credit:entity_credit", args=[entity.uscc])
    grade = (
        EntityCredit.objects.visible_to(user)
        .filter(entity=entity)
        .annotate(
            r_id=Value(0),
            r_on=F("computed_on"),
            r_title=F("grade"),
            r_weight=F("score"),
            r_status=Value(""),
            r_until=F("computed_on"),
            r_source_type=Value(""),
            r_source_id=Value(""),
            r_facts=Cast(Value(None), output_field=JSONField()),
        )
        .order_by("pk")
        .values_list(
            "r_id",
            "r_on",
            "r_title",
            "r_weight",
            "r_status",
            "r_until",
            "r_source_type",
            "r_source_id",
            "r_facts",
        )[:1]
    )
    records = (
        CreditRecord.objects.visible_to(user)
        .filter(entity=entity)
        .exclude(status__in=[RecordStatus.VOID, RecordStatus.REJECTED])
        .order_by("-occurred_on", "-id")
        .values_list(*_RECORD_COLUMNS)[:PROVIDER_LIMIT]
    )
    rows = [(branch, pk, _day(on), *rest) for branch, pk, on, *rest in union_rows(grade, records)]
    for branch, _id, on, title, weight, *_rest in rows:
        if branch == 0:
            yield TimelineEntry(
                when=on,
                kind="credit",
                label=pgettext("timeline", "Credit"),
                title=_("Credit grade %(grade)s (%(score)s points): how it was computed")
                % {"grade": title, "score": weight},
                url=page,
            )
    today = clock.today()
    # The records in their query's order (newest first), which the union does not keep.
    found = sorted(
        (row for row in rows if row[0] == 1), key=lambda row: (row[2], row[1]), reverse=True
    )
    for (
        _branch,
        pk,
        on,
        title,
        weight,
        status,
        counts_until,
        source_type,
        source_id,
        facts,
    ) in found:
        record = CreditRecord(
            pk=pk,
            title=title,
            weight=weight,
            status=status,
            counts_until=_day(counts_until),
            source_type=source_type,
            source_id=source_id,
            facts=json.loads(facts) if isinstance(facts, str) else facts,
        )
        counting = record.status == RecordStatus.ACTIVE and record.counts_until > today
        detail = _points(record.weight)
        if record.status == RecordStatus.PROPOSED:
            detail += "，" + _("awaiting approval")
        elif counting:
            detail += "，" + _("counts until %(day)s") % {"day": record.counts_until.isoformat()}
        else:
            detail += "，" + _("no longer counts")
        yield TimelineEntry(
            when=on,
            kind="credit",
            label=pgettext("timeline", "Credit"),
            title=record.title,
            detail=detail,
            url=source_url(record) or page,
            open=counting,
            flag=_("awaiting approval") if record.status == RecordStatus.PROPOSED else "",
        )
