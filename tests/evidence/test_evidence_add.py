"""evidence_add: stored once by content hash, refused by size and by what the bytes are,
recorded in the audit trail with the hash, checked against the record's own rules."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR
from anjian.evidence.filetypes import JPEG as JPEG_TYPE
from anjian.evidence.models import Evidence, StoredFile
from anjian.evidence.selectors import evidence_for
from anjian.evidence.services import evidence_add, name_clean
from tests.evidence.subjects import EXE, HEIC, HTML, JPEG, MP4, PDF, SVG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity(make_entity):
    return make_entity("140603", name="平鲁区测试煤业有限公司")


def test_it_stores_the_bytes_under_their_hash_and_records_who_and_what(
    org, entity, evidence_dir: Path
) -> None:
    inspector = org["county_inspector"]
    evidence = evidence_add(
        inspector,
        upload=upload("巷道照片.jpg", JPEG, "image/jpeg"),
        subject=entity,
        region="140603",
        caption="3号巷道",
    )
    digest = hashlib.sha256(JPEG).hexdigest()
    assert evidence.sha256 == digest
    assert evidence.size == len(JPEG)
    assert evidence.content_type == "image/jpeg"
    assert evidence.original_name == "巷道照片.jpg"
    assert evidence.added_by == inspector
    assert evidence.caption == "3号巷道"
    assert evidence.bureau == inspector.bureau
    stored = evidence_dir / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == JPEG
    assert list(evidence_for(entity)) == [evidence]


def test_the_audit_event_carries_the_hash_size_type_and_record(org, entity) -> None:
    evidence = evidence_add(
        org["county_inspector"], upload=upload("a.pdf", PDF), subject=entity, region="140603"
    )
    event = AuditEvent.objects.get(action="evidence.file.added")
    assert event.object_type == "evidence.evidence"
    assert event.object_id == str(evidence.pk)
    assert event.region == "140603"
    assert event.actor == "county_insp"
    assert event.changes["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert event.changes["size"] == len(PDF)
    assert event.changes["content_type"] == "application/pdf"
    assert event.changes["subject_type"] == "entities.entity"
    assert event.changes["subject_id"] == str(entity.pk)


def test_the_same_bytes_are_stored_once_and_attached_once_per_record(
    org, entity, make_entity, evidence_dir: Path
) -> None:
    inspector = org["county_inspector"]
    first = evidence_add(inspector, upload=upload("a.jpg", JPEG), subject=entity, region="140603")
    again = evidence_add(inspector, upload=upload("b.jpg", JPEG), subject=entity, region="140603")
    assert again.pk == first.pk  # idempotent: no second attachment, no second event
    assert AuditEvent.objects.filter(action="evidence.file.added").count() == 1
    other = make_entity("140603")
    elsewhere = evidence_add(
        inspector, upload=upload("c.jpg", JPEG), subject=other, region="140603"
    )
    assert elsewhere.pk != first.pk
    assert StoredFile.objects.count() == 1
    assert len([p for p in evidence_dir.rglob("*") if p.is_file()]) == 1
    second_event = AuditEvent.objects.filter(action="evidence.file.added").first()
    assert second_event.changes["stored"] == "existing"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("照片.jpg", EXE, "Windows 程序"),  # a renamed .exe
        ("plan.svg", SVG, "SVG 图像"),
        ("照片.jpg", SVG, "SVG 图像"),
        ("report.html", HTML, "网页"),
        ("photo.png", HTML, "网页"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "脚本"),
        ("notes.txt", "巷道通风正常".encode(), "不接受此类文件"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 100, "已损坏的 ZIP"),
    ],
)
def test_files_are_judged_by_their_bytes_not_their_name(
    org, entity, name: str, content: bytes, expected: str
) -> None:
    with pytest.raises(ServiceError) as caught:
        evidence_add(
            org["county_inspector"],
            upload=upload(name, content, "image/jpeg"),
            subject=entity,
            region="140603",
        )
    message = str(caught.value.fields["upload"][0])  # as the user reads it, in Chinese
    assert name in message and expected in message
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.file.added").exists()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(HEIC, "image/heic"), (MP4, "video/mp4"), (PDF, "application/pdf")],
)
def test_phone_formats_are_accepted(org, entity, content: bytes, content_type: str) -> None:
    evidence = evidence_add(
        org["county_inspector"], upload=upload("IMG_0001", content), subject=entity, region="140603"
    )
    assert evidence.content_type == content_type


def test_a_file_above_the_limit_is_refused_naming_it(org, entity, settings) -> None:
    settings.ANJIAN_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ServiceError) as caught:
        evidence_add(
            org["county_inspector"],
            upload=upload("大视频.mp4", MP4 + b"\x00" * 1000),
            subject=entity,
            region="140603",
        )
    assert "大视频.mp4" in str(caught.value.fields["upload"][0])
    assert not StoredFile.objects.exists()


def test_an_empty_file_is_refused(org, entity) -> None:
    with pytest.raises(ServiceError):
        evidence_add(
            org["county_inspector"], upload=upload("x.jpg", b""), subject=entity, region="140603"
        )


def test_a_user_who_may_not_attach_is_refused(org, entity) -> None:
    # the legal reviewer sees the county's entities but may not manage them
    with pytest.raises(NotPermitted):
        evidence_add(org["legal"], upload=upload("a.jpg", JPEG), subject=entity, region="140603")
    assert not Evidence.objects.exists()


def test_another_countys_record_is_not_found(org, make_entity) -> None:
    foreign = make_entity("140525")
    with pytest.raises(NotFound):
        evidence_add(
            org["county_inspector"], upload=upload("a.jpg", JPEG), subject=foreign, region="140525"
        )
    # nor may a caller plant evidence of its own record in another county's region
    own = make_entity("140603")
    with pytest.raises(NotFound):
        evidence_add(
            org["county_inspector"], upload=upload("a.jpg", JPEG), subject=own, region="140525"
        )
    assert not Evidence.objects.exists()


def test_an_unregistered_kind_of_record_takes_no_evidence(org) -> None:
    with pytest.raises(ServiceError) as caught:
        evidence_add(
            SYSTEM_ACTOR,
            upload=upload("a.jpg", JPEG),
            subject=org["county_admin"].bureau,
            region="140603",
        )
    assert "subject" in caught.value.fields


def test_the_system_may_attach_for_imports_and_demo_data(entity) -> None:
    evidence = evidence_add(
        SYSTEM_ACTOR, upload=upload("a.jpg", JPEG), subject=entity, region="140603"
    )
    assert evidence.added_by is None and evidence.added_by_name == "system"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\张三\\现场.JPG", "现场.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe.jpg"),  # the right-to-left override is dropped
        ("page.html", "page.html.jpg"),
        ("", "evidence.jpg"),
        ("a" * 300 + ".jpeg", "a" * 115 + ".jpeg"),
    ],
)
def test_names_are_cleaned_and_match_the_content(given: str, kept: str) -> None:
    assert name_clean(given, JPEG_TYPE) == kept
