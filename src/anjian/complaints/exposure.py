"""The exposure page (曝光台): typical cases a bureau chooses to publish, masked.

The bureau picks a decided case of its own, writes a title and a summary; the summary and the
party's name go through `core.masking.mask_text` before they are stored (natural persons' names,
ID numbers, phones, home addresses and bank accounts; the unit's name and the bureau's stay), so
the portal only ever reads masked text. Withdrawal keeps the row (audited), off the page.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.cases.models import Case
from anjian.complaints.models import ExposureEntry
from anjian.complaints.rewards import DECIDED_STATES
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require
from anjian.core.masking import mask_person_name, mask_text
from anjian.core.services import Actor, AuditSource, audit_record


def _masked(case: Case, text: str) -> str:
    persons = [p for p in (case.entity.legal_representative, case.party_name) if p]
    addresses = [a for a in (case.party_address,) if a]
    return mask_text(
        text, persons=persons, addresses=addresses, keep=[case.entity.name, case.bureau.name]
    )


@transaction.atomic
def exposure_publish(
    *, actor: Any, case: Case, title: str, summary: str, source: str = AuditSource.WEB
) -> ExposureEntry:
    actor_require(actor, Capability.EXPOSURE_MANAGE)
    if not isinstance(actor, Actor):
        if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
            raise NotFound()
        if actor.bureau_id != case.bureau_id:
            raise NotPermitted(_("A bureau publishes its own cases."))
    errors: dict[str, Any] = {}
    if case.state not in DECIDED_STATES:
        errors["case"] = _("Only a decided case is published.")
    if ExposureEntry.objects.filter(case=case, withdrawn_at__isnull=True).exists():
        errors["case"] = _("This case is already on the exposure page.")
    if not title.strip():
        errors["title"] = _("This value is required.")
    if len(summary.strip()) < 10:
        errors["summary"] = _("Describe the case in at least 10 characters.")
    if errors:
        raise ServiceError.for_fields(errors)
    party = (
        mask_person_name(case.party_name)
        if case.party_kind == "individual" and case.party_name
        else case.entity.name
    )
    entry = ExposureEntry.objects.create(
        bureau=case.bureau,
        case=case,
        title=_masked(case, title.strip())[:200],
        party=party,
        summary=_masked(case, summary.strip()),
        published_on=clock.today(),
        published_by=None if isinstance(actor, Actor) else actor,
    )
    audit_record(
        actor=actor,
        action="complaints.exposure.published",
        obj=entry,
        region=case.bureau.region_id,
        changes={"case": case.number, "title": entry.title},
        source=source,
    )
    return entry


@transaction.atomic
def exposure_withdraw(
    *, actor: Any, entry: ExposureEntry, reason: str, source: str = AuditSource.WEB
) -> ExposureEntry:
    actor_require(actor, Capability.EXPOSURE_MANAGE)
    if not isinstance(actor, Actor) and actor.bureau_id != entry.bureau_id:
        raise NotFound()
    if entry.withdrawn_at is not None:
        raise ServiceError(_("Already withdrawn."), code="invalid_state")
    if not reason.strip():
        raise ServiceError.for_field("reason", _("This value is required."))
    entry.withdrawn_at = clock.now()
    entry.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action="complaints.exposure.withdrawn",
        obj=entry,
        region=entry.bureau.region_id,
        changes={"reason": reason.strip()},
        source=source,
    )
    return entry
