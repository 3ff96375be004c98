"""The legal-review gate on the page and the API: the same refusal as the service."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from anjian.cases.models import Case
from tests.cases.conftest import MAJOR, after_statement

pytestmark = pytest.mark.django_db


def _to_awaiting_decision_without_review(case: Case) -> Case:
    Case.objects.filter(pk=case.pk).update(state="awaiting_decision")
    return Case.objects.get(pk=case.pk)


def test_page_refuses_a_major_decision_without_review(world, login) -> None:
    case = _to_awaiting_decision_without_review(after_statement(world, **MAJOR))
    response = login(world["leader"]).post(
        reverse("cases:case_step", kwargs={"pk": case.pk, "action": "decide"}), {}, follow=True
    )
    assert response.status_code == 200
    assert "法制审核" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"


def test_api_refuses_a_major_decision_without_review(world, login) -> None:
    case = _to_awaiting_decision_without_review(after_statement(world, **MAJOR))
    response = login(world["leader"]).post(
        f"/api/cases/{case.pk}/steps",
        json.dumps({"action": "decide"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Case.objects.get(pk=case.pk).state == "awaiting_decision"
