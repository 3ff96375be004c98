"""`make demo`'s enterprise side: pl_enterprise's mine has lived through issue 21's story
(self-inspection, rectification with photos accepted, decision served electronically, accident
report forwarded in time with a supplement, annual report, inbox), and sz_association has its
members and convention. Each page is opened as the demo user would, by logging in."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.demo import DEMO_PASSWORD, FULL_STORY_ENTITIES

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and "password" not in response["Location"], username
    return client


def test_the_demo_enterprise_side_is_lived_in(django_capture_on_commit_callbacks: Any) -> None:
    from anjian.accidents.models import AccidentReport
    from anjian.annualreports.models import AnnualReport
    from anjian.associations.models import Association
    from anjian.enterprise.models import DocumentReceipt, EnterpriseMember, SelfInspection
    from anjian.evidence.models import Evidence
    from anjian.inspections.models import CorrectionOrder
    from anjian.notifications.models import Notification

    out = io.StringIO()
    # The inboxes fill when the story commits (notifications work after their step's commit).
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo_data", entities=FULL_STORY_ENTITIES, stdout=out)
    printed = out.getvalue()
    assert "pl_enterprise" in printed and "sz_association" in printed

    member = EnterpriseMember.objects.select_related("entity", "user").get(
        user__username="pl_enterprise"
    )
    mine = member.entity
    assert member.position == "principal" and mine.region_id == "140603"
    assert mine.business_status == "operating"

    # Self-inspection: one hazard rectified, one open.
    hazards = [h for s in SelfInspection.objects.filter(entity=mine) for h in s.hazards.all()]
    assert sorted(h.done_on is not None for h in hazards) == [False, True]

    # Correction orders: one rectified on the mine's report with photos, one still open.
    orders = list(CorrectionOrder.objects.filter(record__entity=mine).order_by("pk"))
    assert [o.status for o in orders] == ["rectified", "open"]
    report = orders[0].reports.get()
    assert report.submitted_by == member.user and not report.on_paper
    photos = Evidence.objects.filter(
        subject_type="inspections.correctionorder", subject_id=str(orders[0].pk)
    )
    assert photos.count() == 2
    assert orders[0].reinspections.get().result == "passed"

    # The decision, served electronically by the confirmation of receipt.
    receipt = DocumentReceipt.objects.get(entity=mine, document__kind="penalty_decision")
    assert receipt.counts_as_service and receipt.confirmed_by == member.user

    # The accident report: in the hour, the county within its two hours, a supplement.
    accident = AccidentReport.objects.get(entity=mine)
    assert not accident.late and accident.level == "general" and accident.injured == 1
    steps = list(accident.steps.order_by("received_at", "pk"))
    # 一般: the chain ends at the city (条例 art. 10), which read it and owes no forwarding.
    assert [s.level for s in steps] == ["county", "city"]
    assert steps[0].forwarded_by.username.startswith("pl_")
    assert steps[0].forwarded_at - steps[0].received_at < timezone.timedelta(hours=2)
    assert steps[0].forwarded_at == steps[1].received_at
    assert steps[1].due_at is None and steps[1].forwarded_at is None
    assert steps[1].opened_at is not None
    assert accident.supplements.count() == 1
    assert AnnualReport.objects.filter(entity=mine).exists()

    # Inboxes: the enterprise's (documents, hearing right) and the officers' (the accident).
    assert Notification.objects.filter(recipient=member.user).exists()
    told = (("pl_inspector", "accident_to_forward"), ("sz_head", "accident_received"))
    for officer, kind in told:
        assert Notification.objects.filter(recipient__username=officer, kind=kind).exists(), officer

    # What the enterprise sees on its pages.
    client = _client("pl_enterprise")
    for name, expected in [
        ("enterprise:home", mine.name),
        ("enterprise:self_inspection_list", "共 1 条记录"),
        ("enterprise:inspection_list", "整改"),
        ("enterprise:document_list", "已电子送达"),
        ("accidents:my_list", "运输顺槽"),
        ("annualreports:my_list", str(timezone.localdate().year - 1)),
        ("notifications:inbox", "文书"),
    ]:
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert expected in page.content.decode(), name
    chain = client.get(reverse("accidents:my_detail", args=[accident.pk])).content.decode()
    assert timezone.localtime(steps[0].forwarded_at).strftime("%H:%M") in chain

    # The association: two members, one convention, on its own page and the portal.
    association = Association.objects.get(name="朔州市煤炭工业协会")
    assert association.members.count() == 2 and association.conventions.count() == 1
    page = _client("sz_association").get(reverse("associations:my_page")).content.decode()
    assert mine.name in page and "自律公约" in page
