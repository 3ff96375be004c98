"""`make demo` data: the named accounts can play the plan scenario at once."""

from __future__ import annotations

import pytest

from anjian.accounts.models import User
from anjian.demo import (
    demo_catalog_load,
    demo_draws_load,
    demo_entities_load,
    demo_organisations_load,
    demo_plans_load,
)
from anjian.inspections.selectors import task_progress
from anjian.plans.coordination import coordination_check
from anjian.plans.models import InspectionPlan
from anjian.plans.selectors import plan_list

pytestmark = pytest.mark.django_db


def test_the_demo_plans_show_approval_duplicates_gaps_and_progress() -> None:
    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    counts = demo_plans_load()
    assert counts["plans"] == 4 and counts["tasks"] > 0
    assert demo_plans_load() == {"plans": 0, "tasks": 0}  # a second run adds nothing

    sz_leader = User.objects.get(username="sz_leader")
    (awaiting,) = plan_list(sz_leader, awaiting_me=True)
    assert awaiting.bureau.region_id == "140603" and awaiting.status == "submitted"
    preview = coordination_check(
        year=awaiting.year, region_id="140603", extra_plan=awaiting
    ).duplicates
    assert any({p.a.region_id, p.b.region_id} == {"140600", "140603"} for p in preview)

    whole = coordination_check(year=awaiting.year, region_id="140000")
    assert whole.gaps and whole.coverage["coal_mine"][1] < whole.coverage["coal_mine"][0]

    current = InspectionPlan.objects.get(bureau__region_id="140603", status="filed")
    (row,) = task_progress(User.objects.get(username="pl_head"), by="plan", plan_id=current.pk)
    assert row.done and row.overdue and row.late


def test_the_demo_draws_verify_and_one_waits_for_its_window() -> None:
    from anjian.draws.models import Draw
    from anjian.draws.selectors import results_public
    from anjian.draws.verify import draw_verify

    demo_organisations_load()
    demo_catalog_load()
    demo_entities_load(entities=1500)
    assert demo_draws_load() == {"draws": 2}
    drawn = Draw.objects.get(status="drawn")
    assert draw_verify(drawn).ok and results_public(drawn)
    assert drawn.selections.exists()
    waiting = Draw.objects.get(status="committed")
    assert waiting.commitment and not results_public(waiting)
