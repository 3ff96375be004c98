"""Writes of accident reports: the unit's report (or an officer's record of one phoned in), the
opening by each level, the forwarding up the chain, supplements and a concealment found later.

Every step writes an audit event under the `accident.` codes (audit.py). Two of them are read
by other apps: `accident.reported_late` (the unit reported after the deadline: a credit record
when credit is installed) and `accident.concealed` (an officer found the accident concealed or
falsely reported: credit's serious-dishonesty check, 令第11号). Their `changes` carry the entity
id and credit code, never the reporter's name or phone.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accidents.models import (
    AccidentReport,
    AccidentType,
    ChainLevel,
    ChainStep,
    Level,
    Source,
    Supplement,
)
from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require
from anjian.core.scope import enterprise_entity_ids, region_ancestors
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.entities.models import Entity

_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
_SIGNING_POSITIONS = ("principal", "safety_manager")

# 生产安全事故报告和调查处理条例 art. 3: (deaths incl. missing, serious injuries, direct loss in
# yuan) from which a level starts, gravest first.
LEVEL_THRESHOLDS: list[tuple[str, int, int, int]] = [
    (Level.EXTRAORDINARY, 30, 100, 100_000_000),
    (Level.MAJOR, 10, 50, 50_000_000),
    (Level.LARGER, 3, 10, 10_000_000),
]


def accident_level(
    dead: int, injured: int, missing: int = 0, direct_loss: int | None = None
) -> str:
    """The level the figures give (art. 3). The missing count with the dead: until found, a
    missing person may be dead, and the level must not be understated."""
    deaths = dead + missing
    loss = direct_loss or 0
    for level, d, i, money in LEVEL_THRESHOLDS:
        if deaths >= d or injured >= i or loss >= money:
            return level
    return Level.GENERAL


@dataclass(frozen=True)
class ReportValues:
    occurred_at: datetime.datetime | None
    place: str
    accident_type: str
    dead: int
    injured: int
    missing: int
    cause: str
    measures: str
    reporter_name: str
    reporter_phone: str
    direct_loss: int | None = None


def _values_check(values: ReportValues, now: datetime.datetime) -> None:
    errors: dict[str, Any] = {}
    if values.occurred_at is None:
        errors["occurred_at"] = _("Give the date and time of the accident.")
    elif values.occurred_at > now + datetime.timedelta(minutes=5):
        errors["occurred_at"] = _("The accident cannot have happened in the future.")
    if values.accident_type not in AccidentType.values:
        errors["accident_type"] = _("Choose one of the listed values.")
    for name, limit in (("place", 200), ("cause", 2000), ("measures", 2000)):
        text = getattr(values, name).strip()
        if not text:
            errors[name] = _("This field is required.")
        elif len(text) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
    for name in ("dead", "injured", "missing"):
        n = getattr(values, name)
        if n is None or n < 0 or n > 100_000:
            errors[name] = _("Give a number of people, 0 or more.")
    if values.direct_loss is not None and values.direct_loss < 0:
        errors["direct_loss"] = _("Give an amount in yuan, 0 or more.")
    if not values.reporter_name.strip():
        errors["reporter_name"] = _("Give the reporter's name.")
    if not _PHONE.match(values.reporter_phone.strip().replace(" ", "")):
        errors["reporter_phone"] = _("Give a mobile number of 11 digits or a landline.")
    if errors:
        raise ServiceError.for_fields(errors)


def receiving_bureau(region_code: str) -> Bureau | None:
    """The bureau an accident in `region_code` is reported to: the nearest active bureau at or
    above the region (the county's; the city's where the county has none on the platform)."""
    for code in region_ancestors(region_code):
        bureau = Bureau.objects.filter(region_id=code, is_active=True).order_by("id").first()
        if bureau is not None:
            return bureau
    return None


def bureau_above(bureau: Bureau) -> Bureau | None:
    for code in region_ancestors(bureau.region_id)[1:]:
        above = Bureau.objects.filter(region_id=code, is_active=True).order_by("id").first()
        if above is not None:
            return above
    return None


# Art. 10: how far up each level of accident is reported. "ministry" is the Ministry of
# Emergency Management (应急管理部), above the platform: the province records its report to it.
MINISTRY = "ministry"
CHAIN_TOP: dict[str, str] = {
    Level.GENERAL: ChainLevel.CITY,
    Level.LARGER: ChainLevel.PROVINCE,
    Level.MAJOR: MINISTRY,
    Level.EXTRAORDINARY: MINISTRY,
}
_RANK = {ChainLevel.COUNTY: 0, ChainLevel.CITY: 1, ChainLevel.PROVINCE: 2, MINISTRY: 3}


def _chain_level(bureau: Bureau) -> str:
    return bureau.level if bureau.level in ChainLevel.values else ChainLevel.COUNTY


def chain_ends_at(level: str, bureau: Bureau) -> bool:
    """Whether the report of an accident of `level` stops at `bureau` (art. 10). Where the level
    it must reach has no bureau on the platform, it stops at the highest one there is; the
    province of a 重大 accident never stops: it reports to the Ministry."""
    top = CHAIN_TOP.get(level, MINISTRY)
    at = _chain_level(bureau)
    if top == MINISTRY and at == ChainLevel.PROVINCE:
        return False
    return _RANK[at] >= _RANK[top] or bureau_above(bureau) is None


def _due(at: datetime.datetime) -> datetime.datetime:
    return at + datetime.timedelta(hours=settings.ANJIAN_ACCIDENT_FORWARD_HOURS)


def _step_new(report: AccidentReport, bureau: Bureau, at: datetime.datetime) -> ChainStep:
    return ChainStep.objects.create(
        report=report,
        level=_chain_level(bureau),
        bureau=bureau,
        received_at=at,
        due_at=None if chain_ends_at(report.level, bureau) else _due(at),
    )


def to_ministry(step: ChainStep) -> bool:
    """Whether this step's forwarding is the province's report to the Ministry."""
    return step.level == ChainLevel.PROVINCE and step.due_at is not None


def may_sign_for(user: Any, entity_id: int) -> bool:
    """Whether an enterprise account may report for the entity: its active principal or safety
    manager."""
    if isinstance(user, Actor) or entity_id not in enterprise_entity_ids(user):
        return False
    from django.apps import apps

    member = apps.get_model("enterprise", "EnterpriseMember")
    return bool(
        member.objects.filter(
            user_id=user.pk, entity_id=entity_id, active=True, position__in=_SIGNING_POSITIONS
        ).exists()
    )


def _event(actor: Any, report: AccidentReport, action: str, via: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"accident.{action}",
        obj=report,
        region=report.region_id,
        changes={"entity": report.entity_id, "uscc": report.entity.uscc, **changes},
        source=via,
    )


@transaction.atomic
def report_file(
    *,
    actor: Any,
    entity: Entity,
    values: ReportValues,
    source: str = Source.ENTERPRISE,
    audit_source: str = AuditSource.WEB,
) -> AccidentReport:
    """File an accident report: the unit's own (its principal or safety manager), or an
    officer's record of one phoned in or found. The receiving bureau sees it at once."""
    if source == Source.ENTERPRISE:
        if not isinstance(actor, Actor):
            if not actor.can(Capability.ENTERPRISE_SELF):
                raise NotPermitted()
            if entity.pk not in enterprise_entity_ids(actor):
                raise NotFound()
            if not may_sign_for(actor, entity.pk):
                raise NotPermitted(
                    _("Only the principal or the safety manager reports an accident.")
                )
    elif source in (Source.PHONE, Source.FOUND):
        actor_require(actor, Capability.ACCIDENTS_RECEIVE)
        if not isinstance(actor, Actor) and not (
            Entity.objects.visible_to(actor).filter(pk=entity.pk).exists()
        ):
            raise NotFound()
    else:
        raise ServiceError.for_field("source", _("Choose one of the listed values."))
    now = clock.now()
    _values_check(values, now)
    bureau = receiving_bureau(entity.region_id)
    if bureau is None:
        raise ServiceError(_("No bureau on the platform serves this unit's region."))
    assert values.occurred_at is not None
    limit = datetime.timedelta(hours=settings.ANJIAN_ACCIDENT_REPORT_HOURS)
    report = AccidentReport.objects.create(
        entity=entity,
        region_id=entity.region_id,
        source=source,
        accident_type=values.accident_type,
        occurred_at=values.occurred_at,
        place=values.place.strip(),
        dead=values.dead,
        injured=values.injured,
        missing=values.missing,
        direct_loss=values.direct_loss,
        cause=values.cause.strip(),
        measures=values.measures.strip(),
        reporter_name=values.reporter_name.strip(),
        reporter_phone=values.reporter_phone.strip(),
        recorded_by_id=getattr(actor, "pk", None) or getattr(actor, "id", None),
        level=accident_level(values.dead, values.injured, values.missing, values.direct_loss),
    )
    report.late = report.reported_at - report.occurred_at > limit
    report.save(update_fields=["late"])
    step = _step_new(report, bureau, report.reported_at)
    _event(
        actor,
        report,
        "received",
        audit_source,
        source=source,
        level=report.level,
        dead=report.dead,
        injured=report.injured,
        missing=report.missing,
        occurred_at=report.occurred_at,
        late=report.late,
        to_bureau=bureau.pk,
        due_at=step.due_at,
    )
    if report.late:
        _event(
            actor,
            report,
            "reported_late",
            audit_source,
            occurred_at=report.occurred_at,
            reported_at=report.reported_at,
            minutes=int(report.report_delay.total_seconds() // 60),
        )
    return report


def _lock(report: AccidentReport) -> AccidentReport:
    return AccidentReport.objects.select_for_update().select_related("entity").get(pk=report.pk)


def _staff_visible(actor: Any, report: AccidentReport) -> None:
    if isinstance(actor, Actor):
        return
    if not AccidentReport.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise NotFound()


def current_step(report: AccidentReport) -> ChainStep | None:
    """The level that still has to forward the report (none once it reached the top)."""
    return (
        report.steps.filter(forwarded_at__isnull=True, due_at__isnull=False)
        .select_related("bureau")
        .first()
    )


def report_opened(*, actor: Any, report: AccidentReport) -> None:
    """An officer of a level opens the report: that level's "new" marker goes."""
    if isinstance(actor, Actor) or not actor.bureau_id:
        return
    step = report.steps.filter(bureau_id=actor.bureau_id, opened_at__isnull=True).first()
    if step is None:
        return
    step.opened_at = clock.now()
    step.save(update_fields=["opened_at"])
    _event(actor, report, "opened", AuditSource.WEB, level=step.level)


def _forwarding_check(actor: Any, report: AccidentReport) -> ChainStep:
    actor_require(actor, Capability.ACCIDENTS_RECEIVE)
    _staff_visible(actor, report)
    step = current_step(report)
    if step is None:
        raise ServiceError(
            _("The report has gone as far up as its level requires."), code="invalid_state"
        )
    if (
        not isinstance(actor, Actor)
        and not actor.is_superuser
        and actor.bureau_id != step.bureau_id
    ):
        raise NotPermitted(_("Only the officers of the level holding the report forward it."))
    return step


def _step_close(
    actor: Any, step: ChainStep, at: datetime.datetime, now: datetime.datetime
) -> ChainStep:
    step.forwarded_at = at
    step.forwarded_by_id = getattr(actor, "pk", None) or getattr(actor, "id", None)
    step.late = step.late_at(now)
    step.save(update_fields=["forwarded_at", "forwarded_by", "late"])
    return step


@transaction.atomic
def report_forward(
    *, actor: Any, report: AccidentReport, source: str = AuditSource.WEB
) -> ChainStep:
    """Forward the report to the level above; stamps who and when, and opens the next level
    (which ends the chain there when the accident's level requires no more, art. 10)."""
    report = _lock(report)
    step = _forwarding_check(actor, report)
    if to_ministry(step):
        raise ServiceError(
            _("The province reports this accident to the Ministry: record that report."),
            code="invalid_state",
        )
    above = bureau_above(step.bureau)
    if above is None:  # pragma: no cover - a step with a due time has a bureau above
        raise ServiceError(
            _("The report has gone as far up as its level requires."), code="invalid_state"
        )
    now = clock.now()
    _step_close(actor, step, now, now)
    nxt = _step_new(report, above, now)
    _event(
        actor,
        report,
        "forwarded",
        source,
        from_level=step.level,
        to_level=nxt.level,
        to_bureau=above.pk,
        received_at=step.received_at,
        due_at=step.due_at,
        late=step.late,
        next_due_at=nxt.due_at,
    )
    return nxt


@transaction.atomic
def ministry_report_record(
    *,
    actor: Any,
    report: AccidentReport,
    at: datetime.datetime | None = None,
    source: str = AuditSource.WEB,
) -> ChainStep:
    """The province records its report of a 重大 or 特别重大 accident to the Ministry (art. 10),
    made outside the platform, with the time it was made (now when not given): the chain's last
    step. Late when that time is past the province's two hours."""
    report = _lock(report)
    step = _forwarding_check(actor, report)
    if not to_ministry(step):
        raise ServiceError(
            _("Only the province reports a major accident to the Ministry."), code="invalid_state"
        )
    now = clock.now()
    at = at or now
    if at > now + datetime.timedelta(minutes=5):
        raise ServiceError.for_field("at", _("The time cannot be in the future."))
    if at < step.received_at.replace(second=0, microsecond=0):  # a time typed to the minute
        raise ServiceError.for_field(
            "at", _("The time cannot be before the province received the report.")
        )
    _step_close(actor, step, at, at)
    _event(
        actor,
        report,
        "forwarded",
        source,
        from_level=step.level,
        to_level=MINISTRY,
        to_bureau=None,
        received_at=step.received_at,
        due_at=step.due_at,
        late=step.late,
        forwarded_at=at,
        next_due_at=None,
    )
    return step


@dataclass(frozen=True)
class SupplementValues:
    dead: int
    injured: int
    missing: int
    note: str
    direct_loss: int | None = None


@transaction.atomic
def supplement_add(
    *,
    actor: Any,
    report: AccidentReport,
    values: SupplementValues,
    source: str = AuditSource.WEB,
) -> Supplement:
    """A change in casualties (补报), within the period of art. 13; the level follows."""
    report = _lock(report)
    if isinstance(actor, Actor):
        pass
    elif actor.can(Capability.ENTERPRISE_SELF):
        if report.entity_id not in enterprise_entity_ids(actor):
            raise NotFound()
        if not may_sign_for(actor, report.entity_id):
            raise NotPermitted(_("Only the principal or the safety manager reports an accident."))
    else:
        actor_require(actor, Capability.ACCIDENTS_RECEIVE)
        _staff_visible(actor, report)
    now = clock.now()
    if now > report.supplement_until():
        raise ServiceError(
            _("The supplement period ended on %(day)s.")
            % {"day": f"{report.supplement_until():%Y-%m-%d %H:%M}"},
            code="invalid_state",
        )
    errors: dict[str, Any] = {}
    for name in ("dead", "injured", "missing"):
        n = getattr(values, name)
        if n is None or n < 0 or n > 100_000:
            errors[name] = _("Give a number of people, 0 or more.")
    if values.direct_loss is not None and values.direct_loss < 0:
        errors["direct_loss"] = _("Give an amount in yuan, 0 or more.")
    if not values.note.strip():
        errors["note"] = _("Say what changed.")
    if errors:
        raise ServiceError.for_fields(errors)
    before = (report.dead, report.injured, report.missing, report.direct_loss)
    after = (values.dead, values.injured, values.missing, values.direct_loss)
    if before == after:
        raise ServiceError.for_field("dead", _("The figures are the same as reported."))
    old_level = report.level
    level = accident_level(values.dead, values.injured, values.missing, values.direct_loss)
    supplement = Supplement.objects.create(
        report=report,
        dead=values.dead,
        injured=values.injured,
        missing=values.missing,
        direct_loss=values.direct_loss,
        note=values.note.strip(),
        level=level,
        recorded_by_id=getattr(actor, "pk", None) or getattr(actor, "id", None),
    )
    report.dead, report.injured, report.missing, report.direct_loss = after
    report.level = level
    report.save(update_fields=["dead", "injured", "missing", "direct_loss", "level"])
    reopened = _chain_reopen(report, supplement.at)
    _event(
        actor,
        report,
        "supplemented",
        source,
        dead=values.dead,
        injured=values.injured,
        missing=values.missing,
        level_before=old_level,
        level=level,
        to_bureau=reopened.bureau_id if reopened else None,
        due_at=reopened.due_at if reopened else None,
    )
    return supplement


def _chain_reopen(report: AccidentReport, at: datetime.datetime) -> ChainStep | None:
    """A supplement raised the level past where the chain ended: the report goes on from the
    step where it stopped, due two hours from the supplement. A lowered level takes back no
    forwarding already due (the level must not be understated before the investigation)."""
    if current_step(report) is not None:
        return None  # still on its way up: the next levels follow the new level by themselves
    last = report.steps.select_related("bureau").order_by("-received_at", "-id").first()
    if last is None or last.forwarded_at is not None or chain_ends_at(report.level, last.bureau):
        return None
    last.due_at = _due(at)
    last.reopened_at = at
    last.save(update_fields=["due_at", "reopened_at"])
    return last


@transaction.atomic
def concealment_record(
    *, actor: Any, report: AccidentReport, finding: str, source: str = AuditSource.WEB
) -> AccidentReport:
    """An officer records that the accident was concealed or falsely reported (瞒报、谎报):
    emits `accident.concealed`, which credit's serious-dishonesty check reads."""
    actor_require(actor, Capability.ACCIDENTS_CONCEALMENT)
    report = _lock(report)
    _staff_visible(actor, report)
    if report.concealed_at is not None:
        raise ServiceError(_("A concealment is already recorded."), code="invalid_state")
    if len(finding.strip()) < 10:
        raise ServiceError.for_field(
            "finding", _("Describe what was concealed or false in at least 10 characters.")
        )
    report.concealed_at = clock.now()
    report.concealed_by_id = getattr(actor, "pk", None) or getattr(actor, "id", None)
    report.concealment = finding.strip()
    report.save(update_fields=["concealed_at", "concealed_by", "concealment"])
    _event(actor, report, "concealed", source, level=report.level, dead=report.dead)
    return report
