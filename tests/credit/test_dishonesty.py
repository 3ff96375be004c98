"""The serious-dishonesty list (应急管理部令第11号): an accident concealment, once its record is
approved, proposes a listing to the bureau that recorded it; legal review, then the decision
with its document; three years, early removal from twelve months; public on the portal
(masked); forced into draws through the draws' provider registry; exported in the national
joint-punishment fields."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.credit import dishonesty, services
from anjian.credit.models import (
    CreditRecord,
    DishonestyListing,
    ListingStatus,
    ListingTrigger,
    RecordKind,
)
from anjian.documents.models import OfficialDocument
from anjian.draws.forced import forced_by_providers

pytestmark = pytest.mark.django_db


def _approved(world: dict[str, Any], make_user: Any, kind: str, title: str, day: datetime.date):
    head = make_user("140603", ["division_head"], username=f"head_{kind}_{day:%m%d}")
    row = services.record_propose(
        actor=head, entity=world["entity"], kind=kind, title=title, occurred_on=day,
        reason="事故调查报告认定",
    )  # fmt: skip
    services.record_decide(actor=world["leader"], record=row, approve=True)
    return row


def _listed(world: dict[str, Any], make_user: Any, clock: Any) -> DishonestyListing:
    today = timezone.localdate(clock.now())
    record = _approved(
        world, make_user, RecordKind.ACCIDENT_CONCEALED,
        "瞒报一般生产安全事故（矿工张三受伤）", today - datetime.timedelta(days=2),
    )  # fmt: skip
    listing = DishonestyListing.objects.get(record=record)
    dishonesty.listing_review(actor=world["reviewer"], listing=listing, passed=True,
                              opinion="事实清楚，符合第十一号令规定")  # fmt: skip
    return dishonesty.listing_decide(
        actor=world["leader"], listing=listing, approve=True,
        reconsideration_organ="朔州市人民政府", court="朔州市平鲁区人民法院",
    )  # fmt: skip


def test_a_concealed_accident_is_proposed_reviewed_decided_and_listed_three_years(
    world: dict[str, Any], make_user: Any, clock: Any, org: dict[str, Any]
) -> None:
    today = timezone.localdate(clock.now())
    record = _approved(
        world, make_user, RecordKind.ACCIDENT_CONCEALED,
        "瞒报一般生产安全事故（矿工张三受伤）", today - datetime.timedelta(days=2),
    )  # fmt: skip
    listing = DishonestyListing.objects.get(record=record)
    assert (listing.trigger, listing.status) == (ListingTrigger.ACCIDENT_CONCEALED, "proposed")
    assert listing.bureau_id == record.bureau_id  # proposed to the bureau that recorded it
    assert dishonesty.listings_detect(entity_ids=[world["entity"].pk]) == []  # once only

    # No decision before legal review; the review needs an opinion and the reviewer's role.
    with pytest.raises(Conflict):
        dishonesty.listing_decide(actor=world["leader"], listing=listing, approve=True)
    with pytest.raises(NotPermitted):
        dishonesty.listing_review(actor=world["leader"], listing=listing, passed=True,
                                  opinion="同意")  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        dishonesty.listing_review(actor=world["reviewer"], listing=listing, passed=True,
                                  opinion=" ")  # fmt: skip
    assert "opinion" in refused.value.fields
    dishonesty.listing_review(actor=world["reviewer"], listing=listing, passed=True,
                              opinion="事实清楚，符合第十一号令规定")  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        dishonesty.listing_decide(actor=world["leader"], listing=listing, approve=True)
    assert set(refused.value.fields) == {"reconsideration_organ", "court"}
    listed = dishonesty.listing_decide(
        actor=world["leader"], listing=listing, approve=True,
        reconsideration_organ="朔州市人民政府", court="朔州市平鲁区人民法院",
    )  # fmt: skip
    assert listed.status == ListingStatus.LISTED and listed.listed_on == today
    assert listed.ends_on == today.replace(year=today.year + 3) or listed.ends_on.month == 2
    assert (
        listed.removal_from.year - today.year
    ) * 12 + listed.removal_from.month - today.month == 12
    doc = OfficialDocument.objects.get(pk=listed.decision_id)
    assert doc.kind == "dishonesty_listing" and "应急失信" in doc.number
    assert {"credit.listing.proposed", "credit.listing.reviewed", "credit.listing.listed"} <= set(
        AuditEvent.objects.filter(action__startswith="credit.listing").values_list(
            "action", flat=True
        )
    )
    # Early removal: not within 12 months; afterwards with a reason.
    with pytest.raises(ServiceError) as refused:
        dishonesty.listing_remove(actor=world["leader"], listing=listed, reason="已整改")
    assert "reason" in refused.value.fields
    clock.advance(days=370)
    removed = dishonesty.listing_remove(actor=world["leader"], listing=listed, reason="已整改")
    assert removed.status == ListingStatus.REMOVED
    assert not dishonesty.in_force().exists()


def test_only_the_deciding_bureau_decides(
    world: dict[str, Any], make_user: Any, clock: Any
) -> None:
    today = timezone.localdate(clock.now())
    record = _approved(world, make_user, RecordKind.UNLICENSED, "安全生产许可证暂扣期间组织生产",
                       today - datetime.timedelta(days=1))  # fmt: skip
    listing = DishonestyListing.objects.get(record=record)
    dishonesty.listing_review(actor=world["reviewer"], listing=listing, passed=True, opinion="可")
    city_leader = make_user("140600", ["bureau_leader"], username="sz_leader_x")
    with pytest.raises(NotPermitted):
        dishonesty.listing_decide(actor=city_leader, listing=listing, approve=True,
                                  reconsideration_organ="x", court="y")  # fmt: skip


def test_two_larger_accidents_within_twelve_months_are_a_trigger(
    world: dict[str, Any], make_user: Any, clock: Any
) -> None:
    today = timezone.localdate(clock.now())
    _approved(world, make_user, RecordKind.ACCIDENT_LARGER, "较大事故（3人死亡）",
              today - datetime.timedelta(days=300))  # fmt: skip
    assert not DishonestyListing.objects.exists()  # one is not enough
    second = _approved(world, make_user, RecordKind.ACCIDENT_LARGER, "较大事故（4人死亡）",
                       today - datetime.timedelta(days=10))  # fmt: skip
    [listing] = DishonestyListing.objects.all()
    assert (listing.record_id, listing.trigger) == (second.pk, ListingTrigger.ACCIDENTS_LARGER)


def test_the_list_is_public_masked_forced_into_draws_and_exported(
    world: dict[str, Any],
    make_user: Any,
    clock: Any,
    client: Any,
    login: Any,
    org: dict[str, Any],
) -> None:
    listing = _listed(world, make_user, clock)
    entity = world["entity"]
    page = client.get("/portal/credit/dishonesty/").content.decode()  # no login
    assert entity.name in page and "张三" not in page and "张*" in page
    assert "瞒报" in page and listing.decision.number in page
    detail = client.get(f"/portal/credit/{entity.uscc}/").content.decode()
    assert "列入至" in detail or "列入" in detail
    assert "未列入" not in detail

    class DrawStub:
        inspection_from = timezone.localdate(clock.now())

    forced = forced_by_providers(DrawStub())
    assert entity.uscc in forced and "严重失信主体名单" in forced[entity.uscc]

    officer = login(world["h1"])
    assert entity.name in officer.get("/credit/dishonesty/").content.decode()
    xlsx = officer.get("/credit/dishonesty/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("失信主体名称", "统一社会信用代码", "法定代表人（负责人）",
                           "主体类型", "列入事由")  # fmt: skip
    assert rows[1][1] == entity.uscc and rows[1][8] == listing.decision.number
    assert AuditEvent.objects.filter(action="credit.listing.exported").exists()
    # Another county sees none of it.
    other = login(org["other_county_inspector"])
    assert entity.name not in other.get("/credit/dishonesty/").content.decode()
    assert other.get(f"/credit/dishonesty/{listing.pk}/").status_code == 404
    other_rows = list(
        openpyxl.load_workbook(
            io.BytesIO(other.get("/credit/dishonesty/export.xlsx").content)
        ).active.iter_rows(values_only=True)
    )
    assert len(other_rows) == 1
    assert CreditRecord.objects.filter(kind=RecordKind.ACCIDENT_CONCEALED).count() == 1
