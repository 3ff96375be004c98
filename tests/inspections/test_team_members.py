"""A city's draw staffs its tasks with county inspectors (not from the entity's own county):
the drawn inspectors must find the task, write its record, attach photos, issue the order and
get the documents in the city bureau's name, while seeing nothing else of the city's."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anjian.core.errors import NotFound
from anjian.documents.selectors import documents_for
from anjian.draws import services as draws
from anjian.draws.services import DrawValues
from anjian.evidence.services import evidence_add
from anjian.inspections import selectors
from anjian.inspections import services as inspections
from anjian.inspections.models import InspectionTask

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 90, 140)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def city_draw(org, make_user, make_entity, make_certificate, make_item, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    head = make_user("140600", ["division_head"], username="sz_draw_head")
    rc = draws.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    mine = make_entity("140603", credit_grade="D", risk_level="major")
    # The city's pool: only two inspectors of 朔城区 (140602). The mine is in 平鲁区, so the
    # own-county rule lets them in, and the team is theirs.
    team = [make_user("140602", ["inspector"], username=f"sc_insp{n}") for n in range(2)]
    for user in team:
        make_certificate(user, specialties=["coal_mine"])
    today = timezone.localdate()
    draft = draws.draw_create(
        actor=head,
        bureau=head.bureau,
        values=DrawValues(
            title="朔州市煤矿双随机抽查",
            items=[rc],
            inspection_from=today - datetime.timedelta(days=1),
            inspection_until=today + datetime.timedelta(days=40),
            ratios={"D|major": 10000},
            avoid_own_county=True,
        ),
    )
    drawn = draws.draw_run(actor=head, draw=draws.draw_commit(actor=head, draw=draft))
    task = InspectionTask.objects.get(draw=drawn, entity=mine)
    # Another of the city's tasks, not theirs.
    other = InspectionTask.objects.create(
        bureau=head.bureau,
        entity=make_entity("140603"),
        item=rc.item,
        source="ad_hoc",
        period_start=today,
        due_on=today + datetime.timedelta(days=10),
    )
    return {"head": head, "task": task, "team": team, "other": other}


def test_a_county_inspector_drawn_onto_a_city_task_carries_it_out(city_draw, org, login) -> None:
    task, (first, second) = city_draw["task"], city_draw["team"]
    assert task.bureau.region_id == "140600"
    assert set(task.inspectors.all()) == {first, second}
    # The task is on the drawn inspector's list, and only that one of the city's.
    assert list(selectors.task_list(first)) == [task]
    page = login(first).get(reverse("inspections:task_list")).content.decode()
    assert task.entity.name in page and city_draw["other"].entity.name not in page

    record = inspections.record_start(actor=first, task=task, place="调度室", present_name="钱安全")
    points = inspections.record_check_points(record)
    for n, point in enumerate(points):
        answer = "hazard" if n == 0 else "compliant"
        inspections.record_answer(actor=second, record=record, check_point=point, answer=answer)
    hazard = inspections.finding_add(
        actor=first, record=record, kind="hazard", check_point=points[0],
        description="回风巷调节风窗损坏", severity="general",
    )  # fmt: skip
    photo = evidence_add(
        first,
        upload=SimpleUploadedFile("现场.jpg", _jpeg(), content_type="image/jpeg"),
        subject=hazard,
        region=record.region_id,
    )
    download = login(second).get(reverse("evidence:evidence_download", args=[photo.pk]))
    assert download.status_code == 200
    inspections.record_submit(actor=first, record=record, summary="隐患一项")
    task.refresh_from_db()
    assert task.status == "done"

    # The record's document is the city bureau's: its name, its number series.
    (doc,) = documents_for(record)
    assert doc.bureau_id == task.bureau_id and doc.number == record.number
    assert "朔" in doc.number
    order = inspections.correction_order_issue(
        actor=first, record=record, findings=[hazard],
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )  # fmt: skip
    assert [d.bureau_id for d in documents_for(order)] == [task.bureau_id]
    assert login(first).get(reverse("inspections:order_detail", args=[order.pk])).status_code == 200
    record_page = login(second).get(reverse("inspections:record_detail", args=[record.pk]))
    assert record_page.status_code == 200


def test_being_on_one_team_opens_nothing_else(city_draw, org, make_user, login) -> None:
    first = city_draw["team"][0]
    other = city_draw["other"]
    # The city's other task: not on the list, not found, not writable.
    assert login(first).get(reverse("inspections:record_start", args=[other.pk])).status_code == 404
    with pytest.raises(NotFound):
        inspections.record_start(actor=first, task=other, place="x", present_name="y")
    # An inspector of the same county who is not on the team sees neither task.
    outsider = make_user("140602", ["inspector"], username="sc_outsider")
    assert list(selectors.task_list(outsider)) == []
    response = login(outsider).get(reverse("inspections:record_start", args=[city_draw["task"].pk]))
    assert response.status_code == 404
    with pytest.raises(NotFound):
        inspections.record_start(
            actor=outsider, task=city_draw["task"], place="x", present_name="y"
        )


def test_the_task_list_names_another_countys_entity_without_a_link_that_leads_to_404(
    city_draw, login
) -> None:
    """The drawn inspector of 朔城区 sees the city's task on a 平鲁区 mine, but the mine's profile
    is 平鲁区's and answers 404 for them: the list names the mine without linking it (the
    every-page gate found that link)."""
    inspector = city_draw["team"][0]
    mine = city_draw["task"].entity
    client = login(inspector)
    page = client.get(reverse("inspections:task_list")).content.decode()
    profile = reverse("entities:entity_detail", kwargs={"uscc": mine.uscc})
    assert mine.name in page and profile not in page
    assert client.get(profile).status_code == 404
