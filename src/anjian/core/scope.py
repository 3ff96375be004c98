"""Data scope (数据权限): the one choke point that limits a user to their jurisdiction.

Rule: a staff user whose bureau sits at region R sees the records whose region is R or lies under R.
The province sees everything, a city itself and its counties, a county only itself. A user with
no jurisdiction (no bureau, an enterprise account, an inactive or anonymous user) sees nothing
through this mechanism. Superusers, the platform's operators, see everything.

Every model whose records belong to a jurisdiction uses `ScopedQuerySet` (through
`ScopedManager`) and names the path to its region code in `scope_region_field`. Every selector,
page, API handler and admin list starts from `Model.objects.visible_to(user)`.

An enterprise account has no jurisdiction but is bound to its own entity (or entities): a model
that an enterprise may read names the path to its entity's id in `scope_entity_field`, and such
a user sees exactly the rows of the entities they are bound to. Core knows no enterprise app:
the app that keeps the bindings registers a binder with `register_entity_binder`. A model may
narrow what the enterprise sees of its own rows with `scope_entity_only` (a Q: e.g. a case only
once the party has been notified, never a co-party's row), or give `scope_entity_field` as a
function of the entity ids returning a Q (documents, whose subject is generic).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.db.models import Model

_M = TypeVar("_M", bound="Model")

_lock = threading.Lock()
_tree: dict[str, list[str]] | None = None  # region code -> its code and all codes below it
_parents: dict[str, str | None] = {}  # region code -> the code of the region above it


def _load_tree() -> dict[str, list[str]]:
    from anjian.core.models import Region

    global _parents
    children: dict[str, list[str]] = {}
    codes = []
    parents: dict[str, str | None] = {}
    for code, parent in Region.objects.values_list("code", "parent_id"):
        codes.append(code)
        parents[code] = parent
        if parent:
            children.setdefault(parent, []).append(code)
    _parents = parents

    def below(code: str) -> list[str]:
        out = [code]
        for child in children.get(code, []):
            out.extend(below(child))
        return out

    return {code: sorted(below(code)) for code in codes}


def clear_region_cache() -> None:
    global _tree
    with _lock:
        _tree = None


def region_codes_under(code: str) -> list[str]:
    """The code itself and every region code under it (empty if the code is unknown)."""
    global _tree
    with _lock:
        if _tree is None or code not in _tree:
            _tree = _load_tree()
        return list(_tree.get(code, []))


def region_ancestors(code: str) -> list[str]:
    """The code itself and every region above it, nearest first (empty if unknown)."""
    global _tree
    with _lock:
        if _tree is None or code not in _parents:
            _tree = _load_tree()
        chain: list[str] = []
        current: str | None = code if code in _parents else None
        while current:
            chain.append(current)
            current = _parents.get(current)
        return chain


def is_province(code: str) -> bool:
    """Whether `code` is the province: everything in the platform lies under it."""
    return _is_root(code)


def region_q(field: str, code: str) -> models.Q:
    """Records whose `field` lies in region `code` or under it; no restriction for the province
    (an `IN` over every county would only cost)."""
    if is_province(code):
        return models.Q()
    return models.Q(**{f"{field}__in": region_codes_under(code)})


ALL = None  # sentinel: no restriction

EntityBinder = Callable[[Any], "list[int]"]
_entity_binders: list[EntityBinder] = []


def register_entity_binder(binder: EntityBinder) -> None:
    """Register a function giving the entity ids a (non-staff) user is bound to."""
    if binder not in _entity_binders:
        _entity_binders.append(binder)


def enterprise_entity_ids(user: Any) -> list[int]:
    """The entity ids an enterprise account is bound to; empty for staff and everyone else.
    Staff roles never combine with an enterprise binding (accounts refuses the mix)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if getattr(user, "has_staff_role", False) or user.is_superuser:
        return []
    ids: set[int] = set()
    for binder in _entity_binders:
        ids.update(binder(user))
    return sorted(ids)


def entity_rows_q(model: Any, entity_ids: list[int]) -> models.Q:
    """The condition for the rows of `model` that the bound entities may read."""
    field = getattr(model, "scope_entity_field", None)
    if not field or not entity_ids:
        return models.Q(pk__in=[])
    if callable(field):
        return field(entity_ids)
    condition = models.Q(**{f"{field}__in": entity_ids})
    only = getattr(model, "scope_entity_only", None)
    return condition & only if only is not None else condition


def visible_region_codes(user: Any) -> list[str] | None:
    """The region codes a user may see, or ALL (None) for no restriction."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return ALL
    region = getattr(user, "scope_region_code", None)
    if not region or not getattr(user, "has_staff_role", False):
        # Enterprise accounts and accounts without a staff role get no jurisdiction, even if
        # someone attached them to a bureau.
        return []
    codes = region_codes_under(region)
    if codes and codes[0] == region and _is_root(region):
        return ALL
    return codes


def _is_root(code: str) -> bool:
    from django.conf import settings

    return code == settings.ANJIAN_PROVINCE_CODE


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        """The rows in the user's jurisdiction; and, where the model declares
        `scope_member_field` (a path to users), the rows the user is a member of wherever they
        are: a county inspector drawn onto a province or city bureau's inspection team sees
        that task and its record, and nothing else of that bureau."""
        field = getattr(self.model, "scope_region_field", None)
        if not field:
            raise TypeError(f"{self.model.__name__} declares no scope_region_field")
        codes = visible_region_codes(user)
        if codes is ALL:
            return self.all()
        if not codes:
            entity_field = getattr(self.model, "scope_entity_field", None)
            if entity_field:
                entity_ids = enterprise_entity_ids(user)
                if entity_ids:
                    return self.filter(entity_rows_q(self.model, entity_ids))
        if not codes:
            in_region = models.Q(pk__in=[])
        elif len(codes) == 1:
            in_region = models.Q(**{field: codes[0]})
        else:
            in_region = models.Q(**{f"{field}__in": codes})
        member = getattr(self.model, "scope_member_field", None)
        if member and codes is not None and getattr(user, "has_staff_role", False):
            # A subquery, not a join: joining the team would repeat each row once per member.
            mine = self.model._default_manager.filter(**{member: user.pk}).values("pk")
            return self.filter(in_region | models.Q(pk__in=mine))
        if not codes:
            return self.none()
        return self.filter(in_region)


class ScopedManager(models.Manager[_M]):
    def get_queryset(self) -> ScopedQuerySet[_M]:
        return ScopedQuerySet(self.model, using=self._db)

    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        return self.get_queryset().visible_to(user)


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """Fetch one record in the user's scope; out of scope and missing look the same: 404.

    `queryset` is a ScopedManager or ScopedQuerySet (possibly with select_related applied).
    """
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def ensure_visible(obj: Model, user: Any) -> None:
    """After a write, check the object is still in the writer's scope (NetBox's re-check), so
    that no write can plant a record outside the writer's own jurisdiction."""
    manager = type(obj)._default_manager
    if not manager.visible_to(user).filter(pk=obj.pk).exists():  # type: ignore[attr-defined]
        raise Http404
