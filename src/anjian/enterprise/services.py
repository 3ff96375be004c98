"""Writes of the enterprise side: invitations, activation, the enterprise's own users.

Every step writes the audit trail in its transaction. The bureau's steps (issue, revoke) need
the registry capability (ENTITIES_MANAGE) and the entity in the officer's jurisdiction; the
enterprise's steps need the ENTERPRISE_SELF capability and an active binding to the entity.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_region
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.enterprise import codes
from anjian.enterprise.models import (
    EnterpriseMember,
    Invitation,
    InvitationStatus,
    Position,
)
from anjian.entities.models import BusinessStatus, Entity
from anjian.entities.validation import FieldInvalid, uscc_clean

SIGNING_POSITIONS = (Position.PRINCIPAL, Position.SAFETY_MANAGER)


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"
    status = 429
    default_message = _("Too many wrong codes. Try again later.")


def invitation_expired(invitation: Invitation, now: datetime.datetime | None = None) -> bool:
    return invitation.expires_at <= (now or clock.now())


@transaction.atomic
def invitation_issue(
    *,
    actor: Any,
    entity: Entity,
    position: str,
    sms_phone: str = "",
    source: str = AuditSource.WEB,
) -> tuple[Invitation, str]:
    """Issue an invitation; returns it and its code, which is shown once and never stored.

    With `sms_phone` the code goes by SMS through the platform's gateway instead: the caller
    must not show it then. The number is kept sealed; the audit records that an SMS was sent
    and to whom (masked), never the code. If the gateway does not take the message nothing is
    issued."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    actor_require_region(actor, entity.region_id)
    if position not in Position.values:
        raise ServiceError.for_field("position", _("Choose one of the listed values."))
    if entity.business_status == BusinessStatus.CLOSED:
        raise ServiceError.for_field(
            "position", _("The entity is closed: it cannot get a new account.")
        )
    phone = _mobile_check(sms_phone, "sms_phone") if sms_phone.strip() else ""
    code = codes.code_new()
    now = clock.now()
    invitation = Invitation.objects.create(
        entity=entity,
        position=position,
        code_hash=codes.code_hash(code),
        issued_by=None if isinstance(actor, Actor) else actor,
        expires_at=now + datetime.timedelta(days=settings.ANJIAN_ENTERPRISE_INVITATION_DAYS),
        sms_phone=phone,
    )
    changes: dict[str, Any] = {
        "entity": entity.uscc,
        "position": position,
        "expires_at": invitation.expires_at,
    }
    if phone:
        _invitation_sms(invitation, code, phone)
        changes["sent_by_sms"] = invitation.sms_phone_masked
    audit_record(
        actor=actor,
        action="enterprise.invitation.issued",
        obj=invitation,
        region=entity.region_id,
        changes=changes,
        source=source,
    )
    return invitation, code


def _invitation_sms(invitation: Invitation, code: str, phone: str) -> None:
    from django.urls import reverse

    from anjian.core.messaging import sms_gateway

    send = sms_gateway()
    link = f"{settings.ANJIAN_PUBLIC_BASE_URL.rstrip('/')}{reverse('enterprise:activate')}"
    text = _(
        "%(bureau)s invites %(entity)s to open its enterprise account (%(position)s). "
        "Invitation code %(code)s, valid until %(day)s. Activate at %(link)s with your credit "
        "code. Do not pass the code on."
    ) % {
        "bureau": invitation.issued_by.bureau.name
        if invitation.issued_by and invitation.issued_by.bureau
        else _("The emergency management bureau"),
        "entity": invitation.entity.name,
        "position": invitation.get_position_display(),
        "code": code,
        "day": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d"),
        "link": link,
    }
    if send is None or not send(phone, str(text), secret=True):
        raise ServiceError.for_field(
            "sms_phone",
            _(
                "The SMS could not be sent. Try again later, or leave the number empty to be "
                "shown the code."
            ),
        )


@transaction.atomic
def invitation_revoke(
    *, actor: Any, invitation: Invitation, source: str = AuditSource.WEB
) -> Invitation:
    actor_require(actor, Capability.ENTITIES_MANAGE)
    locked = Invitation.objects.select_related("entity").select_for_update().get(pk=invitation.pk)
    actor_require_region(actor, locked.entity.region_id)
    if locked.status != InvitationStatus.PENDING:
        raise Conflict(_("Only an invitation waiting for activation can be revoked."))
    locked.status = InvitationStatus.REVOKED
    locked.revoked_at = clock.now()
    locked.save(update_fields=["status", "revoked_at"])
    audit_record(
        actor=actor,
        action="enterprise.invitation.revoked",
        obj=locked,
        region=locked.entity.region_id,
        changes={"entity": locked.entity.uscc, "position": locked.position},
        source=source,
    )
    return locked


@dataclass
class ActivationValues:
    uscc: str
    code: str
    username: str
    password: str
    phone: str
    full_name: str = ""


def _phone_check(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise ServiceError.for_field(
            "phone", _("Enter a mainland mobile number of 11 digits beginning with 1.")
        )
    return digits


def _mobile_check(phone: str, field: str) -> str:
    """A mainland mobile number: 11 digits, 1[3-9]…; spaces and dashes allowed, +86 not."""
    digits = phone.strip().replace(" ", "").replace("-", "")
    if not (
        len(digits) == 11
        and digits.isascii()
        and digits.isdigit()
        and digits[1] in "3456789"
        and digits[0] == "1"
    ):
        raise ServiceError.for_field(
            field, _("Enter a mainland mobile number of 11 digits beginning with 13 to 19.")
        )
    return digits


def invitation_activate(
    *, values: ActivationValues, client: str, source: str = AuditSource.WEB
) -> EnterpriseMember:
    """The invitee's activation: the entity's credit code and the code open the invitation; a
    new account with the enterprise role is bound to the entity. Wrong codes are counted per
    entity and per client; at the limit nothing is checked until the pause ends."""
    try:
        uscc = uscc_clean(values.uscc)
    except FieldInvalid as exc:
        raise ServiceError.for_field("uscc", exc.message) from None
    if codes.attempts_blocked(uscc, client):
        raise TooManyAttempts()
    phone = _phone_check(values.phone)
    now = clock.now()
    pending = list(
        Invitation.objects.filter(
            entity__uscc=uscc, status=InvitationStatus.PENDING, expires_at__gt=now
        ).select_related("entity")[:20]
    )
    found = next((i for i in pending if codes.code_verify(i.code_hash, values.code)), None)
    if found is None:
        if not pending:
            codes.code_verify(None, values.code)  # as slow as a real check
        codes.attempt_failed(uscc, client)
        raise ServiceError.for_field(
            "code",
            _(
                "The credit code and the invitation code do not match a valid invitation "
                "(it may have expired or been revoked)."
            ),
        )
    return _activate(found, values, phone, source)


@transaction.atomic
def _activate(
    invitation: Invitation, values: ActivationValues, phone: str, source: str
) -> EnterpriseMember:
    from anjian.accounts.services import enterprise_account_create

    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != InvitationStatus.PENDING:
        raise Conflict(_("This invitation has already been used."))
    entity = invitation.entity
    actor = Actor(id=None, name=f"invitation:{locked.pk}")
    user = enterprise_account_create(
        actor=actor,
        username=values.username,
        password=values.password,
        phone=phone,
        full_name=values.full_name.strip()[:50],
        source=source,
    )
    member = EnterpriseMember.objects.create(user=user, entity=entity, position=locked.position)
    locked.status = InvitationStatus.USED
    locked.used_by = user
    locked.used_at = clock.now()
    locked.save(update_fields=["status", "used_by", "used_at"])
    audit_record(
        actor=Actor.of(user),
        action="enterprise.invitation.activated",
        obj=locked,
        region=entity.region_id,
        changes={"entity": entity.uscc, "position": locked.position, "user": user.username},
        source=source,
    )
    return member


def membership_of(user: Any, entity: Entity | None = None) -> EnterpriseMember:
    """The user's active binding (to `entity`, or their first); NotFound when none."""
    if not getattr(user, "pk", None):
        raise NotFound()
    qs = EnterpriseMember.objects.filter(user_id=user.pk, active=True)
    if entity is not None:
        qs = qs.filter(entity=entity)
    member = qs.select_related("entity").order_by("id").first()
    if member is None:
        raise NotFound()
    return member


def may_sign(user: Any, entity: Entity) -> bool:
    try:
        return membership_of(user, entity).position in SIGNING_POSITIONS
    except NotFound:
        return False


def require_signing(actor: Any, entity: Entity) -> EnterpriseMember:
    """The principal or the safety manager of `entity`: who may sign for the enterprise."""
    actor_require(actor, Capability.ENTERPRISE_SELF)
    member = membership_of(actor, entity)
    if member.position not in SIGNING_POSITIONS:
        raise NotPermitted(_("Only the principal or the safety manager signs for the enterprise."))
    return member


@transaction.atomic
def member_set_active(
    *, actor: Any, member: EnterpriseMember, active: bool, source: str = AuditSource.WEB
) -> EnterpriseMember:
    """The principal deactivates (or reactivates) a user of their enterprise; the account is
    deactivated too (an enterprise account has no other use)."""
    from anjian.accounts.models import User

    actor_require(actor, Capability.ENTERPRISE_SELF)
    own = membership_of(actor, member.entity)
    if own.position != Position.PRINCIPAL:
        raise NotPermitted(_("Only the principal manages the enterprise's users."))
    locked = EnterpriseMember.objects.select_for_update().get(pk=member.pk)
    if locked.user_id == actor.pk:
        raise ServiceError(_("You cannot deactivate your own account."))
    if locked.active == active:
        return locked
    locked.active = active
    locked.save(update_fields=["active"])
    User.objects.filter(pk=locked.user_id).update(is_active=active)
    audit_record(
        actor=actor,
        action="enterprise.member.activated" if active else "enterprise.member.deactivated",
        obj=locked,
        region=member.entity.region_id,
        changes={"entity": member.entity.uscc, "user": locked.user.username},
        source=source,
    )
    return locked


# --- answers to the bureau -------------------------------------------------------------------


def rectification_submit(
    *, actor: Any, order: Any, text: str, photos: list[Any], source: str = AuditSource.WEB
) -> Any:
    """The enterprise's rectification report on a correction order, with photos (the evidence
    app's upload checks), signed by its principal or safety manager. The report and each photo
    are audited by their own services; the inspector reads them on the order's page before
    the re-inspection."""
    from anjian.evidence.services import evidence_add
    from anjian.inspections.services import rectification_report

    require_signing(actor, order.record.entity)
    if len(photos) > settings.ANJIAN_ENTERPRISE_REPORT_MAX_PHOTOS:
        raise ServiceError.for_field(
            "photos",
            _("At most %(n)d photos.") % {"n": settings.ANJIAN_ENTERPRISE_REPORT_MAX_PHOTOS},
        )
    with transaction.atomic():
        report = rectification_report(actor=actor, order=order, text=text, source=source)
        for photo in photos:
            evidence_add(
                actor,
                upload=photo,
                subject=order,
                region=order.record.region_id,
                caption=str(_("Rectification photo")),
                source=source,
            )
    return report


def case_statement_submit(
    *, actor: Any, case: Any, text: str, source: str = AuditSource.WEB
) -> Any:
    from anjian.cases.services import case_party_statement

    require_signing(actor, case.entity)
    return case_party_statement(actor=actor, case=case, text=text, source=source)


def case_hearing_request_submit(*, actor: Any, case: Any, source: str = AuditSource.WEB) -> Any:
    from anjian.cases.services import case_party_hearing_request

    require_signing(actor, case.entity)
    return case_party_hearing_request(actor=actor, case=case, source=source)


def credit_request_submit(
    *, actor: Any, record: Any, kind: str, content: str, source: str = AuditSource.WEB
) -> Any:
    """An objection to a credit record, or a request for credit repair, from the enterprise."""
    from anjian.credit.requests import request_submit

    member = require_signing(actor, record.entity)
    applicant = f"{actor.full_name or actor.get_username()}（{member.get_position_display()}）"
    return request_submit(
        actor=actor, record=record, kind=kind, applicant=applicant, content=content, source=source
    )


# --- electronic service ----------------------------------------------------------------------


def agreement_in_force(entity: Entity) -> Any:
    from anjian.enterprise.models import ServiceAgreement

    return (
        ServiceAgreement.objects.filter(entity=entity, withdrawn_on__isnull=True)
        .order_by("-agreed_on", "-id")
        .first()
    )


@transaction.atomic
def service_agreement_record(
    *, actor: Any, entity: Entity, scope: str, source: str = AuditSource.WEB
) -> Any:
    """The principal records the enterprise's agreement to electronic service (dated today);
    a new agreement replaces the one in force."""
    from anjian.enterprise.models import ServiceAgreement, ServiceScope

    actor_require(actor, Capability.ENTERPRISE_SELF)
    member = membership_of(actor, entity)
    if member.position != Position.PRINCIPAL:
        raise NotPermitted(_("Only the principal agrees to electronic service."))
    if scope not in ServiceScope.values:
        raise ServiceError.for_field("scope", _("Choose one of the listed values."))
    today = clock.today()
    ServiceAgreement.objects.filter(entity=entity, withdrawn_on__isnull=True).update(
        withdrawn_on=today
    )
    agreement = ServiceAgreement.objects.create(
        entity=entity, scope=scope, agreed_on=today, agreed_by=actor
    )
    audit_record(
        actor=actor,
        action="enterprise.service.agreed",
        obj=agreement,
        region=entity.region_id,
        changes={"entity": entity.uscc, "scope": scope, "agreed_on": today},
        source=source,
    )
    return agreement


@transaction.atomic
def service_agreement_withdraw(
    *, actor: Any, entity: Entity, source: str = AuditSource.WEB
) -> None:
    from anjian.enterprise.models import ServiceAgreement

    actor_require(actor, Capability.ENTERPRISE_SELF)
    if membership_of(actor, entity).position != Position.PRINCIPAL:
        raise NotPermitted(_("Only the principal agrees to electronic service."))
    agreement = agreement_in_force(entity)
    if agreement is None:
        raise Conflict(_("No agreement to electronic service is in force."))
    ServiceAgreement.objects.filter(pk=agreement.pk).update(withdrawn_on=clock.today())
    audit_record(
        actor=actor,
        action="enterprise.service.withdrawn",
        obj=agreement,
        region=entity.region_id,
        changes={"entity": entity.uscc},
        source=source,
    )


@transaction.atomic
def receipt_confirm(*, actor: Any, document: Any, source: str = AuditSource.WEB) -> Any:
    """The enterprise confirms it received `document` (time, user). Where an agreement to
    electronic service covers it, the confirmation is the service: a penalty decision's case
    records it as served electronically today, through the case's own service step."""
    from anjian.cases.models import Case, ServiceMethod
    from anjian.cases.services import case_serve
    from anjian.cases.states import CaseState
    from anjian.documents.models import DocumentStatus, OfficialDocument
    from anjian.enterprise.models import DocumentReceipt

    actor_require(actor, Capability.ENTERPRISE_SELF)
    if not OfficialDocument.objects.visible_to(actor).filter(pk=document.pk).exists():
        raise NotFound()
    member = membership_of(actor)
    entity = member.entity
    if document.status != DocumentStatus.VALID:
        raise Conflict(_("The document was revoked; it cannot be received."))
    if DocumentReceipt.objects.filter(document=document, entity=entity).exists():
        raise Conflict(_("The receipt of this document is already confirmed."))
    agreement = agreement_in_force(entity)
    if agreement is not None and not agreement.covers(document.kind):
        agreement = None
    now = clock.now()
    receipt = DocumentReceipt.objects.create(
        document=document, entity=entity, confirmed_at=now, confirmed_by=actor, agreement=agreement
    )
    audit_record(
        actor=actor,
        action="enterprise.document.received",
        obj=receipt,
        region=document.region_id,
        changes={
            "document": document.number,
            "kind": document.kind,
            "confirmed_at": now,
            "served": agreement is not None,
        },
        source=source,
    )
    case_type = "cases.case"
    if (
        agreement is not None
        and document.kind == "penalty_decision"
        and document.subject_type.natural_key() == tuple(case_type.split("."))
    ):
        case = Case.objects.filter(pk=document.subject_id).first()
        if case is not None and case.state == CaseState.DECIDED:
            case_serve(
                actor=Actor(id=actor.pk, name=actor.get_username()),
                case=case,
                served_on=clock.today(),
                method=ServiceMethod.ELECTRONIC,
                source=source,
            )
    return receipt


# --- self-inspections (自查) -----------------------------------------------------------------


def checklists_for(entity: Entity) -> list[Any]:
    """The catalog's checklists in force today for the entity's industry, with check points."""
    from anjian.catalog.selectors import versions_current_and_upcoming

    today = clock.today()
    return [
        v
        for v in versions_current_and_upcoming(on=today)
        if v.effective_from <= today
        and (not v.industries or entity.industry in v.industries)
        and v.check_points.exists()
    ]


@transaction.atomic
def self_inspection_record(
    *,
    actor: Any,
    entity: Entity,
    item_version: Any,
    answers: dict[int, tuple[str, str]],
    hazards: list[dict[str, Any]],
    photos: dict[int, list[Any]] | None = None,
    source: str = AuditSource.WEB,
) -> Any:
    """File a self-inspection: an answer (and note) for every check point of the checklist,
    and the hazards found with their measures and deadline (each non-compliant point needs
    one). Nothing is written unless all of it is right; hazard photos go through the evidence
    app's checks."""
    from anjian.enterprise.models import (
        SelfAnswer,
        SelfHazard,
        SelfInspection,
        SelfInspectionAnswer,
        SelfInspectionStatus,
    )
    from anjian.evidence.services import evidence_add

    actor_require(actor, Capability.ENTERPRISE_SELF)
    membership_of(actor, entity)
    if item_version.pk not in {v.pk for v in checklists_for(entity)}:
        raise ServiceError.for_field("checklist", _("Choose a checklist from the list."))
    points = list(item_version.check_points.order_by("order"))
    errors: dict[str, Any] = {}
    for point in points:
        answer = answers.get(point.pk, ("", ""))[0]
        if answer not in SelfAnswer.values:
            errors[f"answer_{point.pk}"] = _("Answer check point %(n)d.") % {"n": point.order}
    today = clock.today()
    for i, hazard in enumerate(hazards):
        if not str(hazard.get("description", "")).strip():
            errors[f"hazard_{i}_description"] = _("Describe the hazard.")
        if not str(hazard.get("measures", "")).strip():
            errors[f"hazard_{i}_measures"] = _("Give the rectification measures.")
        deadline = hazard.get("deadline")
        if deadline is None:
            errors[f"hazard_{i}_deadline"] = _("Give the rectification deadline.")
        elif deadline < today:
            errors[f"hazard_{i}_deadline"] = _("The deadline cannot be in the past.")
    non_compliant = sum(1 for a, _n in answers.values() if a == SelfAnswer.NON_COMPLIANT)
    if non_compliant and not hazards:
        errors["hazards"] = _("Record the hazard found at each point that is not compliant.")
    if errors:
        raise ServiceError.for_fields(errors)
    inspection = SelfInspection.objects.create(
        entity=entity,
        item_version=item_version,
        inspected_on=today,
        created_by=actor,
        status=SelfInspectionStatus.SUBMITTED,
        submitted_at=clock.now(),
    )
    SelfInspectionAnswer.objects.bulk_create(
        SelfInspectionAnswer(
            inspection=inspection,
            check_point=point,
            answer=answers[point.pk][0],
            note=answers[point.pk][1][:500],
        )
        for point in points
    )
    rows = [
        SelfHazard.objects.create(
            inspection=inspection,
            description=str(h["description"]).strip(),
            measures=str(h["measures"]).strip(),
            deadline=h["deadline"],
            done_on=today if h.get("done") else None,
        )
        for h in hazards
    ]
    audit_record(
        actor=actor,
        action="enterprise.self_inspection.submitted",
        obj=inspection,
        region=entity.region_id,
        changes={
            "entity": entity.uscc,
            "checklist": str(item_version),
            "non_compliant": non_compliant,
            "hazards": len(rows),
        },
        source=source,
    )
    for i, files in (photos or {}).items():
        if i < len(rows):
            for upload in files:
                evidence_add(
                    actor, upload=upload, subject=rows[i], region=entity.region_id, source=source
                )
    return inspection


@transaction.atomic
def self_hazard_done(*, actor: Any, hazard: Any, source: str = AuditSource.WEB) -> Any:
    """The enterprise marks a hazard it found as rectified (today)."""
    from anjian.enterprise.models import SelfHazard

    actor_require(actor, Capability.ENTERPRISE_SELF)
    locked = (
        SelfHazard.objects.select_for_update()
        .select_related("inspection__entity")
        .get(pk=hazard.pk)
    )
    membership_of(actor, locked.inspection.entity)
    if locked.done_on:
        raise Conflict(_("The hazard is already rectified."))
    locked.done_on = clock.today()
    locked.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action="enterprise.self_hazard.rectified",
        obj=locked,
        region=locked.inspection.entity.region_id,
        changes={"done_on": locked.done_on},
        source=source,
    )
    return locked


def self_hazard_may_attach(user: Any, hazard: Any) -> bool:
    """Photos of a self-found hazard: the enterprise's own users, until it is rectified."""
    from anjian.enterprise.models import SelfHazard

    return bool(
        user.is_authenticated
        and user.can(Capability.ENTERPRISE_SELF)
        and SelfHazard.objects.visible_to(user).filter(pk=hazard.pk).exists()
    )
