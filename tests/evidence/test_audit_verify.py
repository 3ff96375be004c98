"""`anjian audit verify` re-hashes every evidence file and names the ones altered or missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from anjian.evidence.models import Evidence
from anjian.evidence.services import evidence_add
from tests.evidence.subjects import JPEG, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(org, make_entity) -> Evidence:
    entity = make_entity("140603")
    evidence_add(
        org["county_inspector"],
        upload=upload("a.pdf", PDF),
        subject=make_entity("140603"),
        region="140603",
    )
    return evidence_add(
        org["county_inspector"],
        upload=upload("瓦斯检测仪.jpg", JPEG),
        subject=entity,
        region="140603",
    )


def _stored(evidence_dir: Path, evidence: Evidence) -> Path:
    return evidence_dir / evidence.sha256[:2] / evidence.sha256[2:4] / evidence.sha256


def _verify(capsys, *args: str) -> tuple[int, str]:
    try:
        call_command("audit", "verify", *args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_intact_files_pass(photo, capsys) -> None:
    code, out = _verify(capsys)
    assert code == 0, out
    assert "2" in out.splitlines()[-1]  # both files verified


def test_an_altered_file_fails_naming_it(photo, evidence_dir: Path, capsys) -> None:
    path = _stored(evidence_dir, photo)
    path.write_bytes(JPEG[:-1] + b"\x12")  # one byte changed, same size
    code, out = _verify(capsys)
    assert code == 1
    assert photo.sha256 in out
    assert f"evidence #{photo.pk} 瓦斯检测仪.jpg" in out
    assert "altered" in out
    # checking only presence and size does not see a same-size change; hashing does
    assert _verify(capsys, "--files=exists")[0] == 0
    assert _verify(capsys, "--files=skip")[0] == 0


def test_a_deleted_file_fails_naming_it(photo, evidence_dir: Path, capsys) -> None:
    _stored(evidence_dir, photo).unlink()
    for mode in ("hash", "exists"):
        code, out = _verify(capsys, f"--files={mode}")
        assert code == 1
        assert f"evidence #{photo.pk} 瓦斯检测仪.jpg" in out and "missing" in out


def test_an_attachment_repointed_in_the_database_fails(photo, capsys) -> None:
    pdf = Evidence.objects.exclude(pk=photo.pk).get()
    with connection.cursor() as cursor:  # what someone with database access could do
        cursor.execute(
            "UPDATE evidence_evidence SET sha256 = %s WHERE id = %s", [pdf.sha256, photo.pk]
        )
    code, out = _verify(capsys)
    assert code == 1
    assert f"evidence #{photo.pk} 瓦斯检测仪.jpg: points at {pdf.sha256}" in out
    assert f"recorded {photo.sha256}" in out


def test_an_attachment_deleted_or_unwithdrawn_in_the_database_fails(photo, capsys) -> None:
    from anjian.evidence.services import evidence_withdraw

    pdf = Evidence.objects.exclude(pk=photo.pk).get()
    evidence_withdraw(pdf.added_by, evidence=pdf, reason="拍错了")
    assert _verify(capsys)[0] == 0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_evidence SET withdrawn_at = NULL WHERE id = %s", [pdf.pk])
        cursor.execute("DELETE FROM evidence_evidence WHERE id = %s", [photo.pk])
    code, out = _verify(capsys)
    assert code == 1
    assert f"evidence #{pdf.pk} a.pdf: withdrawn by audit event" in out
    assert f"evidence #{photo.pk} 瓦斯检测仪.jpg: added by audit event" in out
    assert "row was deleted" in out
