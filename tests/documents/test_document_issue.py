"""document_issue: each kind renders as DOCX and PDF that say what the context says, with the
fonts embedded; numbers run per bureau, kind and year without gaps; contexts are checked."""

from __future__ import annotations

import datetime
import hashlib
import io
import threading
from collections.abc import Callable
from typing import Any

import docx
import pytest
from django.db import connection, connections, transaction
from docx.oxml.ns import qn
from pypdf import PdfReader

from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.documents import services
from anjian.documents.models import DocumentCounter, DocumentKind, OfficialDocument
from anjian.documents.render import qr_png
from anjian.documents.selectors import documents_for
from anjian.documents.storage import document_storage
from tests.documents.conftest import CONTEXTS, KEY_TEXT, TITLES

pytestmark = pytest.mark.django_db


def stored(name: str) -> bytes:
    with document_storage().open(name, "rb") as fh:
        return fh.read()


def docx_text(data: bytes) -> tuple[str, Any]:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts.extend(c.text for row in table.rows for c in row.cells)
    return "\n".join(parts), d


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    # Lines break anywhere in Chinese text; compare without the breaks.
    return "".join(text.split()), reader


@pytest.mark.parametrize("kind", list(DocumentKind), ids=str)
def test_each_kind_renders_the_same_words_in_docx_and_pdf(issue: Callable, kind: str) -> None:
    doc = issue(kind)
    words = [TITLES[kind], doc.number, doc.organ_name, *KEY_TEXT[kind]]

    text, d = docx_text(stored(doc.docx_file))
    for w in words:
        assert w in text, w
    assert doc.verification_code_display in text
    section = d.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    # Word and WPS take CJK characters' font from w:eastAsia.
    title_run = next(p for p in d.paragraphs if p.text == TITLES[kind]).runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run.bold
    body_run = next(p for p in d.paragraphs if p.text == doc.number).runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body_run.font.size.pt == 16

    text, reader = pdf_text(stored(doc.pdf_file))
    for w in words:
        assert "".join(w.split()) in text, w
    assert doc.verification_code_display in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = descriptor
    assert any("Noto-Serif-CJK-SC-Bold" in name for name in fonts), fonts.keys()
    for name, descriptor in fonts.items():
        # A subset (the six-letter tag) of the font is embedded in the file.
        assert name[7] == "+" and "/FontFile3" in descriptor, name


def test_the_stored_bytes_have_the_recorded_hashes_and_the_audit_event_has_them(
    issue: Callable, org: dict[str, Any], entity: Any
) -> None:
    doc = issue(DocumentKind.CORRECTION_ORDER)
    pdf, docx_bytes = stored(doc.pdf_file), stored(doc.docx_file)
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    assert hashlib.sha256(docx_bytes).hexdigest() == doc.docx_sha256
    assert (doc.pdf_size, doc.docx_size) == (len(pdf), len(docx_bytes))
    event = AuditEvent.objects.get(action="documents.document.issued", object_id=str(doc.pk))
    assert event.changes["pdf_sha256"] == doc.pdf_sha256
    assert event.changes["docx_sha256"] == doc.docx_sha256
    assert event.changes["number"] == doc.number
    assert event.region == "140603"
    assert event.actor == org["county_inspector"].username
    assert doc.issued_by == org["county_inspector"]
    assert list(documents_for(entity)) == [doc]


def test_a_document_re_renders_to_the_same_bytes(issue: Callable) -> None:
    """What the row stores is enough to prove what was issued: the render is reproducible."""
    doc = issue(DocumentKind.PENALTY_DECISION)
    docx_bytes, pdf = services.document_render(OfficialDocument.objects.get(pk=doc.pk))
    assert hashlib.sha256(docx_bytes).hexdigest() == doc.docx_sha256
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256


def test_the_qr_code_encodes_the_public_check_page(issue: Callable, settings: Any) -> None:
    settings.ANJIAN_PUBLIC_BASE_URL = "https://jg.yjt.shanxi.gov.cn/"
    doc = issue(DocumentKind.PENALTY_NOTICE)
    url = f"https://jg.yjt.shanxi.gov.cn/portal/documents/{doc.verification_code}/"
    assert doc.check_url == url
    _text, d = docx_text(stored(doc.docx_file))
    images = [r.blob for r in d.part.related_parts.values() if "image" in r.content_type]
    assert images == [qr_png(url)]
    assert url in pdf_text(stored(doc.pdf_file))[0]


def test_the_printed_check_address_is_absolute_and_leads_to_the_check_page(
    issue: Callable, client: Any
) -> None:
    doc = issue(DocumentKind.PENALTY_NOTICE)
    assert doc.check_url == f"http://testserver/portal/documents/{doc.verification_code}/"
    assert client.get(doc.check_url).status_code == 200


def test_without_a_public_base_no_document_is_issued(issue: Callable, settings: Any) -> None:
    """A relative address on paper leads nowhere: issuing is refused, with the setting named,
    and nothing is numbered."""
    settings.ANJIAN_PUBLIC_BASE_URL = ""
    with pytest.raises(ServiceError) as refused:
        issue(DocumentKind.PENALTY_NOTICE)
    assert "ANJIAN_PUBLIC_BASE_URL" in str(refused.value.message)
    assert not OfficialDocument.objects.exists()
    assert not DocumentCounter.objects.filter(last__gt=0).exists()


def test_verification_codes_are_crockford_base32_and_typeable(issue: Callable) -> None:
    doc = issue(DocumentKind.PENALTY_NOTICE)
    code = doc.verification_code
    assert len(code) == 16 and set(code) <= set(services.CROCKFORD)
    typed = doc.verification_code_display.lower().replace("0", "o").replace("1", "l")
    assert services.verification_code_normalise(typed) == code
    assert services.verification_code_normalise(code[:-1]) == ""
    assert services.verification_code_normalise(code[:-1] + "U") == ""


# --- numbering ------------------------------------------------------------------------------


def test_numbers_run_per_bureau_kind_and_year(
    issue: Callable, org: dict[str, Any], make_user: Callable
) -> None:
    march = datetime.date(2026, 3, 5)
    numbers = [issue(DocumentKind.PENALTY_NOTICE, issued_on=march).number for _ in range(3)]
    assert numbers == [f"（晋朔平）应急告〔2026〕{n}号" for n in (1, 2, 3)]
    assert issue(DocumentKind.PENALTY_DECISION).number == "（晋朔平）应急罚〔2026〕1号"
    next_year = issue(DocumentKind.PENALTY_NOTICE, issued_on=datetime.date(2027, 1, 4))
    assert next_year.number == "（晋朔平）应急告〔2027〕1号"
    city = org["city_head"]
    assert issue(DocumentKind.PENALTY_NOTICE, actor=city).number == "（晋朔）应急告〔2026〕1号"


def test_the_bureau_sets_its_own_abbreviation(issue: Callable, org: dict[str, Any]) -> None:
    bureau = org["county_inspector"].bureau
    bureau.document_abbreviation = "晋朔平应急"
    bureau.save()
    org["county_inspector"].refresh_from_db()
    doc = issue(DocumentKind.CORRECTION_ORDER)
    assert doc.number == "（晋朔平应急）应急责改〔2026〕1号"


def test_the_province_is_its_abbreviation(make_user: Callable) -> None:
    from anjian.accounts.models import Bureau

    bureau = make_user("140000", []).bureau
    assert Bureau.objects.filter(region_id="140000").count() == 1
    assert services.bureau_abbreviation(bureau) == "晋"


def test_a_failed_issue_leaves_no_gap(issue: Callable, monkeypatch: pytest.MonkeyPatch) -> None:
    assert issue(DocumentKind.PENALTY_DECISION).sequence == 1

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(services, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        issue(DocumentKind.PENALTY_DECISION)
    monkeypatch.undo()
    assert issue(DocumentKind.PENALTY_DECISION).sequence == 2
    issued = AuditEvent.objects.filter(action="documents.document.issued")
    assert sorted(e.changes["number"] for e in issued) == [
        "（晋朔平）应急罚〔2026〕1号",
        "（晋朔平）应急罚〔2026〕2号",
    ]


@pytest.mark.django_db(transaction=True)
def test_parallel_issuers_get_distinct_consecutive_numbers(org: dict[str, Any]) -> None:
    """The counter row is locked until each issuing transaction ends (PostgreSQL: row lock;
    SQLite: the write lock), so parallel issuers never share or skip a number."""
    bureau = org["county_inspector"].bureau
    writers, each = 6, 5
    barrier = threading.Barrier(writers)
    got: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                with transaction.atomic():
                    got.append(services._sequence_next(bureau, DocumentKind.PENALTY_DECISION, 2026))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip("in-memory SQLite is one connection; .ci/run runs this on PostgreSQL")
    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(got) == list(range(1, writers * each + 1))
    assert DocumentCounter.objects.get(bureau=bureau).last == writers * each


# --- the context ----------------------------------------------------------------------------


def refused(issue: Callable, kind: str, context: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ServiceError) as exc:
        issue(kind, context=context)
    return exc.value.fields


def test_a_missing_field_is_named(issue: Callable) -> None:
    context = dict(CONTEXTS[DocumentKind.PENALTY_DECISION])
    del context["court"]
    context["facts"] = "   "
    fields = refused(issue, DocumentKind.PENALTY_DECISION, context)
    assert set(fields) == {"court", "facts"}
    assert not OfficialDocument.objects.exists()
    assert not DocumentCounter.objects.exists()


def test_a_units_decision_needs_its_legal_representative(issue: Callable) -> None:
    context = {**CONTEXTS[DocumentKind.PENALTY_DECISION], "legal_representative": ""}
    assert set(refused(issue, DocumentKind.PENALTY_DECISION, context)) == {"legal_representative"}
    person = {**context, "party_kind": "person", "party_id_number": "140603199001011234"}
    doc = issue(DocumentKind.PENALTY_DECISION, context=person)
    assert "被处罚人：" in docx_text(stored(doc.docx_file))[0]


def test_a_fine_needs_where_to_pay(issue: Callable) -> None:
    context = {**CONTEXTS[DocumentKind.PENALTY_DECISION], "payment_place": ""}
    assert set(refused(issue, DocumentKind.PENALTY_DECISION, context)) == {"payment_place"}
    bad = {**CONTEXTS[DocumentKind.PENALTY_DECISION], "fine_amount": "5万"}
    assert set(refused(issue, DocumentKind.PENALTY_DECISION, bad)) == {"fine_amount"}


def test_nested_fields_are_named_with_their_position(issue: Callable) -> None:
    context = dict(CONTEXTS[DocumentKind.INSPECTION_RECORD])
    context["inspectors"] = [
        {"name": "王建国", "certificate_number": "14060320001"},
        {"name": "李晓明"},
    ]
    context["started_at"] = "上午九点"
    context["colour"] = "red"
    fields = refused(issue, DocumentKind.INSPECTION_RECORD, context)
    assert set(fields) == {"inspectors.1.certificate_number", "started_at", "colour"}


def test_an_inspection_record_needs_two_inspectors(issue: Callable) -> None:
    context = {
        **CONTEXTS[DocumentKind.INSPECTION_RECORD],
        "inspectors": CONTEXTS[DocumentKind.INSPECTION_RECORD]["inspectors"][:1],
    }
    assert set(refused(issue, DocumentKind.INSPECTION_RECORD, context)) == {"inspectors"}


def test_a_deadline_before_the_inspection_is_refused(issue: Callable) -> None:
    context = {**CONTEXTS[DocumentKind.CORRECTION_ORDER], "deadline": "2026-03-01"}
    assert set(refused(issue, DocumentKind.CORRECTION_ORDER, context)) == {"deadline"}


def test_an_unknown_kind_is_refused(issue: Callable) -> None:
    with pytest.raises(ServiceError) as exc:
        issue("memo", context={"entity_name": "x"})
    assert set(exc.value.fields) == {"kind"}


def test_python_values_are_accepted_and_stored_as_plain_values(issue: Callable) -> None:
    context = {
        **CONTEXTS[DocumentKind.CORRECTION_ORDER],
        "inspected_on": datetime.date(2026, 3, 5),
        "deadline": datetime.date(2026, 3, 20),
    }
    doc = issue(DocumentKind.CORRECTION_ORDER, context=context)
    assert doc.context["deadline"] == "2026-03-20"
    doc.refresh_from_db()
    assert doc.context["inspected_on"] == "2026-03-05"


# --- who may issue and revoke ---------------------------------------------------------------


def test_a_bureau_issues_only_its_own_documents(issue: Callable, org: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        issue(actor=org["city_head"], bureau=org["county_inspector"].bureau)
    with pytest.raises(NotPermitted):
        issue(actor=org["legal"])  # a legal reviewer reviews; the officers issue
    assert not OfficialDocument.objects.exists()


def test_revoke_records_the_reason_and_happens_once(
    issue: Callable, org: dict[str, Any], make_user: Callable
) -> None:
    doc = issue(DocumentKind.CORRECTION_ORDER)
    head = make_user("140603", ["division_head"])
    with pytest.raises(NotPermitted):
        services.document_revoke(org["county_inspector"], doc, "错误")
    with pytest.raises(ServiceError) as exc:
        services.document_revoke(head, doc, "  ")
    assert set(exc.value.fields) == {"reason"}
    revoked = services.document_revoke(head, doc, "整改期限填写错误")
    assert revoked.status == "revoked" and revoked.revoked_by == head
    with pytest.raises(Conflict):
        services.document_revoke(head, doc, "again")
    event = AuditEvent.objects.get(action="documents.document.revoked")
    assert event.changes == {"number": doc.number, "reason": "整改期限填写错误"}
    # The issued bytes are untouched.
    assert hashlib.sha256(stored(doc.pdf_file)).hexdigest() == doc.pdf_sha256


def test_another_countys_head_cannot_revoke(issue: Callable, make_user: Callable) -> None:
    doc = issue(DocumentKind.CORRECTION_ORDER)
    from anjian.core.errors import NotFound

    with pytest.raises(NotFound):
        services.document_revoke(make_user("140525", ["division_head"]), doc, "x")
    doc.refresh_from_db()
    assert doc.status == "valid"


def test_a_reserved_number_is_printed_once_and_an_unreserved_one_refused(
    org: dict[str, Any], entity: Any
) -> None:
    """The on-site record takes its number when opened; its document prints that number."""
    actor = org["county_inspector"]
    sequence, number = services.document_number_reserve(actor.bureau, "inspection_record", 2026)
    later = services.document_issue(
        actor,
        kind="inspection_record",
        bureau=actor.bureau,
        subject=entity,
        context=CONTEXTS["inspection_record"],
        issued_on=datetime.date(2026, 3, 5),
        reserved=(2026, sequence),
    )
    assert later.number == number and later.sequence == sequence
    with pytest.raises(ServiceError) as err:
        services.document_issue(
            actor,
            kind="inspection_record",
            bureau=actor.bureau,
            subject=entity,
            context=CONTEXTS["inspection_record"],
            issued_on=datetime.date(2026, 3, 5),
            reserved=(2026, sequence + 5),
        )
    assert "number" in err.value.fields
    # The next document of the kind takes the next number: no gap, no double.
    nxt = services.document_issue(
        actor,
        kind="inspection_record",
        bureau=actor.bureau,
        subject=entity,
        context=CONTEXTS["inspection_record"],
        issued_on=datetime.date(2026, 3, 5),
    )
    assert nxt.sequence == sequence + 1


def test_the_public_check_page_masks_what_the_officer_typed_in_a_revocation_reason(
    issue: Callable, make_user: Callable, client: Any
) -> None:
    """A revocation reason is free text; whatever personal data an officer typed into it reaches
    the public only through the masking service."""
    doc = issue(DocumentKind.CORRECTION_ORDER)
    head = make_user("140603", ["division_head"])
    services.document_revoke(
        head,
        doc,
        "送达对象写错，应为当事人孟庆丰（身份证号码140602198605211044，电话13834901234），"
        "家住平鲁区井坪镇南关村12号",
    )
    page = client.get(f"/portal/documents/{doc.verification_code}/").content.decode()
    assert "送达对象写错" in page
    for secret in ("孟庆丰", "140602198605211044", "13834901234", "南关村12号"):
        assert secret not in page
