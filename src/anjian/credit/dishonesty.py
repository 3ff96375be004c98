"""The serious-dishonesty list (严重失信主体名单, 应急管理部令第11号).

- **Triggers** are detected from the credit records in force (`listings_detect`): a record of a
  major or especially major accident, of an accident concealed or misreported, of a principal
  who failed to organise rescue or fled, of operating without (or under a suspended or revoked)
  licence, of a fine multiplied under article 114, of an agency renting out its qualification
  or reporting falsely; and a second larger accident within 12 months of another. Each becomes
  a proposal to the bureau that imposed the penalty or recorded the fact (谁处罚、谁决定、谁负责).
- **Legal review** (法制审核, `Capability.REVIEW`): passed or not, with an opinion.
- **The decision** (`Capability.CREDIT_APPROVE`, the deciding bureau's leader): the decision
  document (documents: `dishonesty_listing`) is issued and the entity is listed from that day for
  ANJIAN_CREDIT_LISTING_YEARS (3); early removal may be granted from
  ANJIAN_CREDIT_LISTING_EARLY_MONTHS (12) after listing; at the end the nightly run removes it.
- **In force**, a listing is public (the portal's list, masked), and forces the entity into
  every draw of its jurisdiction (a provider registered with draws, `draws/forced.py`).
- **The export** of the list in the national joint-punishment fields (`listings_export_rows`).

Every step is audited (`credit.listing.*`).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.accounts.roles import Capability
from anjian.core import clock
from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.guards import actor_require, actor_require_visible
from anjian.core.services import SYSTEM_ACTOR, Actor, AuditSource, audit_record
from anjian.credit.models import (
    CreditRecord,
    DishonestyListing,
    ListingStatus,
    ListingTrigger,
    RecordKind,
    RecordStatus,
)
from anjian.credit.scoring import add_months

# A record of this kind is a trigger by itself.
TRIGGER_OF_KIND = {
    RecordKind.ACCIDENT_MAJOR: ListingTrigger.ACCIDENT_MAJOR,
    RecordKind.ACCIDENT_CONCEALED: ListingTrigger.ACCIDENT_CONCEALED,
    RecordKind.RESCUE_FAILED: ListingTrigger.RESCUE_FAILED,
    RecordKind.UNLICENSED: ListingTrigger.UNLICENSED,
    RecordKind.FINE_MULTIPLIED: ListingTrigger.FINE_MULTIPLIED,
    RecordKind.FALSE_REPORT: ListingTrigger.FALSE_REPORT,
}
LARGER_WITHIN_MONTHS = 12
OPEN = (ListingStatus.PROPOSED, ListingStatus.REVIEWED)


def _user(actor: Any) -> Any:
    return None if isinstance(actor, Actor) else actor


def _audit(
    actor: Any, action: str, listing: DishonestyListing, source: str, **changes: Any
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=listing,
        region=listing.region_id,
        changes={"entity": listing.entity_id, "trigger": listing.trigger,
                 "status": listing.status, **changes},
        source=source,
    )  # fmt: skip


# --- detection ----------------------------------------------------------------------------------


def triggers_of(records: Iterable[CreditRecord]) -> Iterator[tuple[CreditRecord, str]]:
    """(record, trigger) for each trigger the records show. A larger accident is a trigger when
    another larger accident of the same entity happened within the 12 months before it."""
    larger: dict[int, list[CreditRecord]] = {}
    for r in records:
        trigger = TRIGGER_OF_KIND.get(RecordKind(r.kind))
        if trigger is not None:
            yield r, trigger
        elif r.kind == RecordKind.ACCIDENT_LARGER:
            larger.setdefault(r.entity_id, []).append(r)
    for rows in larger.values():
        rows.sort(key=lambda r: (r.occurred_on, r.pk))
        for earlier, later in itertools.pairwise(rows):
            if later.occurred_on < add_months(earlier.occurred_on, LARGER_WITHIN_MONTHS):
                yield later, ListingTrigger.ACCIDENTS_LARGER


@transaction.atomic
def listings_detect(
    *, entity_ids: Iterable[int] | None = None, source: str = AuditSource.SYSTEM
) -> list[DishonestyListing]:
    """Propose a listing for every trigger not proposed yet, to the record's bureau."""
    kinds = [*TRIGGER_OF_KIND, RecordKind.ACCIDENT_LARGER]
    qs = CreditRecord.objects.filter(status=RecordStatus.ACTIVE, kind__in=kinds).exclude(
        bureau__isnull=True
    )
    if entity_ids is not None:
        qs = qs.filter(entity_id__in=list(entity_ids))
    records = list(qs.select_related("entity").order_by("occurred_on", "pk"))
    if not records:
        return []
    known = set(
        DishonestyListing.objects.filter(record__in=records).values_list("record_id", "trigger")
    )
    made = []
    for record, trigger in triggers_of(records):
        if (record.pk, trigger) in known:
            continue
        listing = DishonestyListing.objects.create(
            entity_id=record.entity_id,
            region_id=record.region_id,
            bureau_id=record.bureau_id or 0,  # never 0: records without a bureau are skipped
            trigger=trigger,
            record=record,
            facts=f"{record.occurred_on.isoformat()}，{record.title}",
        )
        _audit(SYSTEM_ACTOR, "credit.listing.proposed", listing, source, record=record.pk)
        made.append(listing)
    return made


# --- legal review, decision, removal ------------------------------------------------------------


def _locked(listing: DishonestyListing) -> DishonestyListing:
    return DishonestyListing.objects.select_for_update().select_related("entity").get(pk=listing.pk)


def _own_bureau(actor: Any, listing: DishonestyListing) -> None:
    user = _user(actor)
    if user is not None and user.bureau_id != listing.bureau_id:
        raise NotPermitted(_("The bureau that imposed the penalty decides the listing."))


@transaction.atomic
def listing_review(
    *,
    actor: Any,
    listing: DishonestyListing,
    passed: bool,
    opinion: str,
    source: str = AuditSource.WEB,
) -> DishonestyListing:
    """法制审核: the legal reviewer's opinion; not passed ends the proposal (not listed)."""
    actor_require(actor, Capability.REVIEW)
    actor_require_visible(actor, listing)
    row = _locked(listing)
    if row.status != ListingStatus.PROPOSED:
        raise Conflict(_("Only a proposal awaiting legal review can be reviewed."))
    if not opinion.strip():
        raise ServiceError.for_fields({"opinion": _("Write the legal review opinion.")})
    row.status = ListingStatus.REVIEWED if passed else ListingStatus.NOT_LISTED
    row.reviewed_by = _user(actor)
    row.reviewed_on = clock.today()
    row.review_opinion = opinion.strip()
    row.save()
    _audit(actor, "credit.listing.reviewed", row, source, passed=passed, opinion=row.review_opinion)
    return row


@transaction.atomic
def listing_decide(
    *,
    actor: Any,
    listing: DishonestyListing,
    approve: bool,
    reconsideration_organ: str = "",
    court: str = "",
    note: str = "",
    source: str = AuditSource.WEB,
) -> DishonestyListing:
    """The deciding bureau's leader lists the entity (the decision document is issued) or
    decides not to (with a reason). Only after legal review passed."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, listing)
    row = _locked(listing)
    if row.status != ListingStatus.REVIEWED:
        raise Conflict(_("A listing is decided only after its legal review passed."))
    _own_bureau(actor, row)
    today = clock.today()
    if not approve:
        if not note.strip():
            raise ServiceError.for_fields({"note": _("Say why the entity is not listed.")})
        row.status = ListingStatus.NOT_LISTED
        row.decided_by = _user(actor)
        row.removal_reason = note.strip()
        row.save()
        _audit(actor, "credit.listing.not_listed", row, source, note=row.removal_reason)
        return row
    errors = {}
    if not reconsideration_organ.strip():
        errors["reconsideration_organ"] = _("This value is required.")
    if not court.strip():
        errors["court"] = _("This value is required.")
    if errors:
        raise ServiceError.for_fields(errors)
    from anjian.accounts.models import Bureau
    from anjian.documents.services import document_issue

    ends_on = add_months(today, 12 * settings.ANJIAN_CREDIT_LISTING_YEARS)
    removal_from = add_months(today, settings.ANJIAN_CREDIT_LISTING_EARLY_MONTHS)
    entity = row.entity
    doc = document_issue(
        actor,
        kind="dishonesty_listing",
        bureau=Bureau.objects.get(pk=row.bureau_id),
        subject=row,
        context={
            "entity_name": entity.name,
            "uscc": entity.uscc,
            "legal_representative": entity.legal_representative or "",
            "address": entity.address or "",
            "facts": row.facts,
            "ground": str(row.get_trigger_display()),
            "listed_on": today,
            "ends_on": ends_on,
            "removal_from": removal_from,
            "reconsideration_organ": reconsideration_organ.strip(),
            "court": court.strip(),
        },
        issued_on=today,
        source=source,
    )
    row.status = ListingStatus.LISTED
    row.decided_by = _user(actor)
    row.decision = doc
    row.listed_on, row.ends_on, row.removal_from = today, ends_on, removal_from
    row.save()
    _audit(actor, "credit.listing.listed", row, source, decision=doc.number,
           listed_on=today, ends_on=ends_on, removal_from=removal_from)  # fmt: skip
    return row


@transaction.atomic
def listing_remove(
    *, actor: Any, listing: DishonestyListing, reason: str, source: str = AuditSource.WEB
) -> DishonestyListing:
    """Early removal at the entity's request (提前移出): not before `removal_from`."""
    actor_require(actor, Capability.CREDIT_APPROVE)
    actor_require_visible(actor, listing)
    row = _locked(listing)
    if row.status != ListingStatus.LISTED:
        raise Conflict(_("Only a listed entity can be removed."))
    _own_bureau(actor, row)
    today = clock.today()
    assert row.removal_from is not None
    if today < row.removal_from:
        raise ServiceError.for_fields(
            {
                "reason": _("Early removal can be granted from %(day)s, 12 months after listing.")
                % {"day": row.removal_from.isoformat()}
            }
        )
    if not reason.strip():
        raise ServiceError.for_fields({"reason": _("Say why the entity is removed early.")})
    row.status = ListingStatus.REMOVED
    row.removed_on = today
    row.removal_reason = reason.strip()
    row.save()
    _audit(actor, "credit.listing.removed", row, source, reason=row.removal_reason)
    return row


def listings_expire(*, today: datetime.date | None = None) -> int:
    """Every night: listings whose period has ended leave the list."""
    day = today or clock.today()
    n = 0
    for row in DishonestyListing.objects.filter(status=ListingStatus.LISTED, ends_on__lt=day):
        row.status = ListingStatus.EXPIRED
        row.removed_on = day
        row.save(update_fields=["status", "removed_on"])
        _audit(SYSTEM_ACTOR, "credit.listing.expired", row, AuditSource.SYSTEM)
        n += 1
    return n


# --- reads --------------------------------------------------------------------------------------


def in_force(day: datetime.date | None = None) -> Any:
    """The listings in force on `day` (listed, period not over): public, and forced into draws."""
    day = day or clock.today()
    return DishonestyListing.objects.filter(
        status=ListingStatus.LISTED, listed_on__lte=day, ends_on__gte=day
    )


def forced_into_draw(draw: Any) -> dict[str, str]:
    """The draws' forced-entity provider (registered from apps.py): the listed entities, each
    with why; the draw keeps those in its directory."""
    rows = in_force(draw.inspection_from).values_list("entity__uscc", "trigger")
    label = _("On the serious-dishonesty list")
    labels = dict(ListingTrigger.choices)
    return {uscc: f"{label}：{labels.get(t, t)}" for uscc, t in rows}


# The national joint-punishment fields (全国信用信息共享平台, 严重失信主体名单), in this order.
EXPORT_HEADERS = (
    "失信主体名称",
    "统一社会信用代码",
    "法定代表人（负责人）",
    "主体类型",
    "列入事由",
    "失信行为事实",
    "认定依据",
    "认定单位",
    "决定文书号",
    "列入日期",
    "有效期至",
    "可申请提前移出日期",
    "状态",
    "数据报送单位",
)


def listings_export_rows(user: Any) -> Iterator[list[Any]]:
    yield list(EXPORT_HEADERS)
    qs = (
        in_force()
        .filter(pk__in=DishonestyListing.objects.visible_to(user).values("pk"))
        .select_related("entity", "bureau", "decision")
        .order_by("listed_on", "pk")
    )
    for row in qs:
        yield [
            row.entity.name,
            row.entity.uscc,
            row.entity.legal_representative or "",
            "法人及非法人组织",
            str(row.get_trigger_display()),
            row.facts,
            "《安全生产严重失信主体名单管理办法》（应急管理部令第11号）",
            row.bureau.name,
            row.decision.number if row.decision else "",
            row.listed_on,
            row.ends_on,
            row.removal_from,
            str(row.get_status_display()),
            row.bureau.name,
        ]
