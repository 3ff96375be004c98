"""Ad hoc inspection tasks and inspector teams through the pages and the API: a division head
opens an inspection after a complaint call and schedules the plan's tasks; refusals name the
field and the person; scope, roles, CSRF and all-or-nothing bulk assignment."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.inspections import selectors
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus

pytestmark = pytest.mark.django_db

NEW = reverse("inspections:task_new")
LIST = reverse("inspections:task_list")
BULK = reverse("inspections:task_assign_bulk")


def post_json(client: Client, url: str, body: dict) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def team(site, make_user, make_certificate) -> dict[str, Any]:
    """The site, plus an inspector whose certificate expired yesterday and two plan tasks of
    the county without a team."""
    lapsed = make_user("140603", ["inspector"], username="lapsed", full_name="过期者")
    make_certificate(lapsed, days_left=-1, number="SX-LAPSED-01")
    today = timezone.localdate()
    unassigned = [
        InspectionTask.objects.create(
            bureau=site["inspector"].bureau,
            entity=site["mine"],
            item=site["item"],
            source=TaskSource.PLAN,
            period_start=today - datetime.timedelta(days=10),
            due_on=today + datetime.timedelta(days=20 + n),
        )
        for n in range(2)
    ]
    return {**site, "lapsed": lapsed, "unassigned": unassigned}


def _ad_hoc_form(team: dict, **extra: Any) -> dict:
    data = {
        "entity": team["mine"].uscc,
        "items": [team["item"].pk],
        "inspectors": [team["inspector"].pk, team["second"].pk],
        "due_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "reason": "群众电话举报井下瓦斯超限作业",
    }
    data.update(extra)
    return data


# --- Ad hoc tasks through the pages ------------------------------------------------------


def test_a_head_opens_an_ad_hoc_inspection_from_a_complaint_call(team, login) -> None:
    c = login(team["head"])
    tasks = c.get(LIST).content.decode()
    assert NEW in tasks and "新建检查任务" in tasks
    # Find the entity by part of its name, then by its credit code.
    found = c.get(NEW, {"q": "井东煤业"}).content.decode()
    assert team["mine"].name in found and f"?entity={team['mine'].uscc}" in found
    partial = c.get(NEW, {"q": team["mine"].uscc[:10]}, HTTP_HX_REQUEST="true")
    assert team["mine"].name in partial.content.decode()
    assert "<html" not in partial.content.decode()
    page = c.get(NEW, {"entity": team["mine"].uscc}).content.decode()
    assert team["item"].code in page and "瓦斯防治" in page  # the item of coal mines, named
    cert = team["inspector"].certificates.get()
    assert cert.number in page and f"{cert.valid_until:%Y-%m-%d}" in page
    # The lapsed inspector is listed, disabled, with the reason.
    lapsed_box = page.split(f'value="{team["lapsed"].pk}"')[1].split(">")[0]
    assert "disabled" in lapsed_box
    assert "SX-LAPSED-01" in page and "过期" in page
    r = c.post(NEW, _ad_hoc_form(team))
    task = InspectionTask.objects.get(source=TaskSource.AD_HOC)
    assert r.status_code == 302 and r["Location"] == f"{LIST}?ids={task.pk}"
    assert task.entity == team["mine"] and task.bureau == team["head"].bureau
    assert set(task.inspectors.all()) == {team["inspector"], team["second"]}
    assert task.note == "群众电话举报井下瓦斯超限作业"
    event = AuditEvent.objects.get(action="inspections.task.created")
    assert event.changes["reason"] == task.note
    shown = c.get(r["Location"]).content.decode()
    assert team["mine"].name in shown
    # The filtered list shows only the new task (the plan's tasks are left out), as a table row
    # and as a phone's card.
    assert shown.count(reverse("inspections:record_start", args=[task.pk])) == 2
    for other in team["unassigned"]:
        assert reverse("inspections:task_assign", args=[other.pk]) not in shown
        assert reverse("inspections:record_start", args=[other.pk]) not in shown


def test_one_inspector_is_refused_naming_the_field(team, login) -> None:
    c = login(team["head"])
    r = c.post(NEW, _ad_hoc_form(team, inspectors=[team["inspector"].pk]))
    assert r.status_code == 200
    (error,) = r.context["form"].errors["inspectors"]
    assert "两" in error  # in Chinese: at least two
    assert error in r.content.decode() and "执法人员" in r.content.decode()
    r = c.post(NEW, _ad_hoc_form(team, reason=""))
    assert r.status_code == 200 and "必填" in r.context["form"].errors["reason"][0]
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()


def test_an_expired_certificate_is_refused_by_name(team, login) -> None:
    # A forged post of the disabled checkbox: the service refuses and names the person.
    r = login(team["head"]).post(
        NEW, _ad_hoc_form(team, inspectors=[team["inspector"].pk, team["lapsed"].pk])
    )
    assert r.status_code == 200
    assert any("过期者" in e for e in r.context["form"].errors["inspectors"])
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()


def test_another_countys_entity_is_404(team, login, make_entity) -> None:
    elsewhere = make_entity("140525", name="泽州县某煤业有限公司")
    c = login(team["head"])
    assert elsewhere.name not in c.get(NEW, {"q": "煤业"}).content.decode()
    assert c.get(NEW, {"entity": elsewhere.uscc}).status_code == 404
    assert c.post(NEW, _ad_hoc_form(team, entity=elsewhere.uscc)).status_code == 404
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()


def test_an_inspector_of_another_county_is_refused(team, org, login) -> None:
    stranger = org["other_county_inspector"]  # holds a valid certificate, in 泽州县
    c = login(team["head"])
    page = c.get(NEW, {"entity": team["mine"].uscc}).content.decode()
    assert f'value="{stranger.pk}"' not in page
    r = c.post(NEW, _ad_hoc_form(team, inspectors=[team["inspector"].pk, stranger.pk]))
    assert r.status_code == 200 and "inspectors" in r.context["form"].errors
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()


def test_an_item_of_another_industry_is_not_offered(team, login, make_item) -> None:
    chemicals = make_item("对危险化学品企业的行政检查", industries=["hazardous_chemicals"])
    c = login(team["head"])
    page = c.get(NEW, {"entity": team["mine"].uscc}).content.decode()
    assert chemicals.code not in page
    r = c.post(NEW, _ad_hoc_form(team, items=[chemicals.pk]))
    assert r.status_code == 200 and "items" in r.context["form"].errors


def test_posting_without_csrf_is_refused(team) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(team["head"])
    assert c.post(NEW, _ad_hoc_form(team)).status_code == 403
    task = team["unassigned"][0]
    url = reverse("inspections:task_assign", args=[task.pk])
    assert c.post(url, {"inspectors": [team["inspector"].pk, team["second"].pk]}).status_code == 403
    assert c.post(BULK, {"task": [task.pk]}).status_code == 403
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()
    assert not task.inspectors.exists()


def test_an_inspector_without_the_capability_can_neither_create_nor_assign(team, login) -> None:
    c = login(team["inspector"])
    tasks = c.get(LIST).content.decode()
    assert NEW not in tasks and BULK not in tasks
    task = team["unassigned"][0]
    url = reverse("inspections:task_assign", args=[task.pk])
    assert url not in tasks
    assert c.get(NEW).status_code == 403
    assert c.post(NEW, _ad_hoc_form(team)).status_code == 403
    team_ids = [team["inspector"].pk, team["second"].pk]
    assert c.post(url, {"inspectors": team_ids}).status_code == 403
    assert c.post(BULK, {"task": [task.pk], "inspectors": team_ids}).status_code == 403
    assert not task.inspectors.exists()


# --- Assigning teams ---------------------------------------------------------------------


def test_a_head_assigns_a_plan_tasks_team(team, login) -> None:
    c = login(team["head"])
    task = team["unassigned"][0]
    url = reverse("inspections:task_assign", args=[task.pk])
    listed = c.get(LIST).content.decode()
    assert url in listed and "分配检查人员" in listed
    assert reverse("inspections:task_assign", args=[team["task"].pk]) not in listed  # has one
    page = c.get(url).content.decode()
    assert team["mine"].name in page and team["inspector"].certificates.get().number in page
    r = c.post(url, {"inspectors": [team["inspector"].pk]})
    assert r.status_code == 200 and "inspectors" in r.context["form"].errors
    assert not task.inspectors.exists()
    r = c.post(url, {"inspectors": [team["inspector"].pk, team["second"].pk]})
    assert r.status_code == 302
    assert set(task.inspectors.all()) == {team["inspector"], team["second"]}
    event = AuditEvent.objects.get(action="inspections.task.assigned")
    assert event.object_id == str(task.pk)
    assert url not in c.get(LIST).content.decode()


def test_another_countys_task_cannot_be_assigned(team, org, login, make_entity) -> None:
    c = login(team["head"])
    other = InspectionTask.objects.create(
        bureau=org["other_county_inspector"].bureau,
        entity=make_entity("140525"),
        item=team["item"],
        source=TaskSource.PLAN,
        period_start=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    team_ids = [team["inspector"].pk, team["second"].pk]
    url = reverse("inspections:task_assign", args=[other.pk])
    assert c.post(url, {"inspectors": team_ids}).status_code == 404
    mixed = [team["unassigned"][0].pk, other.pk]
    assert c.get(BULK, {"task": mixed}).status_code == 404
    assert c.post(BULK, {"task": mixed, "inspectors": team_ids}).status_code == 404
    assert not other.inspectors.exists() and not team["unassigned"][0].inspectors.exists()


def test_bulk_assignment_is_all_or_nothing(team, login) -> None:
    c = login(team["head"])
    first, second = team["unassigned"]
    closed = InspectionTask.objects.create(
        bureau=first.bureau,
        entity=first.entity,
        item=first.item,
        source=TaskSource.PLAN,
        period_start=first.period_start,
        due_on=first.due_on,
        status=TaskStatus.DONE,
    )
    team_ids = [team["inspector"].pk, team["second"].pk]
    # The list's checkboxes send the chosen tasks to the bulk page.
    listed = c.get(LIST).content.decode()
    assert f'name="task" value="{first.pk}"' in listed
    assert f'name="task" value="{team["task"].pk}"' not in listed  # it has a team
    page = c.get(BULK, {"task": [first.pk, second.pk]}).content.decode()
    assert page.count('name="task"') == 2
    # One closed task among them: nobody is assigned anywhere.
    r = c.post(BULK, {"task": [first.pk, second.pk, closed.pk], "inspectors": team_ids})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    assert not first.inspectors.exists() and not second.inspectors.exists()
    assert not AuditEvent.objects.filter(action="inspections.task.assigned").exists()
    # The lapsed inspector: refused by name, nothing assigned.
    r = c.post(
        BULK, {"task": [first.pk, second.pk], "inspectors": [team_ids[0], team["lapsed"].pk]}
    )
    assert any("过期者" in e for e in r.context["form"].errors["inspectors"])
    assert not first.inspectors.exists()
    r = c.post(BULK, {"task": [first.pk, second.pk], "inspectors": team_ids})
    assert r.status_code == 302
    for task in (first, second):
        assert set(task.inspectors.all()) == {team["inspector"], team["second"]}
    assert AuditEvent.objects.filter(action="inspections.task.assigned").count() == 2


# --- The API -----------------------------------------------------------------------------


def _ad_hoc_body(team: dict, **extra: Any) -> dict:
    body = {
        "uscc": team["mine"].uscc,
        "item_codes": [team["item"].code],
        "inspectors": ["county_insp", "county_insp2"],
        "due_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "reason": "12350热线转来的举报",
    }
    body.update(extra)
    return body


def test_api_creates_an_ad_hoc_task(team, login) -> None:
    r = post_json(login(team["head"]), "/api/tasks", _ad_hoc_body(team))
    assert r.status_code == 201, r.content
    (task,) = r.json()
    assert task["source"] == "ad_hoc" and task["uscc"] == team["mine"].uscc
    assert task["inspectors"] == ["county_insp", "county_insp2"]
    event = AuditEvent.objects.get(action="inspections.task.created")
    assert event.source == "api"


def test_api_refusals_in_the_error_shape(team, org, login, make_entity) -> None:
    c = login(team["head"])
    r = post_json(c, "/api/tasks", _ad_hoc_body(team, inspectors=["county_insp"]))
    assert r.status_code == 400 and r.json()["error"]["fields"]["inspectors"]
    r = post_json(c, "/api/tasks", _ad_hoc_body(team, inspectors=["county_insp", "lapsed"]))
    assert r.status_code == 400 and "过期者" in json.dumps(r.json(), ensure_ascii=False)
    r = post_json(c, "/api/tasks", _ad_hoc_body(team, inspectors=["county_insp", "other_insp"]))
    assert r.status_code == 400 and r.json()["error"]["fields"]["inspectors"]
    r = post_json(c, "/api/tasks", _ad_hoc_body(team, item_codes=["nope"]))
    assert r.status_code == 400 and r.json()["error"]["fields"]["items"]
    elsewhere = make_entity("140525")
    r = post_json(c, "/api/tasks", _ad_hoc_body(team, uscc=elsewhere.uscc))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = post_json(login(team["inspector"]), "/api/tasks", _ad_hoc_body(team))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert not InspectionTask.objects.filter(source=TaskSource.AD_HOC).exists()


def test_api_assigns_a_team(team, login) -> None:
    task = team["unassigned"][0]
    url = f"/api/tasks/{task.pk}/inspectors"
    r = post_json(login(team["inspector"]), url, {"inspectors": ["county_insp", "county_insp2"]})
    assert r.status_code == 403
    c = login(team["head"])
    r = post_json(c, url, {"inspectors": ["county_insp", "lapsed"]})
    assert r.status_code == 400 and "过期者" in r.json()["error"]["fields"]["inspectors"][0]
    assert not task.inspectors.exists()
    r = post_json(c, url, {"inspectors": ["county_insp", "county_insp2"]})
    assert r.status_code == 200, r.content
    assert r.json()["inspectors"] == ["county_insp", "county_insp2"]
    assert set(task.inspectors.all()) == {team["inspector"], team["second"]}


def test_the_list_puts_open_tasks_first_nearest_due_first(team, login) -> None:
    """What an officer has to do comes first; done tasks follow, the latest first, then what was
    cancelled."""
    today = timezone.localdate()
    base = {
        "bureau": team["inspector"].bureau,
        "entity": team["mine"],
        "item": team["item"],
        "source": TaskSource.PLAN,
        "period_start": today - datetime.timedelta(days=200),
    }

    def task(days: int, status: str = TaskStatus.OPEN) -> InspectionTask:
        done_on = today - datetime.timedelta(days=1) if status == TaskStatus.DONE else None
        return InspectionTask.objects.create(
            **base, due_on=today + datetime.timedelta(days=days), status=status, done_on=done_on
        )

    old_done, recent_done = task(-150, TaskStatus.DONE), task(-10, TaskStatus.DONE)
    cancelled = task(-160, TaskStatus.CANCELLED)
    overdue, soon = task(-3), task(2)
    listed = [
        t.pk
        for t in selectors.task_list(team["head"])
        if t.pk in {old_done.pk, recent_done.pk, cancelled.pk, overdue.pk, soon.pk}
    ]
    assert listed == [overdue.pk, soon.pk, recent_done.pk, old_done.pk, cancelled.pk]
    # The page keeps that order (the cards and the table alike), and its filter still works.
    page = login(team["head"]).get(LIST).content.decode()
    cards = page.split('class="card mb-2 aj-task-card')[1:]
    assert [c.split('data-status="')[1].split('"')[0] for c in cards][:2] == ["open", "open"]
    assert f"{overdue.due_on:%Y-%m-%d}" in cards[0]
    done_only = login(team["head"]).get(LIST, {"status": "done"}).content.decode()
    assert done_only.count('data-status="done"') == 2 and 'data-status="open"' not in done_only


def test_task_and_record_lists_name_the_item_at_a_flat_query_count(
    team, login, make_entity, django_assert_max_num_queries
) -> None:
    client = login(team["head"])
    name = "对煤矿企业瓦斯防治情况的行政检查"
    page = client.get(LIST).content.decode()
    assert name in page and team["item"].code in page
    with django_assert_max_num_queries(30) as few:
        client.get(LIST)
    for n in range(8):  # more rows on the page cost no more queries
        InspectionTask.objects.create(
            bureau=team["inspector"].bureau,
            entity=make_entity("140603", name=f"平鲁区测试{n}号煤业有限公司"),
            item=team["item"],
            source=TaskSource.PLAN,
            period_start=timezone.localdate(),
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).content.decode().count(name) >= 10


def test_the_record_list_names_the_item(site, started, login) -> None:
    page = login(site["inspector"]).get(reverse("inspections:record_list"))
    assert "对煤矿企业瓦斯防治情况的行政检查" in page.content.decode()
