"""Yearly inspection caps per class and credit grade (N3.2 差异化频次; defaults from Shanxi
2025 in `ANJIAN_CREDIT_YEARLY_CAPS`): how many inspections an entity of its class and grade may
have in a calendar year. An inspection counts once per entity and due day (the items of one
visit are one inspection), whatever made it (plan, draw, ad hoc), unless cancelled.

Every way of scheduling is checked (`inspections/scheduling.py`): an ad hoc task one entity at a
time (`over_cap_message`), a plan issued or a draw run for its whole batch at once
(`over_cap_bulk`, one query); beyond the cap the scheduler needs a reason, written into the
tasks' notes and the audit event. The caps page lists the entities beyond their cap and the D
entities inspected fewer times than their cap allows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from anjian.core.choices import Industry, StandardisationGrade
from anjian.entities.models import Entity

UNGRADED_AS = "B"  # an entity without records scores the base: B (docs/algorithms/credit.md)


def class_of(industry: str) -> str:
    caps = settings.ANJIAN_CREDIT_YEARLY_CAPS
    return industry if industry in caps else "other"


def class_label(cls: str) -> str:
    if cls == "other":
        return _("other industries")
    return str(dict(Industry.choices).get(cls, cls))


NOT_RATED = "not_rated"  # the caps' key for an entity without a standardisation grade


def by_standardisation(industry: str) -> bool:
    """Whether the class is capped by the standardisation grade (Shanxi: hazardous chemicals
    and metallurgy) rather than by the credit grade."""
    return NOT_RATED in settings.ANJIAN_CREDIT_YEARLY_CAPS[class_of(industry)]


def cap_for(industry: str, grade: str, standardisation: str = "") -> int:
    caps = settings.ANJIAN_CREDIT_YEARLY_CAPS[class_of(industry)]
    if NOT_RATED in caps:
        return int(caps[standardisation or NOT_RATED])
    return int(caps[grade or UNGRADED_AS])


def _cap_text(
    name: str, n: int, year: int, industry: str, grade: str, standardisation: str, cap: int,
    *, planned: bool,
) -> str:  # fmt: skip
    values = {
        "name": name, "n": n, "year": year, "cls": class_label(class_of(industry)), "cap": cap,
        "grade": grade or UNGRADED_AS,
        "standardisation": StandardisationGrade(standardisation).label,
    }  # fmt: skip
    if by_standardisation(industry):
        if planned:
            return (
                _(
                    "%(name)s would have %(n)s inspections in %(year)s; %(cls)s of standardisation "
                    "grade %(standardisation)s are inspected at most %(cap)s times a year."
                )
                % values
            )
        return (
            _(
                "%(name)s has %(n)s inspections in %(year)s; %(cls)s of standardisation grade "
                "%(standardisation)s are inspected at most %(cap)s times a year."
            )
            % values
        )
    if planned:
        return (
            _(
                "%(name)s would have %(n)s inspections in %(year)s; %(cls)s of credit grade "
                "%(grade)s are inspected at most %(cap)s times a year."
            )
            % values
        )
    return (
        _(
            "%(name)s has %(n)s inspections in %(year)s; %(cls)s of credit grade "
            "%(grade)s are inspected at most %(cap)s times a year."
        )
        % values
    )


def _year_tasks(year: int) -> Any:
    from anjian.inspections.models import InspectionTask, TaskStatus

    return InspectionTask.objects.filter(
        due_on__gte=datetime.date(year, 1, 1), due_on__lte=datetime.date(year, 12, 31)
    ).exclude(status=TaskStatus.CANCELLED)


def inspections_in_year(entity_id: int, year: int) -> int:
    return _year_tasks(year).filter(entity_id=entity_id).values("due_on").distinct().count()


def over_cap_message(entity: Any, day: datetime.date, adding: int) -> str:
    """The scheduling check (registered with inspections): "" when within the cap."""
    cap = cap_for(entity.industry, entity.credit_grade, entity.standardisation_grade)
    done = inspections_in_year(entity.pk, day.year)
    if done + adding <= cap:
        return ""
    return _cap_text(
        entity.name, done, day.year, entity.industry, entity.credit_grade,
        entity.standardisation_grade, cap, planned=False,
    )  # fmt: skip


def over_cap_bulk(tasks: Any, year: int) -> dict[int, str]:
    """The bulk scheduling check (registered with inspections): the entities of the batch
    `tasks` (already written) beyond their cap in `year`, counting the batch. One query for the
    counts of the whole batch, grouped with each entity's class and grade."""
    rows = (
        _year_tasks(year)
        .filter(entity_id__in=tasks.values("entity_id"))
        .values(
            "entity_id",
            "entity__name",
            "entity__industry",
            "entity__credit_grade",
            "entity__standardisation_grade",
        )
        .annotate(n=Count("due_on", distinct=True))
        .order_by()
    )
    out: dict[int, str] = {}
    for r in rows.iterator(chunk_size=5000):
        industry, grade, n = r["entity__industry"], r["entity__credit_grade"], r["n"]
        standardisation = r["entity__standardisation_grade"]
        cap = cap_for(industry, grade, standardisation)
        if n > cap:
            out[r["entity_id"]] = _cap_text(
                r["entity__name"], n, year, industry, grade, standardisation, cap, planned=True
            )
    return out


@dataclass
class CapRow:
    entity: Entity
    inspections: int
    cap: int
    cls: str

    @property
    def missing(self) -> int:
        return max(0, self.cap - self.inspections)


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
        cap = cap_for(entity.industry, entity.credit_grade, entity.standardisation_grade)
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
        cap = cap_for(entity.industry, "D", entity.standardisation_grade)
        n = counts.get(entity.pk, 0)
        if n < cap:
            under.append(CapRow(entity, n, cap, class_label(class_of(entity.industry))))
    over.sort(key=lambda r: r.inspections - r.cap, reverse=True)
    return over[:limit], under[:limit]
