"""Writes of industry associations: the bureau registers one, adds member units and binds its
accounts; the association publishes its conventions. Each step is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as uscc_check

from anjian.accounts.models import User
from anjian.accounts.roles import Capability, Role
from anjian.associations.models import Association, AssociationAccount, Convention
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
