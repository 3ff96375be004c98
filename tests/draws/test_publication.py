"""一公开: a random inspection's result is published within 20 working days of the inspection;
overdue ones are listed; the published result shows on the draw's public page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from anjian.core.errors import Conflict, ServiceError
from anjian.draws import services
from anjian.inspections import selectors
from anjian.inspections.services import publication_due, task_complete, task_result_publish

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def done_task(org, make_user, make_entity, make_certificate, make_item):
    head = make_user("140600", ["division_head"], username="sz_head")
    rc = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    make_entity("140603", name="平鲁区某煤业有限公司")
    for n, region in enumerate(["140600", "140600", "140602"]):
        make_certificate(
            make_user(region, ["inspector"], username=f"i{n}"),
            specialties=["coal_mine"],
            valid_from=D(2024, 1, 1),
        )
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=services.DrawValues(
            title="国庆前抽查",
            items=[rc],
            inspection_from=D(2025, 9, 1),
            inspection_until=D(2025, 9, 30),
            default_ratio=10000,
        ),
    )
    services.draw_commit(actor=head, draw=draw)
    draw = services.draw_run(actor=head, draw=draw)
    task = draw.tasks.get()
    recorder = make_user("140600", ["inspector"], username="recorder")
    task_complete(
        actor=recorder, task=task, done_on=D(2025, 9, 26), record_number="朔应急检〔2025〕9号"
    )
    task.refresh_from_db()
    return {"task": task, "recorder": recorder, "draw": draw}


def test_the_deadline_counts_working_days_across_national_day(done_task) -> None:
    # 2025-09-26 (Fri) + 20 working days: 9/28 (Sun, adjusted workday), 9/29, 9/30, then
    # 10/1–10/8 off, 10/9, 10/10, 10/11 (Sat, adjusted workday), 10/13–17, 10/20–24,
    # 10/27–30: the 20th working day is 10/30 (calendar days alone would give 10/16).
    assert publication_due(done_task["task"]) == D(2025, 10, 30)
    (row,) = selectors.publications_pending(done_task["recorder"], today=D(2025, 10, 30))
    assert not row.overdue
    (row,) = selectors.publications_pending(done_task["recorder"], today=D(2025, 10, 31))
    assert row.overdue


def test_publishing_shows_the_result_on_the_portal_once(done_task, client, login) -> None:
    task, recorder = done_task["task"], done_task["recorder"]
    with pytest.raises(ServiceError):
        task_result_publish(actor=recorder, task=task, outcome="whatever")
    login(recorder).post(
        reverse("inspections:task_publish", kwargs={"pk": task.pk}), {"outcome": "corrected"}
    )
    task.refresh_from_db()
    assert task.published_on is not None and task.outcome == "corrected"
    assert selectors.publications_pending(recorder) == []
    page = client.get(reverse("draws:portal_detail", kwargs={"pk": done_task["draw"].pk}))
    text = page.content.decode()
    assert "平鲁区某煤业有限公司" in text and "发现问题，已责令整改" in text
    with pytest.raises(Conflict):
        task_result_publish(actor=recorder, task=task, outcome="no_problem")


def test_the_deadline_follows_the_setting(done_task, settings) -> None:
    # A province that publishes within 10 working days: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11,
    # 10/13, 10/14, 10/15, 10/16.
    settings.ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS = 10
    assert publication_due(done_task["task"]) == D(2025, 10, 16)
