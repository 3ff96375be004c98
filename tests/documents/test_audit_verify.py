"""`anjian audit verify` checks the stored files of issued documents against the chain."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from anjian.documents.models import DocumentKind, OfficialDocument
from anjian.documents.storage import document_storage

pytestmark = pytest.mark.django_db


def verify(capsys: Any, *args: str) -> tuple[int, str]:
    try:
        call_command("audit", "verify", *args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def doc(issue: Callable) -> OfficialDocument:
    return issue(DocumentKind.CORRECTION_ORDER)


def test_intact_documents_pass(doc: OfficialDocument, capsys: Any) -> None:
    code, out = verify(capsys)
    assert code == 0, out


def test_an_altered_pdf_fails_naming_the_document(doc: OfficialDocument, capsys: Any) -> None:
    path = document_storage().path(doc.pdf_file)  # type: ignore[attr-defined]
    with open(path, "r+b") as fh:
        fh.seek(100)
        byte = fh.read(1)
        fh.seek(100)
        fh.write(bytes([byte[0] ^ 1]))
    code, out = verify(capsys)
    assert code == 1
    assert f"document #{doc.pk} {doc.number} pdf" in out
    assert verify(capsys, "--files=exists")[0] == 0  # same size: only hashing sees it


def test_a_deleted_docx_fails(doc: OfficialDocument, capsys: Any) -> None:
    document_storage().delete(doc.docx_file)
    code, out = verify(capsys, "--files=exists")
    assert code == 1 and "docx: file missing" in out


def test_a_hash_changed_in_the_database_fails(doc: OfficialDocument, capsys: Any) -> None:
    """Someone with database access swaps in other bytes and their hash: the chain still holds
    the hash that was issued."""
    forged = b"%PDF-1.7 forged"
    sha = hashlib.sha256(forged).hexdigest()
    name = document_storage().save(f"2026/{sha}.pdf", ContentFile(forged))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_officialdocument SET pdf_file = %s, pdf_sha256 = %s, pdf_size = %s"
            " WHERE id = %s",
            [name, sha, len(forged), doc.pk],
        )
    code, out = verify(capsys)
    assert code == 1
    assert "audit event recorded" in out and doc.pdf_sha256 in out
    assert OfficialDocument.objects.get(pk=doc.pk).pdf_sha256 == sha
