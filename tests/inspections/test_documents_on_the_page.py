"""The record's and the order's pages link their documents, and the printed record files each
finding under the check point it was found at, numbered once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.documents.selectors import documents_for
from anjian.documents.services import document_layout

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(site: dict[str, Any], started: Any) -> Any:
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


def test_the_printed_record_files_the_finding_under_its_check_point(submitted: Any) -> None:
    (doc,) = documents_for(submitted)
    assert doc.context["checked"][1] == "查看瓦斯监控系统运行。检查结果：存在事故隐患。"
    assert doc.context["findings"] == [
        {"description": "瓦斯监控分站断电", "legal_basis": "《煤矿安全规程》第491条", "point": 2}
    ]
    text = document_layout(doc).text().splitlines()
    at = text.index("2. 查看瓦斯监控系统运行。检查结果：存在事故隐患。")
    assert text[at + 1] == "存在问题：瓦斯监控分站断电（依据：《煤矿安全规程》第491条）。"
    assert "1. 查阅瓦斯检查记录。检查结果：符合。" in text
    assert doc.check_url.startswith("http://testserver/portal/documents/")


def test_the_record_and_order_pages_link_each_document(
    site: dict[str, Any], submitted: Any, org: dict[str, Any], login: Any
) -> None:
    from anjian.inspections import services

    order = services.correction_order_issue(
        actor=site["inspector"],
        record=submitted,
        findings=list(submitted.findings.all()),
        deadline=timezone.localdate(),
    )
    (record_doc,) = documents_for(submitted)
    (order_doc,) = documents_for(order)
    c = login(site["inspector"])
    other = login(org["other_county_inspector"])
    pages = {
        reverse("inspections:record_detail", args=[submitted.pk]): [record_doc, order_doc],
        reverse("inspections:order_detail", args=[order.pk]): [order_doc],
    }
    for url, docs in pages.items():
        page = c.get(url).content.decode()
        for doc in docs:
            links = [
                reverse("documents:document_pdf", args=[doc.pk]),
                reverse("documents:document_docx", args=[doc.pk]),
                reverse("documents:portal_detail", args=[doc.verification_code]),
            ]
            assert doc.number in page and doc.get_kind_display() in page, url
            for link in links:
                assert link in page, (url, link)
                assert c.get(link).status_code == 200, link
            for link in links[:2]:
                assert other.get(link).status_code == 404, link


def test_a_draft_record_shows_no_documents_card(
    site: dict[str, Any], started: Any, login: Any
) -> None:
    page = login(site["inspector"]).get(reverse("inspections:record_detail", args=[started.pk]))
    assert 'id="documents"' not in page.content.decode()
