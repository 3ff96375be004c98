"""The case page and the legal reviewer's page link each issued document: its number, kind,
date and status, its PDF and DOCX, and its public check page; the files answer 200 in scope and
404 to another county."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anjian.documents.selectors import documents_for
from tests.cases.conftest import notified

pytestmark = pytest.mark.django_db


def test_the_case_page_links_the_notice_files_and_check_page(
    world: dict[str, Any], org: dict[str, Any], login: Any
) -> None:
    case = notified(world)
    notice = documents_for(case).get(kind="penalty_notice")  # after the filing approval
    pdf = reverse("documents:document_pdf", args=[notice.pk])
    docx = reverse("documents:document_docx", args=[notice.pk])
    check = reverse("documents:portal_detail", args=[notice.verification_code])
    handler = login(world["h1"])
    for page_name in ("cases:case_detail", "cases:review_detail"):
        response = handler.get(reverse(page_name, args=[case.pk]))
        assert response.status_code == 200, page_name
        page = response.content.decode()
        assert notice.number in page, page_name
        for text in (pdf, docx, check, "行政处罚告知书", "有效", notice.issued_on.isoformat()):
            assert text in page, (page_name, text)
    assert handler.get(pdf).status_code == 200
    assert handler.get(pdf)["Content-Type"] == "application/pdf"
    assert handler.get(docx).status_code == 200
    assert handler.get(check).status_code == 200
    other = login(org["other_county_inspector"])
    assert other.get(pdf).status_code == 404
    assert other.get(docx).status_code == 404
    assert other.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_a_revoked_document_shows_as_revoked_with_its_reason(
    world: dict[str, Any], login: Any
) -> None:
    from anjian.documents.services import document_revoke

    case = notified(world)
    notice = documents_for(case).get(kind="penalty_notice")  # after the filing approval
    revoke = reverse("documents:document_revoke", args=[notice.pk])
    leader = login(world["leader"])
    assert revoke in leader.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    document_revoke(world["leader"], notice, "当事人名称有误")
    assert revoke not in leader.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    page = login(world["h1"]).get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert notice.number in page and "已注销" in page and "当事人名称有误" in page
    # The handler may not revoke; no revoke form is offered to them.
    assert reverse("documents:document_revoke", args=[notice.pk]) not in page
