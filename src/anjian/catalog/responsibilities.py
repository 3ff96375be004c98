"""Who answers for each supervision item in each bureau (N1.1: 逐条明确分管负责人、承办机构、
承办人员).

The catalog's items are the province's and versioned by the law; the people are each bureau's.
So a bureau's leader in charge (分管负责人), handling unit (承办机构) and handling officers
(承办人员) are kept per item and bureau, outside the item's versions: naming a new officer is no
change of the law and makes no new version. Only the bureau's own staff who maintain the
catalog (its administrator, `Capability.CATALOG_MANAGE`) set them, never another bureau's, not
even the province's; every change is audited. They are public with the catalog (officials in
their official capacity: names and units, nothing else).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Bureau
from anjian.accounts.roles import Capability
from anjian.catalog.models import ItemResponsibility, SupervisionItem
from anjian.core import clock
from anjian.core.errors import NotPermitted, ServiceError
from anjian.core.guards import actor_require
from anjian.core.services import Actor, AuditSource, audit_record, model_changes

MAX_OFFICERS = 10
_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass
class ResponsibilityValues:
    leader: str
    handling_unit: str
    officers: list[str] = field(default_factory=list)

    @staticmethod
    def officers_from_text(text: str) -> list[str]:
        """Names as typed, separated by 、 or commas or spaces, each once, in order."""
        return list(dict.fromkeys(n for n in _SEPARATORS.split(text.strip()) if n))

    def as_dict(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "handling_unit": self.handling_unit,
            "officers": list(self.officers),
        }


def responsibility_editor(actor: Any, bureau: Bureau | None) -> bool:
    """Whether `actor` may set the responsibilities of `bureau` (the pages ask first)."""
    if bureau is None or not getattr(actor, "is_authenticated", False):
        return False
    try:
        _require_own_bureau(actor, bureau)
    except NotPermitted:
        return False
    return True


def _require_own_bureau(actor: Any, bureau: Bureau) -> None:
    actor_require(actor, Capability.CATALOG_MANAGE)
    if isinstance(actor, Actor):
        return
    # Not even the province, nor a platform operator: each bureau names its own people.
    if getattr(actor, "bureau_id", None) != bureau.pk:
        raise NotPermitted(_("Only the bureau's own administrator names its responsibilities."))


def _errors(item: SupervisionItem, bureau: Bureau, values: ResponsibilityValues) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if not values.leader.strip():
        errors["leader"] = _("Name the leader in charge of this item.")
    elif len(values.leader.strip()) > 50:
        errors["leader"] = _("At most %(n)d characters.") % {"n": 50}
    if not values.handling_unit.strip():
        errors["handling_unit"] = _("Name the unit (division) that handles this item.")
    elif len(values.handling_unit.strip()) > 100:
        errors["handling_unit"] = _("At most %(n)d characters.") % {"n": 100}
    if not values.officers:
        errors["officers"] = _("Name at least one handling officer.")
    elif len(values.officers) > MAX_OFFICERS or any(len(n) > 30 for n in values.officers):
        errors["officers"] = _(
            "At most %(n)d officers, each name at most 30 characters, separated by 、."
        ) % {"n": MAX_OFFICERS}
    version = item.version_for(clock.today())
    if version is not None and bureau.level not in version.levels:
        errors["item"] = _(
            "Item %(code)s is not exercised at this bureau's level: it names no one here."
        ) % {"code": item.code}
    return errors


@transaction.atomic
def item_responsibility_set(
    *,
    actor: Any,
    item: SupervisionItem,
    bureau: Bureau,
    values: ResponsibilityValues,
    source: str = AuditSource.WEB,
) -> ItemResponsibility:
    """Name (or rename) the bureau's leader in charge, handling unit and officers for `item`."""
    _require_own_bureau(actor, bureau)
    values = ResponsibilityValues(
        leader=" ".join(values.leader.split()),
        handling_unit=" ".join(values.handling_unit.split()),
        officers=[" ".join(n.split()) for n in values.officers if n.strip()],
    )
    errors = _errors(item, bureau, values)
    if errors:
        raise ServiceError.for_fields(errors)
    row = ItemResponsibility.objects.select_for_update().filter(item=item, bureau=bureau).first()
    before = (
        {"leader": row.leader, "handling_unit": row.handling_unit, "officers": row.officers}
        if row
        else None
    )
    if row is None:
        row = ItemResponsibility(item=item, bureau=bureau)
    if before == values.as_dict():
        return row
    row.leader = values.leader
    row.handling_unit = values.handling_unit
    row.officers = values.officers
    row.updated_by = str(actor.name if isinstance(actor, Actor) else actor.get_username())
    row.save()
    audit_record(
        actor=actor,
        action="catalog.responsibility.set",
        obj=item,
        region=bureau.region_id,
        changes={
            "item": item.code,
            "bureau": bureau.name,
            **model_changes(before, values.as_dict()),
        },
        source=source,
    )
    return row


# --- reads (public) ---------------------------------------------------------------------------


def responsibilities_of_bureau(bureau: Bureau | None) -> dict[int, ItemResponsibility]:
    """{item id: the bureau's responsibility row} (public data)."""
    if bureau is None:
        return {}
    return {r.item_id: r for r in ItemResponsibility.objects.filter(bureau=bureau)}


def responsibilities_of_item(item: SupervisionItem) -> QuerySet[ItemResponsibility]:
    """Every bureau's row for `item`, province first, then by region code (public data)."""
    return (
        ItemResponsibility.objects.filter(item=item)
        .select_related("bureau")
        .order_by("bureau__region_id", "bureau__name")
    )


def bureaus_with_responsibilities() -> QuerySet[Bureau]:
    """The active bureaus, for choosing whose responsibilities a catalog page shows."""
    return Bureau.objects.filter(is_active=True).order_by("region_id", "name")


def responsibilities_demo_load(
    *, regions: tuple[str, ...] = ("140000", "140600", "140603"), source: str = AuditSource.SYSTEM
) -> int:
    """The demo: the province, 朔州市 and 平鲁区 name their people for every item exercised at
    their level, from their own staff (the leader, a division, two inspectors), as their
    administrators would. Rows already named are left as they are. Returns the count added."""
    from anjian.accounts.roles import Role
    from anjian.core.services import SYSTEM_ACTOR

    added = 0
    today = clock.today()
    items = list(SupervisionItem.objects.order_by("code"))
    for bureau in Bureau.objects.filter(region_id__in=regions, is_active=True):
        staff = bureau.users.filter(is_active=True).order_by("pk")
        leader = staff.filter(role_assignments__role=Role.BUREAU_LEADER).first()
        inspectors = list(staff.filter(role_assignments__role=Role.INSPECTOR).distinct()[:2])
        if leader is None or not inspectors:
            continue
        named = set(
            ItemResponsibility.objects.filter(bureau=bureau).values_list("item_id", flat=True)
        )
        for item in items:
            version = item.version_for(today)
            if item.pk in named or version is None or bureau.level not in version.levels:
                continue
            division = inspectors[0].division
            unit = (
                version.division
                if bureau.level == "province" and version.division
                else (division.name if division else "")
            )
            if not unit:
                continue
            item_responsibility_set(
                actor=SYSTEM_ACTOR,
                item=item,
                bureau=bureau,
                values=ResponsibilityValues(
                    leader=str(leader),
                    handling_unit=unit,
                    officers=[str(u) for u in inspectors],
                ),
                source=source,
            )
            added += 1
    return added
