"""Notifications come from the other apps' audit events and a daily job; the inbox shows one's
own; SMS goes through the gateway with the number masked in the log."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.urls import reverse

from anjian.accidents import services as accidents
from anjian.core import clock as core_clock
from anjian.notifications import sms
from anjian.notifications.models import Notification
from anjian.notifications.reminders import deadlines_remind
from tests.accidents.conftest import values
from tests.page_words import untranslated_words

pytestmark = pytest.mark.django_db


def test_an_accident_report_tells_the_officers_of_the_waiting_bureau(
    chain: dict[str, Any], caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    chain["county"].phone = "13912345678"
    chain["county"].save()
    with (
        caplog.at_level(logging.INFO, logger="anjian.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = accidents.report_file(
            actor=chain["principal"],
            entity=chain["entity"],
            values=values(core_clock.now(), dead=3),
        )
    told = Notification.objects.get(recipient=chain["county"])
    assert told.kind == "accident_to_forward" and "平鲁测试煤业有限公司" in told.text
    assert told.link == reverse("accidents:report_detail", kwargs={"pk": report.pk})
    # The county's division head receives reports too; the city is not told yet.
    assert Notification.objects.filter(recipient=chain["county_head"]).exists()
    assert not Notification.objects.filter(recipient=chain["city"]).exists()
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        accidents.report_forward(actor=chain["county"], report=report)
    assert Notification.objects.filter(recipient=chain["city"]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        accidents.report_forward(actor=chain["city"], report=report)  # 较大: the province ends it
    # The province, where the chain ends, is told it has arrived, with nothing to forward.
    (arrived,) = Notification.objects.filter(recipient=chain["province"])
    assert arrived.kind == "accident_received" and "报送至本级为止" in arrived.text


def test_the_inbox_shows_ones_own_and_counts_the_unread(
    chain: dict[str, Any], login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = accidents.report_file(
            actor=chain["principal"], entity=chain["entity"], values=values(core_clock.now())
        )
    mine = Notification.objects.get(recipient=chain["county"])
    client = login(chain["county"])
    home = client.get(reverse("accounts:home")).content.decode()
    assert "未读消息" in home
    page = client.get(reverse("notifications:inbox"))
    html = page.content.decode()
    assert "平鲁测试煤业有限公司" in html and not untranslated_words(html)
    # Another user's notification is 404 and stays unread.
    other = login(chain["other_county"])
    assert other.post(reverse("notifications:open", kwargs={"pk": mine.pk})).status_code == 404
    assert "平鲁测试煤业" not in other.get(reverse("notifications:inbox")).content.decode()
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post(reverse("notifications:open", kwargs={"pk": mine.pk}))
    assert response["Location"] == reverse("accidents:report_detail", kwargs={"pk": report.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_deadline_near_tells_the_unit_and_the_inspector_once(
    chain: dict[str, Any], make_item: Any
) -> None:
    from django.utils import timezone

    from anjian.inspections.models import CorrectionOrder, InspectionRecord, InspectionTask

    insp = chain["county"]
    today = core_clock.today()
    task = InspectionTask.objects.create(
        bureau=insp.bureau,
        entity=chain["entity"],
        item=make_item(),
        source="ad_hoc",
        period_start=today,
        due_on=today,
    )
    record = InspectionRecord.objects.create(
        task=task,
        entity=chain["entity"],
        bureau=insp.bureau,
        region_id="140603",
        number="平鲁现记〔2026〕9号",
        place="x",
        present_name="y",
        started_at=timezone.now(),
        created_by=insp,
    )
    CorrectionOrder.objects.create(
        record=record, deadline=today + datetime.timedelta(days=2), issued_on=today, issued_by=insp
    )
    CorrectionOrder.objects.create(
        record=record, deadline=today + datetime.timedelta(days=20), issued_on=today, issued_by=insp
    )
    assert deadlines_remind(today) == 3  # principal, staff member, inspector
    assert deadlines_remind(today) == 0  # told once
    n = Notification.objects.get(recipient=chain["principal"])
    assert n.kind == "deadline_near" and "平鲁现记〔2026〕9号" in n.text
    assert not Notification.objects.filter(recipient=chain["other_principal"]).exists()


def test_the_sms_backend_is_one_setting(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    assert sms.masked("13812345678") == "138****5678"
    assert isinstance(sms.backend(), sms.LogBackend)
    settings.ANJIAN_SMS_BACKEND = "http"
    settings.ANJIAN_SMS_HTTP_URL = ""
    with pytest.raises(ImproperlyConfigured):
        sms.backend()
    assert sms.sms_send("13812345678", "x") is False  # refused, logged, not raised
    settings.ANJIAN_SMS_HTTP_URL = "https://sms.example.invalid/send"
    settings.ANJIAN_SMS_HTTP_KEY = "k"
    backend = sms.backend()
    assert isinstance(backend, sms.HttpBackend)
    assert b"13812345678" in backend.payload("13812345678", "x")  # not sent in tests


def test_a_document_and_a_hearing_deadline_tell_the_unit(
    chain: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.contenttypes.models import ContentType

    from anjian.cases.models import Case
    from anjian.core.services import SYSTEM_ACTOR, audit_record
    from anjian.documents.models import OfficialDocument

    entity, bureau = chain["entity"], chain["county"].bureau
    doc = OfficialDocument.objects.create(
        kind="penalty_decision",
        number="（晋朔平）应急罚〔2026〕7号",
        year=2026,
        sequence=7,
        bureau=bureau,
        region_id="140603",
        subject_type=ContentType.objects.get_for_model(entity),
        subject_id=str(entity.pk),
        organ_name="朔州市平鲁区应急管理局",
        check_url="http://testserver/portal/documents/AAAAAAAAAAAAAAAA/",
        context={},
        verification_code="AAAAAAAAAAAAAAAA",
        issued_on=core_clock.today(),
        docx_file="x.docx",
        pdf_file="x.pdf",
        docx_sha256="0" * 64,
        pdf_sha256="0" * 64,
        docx_size=1,
        pdf_size=1,
    )
    case = Case.objects.create(
        bureau=bureau,
        region_id="140603",
        entity=entity,
        number="平鲁应急立〔2026〕7号",
        title="测试案",
        source="inspection",
        act_date=core_clock.today(),
        opened_on=core_clock.today(),
        hearing_entitled=True,
        hearing_deadline=core_clock.today() + datetime.timedelta(days=5),
    )
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(
            actor=SYSTEM_ACTOR,
            action="documents.document.issued",
            obj=doc,
            region="140603",
            changes={"subject": f"entities.entity:{entity.pk}", "number": doc.number},
        )
        audit_record(actor=SYSTEM_ACTOR, action="cases.case.notify", obj=case, region="140603")
    kinds = sorted(
        Notification.objects.filter(recipient=chain["principal"]).values_list("kind", flat=True)
    )
    assert kinds == ["document_served", "hearing"]
    served = Notification.objects.get(recipient=chain["principal"], kind="document_served")
    assert served.link == "/portal/documents/AAAAAAAAAAAAAAAA/" and "应急罚" in served.text
    assert not Notification.objects.filter(recipient=chain["other_principal"]).exists()


def test_only_documents_the_unit_may_read_are_announced_to_it(
    org: dict[str, Any],
    own: Any,
    principal: Any,
    entity_file: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A correction order about the unit's inspection record tells the unit; the bureau's
    internal filing approval in its case does not (the enterprise may not even open it)."""
    from anjian.core.services import SYSTEM_ACTOR, audit_record

    mine = entity_file(own)
    with django_capture_on_commit_callbacks(execute=True):
        for doc, subject in [
            (mine["record_doc"], f"inspections.inspectionrecord:{mine['record'].pk}"),
            (mine["internal"], f"cases.case:{mine['case'].pk}"),
            (mine["notice"], f"cases.case:{mine['case'].pk}"),
        ]:
            audit_record(
                actor=SYSTEM_ACTOR,
                action="documents.document.issued",
                obj=doc,
                region="140603",
                changes={"subject": subject, "number": doc.number},
            )
    texts = list(Notification.objects.filter(recipient=principal).values_list("text", flat=True))
    assert any(mine["record_doc"].number in t for t in texts)
    assert any(mine["notice"].number in t for t in texts)
    assert not any(mine["internal"].number in t for t in texts)
