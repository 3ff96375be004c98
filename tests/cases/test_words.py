"""The case and review pages say the discretion level and the measures in words, not codes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.cases.conftest import investigating

pytestmark = pytest.mark.django_db


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_case_page_names_the_level_and_the_measures(world, login) -> None:
    case = investigating(world)
    level = case.discretion["recommendation"]["level"]
    page = _visible(
        login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )
    words = {"minor": "轻微", "ordinary": "一般", "serious": "较重", "grave": "严重"}
    assert f"{words[level]} · " in page
    assert "责令改正" in page and "罚款" in page
    for code in (level, "order_correction", "correction_order", "fine"):
        assert not re.search(rf"(?<![\w.]){code}(?![\w.])", page), code


def test_the_case_api_keeps_the_codes_and_adds_the_words(world, login) -> None:
    case = investigating(world)
    body = login(world["h1"]).get(f"/api/cases/{case.pk}").json()
    assert body["measures"] == ["correction_order", "fine"]
    assert body["measure_labels"] == ["责令改正", "罚款"]
    level = body["discretion"]["recommendation"]["level"]
    words = {"minor": "轻微", "ordinary": "一般", "serious": "较重", "grave": "严重"}
    assert body["discretion_labels"]["level"] == words[level]
    assert "罚款" in body["discretion_labels"]["penalty_kinds"]
    assert body["state"] == "investigating" and body["state_label"] == "调查取证"
    assert body["timeline"][0]["action"] == "open" and body["timeline"][0]["action_label"]


def test_main_pages_read_in_chinese_without_codes(world, org, login) -> None:
    """Home, audit trail, case, review, task list and record pages as Chinese users see them:
    no English word left untranslated, no dotted or snake_case code in the text."""
    from anjian.accounts.models import User
    from tests.page_words import untranslated_words

    case = investigating(world)
    users = set(User.objects.values_list("username", flat=True))
    record = world["record"]
    pages = [
        (world["h1"], reverse("accounts:home")),
        (world["h1"], reverse("cases:case_detail", args=[case.pk])),
        (world["h1"], reverse("cases:case_list")),
        (world["h1"], reverse("inspections:task_list")),
        (world["h1"], reverse("inspections:record_list")),
        (world["h1"], reverse("inspections:record_detail", args=[record.pk])),
        (world["leader"], reverse("cases:case_detail", args=[case.pk])),
        (world["reviewer"], reverse("cases:review_queue")),
        (org["province_auditor"], reverse("accounts:home")),
        (org["province_auditor"], reverse("core:audit_list")),
    ]
    for user, url in pages:
        response = login(user).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        assert untranslated_words(response.content.decode(), allowed=users) == [], url


def test_an_audit_event_of_a_case_reads_in_words(world, org, login) -> None:
    from anjian.core.models import AuditEvent

    case = investigating(world)
    event = AuditEvent.objects.filter(action="cases.case.propose", object_id=str(case.pk)).get()
    page = login(org["province_auditor"]).get(reverse("core:audit_detail", args=[event.seq]))
    text = _visible(page.content.decode().split("<details>")[0])
    assert "拟定行政处罚意见" in text and f"执法案件 {case.number}" in text
    assert "责令改正、罚款" in text and "correction_order" not in text
