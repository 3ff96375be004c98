"""Which entities a plan line covers. One definition, used three ways: as a database filter
(`line_q`, for task generation and for the lists behind the coordination figures), and as a
test on an entity's attributes (`LineRule.matches`, for the coordination check, which groups the
registry into classes of identical attributes instead of walking a million rows one by one).
A test (tests/plans/test_coordination.py) checks that the two agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from anjian.core.scope import region_q
from anjian.entities.models import BusinessStatus
from anjian.plans.models import PlanLine
from anjian.plans.states import PlanStatus

# Plans are for entities that can be inspected: operating, or suspended (停产整顿 mines are
# inspected all the more). Deregistered and revoked entities are not planned for.
INSPECTABLE = (BusinessStatus.OPERATING, BusinessStatus.SUSPENDED)
# A plan counts as covering its entities once issued (印发); filing upward does not change that.
COVERING = (PlanStatus.ISSUED, PlanStatus.FILED)


def line_q(line: PlanLine) -> Q:
    """The entities `line` covers, as a filter on Entity."""
    q = Q(business_status__in=INSPECTABLE)
    if line.by_list:
        return q & Q(
            pk__in=line.entities.through.objects.filter(planline_id=line.pk).values("entity_id")
        )
    q &= region_q("region_id", line.plan.bureau.region_id)
    if line.industries:
        q &= Q(industry__in=line.industries)
    if line.key_supervision_only:
        q &= Q(key_supervision=True)
    if line.major_hazard_only:
        q &= Q(major_hazard_source=True)
    if line.credit_grades:
        q &= Q(credit_grade__in=line.credit_grades)
    if line.risk_levels:
        q &= Q(risk_level__in=line.risk_levels)
    return q


@dataclass(frozen=True)
class EntityClass:
    """Entities that no rule can tell apart: same county, industry, flags, grade and level."""

    region_id: str
    industry: str
    key_supervision: bool
    major_hazard_source: bool
    credit_grade: str
    risk_level: str


@dataclass(slots=True)
class LineRule:
    """A plan line reduced to what the coordination check needs. (Slots: the check makes one
    per line of the year, thousands, and reads their fields in its inner loops.)"""

    line_id: int
    plan_id: int
    plan_title: str
    plan_status: str
    bureau_id: int
    bureau_name: str
    region_id: str
    level: str
    division_id: int | None
    division_name: str
    item_id: int
    item_code: str
    item_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    frequency: int
    industries: frozenset[str]
    key_only: bool
    hazard_only: bool
    grades: frozenset[str]
    risks: frozenset[str]
    by_list: bool
    listed: frozenset[int] = field(default_factory=frozenset)

    def matches(self, c: EntityClass) -> bool:
        """For rule lines only; a by-list line is matched by entity id."""
        return (
            (not self.industries or c.industry in self.industries)
            and (not self.key_only or c.key_supervision)
            and (not self.hazard_only or c.major_hazard_source)
            and (not self.grades or c.credit_grade in self.grades)
            and (not self.risks or c.risk_level in self.risks)
        )

    def overlaps(self, other: LineRule) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on
