"""Protection of the reporter: nothing identifying stored or logged, report text sealed at rest,
receipt codes strong, hashed and not guessable, need-to-know access, every read audited."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from anjian.complaints import receipts
from anjian.complaints.models import Report
from anjian.core.models import AuditEvent
from tests.complaints.conftest import BODY, PHONE_IP, PHONE_UA

pytestmark = pytest.mark.django_db

JPEG_WITH_GPS = (
    b"\xff\xd8"
    + b"\xff\xe1\x00\x1cExif\x00\x00GPS-39.88N-112.18E!!"
    + b"\xff\xdb\x00\x04\x00\x00"
    + b"\xff\xda\x00\x02"
    + b"IMAGEDATA\xff\xd9"
)


def database_dump() -> str:
    """Every row of every table, as text (works on SQLite and PostgreSQL)."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                out.append(f"{table}: " + " | ".join(str(v) for v in row))
    return "\n".join(out)


def _post_report(phone: Client, mine: Any, **extra: Any) -> Any:
    data = {
        "kind": "hazard",
        "entity_uscc": mine.uscc,
        "body": BODY,
        "place": "三号工作面回风巷",
        "occurred": "12月5日夜班",
        "anonymous": "on",
        **extra,
    }
    photo = io.BytesIO(JPEG_WITH_GPS)
    photo.name = "现场.jpg"
    return phone.post("/portal/report/", {**data, "files": [photo]})


def test_anonymous_report_leaves_no_address_or_agent_in_database_logs_or_audit(
    phone: Client, mine: Any, people: dict[str, Any], caplog: pytest.LogCaptureFixture, login: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    response = _post_report(phone, mine)
    assert response.status_code == 200
    text = response.content.decode()
    code = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})", text).group(1)  # type: ignore[union-attr]
    report = Report.objects.get()
    assert report.anonymous and report.bureau.region_id == "140603"
    # The reporter follows it up and adds information, from the same phone.
    r = phone.post(
        "/portal/report/follow-up/",
        {
            "receipt_id": report.receipt_id,
            "code": code,
            "action": "supplement",
            "text": "补充：夜班十点后",
        },
    )
    assert r.status_code == 200 and "补充：夜班十点后" in r.content.decode()
    # An officer reads it, so the read paths run too.
    from anjian.complaints import services

    services.report_accept(actor=people["desk"], report=report, handler=people["handler"])
    assert login(people["handler"]).get(f"/complaints/{report.pk}/").status_code == 200

    dump = database_dump()
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    trail = "\n".join(
        f"{e.actor} {e.action} {e.object_id} {e.changes}" for e in AuditEvent.objects.all()
    )
    for needle in (PHONE_IP, PHONE_UA, "Whistle-Test-Agent", "203.0.113"):
        assert needle not in dump, needle
        assert needle not in logs, needle
        assert needle not in trail, needle
    assert "complaints.report.received" in trail
    # No session row was made for the anonymous phone.
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key__in=phone.cookies.keys()).count() == 0


def test_a_database_dump_shows_no_report_text_and_files_are_sealed(
    phone: Client, mine: Any, settings: Any
) -> None:
    _post_report(
        phone,
        mine,
        anonymous="",
        reporter_name="赵举报",
        reporter_phone="13911112222",
        entity_text="东沟煤业",
    )
    report = Report.objects.get()
    assert report.body == BODY  # the application reads it
    dump = database_dump()
    for secret in (
        BODY,
        "三号工作面回风巷",
        "12月5日夜班",
        "赵举报",
        "13911112222",
        "瓦斯超限",
        "现场.jpg",
    ):
        assert secret not in dump, secret
    stored = list(Path(settings.MEDIA_ROOT, "complaints").rglob("*"))
    files = [p for p in stored if p.is_file()]
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert b"IMAGEDATA" not in raw and raw.startswith(b"sm4gcm:")
    # And what the officer downloads has lost the phone's GPS position.
    from anjian.complaints.attachments import sealed_read

    opened = sealed_read(report.attachments.get().stored_name)
    assert b"IMAGEDATA" in opened and b"GPS" not in opened


def test_receipt_code_is_strong_shown_once_and_stored_as_argon2_only(send: Any) -> None:
    report, code = send()
    raw = code.replace("-", "")
    assert len(raw) * 5 >= 80 and set(raw) <= set(receipts.ALPHABET)
    assert report.code_hash.startswith("$argon2id$")
    assert raw not in database_dump() and code not in database_dump()
    assert receipts.code_verify(report.code_hash, code.lower().replace("-", " "))
    assert not receipts.code_verify(report.code_hash, receipts.receipt_code_new())


def test_wrong_codes_are_limited_per_receipt_even_the_right_code_then_waits(
    phone: Client, send: Any, settings: Any
) -> None:
    settings.ANJIAN_RECEIPT_FAILURES_PER_RECEIPT = 5
    report, code = send()
    url = "/portal/report/follow-up/"
    for _ in range(5):
        wrong = receipts.receipt_code_new()
        assert phone.post(url, {"receipt_id": report.receipt_id, "code": wrong}).status_code == 403
    blocked = phone.post(url, {"receipt_id": report.receipt_id, "code": code})
    assert blocked.status_code == 429
    # Another client is refused too: the limit is the receipt's, not only the address's.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert other.post(url, {"receipt_id": report.receipt_id, "code": code}).status_code == 429
    # Nothing of the counters is in the database.
    assert PHONE_IP not in database_dump()


def test_wrong_codes_are_limited_per_client_across_receipts(
    phone: Client, send: Any, settings: Any
) -> None:
    settings.ANJIAN_RECEIPT_FAILURES_PER_CLIENT = 3
    reports = [send(body=f"{BODY}第{i}次，不同的内容描述{i * 7}号巷道。")[0] for i in range(4)]
    url = "/portal/report/follow-up/"
    for r in reports[:3]:
        assert phone.post(url, {"receipt_id": r.receipt_id, "code": "0000"}).status_code == 403
    assert phone.post(url, {"receipt_id": reports[3].receipt_id, "code": "0"}).status_code == 429


def test_the_public_page_needs_csrf(mine: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/portal/report/", {"kind": "hazard", "entity_uscc": mine.uscc, "body": BODY})
    assert r.status_code == 403
    assert Report.objects.count() == 0


def test_named_identity_only_for_the_handling_officer_and_every_read_audited(
    send: Any, people: dict[str, Any], login: Any
) -> None:
    from anjian.complaints import services

    report, _code = send(anonymous=False, reporter_name="钱实名", reporter_phone="13800001111")
    desk_page = login(people["desk"]).get(f"/complaints/{report.pk}/").content.decode()
    assert "钱实名" not in desk_page and "13800001111" not in desk_page
    services.report_accept(actor=people["desk"], report=report, handler=people["handler"])
    page = login(people["handler"]).get(f"/complaints/{report.pk}/").content.decode()
    assert "钱实名" in page
    other_officer = login(people["handler2"]).get(f"/complaints/{report.pk}/")
    assert other_officer.status_code == 404  # not assigned: not even the report
    reads = AuditEvent.objects.filter(object_id=str(report.pk), action="complaints.report.viewed")
    assert sorted(reads.values_list("actor", flat=True)) == ["county_desk", "county_insp"]
    assert AuditEvent.objects.filter(
        object_id=str(report.pk), action="complaints.report.identity_viewed", actor="county_insp"
    ).exists()


def test_another_countys_officers_and_the_city_see_nothing_until_escalated(
    send: Any, people: dict[str, Any], login: Any
) -> None:
    report, _code = send()
    for who in ("other_desk", "other_county_inspector", "city_desk", "no_role"):
        r = login(people[who]).get(f"/complaints/{report.pk}/")
        assert r.status_code in (403, 404), who
        assert r.status_code == 404 or who == "no_role"
    assert (
        login(people["other_desk"]).get("/complaints/").content.decode().count(report.receipt_id)
        == 0
    )
    r = login(people["other_desk"]).post(f"/complaints/{report.pk}/reject/", {"reason": "不归我管"})
    assert r.status_code == 404
    assert Report.objects.get().state == "received"
    # The API lists nothing of it either.
    api = login(people["other_desk"]).get("/api/complaints").json()
    assert api["items"] == []


def test_refused_file_names_the_field_and_the_reason(phone: Client, mine: Any) -> None:
    exe = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100)
    exe.name = "照片.jpg"
    r = phone.post(
        "/portal/report/",
        {
            "kind": "hazard",
            "entity_uscc": mine.uscc,
            "body": BODY,
            "anonymous": "on",
            "files": [exe],
        },
    )
    assert r.status_code == 200
    assert "Windows" in r.content.decode() or "程序" in r.content.decode()
    assert Report.objects.count() == 0


def test_the_public_reads_as_words_in_the_audit_trail(send: Any) -> None:
    from anjian.core.audit_labels import actor_label

    send()
    event = AuditEvent.objects.get(action="complaints.report.received")
    assert event.actor == "public" and event.actor_id is None
    assert actor_label(event, None) == "社会公众"


def test_a_flood_of_reports_from_one_client_is_refused(
    phone: Client, mine: Any, settings: Any
) -> None:
    settings.ANJIAN_COMPLAINT_INTAKE_PER_HOUR = 2
    data = {"kind": "hazard", "entity_uscc": mine.uscc, "body": BODY, "anonymous": "on"}
    answers = [phone.post("/portal/report/", data).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert Report.objects.count() == 2
    assert PHONE_IP not in database_dump()
