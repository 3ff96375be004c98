"""Yearly inspection caps per class and credit grade (N3.2 差异化频次; defaults from Shanxi
2025 in `ANJIAN_CREDIT_YEARLY_CAPS`): how many inspections an entity of its class and grade may
have in a calendar year. An inspection counts once per entity and due day (the items of one
visit are one inspection), whatever made it (plan, draw, ad hoc), unless cancelled.

Ad hoc tasks are checked when they are made (`inspections/scheduling.py`: beyond the cap they
need a reason); plans and draws make their tasks in bulk, so their excess shows on the caps
page, with the D entities inspected fewer times than their cap allows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from anjian.core.choices import Industry
from anjian.entities.models import Entity

UNGRADED_AS = "B"  # an entity without records scores the base: B (docs/algorithms/credit.md)


def class_of(industry: str) -> str:
    caps = settings.ANJIAN_CREDIT_YEARLY_CAPS
    return industry if industry in caps else "other"


def class_label(cls: str) -> str:
    if cls == "other":
        return _("other industries")
    return str(dict(Industry.choices).get(cls, cls))


def cap_for(industry: str, grade: str) -> int:
    caps = settings.ANJIAN_CREDIT_YEARLY_CAPS[class_of(industry)]
    return int(caps[grade or UNGRADED_AS])


def _year_tasks(year: int) -> Any:
    from anjian.inspections.models import InspectionTask, TaskStatus

    return InspectionTask.objects.filter(
        due_on__gte=datetime.date(year, 1, 1), due_on__lte=datetime.date(year, 12, 31)
    ).exclude(status=TaskStatus.CANCELLED)


def inspections_in_year(entity_id: int, year: int) -> int:
    return _year_tasks(year).filter(entity_id=entity_id).values("due_on").distinct().count()


def over_cap_message(entity: Any, day: datetime.date, adding: int) -> str:
    """The scheduling check (registered with inspections): "" when within the cap."""
    cap = cap_for(entity.industry, entity.credit_grade)
    done = inspections_in_year(entity.pk, day.year)
    if done + adding <= cap:
        return ""
    return _(
        "%(name)s has %(n)s inspections in %(year)s; %(cls)s of credit grade %(grade)s are "
        "inspected at most %(cap)s times a year."
    ) % {
        "name": entity.name,
        "n": done,
        "year": day.year,
        "cls": class_label(class_of(entity.industry)),
        "grade": entity.credit_grade or UNGRADED_AS,
        "cap": cap,
    }


@dataclass
class CapRow:
    entity: Entity
    inspections: int
    cap: int
    cls: str


def caps_report(user: Any, year: int, limit: int = 500) -> tuple[list[CapRow], list[CapRow]]:
    """(entities over their cap, D entities inspected fewer times than their cap) in the
    viewer's jurisdiction, for `year`."""
    from anjian.entities.models import BusinessStatus

    counts = dict(
        _year_tasks(year)
        .filter(entity__in=Entity.objects.visible_to(user))
        .values("entity_id")
        .annotate(n=Count("due_on", distinct=True))
        .values_list("entity_id", "n")
    )
    over = []
    by_pk = Entity.objects.visible_to(user).select_related("region").in_bulk(list(counts))
    for pk, n in counts.items():
        entity = by_pk.get(pk)
        if entity is None:
            continue
        cap = cap_for(entity.industry, entity.credit_grade)
        if n > cap:
            over.append(CapRow(entity, n, cap, class_label(class_of(entity.industry))))
    under = []
    d_entities = (
        Entity.objects.visible_to(user)
        .filter(credit_grade="D", business_status=BusinessStatus.OPERATING)
        .select_related("region")
        .order_by("region_id", "id")
    )
    for entity in d_entities[: limit * 4]:
        cap = cap_for(entity.industry, "D")
        n = counts.get(entity.pk, 0)
        if n < cap:
            under.append(CapRow(entity, n, cap, class_label(class_of(entity.industry))))
    over.sort(key=lambda r: r.inspections - r.cap, reverse=True)
    return over[:limit], under[:limit]
