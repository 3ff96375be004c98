"""Writes of industry associations: the bureau registers one, adds and removes member units,
binds its accounts and decides the association's requests to add or remove a member; the
association publishes and withdraws its conventions. Each step is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as uscc_check

from anjian.accounts.models import User
from anjian.accounts.roles import Capability, Role
from anjian.associations.models import (
    Association,
    AssociationAccount,
    Convention,
    MemberRequest,
    RequestKind,
    RequestStatus,
)
from anjian.core import clock
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import Actor, AuditSource, audit_record
from anjian.entities.models import Entity


def association_of(user: Any) -> Association | None:
    """The association an association account is bound to (active), if any."""
    if isinstance(user, Actor) or not getattr(user, "is_authenticated", False):
        return None
    if not user.can(Capability.ASSOCIATION_SELF):
        return None
    account = (
        AssociationAccount.objects.filter(user_id=user.pk, active=True)
        .select_related("association")
        .first()
    )
    return account.association if account else None


def _event(actor: Any, a: Association, action: str, **changes: Any) -> None:
    audit_record(
        actor=actor,
        action=f"associations.association.{action}",
        obj=a,
        region=a.region_id,
        changes=changes,
        source=AuditSource.WEB,
    )


@transaction.atomic
def association_create(*, actor: Any, name: str, code: str) -> Association:
    """Registered in the bureau's own region."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    errors: dict[str, Any] = {}
    name, code = name.strip(), code.strip().upper()
    if not name:
        errors["name"] = _("This field is required.")
    elif Association.objects.filter(name=name).exists():
        errors["name"] = _("An association of this name is registered.")
    if not uscc_check.is_valid(code):
        errors["code"] = _("This is not a valid unified social credit code.")
    elif Association.objects.filter(code=code).exists():
        errors["code"] = _("An association with this code is registered.")
    if errors:
        raise ServiceError.for_fields(errors)
    region = actor.scope_region_code if not isinstance(actor, Actor) else "140000"
    if not region:
        raise NotPermitted()
    a = Association.objects.create(name=name, code=code, region_id=region)
    _event(actor, a, "created", name=name, code=code)
    return a


@transaction.atomic
def member_add(*, actor: Any, association: Association, uscc: str) -> Entity:
    """Add a unit the actor sees (a unit outside the actor's jurisdiction is not found)."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    actor_require_visible(actor, association)
    entity = Entity.objects.visible_to(actor).filter(uscc=uscc.strip().upper()).first()
    if entity is None:
        raise ServiceError.for_field(
            "uscc", _("No registered unit in your jurisdiction has this code.")
        )
    association.members.add(entity)
    _event(actor, association, "member_added", entity=entity.pk, uscc=entity.uscc)
    return entity


@transaction.atomic
def account_bind(*, actor: Any, association: Association, username: str) -> User:
    actor_require(actor, Capability.USERS_MANAGE)
    actor_require_visible(actor, association)
    user = User.objects.filter(username=username.strip()).first()
    if user is None or not user.has_role(Role.ASSOCIATION):
        raise ServiceError.for_field(
            "username", _("Give the user name of an account with the association role.")
        )
    AssociationAccount.objects.get_or_create(user=user, association=association)
    _event(actor, association, "account_bound", user=user.username)
    return user


@transaction.atomic
def convention_publish(*, actor: Any, title: str, body: str) -> Convention:
    association = association_of(actor)
    if association is None:
        raise NotFound()
    errors: dict[str, Any] = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if len(body.strip()) < 20:
        errors["body"] = _("Write the convention in at least 20 characters.")
    if errors:
        raise ServiceError.for_fields(errors)
    c = Convention.objects.create(
        association=association, title=title.strip(), body=body.strip(), published_by=actor
    )
    _event(actor, association, "convention_published", convention=c.pk, title=c.title)
    return c


def _reason_check(reason: str, field: str = "reason") -> str:
    reason = reason.strip()
    if len(reason) < 4:
        raise ServiceError.for_field(field, _("Give the reason in at least 4 characters."))
    if len(reason) > 1000:
        raise ServiceError.for_field(field, _("At most %(n)s characters.") % {"n": 1000})
    return reason


@transaction.atomic
def member_remove(*, actor: Any, association: Association, entity: Entity, reason: str) -> None:
    """The bureau removes a member unit, with a reason (audited). A unit that is not a member,
    or an association outside the actor's region, is not found."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    actor_require_visible(actor, association)
    if not association.members.filter(pk=entity.pk).exists():
        raise NotFound()
    reason = _reason_check(reason)
    association.members.remove(entity)
    _event(actor, association, "member_removed", entity=entity.pk, uscc=entity.uscc, reason=reason)


@transaction.atomic
def member_request(*, actor: Any, kind: str, uscc: str, reason: str) -> MemberRequest:
    """The association asks to add a unit (registered on the platform: its credit code and name
    are public) or to remove one of its members; the bureau decides."""
    association = association_of(actor)
    if association is None:
        raise NotFound()
    errors: dict[str, Any] = {}
    if kind not in RequestKind.values:
        errors["kind"] = _("Choose one of the listed values.")
    code = uscc.strip().upper()
    # The public register: a unit's credit code and name are published (信用中国, the portal).
    entity = Entity.objects.filter(uscc=code).first() if code else None
    if entity is None:
        errors["uscc"] = _("No unit registered on the platform has this code.")
    elif kind == RequestKind.ADD and association.members.filter(pk=entity.pk).exists():
        errors["uscc"] = _("This unit is already a member.")
    elif kind == RequestKind.REMOVE and not association.members.filter(pk=entity.pk).exists():
        errors["uscc"] = _("This unit is not a member.")
    elif MemberRequest.objects.filter(
        association=association, entity=entity, status=RequestStatus.PENDING
    ).exists():
        errors["uscc"] = _("A request about this unit is waiting for the bureau.")
    if errors:
        raise ServiceError.for_fields(errors)
    assert entity is not None
    req = MemberRequest.objects.create(
        association=association,
        kind=kind,
        entity=entity,
        reason=_reason_check(reason),
        requested_by=actor,
    )
    _event(
        actor,
        association,
        "member_requested",
        request=req.pk,
        kind=kind,
        entity=entity.pk,
        uscc=entity.uscc,
    )
    return req


@transaction.atomic
def member_request_decide(
    *, actor: Any, request: MemberRequest, approve: bool, note: str = ""
) -> MemberRequest:
    """The bureau approves (the membership changes) or refuses (with a note) an association's
    request. A unit to add must be in the actor's jurisdiction, as when the bureau adds it."""
    actor_require(actor, Capability.ENTITIES_MANAGE)
    req = MemberRequest.objects.select_for_update().select_related("association", "entity")
    request = req.get(pk=request.pk)
    association = request.association
    actor_require_visible(actor, association)
    if request.status != RequestStatus.PENDING:
        raise ServiceError(_("This request is already decided."), code="invalid_state")
    if not approve:
        note = _reason_check(note, "note")
    entity = request.entity
    if approve and request.kind == RequestKind.ADD:
        if not Entity.objects.visible_to(actor).filter(pk=entity.pk).exists():
            raise ServiceError(
                _("The unit is outside your jurisdiction: the bureau of its region adds it.")
            )
        association.members.add(entity)
    elif approve:
        association.members.remove(entity)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_at = clock.now()
    request.decided_by = actor
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    _event(
        actor,
        association,
        "member_request_decided",
        request=request.pk,
        kind=request.kind,
        entity=entity.pk,
        uscc=entity.uscc,
        approved=approve,
        note=request.decision_note,
    )
    return request


@transaction.atomic
def convention_withdraw(*, actor: Any, convention: Convention, reason: str) -> Convention:
    """The association withdraws its published convention: off the portal, kept in the record."""
    association = association_of(actor)
    if association is None or convention.association_id != association.pk:
        raise NotFound()
    convention = Convention.objects.select_for_update().get(pk=convention.pk)
    if convention.withdrawn_at is not None:
        raise ServiceError(_("This convention is already withdrawn."), code="invalid_state")
    convention.withdrawal_reason = _reason_check(reason)
    convention.withdrawn_at = clock.now()
    convention.withdrawn_by = actor
    convention.save(update_fields=["withdrawal_reason", "withdrawn_at", "withdrawn_by"])
    _event(
        actor,
        association,
        "convention_withdrawn",
        convention=convention.pk,
        title=convention.title,
        reason=convention.withdrawal_reason,
    )
    return convention
