"""The record, the correction order and the re-inspection through the pages, as an inspector on
a phone would use them; scope, roles and CSRF."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.inspections.models import (
    CheckAnswer,
    CorrectionOrder,
    Finding,
    InspectionRecord,
    OrderStatus,
    RecordStatus,
    TaskStatus,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_whole_record_through_the_pages(site, login) -> None:
    c = login(site["inspector"])
    task = site["task"]
    tasks = c.get(reverse("inspections:task_list"))
    start_url = reverse("inspections:record_start", args=[task.pk])
    assert start_url in tasks.content.decode()
    page = c.get(start_url)
    assert "李四" in page.content.decode()  # the task's team is offered, ticked
    r = c.post(
        start_url,
        {
            "place": "井东煤业调度室",
            "present_name": "赵六",
            "present_post": "安全副矿长",
            "inspectors": [site["inspector"].pk, site["second"].pk],
        },
    )
    record = InspectionRecord.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "inspections:record_detail", args=[record.pk]
    )
    detail_url = r["Location"]
    html = c.get(detail_url).content.decode()
    for p in site["points"]:
        assert p.content in html
    if apps.is_installed("anjian.evidence"):  # photos straight from the phone's camera
        assert 'capture="environment"' in html
    answer_url = reverse("inspections:record_answer", args=[record.pk])
    p1, p2, p3 = site["points"]
    # HTMX: the card comes back, showing the chosen answer and a finding form under a hazard.
    card = c.post(answer_url, {"check_point": p2.pk, "answer": "hazard"}, **HTMX)
    assert card.status_code == 200
    body = card.content.decode()
    assert f'id="cp-{p2.pk}"' in body and 'data-answer="hazard"' in body
    assert "<html" not in body and "aj-finding-form" in body
    # Without JavaScript the page reloads at the card.
    r = c.post(answer_url, {"check_point": p1.pk, "answer": "compliant"})
    assert r.status_code == 302 and r["Location"].endswith(f"#cp-{p1.pk}")
    c.post(answer_url, {"check_point": p3.pk, "answer": "not_applicable"}, **HTMX)
    assert CheckAnswer.objects.filter(record=record).count() == 3
    # Submitting before the hazard has its finding is refused, with the reason.
    r = c.post(reverse("inspections:record_submit", args=[record.pk]), follow=True)
    assert "检查要点 2 的结果为“隐患”，但没有记录相应的问题" in r.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT
    card = c.post(
        reverse("inspections:finding_add", args=[record.pk]),
        {
            "check_point": p2.pk,
            "kind": "hazard",
            "severity": "major",
            "description": "瓦斯监控分站断电未报警",
            "legal_basis": "",
        },
        **HTMX,
    )
    assert "瓦斯监控分站断电未报警" in card.content.decode()
    assert Finding.objects.get().legal_basis == "煤矿安全规程第491条"
    r = c.post(reverse("inspections:record_submit", args=[record.pk]), {"summary": "隐患一项"})
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.record_number == record.number
    # The submitted record no longer offers the answer buttons; its document is there.
    page = c.get(detail_url).content.decode()
    assert answer_url not in page
    if apps.is_installed("anjian.documents"):
        from anjian.documents.selectors import documents_for

        (doc,) = documents_for(record)
        assert doc.kind == "inspection_record" and doc.pdf_sha256
        assert reverse("documents:document_pdf", args=[doc.pk]) in page


@pytest.fixture
def submitted(site, started):
    from anjian.inspections import services

    a = site["inspector"]
    for point, answer in zip(site["points"], ["compliant", "hazard", "compliant"], strict=True):
        services.record_answer(actor=a, record=started, check_point=point, answer=answer)
    services.finding_add(
        actor=a,
        record=started,
        kind="hazard",
        check_point=site["points"][1],
        description="瓦斯监控分站断电",
        severity="general",
    )
    services.record_submit(actor=a, record=started)
    return started


def test_order_report_and_reinspection_through_the_pages(site, submitted, login) -> None:
    c = login(site["inspector"])
    today = timezone.localdate()
    url = reverse("inspections:order_issue", args=[submitted.pk])
    page = c.get(url).content.decode()
    assert "瓦斯监控分站断电" in page
    finding = Finding.objects.get()
    r = c.post(
        url,
        {
            "findings": [finding.pk],
            "issued_on": today.isoformat(),
            "deadline": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    order = CorrectionOrder.objects.get()
    assert r["Location"] == reverse("inspections:order_detail", args=[order.pk])
    c.post(
        reverse("inspections:order_report", args=[order.pk]),
        {"submitted_on": today.isoformat(), "text": "已恢复监控分站供电"},
    )
    assert order.reports.get().text == "已恢复监控分站供电"
    r = c.post(
        reverse("inspections:order_reinspect", args=[order.pk]),
        {
            "on": today.isoformat(),
            "inspectors": [site["inspector"].pk, site["second"].pk],
            "result": "passed",
            "opinion": "整改到位",
        },
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.RECTIFIED
    assert "整改到位" in r.content.decode()
    if apps.is_installed("anjian.documents"):
        from anjian.documents.selectors import documents_for

        (notice,) = documents_for(order)
        (opinion,) = documents_for(order.reinspections.get())
        assert (notice.kind, opinion.kind) == ("correction_order", "reinspection_opinion")
        assert opinion.context["order_number"] == notice.number
        assert reverse("documents:document_pdf", args=[opinion.pk]) in r.content.decode()


def test_overdue_list_and_escalation_by_the_division_head(site, submitted, login) -> None:
    from anjian.inspections import services

    order = services.correction_order_issue(
        actor=site["inspector"],
        record=submitted,
        findings=list(submitted.findings.all()),
        deadline=timezone.localdate(),
    )
    CorrectionOrder.objects.filter(pk=order.pk).update(
        deadline=datetime.date(2026, 9, 30), issued_on=datetime.date(2026, 9, 21)
    )
    head = login(site["head"])
    page = head.get(reverse("inspections:rectification_overdue")).content.decode()
    assert "平鲁区井东煤业有限公司" in page
    escalate = reverse("inspections:order_escalate", args=[order.pk])
    assert escalate in page
    assert login(site["inspector"]).post(escalate).status_code == 403
    head.post(escalate)
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED


def test_another_county_gets_404_everywhere(site, submitted, org, login) -> None:
    from anjian.inspections import services

    order = services.correction_order_issue(
        actor=site["inspector"],
        record=submitted,
        findings=list(submitted.findings.all()),
        deadline=timezone.localdate(),
    )
    c = login(org["other_county_inspector"])
    for url in [
        reverse("inspections:record_start", args=[site["task"].pk]),
        reverse("inspections:record_detail", args=[submitted.pk]),
        reverse("inspections:order_issue", args=[submitted.pk]),
        reverse("inspections:order_detail", args=[order.pk]),
    ]:
        assert c.get(url).status_code == 404, url
    for url in [
        reverse("inspections:record_answer", args=[submitted.pk]),
        reverse("inspections:finding_add", args=[submitted.pk]),
        reverse("inspections:record_submit", args=[submitted.pk]),
        reverse("inspections:order_report", args=[order.pk]),
        reverse("inspections:order_reinspect", args=[order.pk]),
    ]:
        assert c.post(url, {"check_point": site["points"][0].pk}).status_code == 404, url
    page = c.get(reverse("inspections:rectification_overdue")).content.decode()
    assert "井东煤业" not in page
    assert "井东煤业" not in c.get(reverse("inspections:record_list")).content.decode()


def test_someone_not_on_the_team_cannot_answer(site, started, make_user, make_certificate, login):
    colleague = make_user("140603", ["inspector"], username="colleague")
    make_certificate(colleague)
    c = login(colleague)
    r = c.post(
        reverse("inspections:record_answer", args=[started.pk]),
        {"check_point": site["points"][0].pk, "answer": "compliant"},
    )
    assert r.status_code == 403
    assert not CheckAnswer.objects.exists()
    page = c.get(reverse("inspections:record_detail", args=[started.pk])).content.decode()
    assert reverse("inspections:record_answer", args=[started.pk]) not in page


def test_answers_need_the_csrf_token(site, started) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(site["inspector"])
    r = c.post(
        reverse("inspections:record_answer", args=[started.pk]),
        {"check_point": site["points"][0].pk, "answer": "compliant"},
        **HTMX,
    )
    assert r.status_code == 403
    assert not CheckAnswer.objects.exists()
