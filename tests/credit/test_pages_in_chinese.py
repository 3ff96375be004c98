"""Every credit and jobs page reads fully in Chinese: no English word, no raw code."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from anjian.credit import services
from anjian.credit.models import CreditRecord, RecordKind
from anjian.credit.requests import request_submit
from anjian.jobs.models import JobRun, RunStatus
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db


def test_the_credit_and_jobs_pages_are_in_chinese(
    make_entity: Any, make_user: Any, org: dict[str, Any], login: Any, item: Any
) -> None:
    head = make_user("140603", ["division_head", "bureau_leader"], username="c_head")
    entity = make_entity("140603")
    today = timezone.localdate()
    record = CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        kind=RecordKind.PENALTY,
        title="行政处罚决定：罚款（4万元）",
        occurred_on=today - datetime.timedelta(days=3),
        weight=-14,
        counts_until=today + datetime.timedelta(days=900),
        public=True,
    )
    services.credit_refresh(entity_ids=[entity.pk])
    services.record_propose(
        actor=head, entity=entity, kind=RecordKind.ACCIDENT, title="一般事故",
        occurred_on=today, reason="事故调查报告",
    )  # fmt: skip
    services.override_propose(
        actor=head, entity=entity, grade="D", reason="举报查实", ends_on=today
    )
    request_submit(actor=head, record=record, kind="objection", applicant="赵六", content="有误")
    JobRun.objects.create(name="credit.nightly", status=RunStatus.FAILED, error="数据库忙")
    # A commitment, and a listing proposed and another listed (rows written directly).
    from anjian.credit.commitments import commitment_record
    from anjian.credit.models import DishonestyListing

    commitment_record(
        actor=head, entity=entity, item=item, template="compliance",
        made_on=today - datetime.timedelta(days=1), until=today + datetime.timedelta(days=90),
    )  # fmt: skip
    proposed = DishonestyListing.objects.create(
        entity=entity, region_id=entity.region_id, bureau=head.bureau, trigger="unlicensed",
        record=record, facts="无证生产",
    )  # fmt: skip
    DishonestyListing.objects.create(
        entity=entity, region_id=entity.region_id, bureau=head.bureau, trigger="accident_major",
        record=record, facts="重大事故", status="listed", listed_on=today,
        ends_on=today + datetime.timedelta(days=1000), removal_from=today,
    )  # fmt: skip
    client = login(head)
    pages = {
        "/credit/": client,
        "/credit/caps/": client,
        "/credit/under-inspected/": client,
        "/credit/dishonesty/": client,
        f"/credit/dishonesty/{proposed.pk}/": login(
            make_user("140603", ["legal_reviewer"], username="c_legal")
        ),
        f"/credit/dishonesty/{DishonestyListing.objects.get(status='listed').pk}/": client,
        "/portal/credit/dishonesty/": Client(),
        f"/credit/entities/{entity.uscc}/": client,
        f"/entities/{entity.uscc}/": client,
        "/jobs/": login(org["province_admin"]),
        f"/jobs/failures/{JobRun.objects.get().pk}/": login(org["province_admin"]),
        "/portal/credit/?q=" + entity.uscc: Client(),
        f"/portal/credit/{entity.uscc}/": Client(),
    }
    for url, who in pages.items():
        response = who.get(url)
        assert response.status_code == 200, url
        assert untranslated_words(response.content.decode(), allowed=[entity.uscc]) == [], url
