"""Credit's yearly caps checked when a plan is issued and when a draw runs (not only for ad hoc
tasks): beyond the cap the step needs a reason, refused naming the field without it (and
nothing is written), recorded in the tasks' notes and the audit event with it. A draw's check
reads the counts of its whole sample in one query. Plans and draws know nothing of credit: the
check comes through `inspections/scheduling.py`."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent
from anjian.credit.caps import over_cap_bulk
from anjian.draws import services as draws
from anjian.draws.models import Draw
from anjian.draws.services import DrawValues
from anjian.entities.models import Entity
from anjian.inspections.models import InspectionTask, TaskSource
from anjian.plans import services as plans
from anjian.plans.models import InspectionPlan
from anjian.plans.services import LineValues

pytestmark = pytest.mark.django_db
D = datetime.date


def _earlier(entity, bureau, item, days) -> None:
    for day in days:
        InspectionTask.objects.create(
            bureau=bureau, entity=entity, item=item, source=TaskSource.PLAN,
            period_start=day, due_on=day,
        )  # fmt: skip


def test_issuing_a_plan_beyond_the_cap_needs_a_reason(org, make_user, make_entity, item) -> None:
    county = org["county_admin"]
    leader = make_user("140600", ["bureau_leader"], username="sz_leader")
    mine = make_entity("140603", credit_grade="A", key_supervision=True)  # coal, A: 2 a year
    within = make_entity("140603", credit_grade="C", key_supervision=True)  # C: 6 a year
    plan = plans.plan_create(actor=county, bureau=county.bureau, year=2027, title="2027年度计划")
    plans.plan_line_add(
        actor=county,
        plan=plan,
        values=LineValues(item=item, frequency=4, industries=["coal_mine"]),
    )
    plans.plan_transition(actor=county, plan=plan, action="submit")
    plans.plan_transition(actor=leader, plan=plan, action="approve")
    with pytest.raises(ServiceError) as refused:
        plans.plan_transition(actor=county, plan=plan, action="issue")
    reasons = [str(r) for r in refused.value.fields["over_limit_reason"]]
    assert "超限理由" in reasons[0] and "1" in reasons[0]
    assert any(mine.name in r and "最多检查2次" in r for r in reasons)
    plan.refresh_from_db()
    assert plan.status == "approved" and not InspectionTask.objects.exists()  # nothing written

    plans.plan_transition(
        actor=county, plan=plan, action="issue", over_limit_reason="重点时段加密检查"
    )
    assert InspectionPlan.objects.get(pk=plan.pk).status == "issued"
    notes = dict(InspectionTask.objects.values_list("entity_id", "note").distinct())
    assert "重点时段加密检查" in notes[mine.pk] and notes[within.pk] == ""
    event = AuditEvent.objects.get(action="plans.plan.issue")
    assert event.changes["over_limit_reason"] == "重点时段加密检查"
    assert event.changes["over_limit_entities"] == [mine.pk]


@pytest.fixture
def draw_site(org, make_user, make_entity, make_certificate, make_item, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    head = make_user("140600", ["division_head"], username="sz_head")
    item = draws.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    mines = [make_entity("140603" if n % 2 else "140602", credit_grade="B") for n in range(6)]
    for n, region in enumerate(["140600", "140600", "140600", "140600"]):
        user = make_user(region, ["inspector"], username=f"insp{n}")
        make_certificate(user, specialties=["coal_mine"])
    return {"head": head, "item": item, "mines": mines}


def test_a_draw_taking_an_entity_beyond_its_cap_needs_a_reason_and_draws_the_same(
    draw_site,
) -> None:
    head, mines = draw_site["head"], draw_site["mines"]
    Entity.objects.filter(pk=mines[0].pk).update(credit_grade="A")  # 2 a year
    _earlier(mines[0], head.bureau, draw_site["item"].item, [D(2027, 1, 5), D(2027, 2, 5)])
    draw = draws.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="2027年第一批煤矿双随机抽查",
            items=[draw_site["item"]],
            inspection_from=D(2027, 3, 1),
            inspection_until=D(2027, 4, 30),
            default_ratio=5000,
            max_per_inspector=10,
            forced=[mines[0].uscc],
        ),
    )
    draws.draw_commit(actor=head, draw=draw)
    with pytest.raises(ServiceError) as refused:
        draws.draw_run(actor=head, draw=draw)
    reasons = [str(r) for r in refused.value.fields["over_limit_reason"]]
    assert any(mines[0].name in r and "3" in r for r in reasons)
    assert Draw.objects.get(pk=draw.pk).status == "committed"
    assert not InspectionTask.objects.filter(draw=draw).exists()

    draws.draw_run(actor=head, draw=draw, over_limit_reason="列入抽查的强制对象")
    drawn = Draw.objects.get(pk=draw.pk)
    assert drawn.status == "drawn" and drawn.summary["over_limit"] == 1
    over = InspectionTask.objects.get(draw=draw, entity=mines[0])
    assert "列入抽查的强制对象" in over.note
    assert all(t.note == "" for t in InspectionTask.objects.filter(draw=draw).exclude(pk=over.pk))
    event = AuditEvent.objects.get(action="draws.draw.drawn")
    assert event.changes["over_limit_entities"] == [mines[0].pk]


def test_the_bulk_check_counts_the_whole_sample_in_one_query(org, make_entity, item) -> None:
    bureau = org["county_admin"].bureau
    entities = [make_entity("140603", credit_grade="A") for _ in range(8)]
    for e in entities:
        _earlier(e, bureau, item, [D(2027, 1, 5), D(2027, 2, 5), D(2027, 3, 5)])
    tasks = InspectionTask.objects.filter(entity__in=entities)
    with CaptureQueriesContext(connection) as queries:
        over = over_cap_bulk(tasks, 2027)
    assert len(queries) == 1
    assert set(over) == {e.pk for e in entities}
    assert over_cap_bulk(tasks, 2026) == {}  # another year: nothing


def test_a_listed_entity_is_forced_into_the_draw_and_its_parameters_say_so(
    draw_site, client
) -> None:
    from anjian.core import clock
    from anjian.credit.models import CreditRecord, DishonestyListing, ListingStatus

    head, mines = draw_site["head"], draw_site["mines"]
    listed = mines[3]
    today = clock.today()
    record = CreditRecord.objects.create(
        entity=listed, region_id=listed.region_id, bureau=head.bureau, kind="accident_concealed",
        title="瞒报生产安全事故", occurred_on=today, weight=-40, counts_until=D(2099, 1, 1),
    )  # fmt: skip
    DishonestyListing.objects.create(
        entity=listed, region_id=listed.region_id, bureau=head.bureau, trigger="accident_concealed",
        record=record, facts="瞒报", status=ListingStatus.LISTED, listed_on=today,
        ends_on=D(2099, 1, 1), removal_from=today,
    )  # fmt: skip
    draw = draws.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="2027年第二批煤矿双随机抽查",
            items=[draw_site["item"]],
            inspection_from=D(2027, 3, 1),
            inspection_until=D(2027, 4, 30),
            default_ratio=1,
            max_per_inspector=10,
        ),
    )
    draws.draw_commit(actor=head, draw=draw)
    draw.refresh_from_db()
    assert draw.forced == [listed.uscc]
    assert "严重失信主体名单" in draw.summary["forced_auto"][listed.uscc]
    page = client.get(f"/portal/draws/{draw.pk}/").content.decode()
    assert "自动列为必检对象" in page and listed.uscc in page
    draws.draw_run(actor=head, draw=draw, over_limit_reason="")
    assert draw.selections.filter(entity=listed, forced=True).exists()
