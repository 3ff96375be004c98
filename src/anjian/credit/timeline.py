"""Credit on the entity's profile (registered from apps.py; entities knows no later app): the
grade in force with a link to how it was computed, and each credit record newest first, its
source one click away, in a section of its own and in the timeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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


@timeline_provider
def credit_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    page = reverse("credit:entity_credit", args=[entity.uscc])
    credit = EntityCredit.objects.visible_to(user).filter(entity=entity).first()
    if credit is not None:
        yield TimelineEntry(
            when=credit.computed_on,
            kind="credit",
            label=pgettext("timeline", "Credit"),
            title=_("Credit grade %(grade)s (%(score)s points): how it was computed")
            % {"grade": credit.grade, "score": credit.score},
            url=page,
        )
    today = clock.today()
    records = (
        CreditRecord.objects.visible_to(user)
        .filter(entity=entity)
        .exclude(status__in=[RecordStatus.VOID, RecordStatus.REJECTED])
        .order_by("-occurred_on", "-id")[:PROVIDER_LIMIT]
    )
    for record in records:
        counting = record.status == RecordStatus.ACTIVE and record.counts_until > today
        detail = _points(record.weight)
        if record.status == RecordStatus.PROPOSED:
            detail += "，" + _("awaiting approval")
        elif counting:
            detail += "，" + _("counts until %(day)s") % {"day": record.counts_until.isoformat()}
        else:
            detail += "，" + _("no longer counts")
        yield TimelineEntry(
            when=record.occurred_on,
            kind="credit",
            label=pgettext("timeline", "Credit"),
            title=record.title,
            detail=detail,
            url=source_url(record) or page,
            open=counting,
            flag=_("awaiting approval") if record.status == RecordStatus.PROPOSED else "",
        )
