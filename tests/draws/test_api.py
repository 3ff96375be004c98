"""The draws API: a division head commits and runs a draw over JSON, reads the commitment, the
revealed secret and the drawn entities with their teams, page by page; the same refusals as
the pages, in the API's error shape."""

from __future__ import annotations

import datetime
import json

import pytest

from anjian.draws import services
from anjian.draws.models import Draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org, make_user, make_entity, make_certificate, make_item, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    head = make_user("140600", ["division_head"], username="sz_api_head")
    rc = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    for n in range(6):
        make_entity("140603" if n % 2 else "140602")
    for n, region in enumerate(["140600", "140600", "140600", "140603", "140602"]):
        make_certificate(make_user(region, ["inspector"], username=f"api_i{n}"))
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=services.DrawValues(
            title="接口抽查",
            items=[rc],
            inspection_from=datetime.date(2026, 7, 1),
            inspection_until=datetime.date(2026, 8, 31),
            default_ratio=5000,
        ),
    )
    return {"head": head, "draw": draw}


def _post(client, url: str):
    return client.post(url, json.dumps({}), content_type="application/json")


def test_commit_run_and_read_the_result_over_the_api(setup, login) -> None:
    client = login(setup["head"])
    draw = setup["draw"]
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


def test_an_inspector_reads_but_cannot_commit(setup, login) -> None:
    from anjian.accounts.models import User

    draw = setup["draw"]
    inspector = login(User.objects.get(username="api_i0"))  # of the city, no draws role
    assert inspector.get(f"/api/draws/{draw.pk}").json()["status"] == "draft"
    refused = _post(inspector, f"/api/draws/{draw.pk}/commit")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert Draw.objects.get(pk=draw.pk).status == "draft"
