"""Reads of the entity registry. Every query starts from `visible_to(user)`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.masking import mask_person_name
from anjian.core.scope import get_visible_or_404
from anjian.entities.models import (
    BusinessStatus,
    Entity,
    EntityNameGram,
    Filing,
    FilingActivity,
    Licence,
    LicenceStatus,
)
from anjian.entities.search import looks_like_code, query_grams, search_normalise


def entity_search_filter(queryset: QuerySet[Entity], query: str) -> QuerySet[Entity]:
    """Entities whose name or a former name contains the query, or whose credit code does."""
    q = search_normalise(query)
    if not q:
        return queryset
    grams = query_grams(q)
    # A two-character query is one bigram: having it means containing the query, and the
    # substring check (a heap visit per candidate) adds nothing. Longer queries need it for
    # adjacency ("平鲁煤业" is not "平鲁……煤业").
    name_match = Q() if len(q) == 2 and len(grams) == 1 else Q(search_text__contains=q)
    for gram in grams:
        # Each bigram of the query must be among the entity's bigrams: the index narrows the
        # candidates, and search_text__contains keeps only true substring matches. `id IN
        # (subquery)` rather than EXISTS: PostgreSQL plans both as a semi-join, and SQLite then
        # drives from the bigram's list instead of probing it once per entity.
        name_match &= Q(pk__in=EntityNameGram.objects.filter(gram=gram).values("entity_id"))
    if looks_like_code(q):
        code = q.upper()
        # A short prefix as a range on the unique key (codes are digits and capitals, which
        # every collation orders alike; no LIKE index is kept, migration entities/0005).
        code_match = (
            Q(uscc=code)
            if len(code) == 18
            else Q(uscc__gte=code, uscc__lte=code.ljust(18, "Z"), uscc__startswith=code)
        )
        if 6 <= len(code) < 18:
            code_match = Q(uscc__contains=code)
        return queryset.filter(name_match | code_match)
    return queryset.filter(name_match)


@dataclass(frozen=True)
class EntityFilters:
    q: str = ""
    industry: str = ""
    region: str = ""
    status: str = ""
    key_supervision: bool = False
    new_business_form: bool = False
    major_hazard_source: bool = False
    licence_expiring_days: int | None = None
    credit_grade: str = ""
    risk_level: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in ("", False, None)}


def entity_list(*, user: Any, filters: EntityFilters | None = None) -> QuerySet[Entity]:
    from anjian.core.scope import region_codes_under

    f = filters or EntityFilters()
    # Regions come by prefetch (two small queries per page), not a join: with a join the
    # planner, misjudging how many rows a bigram matches, loops over the region table per row.
    qs = Entity.objects.visible_to(user).prefetch_related("region__parent")
    if f.industry:
        qs = qs.filter(industry=f.industry)
    if f.region:
        codes = region_codes_under(f.region)
        qs = qs.filter(region_id__in=codes) if len(codes) > 1 else qs.filter(region_id=f.region)
    if f.status:
        qs = qs.filter(business_status=f.status)
    if f.key_supervision:
        qs = qs.filter(key_supervision=True)
    if f.new_business_form:
        qs = qs.filter(new_business_form=True)
    if f.major_hazard_source:
        qs = qs.filter(major_hazard_source=True)
    if f.credit_grade:
        qs = qs.filter(credit_grade=f.credit_grade)
    if f.risk_level:
        qs = qs.filter(risk_level=f.risk_level)
    if f.licence_expiring_days is not None:
        today = timezone.localdate()
        until = today + datetime.timedelta(days=f.licence_expiring_days)
        qs = qs.filter(
            Exists(
                Licence.objects.filter(
                    entity_id=OuterRef("pk"),
                    status=LicenceStatus.VALID,
                    valid_until__gte=today,
                    valid_until__lte=until,
                )
            )
        )
    # Newest first (the model's order): the bigram index yields entity ids in order, so the
    # first page of a search stops after 50 matches however many there are.
    return entity_search_filter(qs, f.q) if f.q else qs


def entity_list_count(*, user: Any, filters: EntityFilters, cap: int) -> int:
    """How many entities `entity_list` gives, counted up to `cap` + 1 (the list page's pager).

    A two-character name query with no other filter, by a user who sees the whole registry,
    is exactly the entities holding that one bigram: every bigram row is one entity (the
    primary key is (bigram, entity), and entities are closed, never deleted), so the bigram
    index alone counts them. Joining each of up to 10,001 rows to the entity's key only to
    find it there made the count 6–7× that (issue 24). Anything else counts the list itself."""
    from anjian.core.scope import ALL, visible_region_codes

    q = search_normalise(filters.q)
    grams = query_grams(q) if q else []
    if (
        filters == EntityFilters(q=filters.q)
        and len(q) == 2
        and len(grams) == 1
        and not looks_like_code(q)
        and visible_region_codes(user) is ALL
    ):
        return int(EntityNameGram.objects.filter(gram=grams[0])[: cap + 1].count())
    return int(entity_list(user=user, filters=filters)[: cap + 1].count())


def entity_get(*, user: Any, uscc: str) -> Entity:
    return get_visible_or_404(
        Entity.objects.select_related("region", "region__parent"), user, uscc=uscc.upper()
    )


def entity_profile_get(*, user: Any, uscc: str) -> Entity:
    """The entity for its profile (page and API), with the relations the profile shows both as
    a table and in the timeline (licences, filings, declared standards: `profile_prefetch`)
    read once, one query each."""
    from anjian.entities.timeline import profile_prefetches

    return get_visible_or_404(
        Entity.objects.select_related("region", "region__parent").prefetch_related(
            *profile_prefetches(user)
        ),
        user,
        uscc=uscc.upper(),
    )


def entity_personal_data_visible(*, user: Any, entity: Entity) -> bool:
    """The legal representative is personal data: read in full only by the owning bureau,
    the bureau of the entity's own county (GLOSSARY: masked outside it)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "has_staff_role", False)
        and getattr(user, "scope_region_code", None) == entity.region_id
    )


def legal_representative_shown(*, user: Any, entity: Entity) -> str:
    if entity_personal_data_visible(user=user, entity=entity):
        return entity.legal_representative
    return mask_person_name(entity.legal_representative)


def licence_list(*, user: Any, entity: Entity | None = None) -> QuerySet[Licence]:
    qs = Licence.objects.visible_to(user).select_related("entity", "entity__region")
    if entity is not None:
        qs = qs.filter(entity=entity)
    return qs


# The warning period of the expiring-licences page: a valid licence that lapses within it is
# listed there and marked as expiring on the entity's profile.
LICENCE_WARNING_DAYS = 30


@dataclass(frozen=True)
class LicenceState:
    """How a licence stands today, in words: 有效, 即将到期 (with the days left), 已过期, or
    its recorded status when that is not valid (suspended, revoked, cancelled)."""

    label: str
    tone: str  # the badge's colour: success, warning, danger, secondary
    days_left: int | None = None


def licence_state(licence: Licence, *, today: datetime.date) -> LicenceState:
    if licence.status != LicenceStatus.VALID:
        return LicenceState(str(licence.get_status_display()), "secondary")
    days_left = (licence.valid_until - today).days
    if days_left < 0:
        return LicenceState(_("Expired"), "danger")
    if days_left <= LICENCE_WARNING_DAYS:
        return LicenceState(_("Expiring soon"), "warning", days_left)
    return LicenceState(_("Valid"), "success")


def licence_expiring_list(*, user: Any, days: int) -> QuerySet[Licence]:
    """Valid licences that lapse within `days` days from today (and those already lapsed
    in the last `days` days but still marked valid, which need a decision)."""
    today = timezone.localdate()
    return (
        licence_list(user=user)
        .filter(
            status=LicenceStatus.VALID,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=days),
        )
        .order_by("valid_until", "id")
    )


def filing_list(*, user: Any, entity: Entity | None = None) -> QuerySet[Filing]:
    qs = Filing.objects.visible_to(user).select_related("entity")
    if entity is not None:
        qs = qs.filter(entity=entity)
    return qs


@dataclass(frozen=True)
class FilingRule:
    """Which entities must hold a current filing for an activity."""

    activity: FilingActivity
    applies: Callable[[], Q]
    basis: str


FILING_RULES: list[FilingRule] = [
    FilingRule(
        FilingActivity.EMERGENCY_PLAN,
        lambda: Q(
            industry__in=[
                "coal_mine",
                "non_coal_mine",
                "hazardous_chemicals",
                "fireworks",
                "metallurgy",
                "non_ferrous",
            ]
        ),
        "生产安全事故应急条例 第七条；生产安全事故应急预案管理办法 第二十六条",
    ),
    FilingRule(
        FilingActivity.MAJOR_HAZARD,
        lambda: Q(major_hazard_source=True),
        "危险化学品重大危险源监督管理暂行规定 第二十三条",
    ),
]


def filing_missing_list(
    *, user: Any, activity: str = "", on: datetime.date | None = None
) -> QuerySet[Entity]:
    """Operating entities in a filing-required activity with no current filing for it
    (N1.2: 审批改备案, 查处未备案经营)."""
    day = on or timezone.localdate()
    rules = [r for r in FILING_RULES if not activity or r.activity == activity]
    missing = Q(pk__in=[])
    for rule in rules:
        current = Filing.objects.filter(
            entity_id=OuterRef("pk"), activity=rule.activity, filed_on__lte=day
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        missing |= rule.applies() & ~Q(Exists(current))
    return (
        Entity.objects.visible_to(user)
        .filter(business_status=BusinessStatus.OPERATING)
        .filter(missing)
        .select_related("region")
    )


def filing_missing_activities(entity: Entity, *, on: datetime.date | None = None) -> list[str]:
    """For one entity, the activities it must have filed and has not: one query, a flag per
    rule (whether the rule applies to the entity and no current filing covers it)."""
    day = on or timezone.localdate()
    flags: dict[str, Any] = {}
    for i, rule in enumerate(FILING_RULES):
        current = Filing.objects.filter(
            entity_id=OuterRef("pk"), activity=rule.activity, filed_on__lte=day
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        flags[f"missing_{i}"] = Case(
            When(rule.applies() & ~Q(Exists(current)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    row = Entity.objects.filter(pk=entity.pk).annotate(**flags).values_list(*flags).first()
    if row is None:
        return []
    return [rule.activity for rule, missing in zip(FILING_RULES, row, strict=True) if missing]
