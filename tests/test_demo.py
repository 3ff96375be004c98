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


def test_the_demo_bureaus_can_issue_their_notices_and_decisions() -> None:
    """Every demo bureau has the details its penalty documents print, with the reconsideration
    organ at its own level and a plausible telephone (the refusal never hits the demo)."""
    from anjian.accounts.models import Bureau
    from anjian.accounts.services import BUREAU_DOCUMENT_DETAILS

    demo_organisations_load()
    bureaus = list(Bureau.objects.select_related("region"))
    assert bureaus
    for b in bureaus:
        assert all(getattr(b, k) for k in BUREAU_DOCUMENT_DETAILS), b.name
    pinglu = Bureau.objects.get(region_id="140603")
    assert pinglu.reconsideration_organ == "朔州市平鲁区人民政府"
    assert pinglu.court == "朔州市平鲁区人民法院"
    assert pinglu.phone.startswith("0349-")
    assert Bureau.objects.get(region_id="140000").reconsideration_organ == "山西省人民政府"
    assert Bureau.objects.get(region_id="140600").court == "朔州市朔城区人民法院"
