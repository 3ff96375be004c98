"""Filing an annual safety report, and its corrections as new versions."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.annualreports.fields import fields_for
from anjian.annualreports.models import AnnualReport
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.scope import enterprise_entity_ids
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.entities.models import Entity

# How many past years a unit may still file (the current year and the five before it).
YEARS_BACK = 5


def may_file_for(user: Any, entity_id: int) -> bool:
    """The unit's active principal or safety manager files its report."""
    if isinstance(user, Actor) or entity_id not in enterprise_entity_ids(user):
        return False
    member = apps.get_model("enterprise", "EnterpriseMember")
    return bool(
        member.objects.filter(
            user_id=user.pk,
            entity_id=entity_id,
            active=True,
            position__in=("principal", "safety_manager"),
        ).exists()
    )


def values_check(industry: str, raw: dict[str, Any]) -> dict[str, int]:
    errors: dict[str, Any] = {}
    clean: dict[str, int] = {}
    for f in fields_for(industry):
        value = raw.get(f.name)
        try:
            n = int(str(value).strip())
        except (TypeError, ValueError):
            errors[f.name] = _("Give a whole number, 0 or more.")
            continue
        if n < 0 or n > 10**13:
            errors[f.name] = _("Give a whole number, 0 or more.")
            continue
        clean[f.name] = n
    if not errors and clean.get("hazards_rectified", 0) > clean.get("hazards_found", 0):
        errors["hazards_rectified"] = _("More hazards rectified than found.")
    if errors:
        raise ServiceError.for_fields(errors)
    return clean


@transaction.atomic
def report_file(
    *,
    actor: Any,
    entity: Entity,
    year: int,
    values: dict[str, Any],
    reason: str = "",
    source: str = AuditSource.WEB,
) -> AnnualReport:
    """File the year's report; if one is filed, this is a correction and needs a reason."""
    if not isinstance(actor, Actor):
        if not actor.can(Capability.ENTERPRISE_SELF):
            raise NotPermitted()
        if entity.pk not in enterprise_entity_ids(actor):
            raise NotFound()
        if not may_file_for(actor, entity.pk):
            raise NotPermitted(_("Only the principal or the safety manager files the report."))
    this_year = clock.today().year
    if not this_year - YEARS_BACK <= year <= this_year:
        raise ServiceError.for_field(
            "year",
            _("Choose a year from %(first)s to %(last)s.")
            % {"first": this_year - YEARS_BACK, "last": this_year},
        )
    clean = values_check(entity.industry, values)
    current = (
        AnnualReport.objects.select_for_update()
        .filter(entity=entity, year=year, latest=True)
        .first()
    )
    if current is not None and len(reason.strip()) < 5:
        raise ServiceError.for_field(
            "reason", _("The report for this year is filed: give the reason for the correction.")
        )
    if current is not None:
        current.latest = False
        current.save(update_fields=["latest"])
    report = AnnualReport.objects.create(
        entity=entity,
        region_id=entity.region_id,
        year=year,
        version=(current.version + 1) if current else 1,
        industry=entity.industry,
        values=clean,
        reason=reason.strip() if current else "",
        filed_by_id=getattr(actor, "pk", None) or getattr(actor, "id", None),
    )
    audit_record(
        actor=actor,
        action="annualreports.report.corrected" if current else "annualreports.report.filed",
        obj=report,
        region=entity.region_id,
        changes={"entity": entity.pk, "year": year, "version": report.version, **clean},
        source=source,
    )
    return report
