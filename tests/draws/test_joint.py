"""Joint inspections: two divisions' draws of the same period become one visit per entity drawn
by both, with all the items; the visits saved are counted; windows that do not meet are refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from anjian.accounts.models import Division
from anjian.core.errors import Conflict, ServiceError
from anjian.core.models import AuditEvent
from anjian.draws import services
from anjian.draws.joint import joint_merge, joint_plan
from anjian.draws.models import JointVisit
from anjian.inspections.models import InspectionTask

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def two_draws(org, make_user, make_entity, make_certificate, make_item):
    head = make_user("140600", ["division_head"], username="sz_head")
    division = Division.objects.create(bureau=head.bureau, name="危险化学品科")
    gas = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item("瓦斯"))
    water = services.random_check_item_add(
        actor=head, bureau=head.bureau, item=make_item("防治水"), division=division
    )
    for n in range(6):
        make_entity("140603" if n % 2 else "140602")
    for n, region in enumerate(["140600", "140600", "140600", "140603", "140602"]):
        make_certificate(
            make_user(region, ["inspector"], username=f"i{n}"), specialties=["coal_mine"]
        )
    draws = []
    for rc, start, end in [
        (gas, D(2026, 3, 1), D(2026, 4, 30)),
        (water, D(2026, 4, 1), D(2026, 5, 31)),
    ]:
        draw = services.draw_create(
            actor=head,
            bureau=head.bureau,
            values=services.DrawValues(
                title=f"抽查{rc.pk}",
                items=[rc],
                inspection_from=start,
                inspection_until=end,
                default_ratio=10000,  # every entity: all six are drawn by both
                max_per_inspector=50,
            ),
        )
        services.draw_commit(actor=head, draw=draw)
        draws.append(services.draw_run(actor=head, draw=draw))
    return head, draws


def test_entities_drawn_twice_get_one_visit_with_both_items(two_draws, login) -> None:
    head, draws = two_draws
    plan = joint_plan(draws)
    assert len(plan.shared) == 6 and plan.visits_saved == 6
    assert plan.window == (D(2026, 4, 1), D(2026, 4, 30))
    _plan, made = joint_merge(actor=head, draws=draws)
    assert made == 6
    visit = JointVisit.objects.first()
    tasks = InspectionTask.objects.filter(joint_visit=visit)
    assert tasks.count() == 2 and {t.item_id for t in tasks} == {
        d.items.first().item_id for d in draws
    }
    assert all(t.due_on == D(2026, 4, 30) for t in tasks)
    assert visit.inspectors.count() == 2
    event = AuditEvent.objects.get(action="draws.joint.merged")
    assert event.changes["visits_saved"] == 6
    with pytest.raises(Conflict):
        joint_merge(actor=head, draws=draws)  # not twice
    page = login(head).get(reverse("draws:joint"), {"draws": [d.pk for d in draws]})
    assert "6" in page.content.decode()


def test_windows_that_do_not_meet_are_refused(two_draws) -> None:
    head, draws = two_draws
    draws[1].inspection_from = D(2026, 6, 1)
    draws[1].inspection_until = D(2026, 6, 30)
    draws[1].save()
    with pytest.raises(ServiceError) as err:
        joint_merge(actor=head, draws=draws)
    assert "draws" in err.value.fields
    assert not JointVisit.objects.exists()
