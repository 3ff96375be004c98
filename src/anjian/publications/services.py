"""Writes for 执法公示: schedule a publication (masking every field before it is stored), publish
it, withdraw it. Each step checks role and jurisdiction, locks the row and writes its audit
event in the same transaction.

Who may do what: scheduling is a consequence of a decision and is done by whoever records the
decision (any staff role of a bureau with the jurisdiction, usually through the case service);
publishing and withdrawing need `Capability.PUBLICATIONS_MANAGE` (division heads and bureau
leaders).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from anjian.accounts.models import Bureau, User
from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.masking import mask_id_number, mask_text
from anjian.core.services import AuditSource, audit_record
from anjian.core.workdays import workdays_after
from anjian.publications.models import (
    FIELD_LABELS,
    INPUT_ONLY_FIELDS,
    PartyKind,
    Publication,
    PublicationKind,
    PublicationStatus,
)

MAX_MONTHS = 36  # 国家发改委令第58号: at most three years
REQUIRED_FIELDS = ("party_name", "decision_number")
# Fields shown as the caller wrote them: codes, numbers, dates (masking would find nothing in
# them anyway, except an individual's "credit code", which is their ID number: masked below).
UNMASKED_FIELDS = frozenset({"party_kind", "fine_wan", "confiscated_wan", "decided_on"})


def publication_due_on(decided_on: datetime.date) -> datetime.date:
    """The last day to publish: N working days after the decision (default 7)."""
    return workdays_after(decided_on, settings.ANJIAN_PUBLICATION_DUE_WORKDAYS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def publication_ends_on(decided_on: datetime.date, period_months: int) -> datetime.date:
    """The last day shown: the period runs from the decision date (58号令)."""
    return add_months(decided_on, period_months) - datetime.timedelta(days=1)


def _wan(value: str) -> str:
    """Yuan as 万元, without trailing zeros: "50000.00" → "5", "12345" → "1.2345"."""
    amount = Decimal(value.replace(",", "").strip()) / Decimal(10000)
    return format(amount.quantize(Decimal("0.000001")).normalize(), "f")


def _fields_check(fields: Any) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if not isinstance(fields, dict):
        return {"fields": [_("Give the published fields as a mapping of names to texts.")]}
    unknown = sorted(set(fields) - set(FIELD_LABELS) - INPUT_ONLY_FIELDS)
    if unknown:
        errors["fields"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(unknown)}]
    for key, value in fields.items():
        if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
            errors.setdefault(key, []).append(_("Give a text."))
    for key in REQUIRED_FIELDS:
        if not str(fields.get(key, "")).strip():
            errors.setdefault(key, []).append(_("This value is required."))
    kind = fields.get("party_kind", "")
    if kind and kind not in PartyKind.values:
        errors.setdefault("party_kind", []).append(_("Choose one of the listed values."))
    for source in ("fine_amount", "confiscated_amount"):
        if str(fields.get(source, "")).strip():
            try:
                amount = Decimal(str(fields[source]).replace(",", "").strip())
            except InvalidOperation:
                amount = Decimal(-1)
            if not amount.is_finite() or amount < 0:
                errors.setdefault(source, []).append(_("Give an amount in yuan."))
    return errors


def _is_person(fields: dict[str, str], persons: list[str]) -> bool:
    """The party is a natural person when the caller says so, names them among the persons,
    or gives no credit code."""
    kind = fields.get("party_kind", "")
    if kind:
        return kind == PartyKind.PERSON
    return fields["party_name"] in persons or not fields.get("party_uscc", "").strip()


def _masked_fields(
    fields: dict[str, Any],
    *,
    bureau: Bureau,
    decided_on: datetime.date,
    persons: Iterable[str],
    addresses: Iterable[str],
) -> dict[str, str]:
    values = {k: str(v).strip() for k, v in fields.items()}
    for source, target in (("fine_amount", "fine_wan"), ("confiscated_amount", "confiscated_wan")):
        amount = values.pop(source, "")
        if amount and Decimal(amount.replace(",", "")) != 0 and not values.get(target):
            values[target] = _wan(amount)  # no fine: no fine shown
    values.setdefault("organ", bureau.name)
    values.setdefault("organ_uscc", bureau.credit_code)
    values.setdefault("decided_on", decided_on.isoformat())
    named = [p.strip() for p in persons if p and p.strip()]
    person = _is_person(values, named)
    keep = [bureau.name, values["organ"]]
    if person:
        named.append(values["party_name"])
    else:
        keep.append(values["party_name"])
    masked: dict[str, str] = {}
    for key, value in values.items():
        if not value:
            continue
        if key in UNMASKED_FIELDS:
            masked[key] = value
        elif key == "party_uscc" and person and not uscc.is_valid(value):
            masked[key] = mask_id_number(value.replace(" ", ""))  # their ID number
        else:
            masked[key] = mask_text(value, persons=named, addresses=addresses, keep=keep)
    return masked


@transaction.atomic
def publication_schedule(
    actor: Any,
    *,
    subject: Any,
    bureau: Bureau,
    kind: str,
    decided_on: datetime.date,
    fields: dict[str, Any],
    period_months: int,
    persons: Iterable[str] = (),
    addresses: Iterable[str] = (),
    source: str = AuditSource.WEB,
) -> Publication:
    """Schedule the publication of a decision, due N working days after it. Every field is
    masked (`core.masking.mask_text`) before it is stored: `persons` are the natural persons the
    decision names (the individual party is added by itself), `addresses` their addresses."""
    actor_require(actor, Capability.WORKSPACE)
    actor_require_region(actor, bureau.region_id)
    errors = _fields_check(fields)
    if kind not in PublicationKind.values:
        errors.setdefault("kind", []).append(_("Choose one of the listed values."))
    low = settings.ANJIAN_PUBLICATION_MIN_MONTHS
    if not isinstance(period_months, int) or not low <= period_months <= MAX_MONTHS:
        errors.setdefault("period_months", []).append(
            _("A publication runs from %(low)d to %(high)d months.")
            % {"low": low, "high": MAX_MONTHS}
        )
    if decided_on > clock.today():
        errors.setdefault("decided_on", []).append(_("A decision cannot be dated in the future."))
    if getattr(subject, "pk", None) is None:
        errors.setdefault("subject", []).append(_("Save the decision first."))
    if errors:
        raise ServiceError.for_fields(errors)
    subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
    if (
        Publication.objects.select_for_update()
        .filter(kind=kind, subject_type=subject_type, subject_id=subject_id)
        .exclude(status=PublicationStatus.WITHDRAWN)
        .exists()
    ):
        raise Conflict(_("This decision is already scheduled for publication."))
    masked = _masked_fields(
        fields, bureau=bureau, decided_on=decided_on, persons=persons, addresses=addresses
    )
    publication = Publication.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=subject_id,
        bureau=bureau,
        region_id=bureau.region_id,
        decided_on=decided_on,
        due_on=publication_due_on(decided_on),
        period_months=period_months,
        ends_on=publication_ends_on(decided_on, period_months),
        fields=masked,
        party_name=masked["party_name"][:200],
        party_uscc=masked.get("party_uscc", "")[:32],
    )
    audit_record(
        actor=actor,
        action="publications.publication.scheduled",
        obj=publication,
        region=bureau.region_id,
        changes={
            "kind": kind,
            "subject": f"{subject_type}:{subject_id}",
            "decided_on": decided_on.isoformat(),
            "due_on": publication.due_on.isoformat(),
            "ends_on": publication.ends_on.isoformat(),
            "period_months": period_months,
            "fields": masked,  # masked: the audit trail holds no more than the portal shows
        },
        source=source,
    )
    return publication


def _locked(actor: Any, publication: Publication) -> Publication:
    actor_require(actor, Capability.PUBLICATIONS_MANAGE)
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    actor_require_region(actor, locked.region_id)
    return locked


@transaction.atomic
def publication_publish(
    actor: Any,
    publication: Publication,
    *,
    on: datetime.date | None = None,
    source: str = AuditSource.WEB,
) -> Publication:
    """Put a scheduled publication on the portal, today or on a past day it went up."""
    locked = _locked(actor, publication)
    if locked.status != PublicationStatus.SCHEDULED:
        raise Conflict(
            _("The publication is %(status)s; only a scheduled one is published.")
            % {"status": PublicationStatus(locked.status).label}
        )
    today = clock.today()
    on = on or today
    if on > today or on < locked.decided_on:
        raise ServiceError.for_field("on", _("Publish on a day from the decision to today."))
    if on > locked.ends_on:
        raise ServiceError.for_field("on", _("The publication period is already over."))
    locked.status = PublicationStatus.PUBLISHED
    locked.published_on = on
    locked.published_by = actor if isinstance(actor, User) else None
    locked.save(update_fields=["status", "published_on", "published_by"])
    audit_record(
        actor=actor,
        action="publications.publication.published",
        obj=locked,
        region=locked.region_id,
        changes={
            "published_on": on.isoformat(),
            "due_on": locked.due_on.isoformat(),
            "late": on > locked.due_on,
        },
        source=source,
    )
    return locked


@transaction.atomic
def publication_withdraw(
    actor: Any, publication: Publication, reason: str, *, source: str = AuditSource.WEB
) -> Publication:
    """Take a publication off the portal (or cancel a scheduled one), with the reason."""
    locked = _locked(actor, publication)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError.for_field("reason", _("Say why the publication is withdrawn."))
    if locked.status == PublicationStatus.WITHDRAWN:
        raise Conflict(_("The publication is already withdrawn."))
    before = locked.status
    locked.status = PublicationStatus.WITHDRAWN
    locked.withdrawn_reason = reason
    locked.withdrawn_at = clock.now()
    locked.save(update_fields=["status", "withdrawn_reason", "withdrawn_at"])
    audit_record(
        actor=actor,
        action="publications.publication.withdrawn",
        obj=locked,
        region=locked.region_id,
        changes={"status": [before, PublicationStatus.WITHDRAWN.value], "reason": reason},
        source=source,
    )
    return locked
