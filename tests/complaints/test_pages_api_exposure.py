"""The officers' pages, the 12345 API, the exposure page and the monthly figures."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from anjian.complaints import exposure, handling, selectors, services
from anjian.complaints.models import ExposureEntry, Report
from anjian.core.errors import NotFound
from tests.complaints.conftest import BODY
from tests.complaints.test_flow import _decided

pytestmark = pytest.mark.django_db


def test_hotline_call_recorded_by_the_desk_shows_the_code_once(
    people: dict[str, Any], mine: Any, login: Any
) -> None:
    client = login(people["desk"])
    r = client.post(
        "/complaints/new/",
        {
            "channel": "hotline",
            "kind": "hazard",
            "entity_uscc": mine.uscc,
            "body": BODY,
            "anonymous": "on",
        },
    )
    assert r.status_code == 200
    report = Report.objects.get()
    assert report.channel == "hotline" and report.recorded_by == people["desk"]
    assert "回执码" in r.content.decode()
    assert client.get(f"/complaints/{report.pk}/").status_code == 200


def test_an_inspector_cannot_record_reports(people: dict[str, Any], login: Any) -> None:
    assert login(people["handler"]).get("/complaints/new/").status_code == 403


def test_the_12345_platform_forwards_by_bearer_token(
    people: dict[str, Any], mine: Any, make_user: Any
) -> None:
    from anjian.accounts.services import api_token_create

    account = make_user(None, ["interface"], username="hotline12345")
    created = api_token_create(actor=account, user=account, name="12345")
    key = created[1] if isinstance(created, tuple) else created.key  # type: ignore[attr-defined]
    client = Client()
    payload = {
        "kind": "hazard",
        "body": BODY,
        "entity_uscc": mine.uscc,
        "external_reference": "GD-1",
    }
    r = client.post(
        "/api/complaints/forwarded",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["receipt_id"].startswith("JB-") and len(body["receipt_code"]) == 24
    assert Report.objects.get().channel == "forwarded"
    # The service account sees nothing of the reports.
    listed = client.get("/api/complaints", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listed.status_code == 403
    # A staff member's token may not forward.
    desk_token = api_token_create(actor=people["desk"], user=people["desk"], name="t")
    desk_key = desk_token[1] if isinstance(desk_token, tuple) else desk_token.key  # type: ignore[attr-defined]
    r = client.post(
        "/api/complaints/forwarded",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {desk_key}",
    )
    assert r.status_code == 403
    assert (
        client.post(
            "/api/complaints/forwarded", payload, content_type="application/json"
        ).status_code
        == 401
    )


def test_desk_steps_through_the_page(people: dict[str, Any], send: Any, login: Any) -> None:
    report, _ = send()
    desk = login(people["desk"])
    r = desk.post(f"/complaints/{report.pk}/accept/", {"handler": people["handler"].pk})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted" and report.handler == people["handler"]
    handler = login(people["handler"])
    handler.post(f"/complaints/{report.pk}/reply/", {"text": "已安排人员核查"})
    handler.post(
        f"/complaints/{report.pk}/close/", {"outcome": "unsubstantiated", "result": "经核查不属实"}
    )
    report.refresh_from_db()
    assert report.state == "handled" and report.outcome == "unsubstantiated"
    page = handler.get("/complaints/?mine=1").content.decode()
    assert report.receipt_id in page


def test_home_panels_for_desk_and_committee(people: dict[str, Any], send: Any, login: Any) -> None:
    send()
    home = login(people["desk"]).get("/home/").content.decode()
    assert "待受理的举报" in home or "Reports awaiting acceptance" in home
    nav = login(people["committee"]).get("/home/").content.decode()
    assert "/complaints/rewards/" in nav


def test_exposure_entry_is_masked_and_public(world: dict[str, Any], make_user: Any) -> None:
    case = _decided(world)
    head = make_user("140603", ["division_head"], username="county_head_x")
    entry = exposure.exposure_publish(
        actor=head,
        case=case,
        title="某煤业未培训即下井典型案例",
        summary="法定代表人张三丰（电话13812345678）组织未经培训人员下井作业，被罚款。",
    )
    assert "13812345678" not in entry.summary and "张三丰" not in entry.summary
    page = Client().get("/portal/exposure/").content.decode()
    assert "典型案例" in page and "13812345678" not in page
    other = make_user("140525", ["division_head"], username="other_head_x")
    with pytest.raises(NotFound):
        exposure.exposure_publish(
            actor=other, case=case, title="x", summary="跨县发布测试内容，不应成功。"
        )
    assert ExposureEntry.objects.count() == 1


def test_monthly_figures_count_closed_reports_of_ended_months(
    send: Any, people: dict[str, Any]
) -> None:
    report, _ = send()
    services.report_accept(actor=people["desk"], report=report, handler=people["handler"])
    handling.report_close(
        actor=people["handler"], report=report, outcome="substantiated", result="属实已处理"
    )
    Report.objects.filter(pk=report.pk).update(
        closed_on=datetime.date.today().replace(day=1) - datetime.timedelta(days=3)
    )
    rows = selectors.monthly_counts()
    assert [(r["bureau__region_id"], r["industry"], r["outcome"], r["count"]) for r in rows] == [
        ("140603", "coal_mine", "substantiated", 1)
    ]
    page = Client().get("/portal/report-statistics/").content.decode()
    assert "平鲁区" in page and "属实" in page
