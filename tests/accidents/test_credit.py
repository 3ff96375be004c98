"""With credit installed, an accident and a late report become credit records of the unit,
refreshed the moment the report is committed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import override_settings

from anjian.accidents import services
from anjian.core import clock as core_clock
from anjian.credit.models import CreditRecord
from tests.accidents.conftest import values

pytestmark = pytest.mark.django_db


@override_settings(ANJIAN_ACCIDENT_LATE_CREDIT_WEIGHT=-12)
def test_a_late_report_and_its_accident_are_credit_records(
    chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_file(
            actor=chain["principal"],
            entity=chain["entity"],
            values=values(core_clock.now() - datetime.timedelta(hours=3)),
        )
    records = {r.kind: r for r in CreditRecord.objects.filter(entity=chain["entity"])}
    assert set(records) == {"accident", "other"}
    assert records["accident"].source_id == str(report.pk)
    assert records["other"].weight == -12
    assert "迟报" in records["other"].title


def test_a_report_on_time_is_only_the_accident(
    chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.report_file(
            actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
        )
    kinds = list(CreditRecord.objects.filter(entity=chain["entity"]).values_list("kind", flat=True))
    assert kinds == ["accident"]
