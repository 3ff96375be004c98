"""The public check page, the upload comparison, and the staff downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anjian.documents.models import DocumentKind, OfficialDocument
from anjian.documents.storage import document_storage
from tests.documents.test_document_issue import stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(issue: Callable) -> OfficialDocument:
    return issue(DocumentKind.PENALTY_DECISION)


def page(client: Client, doc: OfficialDocument) -> str:
    response = client.get(reverse("documents:portal_detail", args=[doc.verification_code]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_check_page_shows_the_document_and_the_hashes_of_its_stored_files(
    client: Client, decision: OfficialDocument
) -> None:
    html = page(client, decision)
    assert decision.number in html and "行政处罚决定书" in html
    assert decision.organ_name in html and "2026-03-05" in html
    assert "现行有效" in html
    assert hashlib.sha256(stored(decision.pdf_file)).hexdigest() in html
    assert hashlib.sha256(stored(decision.docx_file)).hexdigest() in html


def test_the_check_page_shows_no_personal_data(client: Client, decision: OfficialDocument) -> None:
    html = page(client, decision)
    for private in ("赵德胜", "华兴煤业", "南梁村", "0505 0000", "91140603MA0K12345X"):
        assert private not in html


def test_a_revoked_document_shows_as_revoked_with_the_reason(
    client: Client, decision: OfficialDocument, make_user: Callable, login: Callable
) -> None:
    head = make_user("140603", ["division_head"])
    response = login(head).post(
        reverse("documents:document_revoke", args=[decision.pk]),
        {"reason": "当事人名称有误", "next": "/documents/x/"},
    )
    assert response.status_code == 302
    html = page(client, decision)
    assert "本文书已被撤销" in html and "当事人名称有误" in html
    assert "现行有效" not in html


def test_an_inspector_cannot_revoke(
    decision: OfficialDocument, org: dict[str, Any], login: Callable
) -> None:
    response = login(org["county_inspector"]).post(
        reverse("documents:document_revoke", args=[decision.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == "valid"


def test_revoke_does_not_redirect_to_another_site(
    decision: OfficialDocument, make_user: Callable, login: Callable
) -> None:
    head = make_user("140603", ["division_head"])
    response = login(head).post(
        reverse("documents:document_revoke", args=[decision.pk]),
        {"reason": "x", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse(
        "documents:portal_detail", args=[decision.verification_code]
    )


@pytest.mark.parametrize("code", ["0000000000000000", "ABC", "!!!!", "ZZZZ-ZZZZ-ZZZZ-ZZZU"])
def test_an_unknown_code_is_a_friendly_404(client: Client, code: str) -> None:
    response = client.get(f"/portal/documents/{code}/")
    assert response.status_code == 404
    assert "没有与此核验码对应的执法文书" in response.content.decode()


def test_a_code_as_typed_leads_to_the_document(client: Client, decision: OfficialDocument) -> None:
    typed = decision.verification_code_display.lower()
    response = client.get(reverse("documents:portal_lookup"), {"code": typed})
    page = reverse("documents:portal_detail", args=[decision.verification_code])
    assert decision.check_url == f"http://testserver{page}"
    assert response.status_code == 302
    assert response["Location"] == page
    response = client.get(f"/portal/documents/{typed}/")
    assert response["Location"] == page
    response = client.get(reverse("documents:portal_lookup"), {"code": "123"})
    assert response.status_code == 200 and "16位" in response.content.decode()


def upload(client: Client, doc: OfficialDocument, data: bytes, name: str = "copy.pdf") -> Any:
    return client.post(doc.check_url, {"copy": SimpleUploadedFile(name, data)})


def _stored_names() -> set[str]:
    storage = document_storage()
    names = set()
    for year in storage.listdir("")[0]:
        names |= {f"{year}/{f}" for f in storage.listdir(year)[1]}
    return names


def test_an_uploaded_copy_is_compared_and_not_kept(
    client: Client, decision: OfficialDocument
) -> None:
    before = _stored_names()
    pdf = stored(decision.pdf_file)
    html = upload(client, decision, pdf).content.decode()
    assert "完全一致" in html and "PDF" in html
    html = upload(client, decision, stored(decision.docx_file), "copy.docx").content.decode()
    assert "完全一致" in html and "DOCX" in html
    altered = pdf[:-20] + b"\n% altered copy\n%%EOF\n"
    assert altered != pdf
    html = upload(client, decision, altered).content.decode()
    assert "不一致" in html and hashlib.sha256(altered).hexdigest() in html
    assert _stored_names() == before


def test_an_oversized_copy_is_refused(
    client: Client, decision: OfficialDocument, settings: Any
) -> None:
    settings.ANJIAN_DOCUMENT_CHECK_MAX_BYTES = 1000
    response = upload(client, decision, b"x" * 2000)
    assert response.status_code == 413
    response = upload(client, decision, b"x" * 200_000)
    assert response.status_code == 413
    assert "完全一致" not in response.content.decode()


def test_the_comparison_needs_the_csrf_token(decision: OfficialDocument) -> None:
    client = Client(enforce_csrf_checks=True)
    response = upload(client, decision, stored(decision.pdf_file))
    assert response.status_code == 403


def test_staff_download_the_issued_bytes(
    decision: OfficialDocument, org: dict[str, Any], login: Callable
) -> None:
    client = login(org["city_admin"])  # the city sees its counties' documents
    response = client.get(reverse("documents:document_pdf", args=[decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == stored(decision.pdf_file)
    response = client.get(reverse("documents:document_docx", args=[decision.pk]))
    assert response.content == stored(decision.docx_file)
    assert "attachment" in response["Content-Disposition"]


def test_another_county_cannot_download(
    decision: OfficialDocument, org: dict[str, Any], login: Callable
) -> None:
    response = login(org["other_county_inspector"]).get(
        reverse("documents:document_pdf", args=[decision.pk])
    )
    assert response.status_code == 404


def test_an_altered_stored_file_is_not_served(
    decision: OfficialDocument, org: dict[str, Any], login: Callable
) -> None:
    path = document_storage().path(decision.pdf_file)  # type: ignore[attr-defined]
    with open(path, "r+b") as fh:
        fh.seek(200)
        fh.write(b"tampered")
    response = login(org["county_inspector"]).get(
        reverse("documents:document_pdf", args=[decision.pk])
    )
    assert response.status_code == 500
    assert b"tampered" not in response.content


def test_the_documents_panel_links_the_files_in_the_viewers_scope(
    decision: OfficialDocument, entity: Any, org: dict[str, Any], rf: Any
) -> None:
    from django.template import Context, Template

    def panel(user: Any) -> str:
        request = rf.get("/somewhere/")
        request.user = user
        template = Template("{% load documents %}{% documents_panel subject %}")
        return template.render(Context({"request": request, "subject": entity}))

    html = panel(org["county_inspector"])
    assert decision.number in html
    assert reverse("documents:document_pdf", args=[decision.pk]) in html
    assert reverse("documents:document_docx", args=[decision.pk]) in html
    assert reverse("documents:portal_detail", args=[decision.verification_code]) in html
    assert panel(org["other_county_inspector"]).strip() == ""
