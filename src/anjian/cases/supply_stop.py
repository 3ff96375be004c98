"""停止供电、停止供应民用爆炸物品 (安全生产法 第七十条), beside the seizures of coercion.py.

The entity has refused to execute a decision to stop production, use or construction, and there
is a real danger of an accident. With the approval of the department's principal (主要负责人),
the bureau decides to have the supplier stop power or civil-explosives supply:
- the decision (停止供电（停止供应民用爆炸物品）决定书) goes to the entity; for a power cut it is
  the written notice 24 hours ahead, so the supply stops no sooner than 24 hours after the
  decision, unless an emergency endangering production safety is recorded (第二款);
- the written notice (通知书) goes to the supplier, which must cooperate (第一款: 通知应当采用书面
  形式);
- once the entity complies and removes the hazard, the bureau lifts the measure at once (第三款),
  with a release notice to the supplier and the entity.
The law sets no maximum duration: the measure is in force from its time until it is lifted, and
the case page lists it as in force. Each step writes a timeline row and an audit event
`cases.coercion.supply_<what>`, and issues its documents, in one transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.cases.casefile_documents import _decision_detail, _issue
from anjian.cases.models import Case, SupplyKind, SupplyStop
from anjian.core import clock
from anjian.core.errors import Conflict, ServiceError
from anjian.core.services import Actor, AuditSource

NOTICE_HOURS = 24  # 第七十条第二款
SUPPLY_WORDS = {SupplyKind.POWER: "供电", SupplyKind.EXPLOSIVES: "供应民用爆炸物品"}


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


@transaction.atomic
def supply_stop_decide(
    *,
    actor: Any,
    case: Case,
    supply: str,
    supplier: str,
    order: str,
    facts: str,
    approved_by: str,
    effective_at: datetime.datetime | None,
    emergency: str = "",
    source: str = AuditSource.WEB,
) -> SupplyStop:
    """The decision, the notice to the supplier, the timeline row and the audit event."""
    from anjian.cases.coercion import _checks
    from anjian.cases.execution import _lock, _write

    case = _lock(case)
    _checks(actor, case)  # the bureau's leadership, the case's own bureau, an open case
    now = _local(clock.now())
    errors: dict[str, Any] = {}
    if supply not in SupplyKind.values:
        errors["supply"] = _("Choose one of the listed values.")
    for key, value in (("supplier", supplier), ("order", order), ("facts", facts)):
        if not value.strip():
            errors[key] = _("This value is required.")
    if not approved_by.strip():
        errors["approved_by"] = _("Name the principal who approved the measure.")
    if effective_at is None:
        errors["effective_at"] = _("This value is required.")
    else:
        effective_at = _local(effective_at).replace(second=0, microsecond=0)
        earliest = now + datetime.timedelta(hours=NOTICE_HOURS)
        if effective_at < now.replace(second=0, microsecond=0):
            errors["effective_at"] = _("The supply stops now or later, not in the past.")
        elif (
            supply == SupplyKind.POWER
            and not emergency.strip()
            and effective_at < earliest.replace(second=0, microsecond=0)
        ):
            errors["effective_at"] = _(
                "Power is cut no sooner than 24 hours after the written notice (%(earliest)s), "
                "unless an emergency endangering production safety is recorded."
            ) % {"earliest": earliest.strftime("%Y-%m-%d %H:%M")}
    if errors:
        raise ServiceError.for_fields(errors)
    assert effective_at is not None
    stop = SupplyStop.objects.create(
        case=case,
        supply=supply,
        supplier=supplier.strip(),
        order=order.strip(),
        facts=facts.strip(),
        approved_by=approved_by.strip(),
        decided_on=now.date(),
        effective_at=effective_at,
        emergency=emergency.strip(),
        decided_by=None if isinstance(actor, Actor) else actor,
    )
    words = SUPPLY_WORDS[SupplyKind(supply)]
    decision = _issue(actor, "supply_stop_decision", case, {
        "entity_name": case.entity.name,
        "entity_address": case.entity.address,
        "order": stop.order,
        "facts": stop.facts,
        "supply": words,
        "supplier": stop.supplier,
        "effective_at": effective_at.replace(tzinfo=None),
        "approved_by": stop.approved_by,
        "emergency": stop.emergency,
        "reconsideration_organ": _decision_detail(case, "reconsideration_organ"),
        "court": _decision_detail(case, "court"),
    }, now.date())  # fmt: skip
    notice = _issue(actor, "supply_stop_notice", case, {
        "supplier": stop.supplier,
        "entity_name": case.entity.name,
        "entity_address": case.entity.address,
        "supply": words,
        "effective_at": effective_at.replace(tzinfo=None),
        "decision_number": decision.number,
    }, now.date())  # fmt: skip
    _write(
        actor=actor,
        case=case,
        action="supply_stop",
        code="cases.coercion.supply_stopped",
        to=None,
        update={},
        note=stop.facts,
        data={
            "supply_stop": stop.pk,
            "supply": supply,
            "supplier": stop.supplier,
            "effective_at": effective_at.isoformat(timespec="minutes"),
            "emergency": stop.emergency,
            "decision": decision.number,
            "notice": notice.number,
        },
        source=source,
    )
    return stop


@transaction.atomic
def supply_stop_release(
    *,
    actor: Any,
    case: Case,
    stop: SupplyStop,
    reason: str,
    source: str = AuditSource.WEB,
) -> SupplyStop:
    """第七十条第三款: the entity complied and removed the hazard; the measure is lifted now."""
    from anjian.cases.coercion import _checks
    from anjian.cases.execution import _lock, _write
    from anjian.documents.selectors import documents_for

    case = _lock(case)
    _checks(actor, case)
    stop = SupplyStop.objects.select_for_update().get(pk=stop.pk, case=case)
    if stop.released_at:
        lifted = timezone.localdate(stop.released_at)
        raise Conflict(_("The measure was lifted on %(day)s.") % {"day": lifted})
    if not reason.strip():
        raise ServiceError.for_field("reason", _("Say how the entity complied."))
    now = _local(clock.now()).replace(second=0, microsecond=0)
    stop.released_at = now
    stop.release_reason = reason.strip()
    stop.save(update_fields=["released_at", "release_reason"])
    decision = next(
        (
            d
            for d in documents_for(case).filter(kind="supply_stop_decision", status="valid")
            if d.context.get("supplier") == stop.supplier and d.context.get("order") == stop.order
        ),
        None,
    )
    release = _issue(actor, "supply_stop_release", case, {
        "supplier": stop.supplier,
        "entity_name": case.entity.name,
        "supply": SUPPLY_WORDS[SupplyKind(stop.supply)],
        "decision_number": decision.number if decision else "",
        "reason": stop.release_reason,
        "released_at": now.replace(tzinfo=None),
    }, now.date())  # fmt: skip
    _write(
        actor=actor,
        case=case,
        action="supply_release",
        code="cases.coercion.supply_released",
        to=None,
        update={},
        note=stop.release_reason,
        data={"supply_stop": stop.pk, "released_at": now.isoformat(timespec="minutes"),
              "notice": release.number},
        source=source,
    )  # fmt: skip
    return stop


def supply_stops_in_force(case: Case) -> list[SupplyStop]:
    return list(case.supply_stops.filter(released_at__isnull=True))
