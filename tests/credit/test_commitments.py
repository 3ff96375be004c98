"""Credit commitments (信用承诺): made for one supervision item from a template, checked against
the entity's later records; broken, they become a credit record that lowers the grade; the
period over without a breaking record, kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent
from anjian.credit.commitments import commitment_record, commitments_check
from anjian.credit.models import Commitment, CreditRecord, RecordKind
from anjian.credit.services import credit_refresh, records_sync

pytestmark = pytest.mark.django_db


def test_a_commitment_is_made_from_a_template_broken_by_a_later_record_and_counted(
    world: dict[str, Any], make_user: Any, item: Any, clock: Any, login: Any
) -> None:
    today = timezone.localdate(clock.now())
    head = make_user("140603", ["division_head"], username="county_head")
    entity = world["entity"]
    with pytest.raises(ServiceError) as refused:
        commitment_record(actor=head, entity=entity, item=None, template="rectification",
                          made_on=today, until=today)  # fmt: skip
    assert {"item", "until"} <= set(refused.value.fields)
    c = commitment_record(
        actor=head, entity=entity, item=item, template="rectification",
        made_on=today - datetime.timedelta(days=20), until=today + datetime.timedelta(days=100),
    )  # fmt: skip
    assert c.status == "open" and item.version_on(today).name in c.text and "按期整改到位" in c.text
    kept = commitment_record(
        actor=head, entity=entity, item=item, template="compliance",
        made_on=today - datetime.timedelta(days=60), until=today - datetime.timedelta(days=1),
    )  # fmt: skip
    assert Commitment.objects.get(pk=kept.pk).status == "kept"  # nothing broke it in time

    late = CreditRecord.objects.create(
        entity=entity, region_id=entity.region_id, bureau=head.bureau, item=item,
        kind=RecordKind.RECTIFIED_LATE, title="隐患逾期整改", occurred_on=today,
        weight=-5, counts_until=today + datetime.timedelta(days=365),
    )  # fmt: skip
    assert commitments_check(entity_ids=[entity.pk]) == {entity.pk}
    c.refresh_from_db()
    assert (c.status, c.broken_by_id) == ("broken", late.pk)
    broken = CreditRecord.objects.get(kind=RecordKind.COMMITMENT_BROKEN)
    assert broken.weight == -10 and broken.source_type == "credit.commitment"
    assert "隐患逾期整改" in broken.title
    assert AuditEvent.objects.filter(action="credit.commitment.broken").exists()
    # Gathering the platform's records again leaves it alone, and it counts in the grade.
    records_sync(entity_ids=[entity.pk])
    broken.refresh_from_db()
    assert broken.status == "active"
    credit_refresh(entity_ids=[entity.pk])
    page = login(head).get(f"/credit/entities/{entity.uscc}/").content.decode()
    assert "信用承诺" in page and "已违反" in page


def test_only_a_record_of_the_commitments_item_breaks_it(
    world: dict[str, Any], make_user: Any, make_item: Any, clock: Any
) -> None:
    """Hazards of an inspection on item X rectified late: the records gathered carry X; the
    commitment on X is broken and becomes a record, the one on another item Y stays open."""
    from anjian.inspections.models import CorrectionOrder

    today = timezone.localdate(clock.now())
    head = make_user("140603", ["division_head"], username="county_head")
    entity, inspection = world["entity"], world["record"]
    on_item = inspection.task.item
    other = make_item()
    assert other.pk != on_item.pk
    period = {"made_on": today - datetime.timedelta(days=60),
              "until": today + datetime.timedelta(days=100)}  # fmt: skip
    kept = commitment_record(actor=head, entity=entity, item=other, template="rectification",
                             **period)  # fmt: skip
    broken = commitment_record(actor=head, entity=entity, item=on_item,
                               template="rectification", **period)  # fmt: skip
    CorrectionOrder.objects.create(
        record=inspection,
        deadline=today - datetime.timedelta(days=20),
        issued_on=today - datetime.timedelta(days=30),
        issued_by=head,
        status="rectified",
        rectified_on=today - datetime.timedelta(days=5),
    )
    credit_refresh(entity_ids=[entity.pk])
    late = CreditRecord.objects.get(entity=entity, kind=RecordKind.RECTIFIED_LATE)
    assert late.item_id == on_item.pk  # the inspection task's item
    broken.refresh_from_db()
    kept.refresh_from_db()
    assert (broken.status, broken.broken_by_id) == ("broken", late.pk)
    assert kept.status == "open" and kept.broken_by_id is None
    record = CreditRecord.objects.get(kind=RecordKind.COMMITMENT_BROKEN)
    assert record.source_id == str(broken.pk) and record.item_id == on_item.pk
    # A record of no item (entered by hand) breaks no commitment either.
    CreditRecord.objects.create(
        entity=entity, region_id=entity.region_id, kind=RecordKind.REINSPECTION_FAILED,
        title="复查不合格", occurred_on=today, weight=-6,
        counts_until=today + datetime.timedelta(days=365),
    )  # fmt: skip
    assert commitments_check(entity_ids=[entity.pk]) == set()
    kept.refresh_from_db()
    assert kept.status == "open"
