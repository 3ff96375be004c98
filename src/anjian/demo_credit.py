"""The demo's objection (异议) and credit repair (信用修复), played to the end in the dated story
(`demo._credit_story` yields from here), with their working-day deadlines (credit/requests.py).

平鲁区's demo enterprise (the entity the `pl_enterprise` login is bound to: a correction order
and a case) objects to the inspection record that found its hazards: pl_head records the
objection for it (the enterprise's account is bound after the story), accepts it within the 3
working days, and pl_leader answers within the 10 working days: refused, with the reasons (the
record and its photographs are clear). An older penalty of the same enterprise, decided before
the platform and entered by hand as a public record (pl_head proposes, pl_leader approves), is
past its minimum publication period (a year for work-safety penalties): the enterprise applies
for repair, pl_head accepts, pl_leader grants it, and the record leaves public view (the
portal's credit query) while it stays in the file and counts until it ends.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

APPLICANT = "张矿长（企业主要负责人）"


def _enterprise_entity() -> Any:
    """The entity `demo.demo_enterprise_load` binds the enterprise login to (same choice)."""
    from django.db.models import Exists, OuterRef

    from anjian.cases.models import Case
    from anjian.entities.models import Entity
    from anjian.inspections.models import CorrectionOrder

    orders = CorrectionOrder.objects.filter(
        record__entity=OuterRef("pk"), record__status="submitted"
    )
    cases = Case.objects.filter(entity=OuterRef("pk"), lead__isnull=True)
    return (
        Entity.objects.filter(region_id="140603")
        .filter(Exists(orders), Exists(cases))
        .order_by("pk")
        .first()
    ) or Entity.objects.filter(region_id="140603").filter(Exists(orders)).order_by("pk").first()


def credit_requests_story(story: Any) -> Iterator[datetime.datetime]:
    from anjian.core.services import AuditSource
    from anjian.credit import requests, services
    from anjian.credit.models import CreditRecord, RecordKind, RecordStatus, RequestKind
    from anjian.demo import _at, _named_accounts_ensure

    entity = _enterprise_entity()
    if entity is None:
        return
    users = _named_accounts_ensure("pl_head", "pl_leader")
    head, leader = users["pl_head"], users["pl_leader"]
    system = AuditSource.SYSTEM
    ago = story.ago

    # The objection: to the inspection record that found its hazards (or, failing one, to its
    # newest record), answered within the deadlines.
    yield _at(ago(16), 9, 0)
    services.credit_refresh(entity_ids=[entity.pk], source=system)
    records = CreditRecord.objects.filter(entity=entity, status=RecordStatus.ACTIVE)
    target = (
        records.filter(kind=RecordKind.INSPECTION_HAZARDS).order_by("-occurred_on", "pk").first()
        or records.order_by("-occurred_on", "pk").first()
    )
    if target is not None:
        objection = requests.request_submit(
            actor=head, record=target, kind=RequestKind.OBJECTION, applicant=APPLICANT,
            content="检查发现的问题在检查当日已现场整改完毕，请求撤销该条信用记录。",
            source=system,
        )  # fmt: skip
        yield _at(ago(14), 10, 0)
        objection = requests.request_accept(
            actor=head, request=objection, accept=True, note="材料齐全，予以受理", source=system
        )
        yield _at(ago(8), 15, 0)
        requests.request_decide(
            actor=leader, request=objection, grant=False,
            outcome="经核查，检查记录、隐患照片和责令限期整改指令书清楚，问题系检查时发现，"
            "现场整改不改变检查发现问题的事实，维持该条信用记录。",
            source=system,
        )  # fmt: skip

    # The repair: a public penalty decided before the platform, past its publication period.
    yield _at(ago(15), 10, 0)
    old = services.record_propose(
        actor=head, entity=entity, kind=RecordKind.OTHER, weight=-10, public=True,
        title="行政处罚（平应急罚〔2025〕7号）：罚款2万元（平台上线前作出）",
        occurred_on=ago(420), reason="补录平台上线前作出的行政处罚决定，已公示",
        source=system,
    )  # fmt: skip
    yield _at(ago(15), 16, 0)
    services.record_decide(actor=leader, record=old, approve=True, source=system)
    yield _at(ago(13), 9, 30)
    old.refresh_from_db()  # approved: in force
    repair = requests.request_submit(
        actor=head, record=old, kind=RequestKind.REPAIR, applicant=APPLICANT,
        content="罚款已于2025年按期缴纳，违法行为已整改到位，公示期已满一年，申请信用修复。",
        source=system,
    )  # fmt: skip
    yield _at(ago(12), 10, 0)
    repair = requests.request_accept(
        actor=head, request=repair, accept=True, note="符合信用修复受理条件", source=system
    )
    yield _at(ago(6), 15, 30)
    requests.request_decide(
        actor=leader, request=repair, grant=True,
        outcome="罚款已缴清，整改到位，最短公示期已满，同意信用修复，停止公示。",
        source=system,
    )  # fmt: skip
