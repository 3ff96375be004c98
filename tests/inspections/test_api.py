"""The on-site record through the API, as a phone app syncing what it saved offline."""

from __future__ import annotations

import json

import pytest

from anjian.core.models import AuditEvent
from anjian.inspections.models import CheckAnswer, InspectionRecord

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_record_answers_findings_and_submit(site, login) -> None:
    c = login(site["inspector"])
    r = post(
        c,
        "/api/inspections/records",
        {"task_id": site["task"].pk, "place": "调度室", "present_name": "赵六"},
    )
    assert r.status_code == 201, r.content
    record = r.json()
    assert record["status"] == "draft" and len(record["check_points"]) == 3
    assert record["inspectors"] == ["county_insp", "county_insp2"]
    url = f"/api/inspections/records/{record['id']}"
    p1, p2, p3 = (cp["id"] for cp in record["check_points"])
    # A batch with one bad answer saves nothing.
    r = post(
        c,
        f"{url}/answers",
        {
            "answers": [
                {"check_point_id": p1, "answer": "compliant"},
                {"check_point_id": p2, "answer": "maybe"},
            ]
        },
    )
    assert r.status_code == 400 and r.json()["error"]["fields"]["answer"]
    assert not CheckAnswer.objects.exists()
    batch = {
        "answers": [
            {"check_point_id": p1, "answer": "compliant"},
            {"check_point_id": p2, "answer": "violation", "note": "无证上岗"},
            {"check_point_id": p3, "answer": "not_applicable"},
        ]
    }
    assert post(c, f"{url}/answers", batch).status_code == 200
    assert post(c, f"{url}/answers", batch).status_code == 200  # a resend is harmless
    assert CheckAnswer.objects.count() == 3
    r = post(c, f"{url}/submit", {})
    assert r.status_code == 400 and "answers" in r.json()["error"]["fields"]
    r = post(
        c,
        f"{url}/findings",
        {"kind": "violation", "description": "两名电工无证上岗", "check_point_id": p2},
    )
    assert r.status_code == 201 and r.json()["legal_basis"] == "煤矿安全规程第491条"
    r = post(c, f"{url}/submit", {"summary": "违法行为一项"})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert AuditEvent.objects.filter(action="inspections.record.submitted", source="api").exists()
    assert post(c, f"{url}/answers", batch).status_code == 409


def test_the_api_refuses_a_lone_inspector_and_strangers(site, org, login) -> None:
    c = login(site["inspector"])
    r = post(
        c,
        "/api/inspections/records",
        {
            "task_id": site["task"].pk,
            "place": "调度室",
            "present_name": "赵六",
            "inspectors": ["county_insp"],
        },
    )
    assert r.status_code == 400 and r.json()["error"]["fields"]["inspectors"]
    assert not InspectionRecord.objects.exists()
    stranger = login(org["other_county_inspector"])
    r = post(
        stranger,
        "/api/inspections/records",
        {"task_id": site["task"].pk, "place": "x", "present_name": "y"},
    )
    assert r.status_code == 404
    assert login(org["county_admin"]).get("/api/inspections/records").status_code == 200
    r = post(
        login(org["county_admin"]),
        "/api/inspections/records",
        {"task_id": site["task"].pk, "place": "x", "present_name": "y"},
    )
    assert r.status_code == 403
