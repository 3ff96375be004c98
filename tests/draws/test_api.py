"""The draws API: a division head commits and runs a draw over JSON, reads the commitment, the
revealed secret and the drawn entities with their teams, page by page; the same refusals as
the pages, in the API's error shape."""

from __future__ import annotations

import json

import pytest

from anjian.draws.models import Draw

pytestmark = pytest.mark.django_db


def _post(client, url: str, body: dict | None = None):
    return client.post(
        url, json.dumps(body or {}, ensure_ascii=False), content_type="application/json"
    )


def test_commit_run_and_read_the_result_over_the_api(city_draft, login) -> None:
    client = login(city_draft["head"])
    draw = city_draft["draw"]
    body = _post(client, f"/api/draws/{draw.pk}/commit").json()
    assert body["status"] == "committed" and len(body["commitment"]) == 64
    assert body["secret"] == ""  # not before the draw
    assert body["directory_size"] == 6 and body["quotas"]

    body = _post(client, f"/api/draws/{draw.pk}/run").json()
    draw.refresh_from_db()
    assert body["status"] == "drawn" and body["secret"] == draw.secret
    assert body["seed"] == draw.seed and body["selected"] == draw.selections.count() == 3

    again = _post(client, f"/api/draws/{draw.pk}/run")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"

    listed = client.get("/api/draws").json()
    assert [d["id"] for d in listed["items"]] == [draw.pk]

    # The drawn entities, one per page, with their teams in drawn order.
    seen, cursor = [], None
    while True:
        url = f"/api/draws/{draw.pk}/selections?limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    expected = {
        s.entity.uscc: [u.username for u in s.team_members()] for s in draw.selections.all()
    }
    assert {s["uscc"]: s["team"] for s in seen} == expected
    assert all(len(team) == 2 for team in expected.values())


def test_an_inspector_reads_but_cannot_commit(city_draft, login) -> None:
    from anjian.accounts.models import User

    draw = city_draft["draw"]
    inspector = login(User.objects.get(username="draw_i0"))  # of the city, no draws role
    assert inspector.get(f"/api/draws/{draw.pk}").json()["status"] == "draft"
    refused = _post(inspector, f"/api/draws/{draw.pk}/commit")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert Draw.objects.get(pk=draw.pk).status == "draft"


def _config(rc_id: int, **changes) -> dict:
    body = {
        "title": "朔州市2026年下半年双随机抽查",
        "items": [rc_id],
        "inspection_from": "2026-07-01",
        "inspection_until": "2026-08-31",
        "strata_by": "region",
        "default_ratio": 3000,
        "ratios": {"D|major": 10000, "A|": 0},
        "recent_months": 12,
        "recent_factor": 50,
        "inspectors_per_entity": 2,
        "avoid_own_county": True,
        "max_per_inspector": 5,
    }
    return {**body, **changes}


def test_an_officer_configures_commits_and_runs_a_draw_over_the_api(
    city_draft, login, make_entity
) -> None:
    from anjian.core.models import AuditEvent

    head = city_draft["head"]
    client = login(head)
    items = client.get("/api/random-check-items").json()["items"]
    assert [i["id"] for i in items] == [city_draft["draw"].items.get().pk]
    assert items[0]["item_code"] and items[0]["name"] and items[0]["is_active"]

    forced = make_entity("140602")
    # As a spreadsheet hands it over: lower case, with spaces.
    typed = forced.uscc.lower()[:6] + " " + forced.uscc.lower()[6:]
    response = _post(client, "/api/draws", _config(items[0]["id"], forced=[typed]))
    assert response.status_code == 201, response.content
    body = response.json()
    draw = Draw.objects.get(pk=body["id"])
    assert body["status"] == "draft" and draw.bureau == head.bureau
    assert body["items"] == [{"id": items[0]["id"], "item_code": items[0]["item_code"]}]
    assert body["forced"] == [forced.uscc] == draw.forced
    assert body["ratios"] == {"A|": 0, "D|major": 10000} and body["strata_by"] == "region"
    assert body["recent_months"] == 12 and body["recent_factor"] == 50
    assert body["filters"]["industries"] == [] and body["max_per_inspector"] == 5
    created = AuditEvent.objects.get(action="draws.draw.created", object_id=str(draw.pk))
    assert created.source == "api" and created.actor_id == head.pk

    body = _post(client, f"/api/draws/{draw.pk}/commit").json()
    assert body["status"] == "committed" and body["directory_size"] == 7
    body = _post(client, f"/api/draws/{draw.pk}/run").json()
    assert body["status"] == "drawn"
    drawn = {s.entity.uscc: s.forced for s in Draw.objects.get(pk=draw.pk).selections.all()}
    assert drawn[forced.uscc] is True  # forced in: drawn with certainty


def test_a_bad_configuration_names_each_field_and_stores_nothing(city_draft, login, make_item):
    from anjian.draws.services import random_check_item_add

    other_rc = random_check_item_add(
        actor=city_draft["head"],
        bureau=city_draft["head"].bureau,
        item=make_item("对非煤矿山企业的行政检查"),
    )
    other_rc.is_active = False
    other_rc.save()
    client = login(city_draft["head"])
    before = Draw.objects.count()
    good = city_draft["draw"].items.get().pk
    response = _post(
        client,
        "/api/draws",
        _config(
            good,
            items=[good, other_rc.pk, 999999],
            inspection_until="2026-06-01",
            forced=["91140600MA0L1234X5"],
        ),
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"items"}  # the items are resolved first; the rest waits for them
    assert str(other_rc.pk) in fields["items"][0] and "999999" in fields["items"][0]

    response = _post(
        client,
        "/api/draws",
        _config(
            good,
            inspection_until="2026-06-01",
            forced=["91140600MA0L1234X5"],
            inspectors_per_entity=1,
            ratios={"E|major": 100},
            regions=["140525"],  # 泽州县, another city's
        ),
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {
        "inspection_until",
        "forced",
        "inspectors_per_entity",
        "ratios",
        "regions",
    }
    assert "91140600MA0L1234X5" in error["fields"]["forced"][0]
    assert Draw.objects.count() == before


def test_a_redo_over_the_api_names_the_first_and_leaves_it_as_it_was(city_draft, login) -> None:
    client = login(city_draft["head"])
    first = city_draft["draw"]
    rc = first.items.get().pk
    refused = _post(client, f"/api/draws/{first.pk}/redo", _config(rc, redo_reason="理由"))
    assert refused.status_code == 400  # a draft is abandoned, not redone
    assert "redo_of" in refused.json()["error"]["fields"]

    _post(client, f"/api/draws/{first.pk}/commit")
    _post(client, f"/api/draws/{first.pk}/run")
    first.refresh_from_db()
    kept = (first.status, first.secret, first.seed, first.selections.count())

    missing = _post(client, f"/api/draws/{first.pk}/redo", _config(rc))
    assert missing.status_code == 422  # the schema requires a reason
    assert missing.json()["error"]["code"] == "validation_error"
    no_reason = _post(client, f"/api/draws/{first.pk}/redo", _config(rc, redo_reason=" "))
    assert no_reason.status_code == 400
    assert "redo_reason" in no_reason.json()["error"]["fields"]

    response = _post(
        client, f"/api/draws/{first.pk}/redo", _config(rc, redo_reason="名录库漏录两个县的企业")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["redo_of"] == first.pk and body["redo_reason"] == "名录库漏录两个县的企业"
    assert body["status"] == "draft"
    first.refresh_from_db()
    assert (first.status, first.secret, first.seed, first.selections.count()) == kept


def test_a_draft_is_abandoned_over_the_api_and_a_committed_draw_is_not(city_draft, login) -> None:
    client = login(city_draft["head"])
    draw = city_draft["draw"]
    no_reason = _post(client, f"/api/draws/{draw.pk}/abandon", {"reason": ""})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    _post(client, f"/api/draws/{draw.pk}/commit")
    refused = _post(client, f"/api/draws/{draw.pk}/abandon", {"reason": "不抽了"})
    assert refused.status_code == 409
    assert Draw.objects.get(pk=draw.pk).status == "committed"

    rc = draw.items.get().pk
    second = _post(client, "/api/draws", _config(rc)).json()
    body = _post(client, f"/api/draws/{second['id']}/abandon", {"reason": "配置有误"}).json()
    assert body["status"] == "abandoned"


def test_an_inspector_cannot_configure_a_draw_and_sees_no_other_bureaus_items(
    city_draft, login, org, make_item
) -> None:
    from anjian.accounts.models import User
    from anjian.draws.services import random_check_item_add

    other = org["other_county_admin"]
    other.role_assignments.create(role="division_head")
    theirs = random_check_item_add(actor=other, bureau=other.bureau, item=make_item())
    inspector = login(User.objects.get(username="draw_i0"))
    rc = city_draft["draw"].items.get().pk
    before = Draw.objects.count()
    refused = _post(inspector, "/api/draws", _config(rc))
    assert refused.status_code == 403 and Draw.objects.count() == before
    listed = [i["id"] for i in inspector.get("/api/random-check-items").json()["items"]]
    assert rc in listed and theirs.pk not in listed

    # A division head may not draw with another bureau's item, even knowing its id.
    head = login(city_draft["head"])
    response = _post(head, "/api/draws", _config(theirs.pk))
    assert response.status_code == 400
    assert str(theirs.pk) in response.json()["error"]["fields"]["items"][0]
    assert Draw.objects.count() == before


def test_the_draw_list_reads_a_page_in_a_fixed_number_of_queries(city_draft, login) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(city_draft["head"])
    rc = city_draft["draw"].items.get().pk
    client.get("/api/draws")  # the session and the user, once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/draws").json()["items"]) == 1
    for n in range(6):
        _post(client, "/api/draws", _config(rc, title=f"第{n}批"))
    with CaptureQueriesContext(connection) as seven:
        body = client.get("/api/draws").json()
    assert len(body["items"]) == 7 and all(d["items"][0]["id"] == rc for d in body["items"])
    assert len(seven) == len(one)  # the items of every draw on the page in one query
