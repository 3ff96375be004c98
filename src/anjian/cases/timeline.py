"""The cases' entries on an entity's profile: each case against it (opened, and decided when it
was), the publication of each penalty decision, and the profile's section of cases.

The publications live here and not in the publications app because a publication knows only
its subject's label and key; the cases app is the one that knows a case's publication.
Each provider is one query in the viewer's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from anjian.cases.models import Case
from anjian.cases.states import ENDED_STATES
from anjian.entities.models import Entity
from anjian.entities.timeline import (
    PROVIDER_LIMIT,
    ProfileSection,
    TimelineEntry,
    profile_section,
    timeline_provider,
)
from anjian.publications.models import Publication, PublicationStatus

profile_section(
    ProfileSection(
        key="cases",
        title=gettext_lazy("Enforcement cases"),
        kind="case",
        empty=gettext_lazy("No case against this entity."),
        order=30,
    )
)


@timeline_provider
def case_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    cases = (
        Case.objects.visible_to(user)
        .filter(entity=entity)
        # A case row is wide (the discretion, the measures, the statement): read what is shown.
        .only("opened_on", "number", "title", "state", "decided_on", "decision_number")
        .order_by("-opened_on", "-id")
    )
    for case in cases[:PROVIDER_LIMIT]:
        url = reverse("cases:case_detail", args=[case.pk])
        yield TimelineEntry(
            when=case.opened_on,
            kind="case",
            label=pgettext("timeline", "Case"),
            title=_("Case %(number)s") % {"number": case.number},
            detail=f"{case.title}，{case.get_state_display()}",
            url=url,
            open=case.state not in ENDED_STATES,
        )
        if case.decided_on:
            yield TimelineEntry(
                when=case.decided_on,
                kind="decision",
                label=pgettext("timeline", "Case"),
                title=_("Penalty decision %(number)s")
                % {"number": case.decision_number or case.number},
                detail=case.title,
                url=url,
            )


@timeline_provider
def case_publication_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    # The publication names its case by key as text; the cast keeps this one query.
    case_keys = (
        Case.objects.filter(entity=entity)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    # The (subject_type, subject_id) index finds each case's publication (publications/0…).
    publications = (
        Publication.objects.visible_to(user)
        .filter(subject_type=Case._meta.label_lower, subject_id__in=case_keys)
        .only("fields", "status", "published_on", "decided_on")
        .order_by("-decided_on", "-id")[:PROVIDER_LIMIT]
    )
    for publication in publications:
        number = publication.fields.get("decision_number", "")
        if publication.status == PublicationStatus.PUBLISHED and publication.published_on:
            when = publication.published_on
            title = _("Penalty decision published %(number)s") % {"number": number}
        else:
            when = publication.decided_on
            title = _("Publication of penalty decision %(number)s") % {"number": number}
        yield TimelineEntry(
            when=when,
            kind="publication",
            label=pgettext("timeline", "Publication"),
            title=title,
            detail=publication.get_status_display(),
            url=reverse("publications:publication_detail", args=[publication.pk]),
            open=publication.status == PublicationStatus.SCHEDULED,
        )
